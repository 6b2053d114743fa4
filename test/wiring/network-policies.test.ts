import { Alertmanager, MonitoringIngress, NetworkPeer, Prometheus, Pushgateway, ThanosQuerier } from '../../lib';
import { all, find, givenChart, synth } from '../support/synth';

/** The ports (as "port/protocol") a policy's rules allow from/to pods with `instance` label. */
function portsWith(rules: any[], side: 'from' | 'to', instance: string): string[] {
  return rules
    .filter(r => (r[side] ?? []).some((p: any) => p.podSelector?.matchLabels?.['app.kubernetes.io/instance'] === instance))
    .flatMap(r => r.ports.map((p: any) => `${p.port}/${p.protocol}`));
}

describe('NetworkPolicies derived from the wiring', () => {
  function givenStack() {
    const { chart } = givenChart();
    const alertmanager = new Alertmanager(chart, 'alertmanager', {
      config: { route: { receiver: 'hook' }, receivers: [{ name: 'hook', webhookConfigs: [{ url: 'https://hooks.example.com:8443/alert' }] }] },
    });
    const pushgateway = new Pushgateway(chart, 'pushgateway', { pushFrom: [NetworkPeer.namespace('batch')] });
    const prometheus = new Prometheus(chart, 'prometheus', { alertmanagers: [alertmanager], pushgateways: [pushgateway] });
    const querier = new ThanosQuerier(chart, 'querier', { stores: [prometheus] });
    new MonitoringIngress(chart, 'ingress', { host: 'm.example.com', tlsSecretName: 'tls', querier, controllerNamespace: 'ingress-system' });
    return synth(chart);
  }

  test('every component isolates its pods for ingress and egress', () => {
    // GIVEN / WHEN
    const policies = all(givenStack(), 'NetworkPolicy');
    // THEN
    expect(policies.map(p => p.metadata.name).sort()).toEqual(['alertmanager', 'prometheus', 'pushgateway', 'querier']);
    for (const p of policies) expect(p.spec.policyTypes).toEqual(['Ingress', 'Egress']);
  });

  test('the querier reaches exactly the Store API of its stores', () => {
    // GIVEN / WHEN
    const manifests = givenStack();
    const querier = find(manifests, 'NetworkPolicy', 'querier');
    const prometheus = find(manifests, 'NetworkPolicy', 'prometheus');
    // THEN
    expect(portsWith(querier.spec.egress, 'to', 'prometheus')).toEqual(['10901/TCP']);
    expect(portsWith(prometheus.spec.ingress, 'from', 'querier')).toEqual(['10901/TCP']);
  });

  test('Alertmanager peers gossip over TCP and UDP, and notify on the receivers\' ports', () => {
    // GIVEN / WHEN
    const am = find(givenStack(), 'NetworkPolicy', 'alertmanager');
    // THEN
    expect(portsWith(am.spec.ingress, 'from', 'alertmanager')).toEqual(['9094/TCP', '9094/UDP']);
    // Prometheus sends alerts to the web port and, as the stack's scraper, reads metrics there and from the reloader.
    expect(portsWith(am.spec.ingress, 'from', 'prometheus')).toEqual(['9093/TCP', '8080/TCP']);
    const external = am.spec.egress.filter((r: any) => !r.to && r.ports.some((p: any) => p.port !== 53));
    // Only the webhook's own port: no 443 for a receiver whose URL is known.
    expect(external.flatMap((r: any) => r.ports.map((p: any) => p.port))).toEqual([8443]);
  });

  test('the Pushgateway accepts pushes only from the configured peers and scrapes from Prometheus', () => {
    // GIVEN / WHEN
    const pgw = find(givenStack(), 'NetworkPolicy', 'pushgateway');
    // THEN
    expect(pgw.spec.ingress).toContainEqual({
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'batch' } } }],
      ports: [{ port: 9091, protocol: 'TCP' }],
    });
    expect(portsWith(pgw.spec.ingress, 'from', 'prometheus')).toEqual(['9091/TCP']);
    expect(JSON.stringify(pgw.spec.ingress)).not.toContain('"namespaceSelector":{}');
  });

  test('the Ingress controller reaches only the exposed port', () => {
    // GIVEN / WHEN
    const manifests = givenStack();
    const fromController = (p: any) => p.spec.ingress.filter((r: any) =>
      r.from?.some((f: any) => f.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'ingress-system'));
    // THEN
    expect(fromController(find(manifests, 'NetworkPolicy', 'querier'))).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-system' } } }],
      ports: [{ port: 10902, protocol: 'TCP' }],
    }]);
    expect(fromController(find(manifests, 'NetworkPolicy', 'prometheus'))).toEqual([]);
  });

  test('every pod may resolve DNS', () => {
    // GIVEN / WHEN
    const policies = all(givenStack(), 'NetworkPolicy');
    // THEN
    for (const p of policies) {
      expect(p.spec.egress[0]).toEqual({ ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] });
    }
  });

  test('a component can opt out', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new Prometheus(chart, 'prometheus', { networkPolicy: false });
    // THEN
    expect(all(synth(chart), 'NetworkPolicy')).toEqual([]);
  });
});
