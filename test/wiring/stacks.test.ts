import { App, Chart, Testing } from 'cdk8s';
import { stringify } from 'yaml';
import { Alertmanager, MonitoringChart, Prometheus, ThanosQuerier } from '../../lib';
import { find, Manifest, synth, testApp } from '../support/synth';

/** Every namespace a NetworkPolicy of `manifests` names in a peer. */
function peerNamespaces(manifests: Manifest[]): string[] {
  const names = new Set<string>();
  for (const policy of manifests.filter(m => m.kind === 'NetworkPolicy')) {
    for (const rule of [...policy.spec.ingress ?? [], ...policy.spec.egress ?? []]) {
      for (const peer of [...rule.from ?? [], ...rule.to ?? []]) {
        const ns = peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'];
        if (ns) names.add(ns);
      }
    }
  }
  return [...names].sort();
}

/** The rules of `policy` (ingress or egress) whose peer is pods `instance` in `namespace`, as "port/protocol". */
function portsOf(rules: any[] | undefined, side: 'from' | 'to', namespace: string, instance: string): string[] {
  return (rules ?? [])
    .filter(r => (r[side] ?? []).some((p: any) => p.podSelector?.matchLabels?.['app.kubernetes.io/instance'] === instance
      && p.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === namespace))
    .flatMap(r => r.ports.map((p: any) => `${p.port}/${p.protocol}`));
}

const TENANTS = ['team-a', 'team-b', 'team-c', 'team-d', 'team-e', 'team-f'];

describe('many stacks in one App', () => {
  test('tenants see nothing of each other: no policy names another stack\'s namespace', () => {
    // GIVEN six tenants' stacks in one App
    const app = testApp();
    const charts = TENANTS.map(t => new MonitoringChart(app, t, { namespace: t }));
    // WHEN synthesized
    // THEN each stack's policies name no other tenant's namespace, and no Prometheus scrapes another stack
    for (const chart of charts) {
      const manifests = synth(chart);
      // (its own namespaces aside: the node exporter runs in <tenant>-node-exporter and its Prometheus scrapes it there)
      const others = TENANTS.filter(t => t !== chart.namespace);
      expect(peerNamespaces(manifests).filter(ns => others.some(t => ns === t || ns.startsWith(`${t}-`)))).toEqual([]);
      const config = chart.prometheus!.renderConfig();
      expect(TENANTS.filter(t => t !== chart.namespace && config.includes(`.${t}.svc`))).toEqual([]);
    }
  });

  test('a stack synthesizes byte-identical YAML alone and beside others', () => {
    // GIVEN team-a's stack alone, and beside five others
    const alone = new MonitoringChart(testApp(), 'team-a', { namespace: 'team-a' });
    const crowded = testApp();
    const charts = TENANTS.map(t => new MonitoringChart(crowded, t, { namespace: t }));
    // WHEN both are synthesized
    // THEN the YAML is the same
    expect(stringify(Testing.synth(charts[0]))).toEqual(stringify(Testing.synth(alone)));
  });
});

describe('wires across charts', () => {
  function givenCentralQuerier(): { app: App; team: MonitoringChart; central: Chart; querier: ThanosQuerier } {
    const app = testApp();
    const team = new MonitoringChart(app, 'team-a', { namespace: 'team-a' });
    const central = new Chart(app, 'central', { namespace: 'central' });
    const querier = new ThanosQuerier(central, 'querier', { stores: [team.prometheus!] });
    return { app, team, central, querier };
  }

  test('a central Querier over a team\'s Prometheus: egress on one side, ingress on the other, on the Store API only', () => {
    // GIVEN / WHEN
    const { team, central } = givenCentralQuerier();
    const querierPolicy = find(synth(central), 'NetworkPolicy', 'querier');
    const prometheusPolicy = find(synth(team), 'NetworkPolicy', 'prometheus');
    // THEN
    expect(portsOf(querierPolicy.spec.egress, 'to', 'team-a', 'prometheus')).toEqual(['10901/TCP']);
    expect(portsOf(prometheusPolicy.spec.ingress, 'from', 'central', 'querier')).toEqual(['10901/TCP']);
    expect(peerNamespaces(synth(team)).filter(ns => !ns.startsWith('team-a'))).toEqual(['central']);
  });

  test('a central Querier is scraped by no team\'s Prometheus unless asked', () => {
    // GIVEN the central querier
    const { team, querier } = givenCentralQuerier();
    // WHEN nobody asks
    // THEN no Prometheus scrapes it
    expect(team.prometheus!.renderConfig()).not.toMatch(/- central\n/);
    // WHEN the team's Prometheus asks
    team.prometheus!.scrape(querier);
    // THEN it does, through the Querier's Service endpoints in its namespace
    expect(team.prometheus!.renderConfig()).toMatch(/job_name: thanos-query-querier[\s\S]*?- central\n[\s\S]*?regex: querier;http/);
  });

  test('a shared Alertmanager gets alerts from every team but is scraped only by its own stack\'s Prometheus', () => {
    // GIVEN an Alertmanager in a shared chart, and two teams sending to it
    const app = testApp();
    const shared = new Chart(app, 'shared', { namespace: 'shared' });
    const alertmanager = new Alertmanager(shared, 'alertmanager');
    const owner = new Prometheus(shared, 'prometheus');
    const teams = ['team-a', 'team-b'].map(t => new Prometheus(new Chart(app, t, { namespace: t }), 'prometheus', { alertmanagers: [alertmanager] }));
    // WHEN synthesized
    const amPolicy = find(synth(shared), 'NetworkPolicy', 'alertmanager');
    // THEN each team may post alerts, and nothing else; the owner scrapes it
    for (const t of ['team-a', 'team-b']) expect(portsOf(amPolicy.spec.ingress, 'from', t, 'prometheus')).toEqual(['9093/TCP']);
    for (const team of teams) expect(team.renderConfig()).not.toMatch(/job_name: alertmanager/);
    expect(owner.renderConfig()).toMatch(/job_name: alertmanager\n/);
    // AND only the owner watches the cluster's health
    expect(teams.flatMap(t => t.ruleGroups.map(g => g.name))).not.toContain('stack-alertmanager');
    expect(owner.ruleGroups.map(g => g.name)).toContain('stack-alertmanager');
  });

  test('fails when asked to scrape what is scraped already', () => {
    // GIVEN a Prometheus and the Alertmanager of its own stack
    const app = testApp();
    const chart = new Chart(app, 'test', { namespace: 'monitoring' });
    const prometheus = new Prometheus(chart, 'prometheus');
    const alertmanager = new Alertmanager(chart, 'alertmanager');
    // WHEN / THEN
    expect(() => prometheus.scrape(alertmanager)).toThrow(/test\/prometheus: invalid 'scrape': 'test\/alertmanager' is scraped already/);
  });
});
