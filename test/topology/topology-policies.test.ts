import { App, Chart } from 'cdk8s';
import { EXAMPLES } from '../../examples';
import { MonitoringChart, NetworkPeer, ObjectStorage, Prometheus, ThanosQuerier } from '../../lib';
import { topology } from '../../lib/topology/topology';
import { testApp } from '../support/synth';
import { Flow, policyFlows, topologyFlows, touches } from './policy-flows';

// One source of truth: the diagram's edges are exactly the flows the
// NetworkPolicies allow, read back from the synthesized YAML. A flow between
// two isolated components must be allowed on both sides (egress of one,
// ingress of the other); a flow with a peer that has no policy of this
// library (a namespace, the cluster, anywhere) on the one side that has one.

const sorted = (flows: Iterable<Flow>) => [...flows].sort();

/** The flows the policies allow that start or end at a component of `chart`, and those allowed on one side only. */
function allowedFlows(app: App, chart: Chart): { allowed: Flow[]; halfAllowed: Flow[] } {
  const { ingress, egress, isolated } = policyFlows(app);
  const own = new Set(topology(chart).components.map(c => c.component.node.path));
  const allowed = new Set<Flow>();
  const halfAllowed: Flow[] = [];
  for (const flow of new Set([...ingress, ...egress])) {
    if (!touches(flow, own)) continue;
    const [from, rest] = flow.split(' -> ');
    const to = rest.split(' ')[0];
    const needsEgress = isolated.has(from);
    const needsIngress = isolated.has(to);
    if ((needsEgress && !egress.has(flow)) || (needsIngress && !ingress.has(flow))) halfAllowed.push(flow);
    else allowed.add(flow);
  }
  return { allowed: sorted(allowed), halfAllowed };
}

// Each case builds an app; every chart in it is checked (an example may make several, e.g. one per cluster).
const CASES: Array<[string, (app: App) => unknown]> = [
  ...Object.entries(EXAMPLES).map(([name, build]): [string, (app: App) => unknown] => [`examples/${name}`, build]),
  ['a MonitoringChart with long-term storage and an Ingress exposing everything', app => [new MonitoringChart(app, 'x', {
    namespace: 'monitoring',
    prometheus: { thanos: { objectStorage: ObjectStorage.s3({ bucket: 'metrics', endpoint: 'minio.storage.svc:9000', region: 'x' }) } },
    pushgateway: { pushFrom: [NetworkPeer.namespace('batch')] },
    ingress: { host: 'm.example.com', tlsSecretName: 't', exposePushgateway: true },
  })]],
  ['a central Querier over two teams\' stacks, one Prometheus scraping it', app => {
    const teams = ['team-a', 'team-b'].map(t => new MonitoringChart(app, t, { namespace: t }));
    const central = new Chart(app, 'central', { namespace: 'central' });
    new ThanosQuerier(central, 'querier', { stores: teams.map(t => t.prometheus!) });
    new Prometheus(central, 'prometheus', {}).scrape(teams[0].alertmanager!);
  }],
];

describe('the topology\'s edges are exactly the flows the NetworkPolicies allow', () => {
  test.each(CASES)('%s', (_name, build) => {
    // GIVEN the charts of one app
    const app = testApp();
    build(app);
    const charts = app.node.findAll().filter((c): c is Chart => c instanceof Chart);
    for (const chart of charts) {
      // WHEN the chart's topology and its policies are read
      const edges = sorted(topologyFlows(topology(chart)));
      const { allowed, halfAllowed } = allowedFlows(app, chart);
      // THEN no edge is missing or extra, and no flow is allowed on one side only
      expect({ chart: chart.node.path, edges }).toEqual({ chart: chart.node.path, edges: allowed });
      expect(halfAllowed).toEqual([]);
      expect(edges.length).toBeGreaterThan(3);
    }
  });

  test('the comparison is not vacuous: it names the article\'s flows, and one edge less differs', () => {
    // GIVEN the article's chart and the flows of its policies
    const app = testApp();
    const chart = EXAMPLES.article(app);
    const before = allowedFlows(app, chart).allowed;
    // WHEN its topology is read
    const edges = sorted(topologyFlows(topology(chart)));
    // THEN the edges are the flows, named as a reader expects, and one edge less is not
    expect(edges).toEqual(before);
    expect(edges.slice(1)).not.toEqual(before);
    expect(edges).toEqual(expect.arrayContaining([
      'namespace:ingress-nginx -> article/prometheus 9090/TCP',
      'cluster -> article/pushgateway 9091/TCP',
      'article/alertmanager -> article/alertmanager 9094/UDP',
      'article/prometheus -> anywhere *',
      'article/thanos-query -> article/prometheus 10901/TCP',
    ]));
  });
});
