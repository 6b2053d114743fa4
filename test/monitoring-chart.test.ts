import { Testing } from 'cdk8s';
import { MonitoringChart } from '../lib';
import { all, find, testApp } from './support/synth';

describe('MonitoringChart', () => {
  test('composes the whole stack, wired together', () => {
    // GIVEN
    const app = testApp();
    // WHEN
    const chart = new MonitoringChart(app, 'monitoring', { namespace: 'monitoring' });
    const manifests = Testing.synth(chart);
    // THEN every part is there and reachable as a property
    expect(chart.prometheus?.replicas).toBe(2);
    expect(chart.querier?.storeApis).toEqual([chart.prometheus]);
    expect(chart.alertmanager?.replicas).toBe(3);
    expect(chart.pushgateway).toBeDefined();
    expect(chart.ingress).toBeUndefined();
    expect(all(manifests, 'StatefulSet').map(s => s.metadata.name).sort()).toEqual(['alertmanager', 'prometheus', 'pushgateway']);
    expect(all(manifests, 'Deployment').map(s => s.metadata.name)).toEqual(['querier', 'kube-state-metrics']);
    expect(all(manifests, 'DaemonSet').map(s => s.metadata.name)).toEqual(['node-exporter']);
  });

  test('creates its namespace with Pod Security "restricted" enforced', () => {
    // GIVEN
    const app = testApp();
    // WHEN
    const chart = new MonitoringChart(app, 'monitoring', { namespace: 'observability' });
    const ns = find(Testing.synth(chart), 'Namespace', 'observability');
    // THEN
    expect(ns.metadata.labels!['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(ns.metadata.namespace).toBeUndefined();
  });

  test('parts can be switched off', () => {
    // GIVEN
    const app = testApp();
    // WHEN
    const chart = new MonitoringChart(app, 'monitoring', {
      namespace: 'monitoring', pushgateway: { enabled: false }, alertmanager: { enabled: false }, createNamespace: false,
    });
    const manifests = Testing.synth(chart);
    // THEN
    expect(chart.pushgateway).toBeUndefined();
    expect(chart.alertmanager).toBeUndefined();
    expect(all(manifests, 'Namespace')).toEqual([]);
    expect(all(manifests, 'StatefulSet').map(s => s.metadata.name)).toEqual(['prometheus']);
  });

  test('an Ingress puts each UI under its own path', () => {
    // GIVEN
    const app = testApp();
    // WHEN
    const chart = new MonitoringChart(app, 'monitoring', {
      namespace: 'monitoring', ingress: { host: 'monitoring.example.com', tlsSecretName: 'monitoring-tls' },
    });
    const ingress = find(Testing.synth(chart), 'Ingress', 'ingress');
    // THEN the Pushgateway (a write API) is not exposed unless asked for
    const routed = ingress.spec.rules[0].http.paths.filter((p: any) => p.pathType === 'Prefix' && !p.path.includes('/api/v1/admin'));
    expect(routed.map((p: any) => p.path)).toEqual(['/alertmanager', '/prometheus', '/thanos']);
  });

  test('fails when the Querier is on but Prometheus has no sidecar', () => {
    // GIVEN
    const app = testApp();
    // WHEN / THEN
    expect(() => new MonitoringChart(app, 'monitoring', { namespace: 'monitoring', prometheus: { thanos: { enabled: false } } }))
      .toThrow(/monitoring: invalid 'querier': the Thanos Querier has no store: enable the chart's Prometheus with its Thanos sidecar, give querier.stores/);
  });
});
