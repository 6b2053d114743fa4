import { ApiObject, App, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import {
  Alertmanager, BlackboxExporter, BlackboxModule, DiscoveryScope, Grafana, KubeStateMetrics, MonitoringIngress, NodeExporter, ObjectStorage,
  Prometheus, Pushgateway, StackDefaultDenyPolicy, ThanosCompactor, ThanosQuerier, ThanosQueryFrontend, ThanosRuler, ThanosStoreGateway,
} from '../../lib';
import * as library from '../../lib';
import { givenChart } from '../support/synth';

/** Every value a construct makes reachable: its own fields and the getters of its classes (arrays flattened). */
function publicValues(construct: object): unknown[] {
  const values: unknown[] = Object.entries(construct).filter(([key]) => !key.startsWith('_')).map(([, v]) => v);
  for (let proto = Object.getPrototypeOf(construct); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const [key, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(proto))) {
      if (!descriptor.get || key === 'node') continue;
      try {
        values.push(descriptor.get.call(construct));
      } catch {
        // A getter that refuses (a Prometheus without sidecar is no Store API) exposes nothing.
      }
    }
  }
  return values.flatMap(v => (Array.isArray(v) ? v : [v]));
}

/** The API objects a construct created, itself and below. */
function objectsOf(construct: IConstruct): ApiObject[] {
  return construct.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
}

const bucket = ObjectStorage.fromSecret('objstore');
const CASES: Record<string, { build: (chart: Chart) => IConstruct; workload?: string }> = {
  'Prometheus (cluster discovery)': { build: c => new Prometheus(c, 'prometheus'), workload: 'statefulSet' },
  'Prometheus (namespaced discovery, no sidecar)': {
    build: c => new Prometheus(c, 'prometheus', { discovery: DiscoveryScope.namespaces(['a', 'b']), thanos: { enabled: false } }),
    workload: 'statefulSet',
  },
  'Alertmanager with templates': { build: c => new Alertmanager(c, 'alertmanager', { templateFiles: { 'a.tmpl': '' } }), workload: 'statefulSet' },
  'Pushgateway': { build: c => new Pushgateway(c, 'pushgateway'), workload: 'statefulSet' },
  'ThanosQuerier': { build: c => new ThanosQuerier(c, 'querier', { stores: [new Prometheus(c, 'p')] }), workload: 'deployment' },
  'ThanosStoreGateway': { build: c => new ThanosStoreGateway(c, 'store', { objectStorage: bucket }), workload: 'statefulSet' },
  'ThanosCompactor': { build: c => new ThanosCompactor(c, 'compactor', { objectStorage: bucket }), workload: 'statefulSet' },
  'MonitoringIngress': {
    build: c => new MonitoringIngress(c, 'ingress', { host: 'm.example.com', tlsSecretName: 't', prometheus: new Prometheus(c, 'p', { routePrefix: '/p' }) }),
    workload: 'ingress',
  },
  'StackDefaultDenyPolicy': { build: c => new StackDefaultDenyPolicy(c, 'deny'), workload: 'policy' },
  'Grafana': {
    build: c => new Grafana(c, 'grafana', { adminCredentials: { secretName: 'grafana-admin' }, datasources: [new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] })] }),
    workload: 'deployment',
  },
  'NodeExporter': { build: c => new NodeExporter(c, 'node-exporter'), workload: 'daemonSet' },
  'KubeStateMetrics': { build: c => new KubeStateMetrics(c, 'kube-state-metrics'), workload: 'deployment' },
  'BlackboxExporter': { build: c => new BlackboxExporter(c, 'blackbox', { modules: [BlackboxModule.http({ name: 'http_2xx' })] }), workload: 'deployment' },
  'ThanosRuler': {
    build: c => new ThanosRuler(c, 'ruler', {
      queriers: [new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] })],
      ruleGroups: [{ name: 'g', rules: [{ alert: 'A', expr: 'up == 0' }] }],
    }),
    workload: 'statefulSet',
  },
  'ThanosQueryFrontend': {
    build: c => new ThanosQueryFrontend(c, 'frontend', { querier: new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] }) }),
    workload: 'deployment',
  },
};

describe('escape hatches', () => {
  test.each(Object.keys(CASES))('every object %s creates is a public property', name => {
    // GIVEN the construct
    const { chart } = givenChart();
    const construct = CASES[name].build(chart);
    // WHEN listing what it created and what it exposes
    const exposed = new Set(publicValues(construct));
    const hidden = objectsOf(construct).filter(o => !exposed.has(o)).map(o => `${o.kind}/${o.name} (${o.node.id})`);
    // THEN nothing is hidden
    expect(hidden).toEqual([]);
  });

  test.each(Object.keys(CASES))('the default child of %s is its main object', name => {
    // GIVEN the construct
    const { chart } = givenChart();
    const construct = CASES[name].build(chart);
    // WHEN asking cdk8s for its default child
    // THEN it is the workload (or the one object the construct is about)
    const property = CASES[name].workload!;
    expect(construct.node.defaultChild).toBe((construct as unknown as Record<string, unknown>)[property]);
    expect(construct.node.defaultChild).toBeInstanceOf(ApiObject);
  });

  test('every construct of the library but the chart has a case here', () => {
    // GIVEN the constructs lib/index.ts exports
    const lib: Record<string, unknown> = { ...library };
    const constructs = Object.entries(lib)
      // Apps and the chart are the scopes components live in, not components.
      .filter(([name, value]) => typeof value === 'function' && value.prototype instanceof Construct && !(value.prototype instanceof App) && name !== 'MonitoringChart')
      .map(([name]) => name);
    // WHEN comparing with the cases above
    const covered = new Set(Object.keys(CASES).map(c => c.split(' ')[0]));
    // THEN none is missing (and the list is not empty, so the check can fail)
    expect(constructs.length).toBeGreaterThan(5);
    expect(constructs.filter(c => !covered.has(c))).toEqual([]);
  });
});
