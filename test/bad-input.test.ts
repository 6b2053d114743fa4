import { existsSync, mkdtempSync, readdirSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Chart, Duration, Size } from 'cdk8s';
import {
  Alertmanager, ContainerImage, KubernetesRole, MonitoringChart, MonitoringIngress, Prometheus, Pushgateway,
  RelabelAction, ThanosQuerier,
} from '../lib';

type Build = (chart: Chart, app: App) => void;

/**
 * Wrong props across all constructs. Each must fail at synth time with an
 * error that names the construct path and the prop: `<path>: invalid '<prop>'`.
 */
const cases: Array<[string, Build, string]> = [
  ['Prometheus replicas < 1', c => new Prometheus(c, 'p', { replicas: 0 }), "test/p: invalid 'replicas'"],
  ['Prometheus fractional replicas', c => new Prometheus(c, 'p', { replicas: 1.5 }), "test/p: invalid 'replicas'"],
  ['Prometheus name not a DNS label', c => new Prometheus(c, 'p', { name: 'Prom_1' }), "test/p: invalid 'name'"],
  ['Prometheus id not a DNS label', c => new Prometheus(c, 'My Prometheus'), "test/My Prometheus: invalid 'name'"],
  ['Prometheus sub-millisecond retention', c => new Prometheus(c, 'p', { retention: Duration.millis(0.5) }), "test/p: invalid 'retention'"],
  ['Prometheus bad external label name', c => new Prometheus(c, 'p', { externalLabels: { 'bad-label': 'x' } }), "test/p: invalid 'externalLabels.bad-label'"],
  ['Prometheus external label named like the replica label', c => new Prometheus(c, 'p', { externalLabels: { replica: 'x' } }), "test/p: invalid 'externalLabels'"],
  ['Prometheus bad replica label', c => new Prometheus(c, 'p', { replicaLabel: '0replica' }), "test/p: invalid 'replicaLabel'"],
  ['Prometheus route prefix without slash', c => new Prometheus(c, 'p', { routePrefix: 'prometheus' }), "test/p: invalid 'routePrefix'"],
  ['Prometheus object storage without sidecar', c => new Prometheus(c, 'p', {
    thanos: { enabled: false, objectStorage: { secretName: 's', key: 'k' } as never },
  }), "test/p: invalid 'thanos.objectStorage'"],
  ['Prometheus duplicate scrape job', c => new Prometheus(c, 'p', { scrapeJobs: [{ jobName: 'a', staticTargets: ['x:1'] }, { jobName: 'a', staticTargets: ['y:1'] }] }), "test/p: invalid 'scrapeJobs'"],
  ['Prometheus unknown SD role', c => new Prometheus(c, 'p', { scrapeJobs: [{ jobName: 'a', kubernetesSd: [{ role: 'deployment' as KubernetesRole }] }] }), "test/p: invalid 'scrapeJobs[a].kubernetesSd[0].role'"],
  ['Prometheus relabel replace without target', c => new Prometheus(c, 'p', { scrapeJobs: [{ jobName: 'a', staticTargets: ['x:1'], relabelings: [{ sourceLabels: ['x'], action: RelabelAction.REPLACE }] }] }), "test/p: invalid 'scrapeJobs[a].relabelings[0].targetLabel'"],
  ['Prometheus hashmod without modulus', c => new Prometheus(c, 'p', { scrapeJobs: [{ jobName: 'a', staticTargets: ['x:1'], relabelings: [{ sourceLabels: ['x'], targetLabel: 'y', action: RelabelAction.HASHMOD }] }] }), "test/p: invalid 'scrapeJobs[a].relabelings[0].modulus'"],
  ['Prometheus bad relabel regex', c => new Prometheus(c, 'p', { scrapeJobs: [{ jobName: 'a', staticTargets: ['x:1'], relabelings: [{ regex: '(', action: RelabelAction.LABELDROP }] }] }), "test/p: invalid 'scrapeJobs[a].relabelings[0].regex'"],
  ['Prometheus scrape timeout over interval', c => new Prometheus(c, 'p', { scrapeJobs: [{ jobName: 'a', staticTargets: ['x:1'], scrapeInterval: Duration.seconds(10), scrapeTimeout: Duration.seconds(20) }] }), "test/p: invalid 'scrapeJobs[a].scrapeTimeout'"],
  ['Prometheus PromQL syntax error', c => new Prometheus(c, 'p', { ruleGroups: [{ name: 'g', rules: [{ alert: 'Broken', expr: 'rate(x[5m]' }] }] }), "test/p: invalid 'ruleGroups[g].rules[0].expr'"],
  ['Prometheus recording rule name without colons', c => new Prometheus(c, 'p', { ruleGroups: [{ name: 'g', rules: [{ record: 'plain_name', expr: 'up' }] }] }), "test/p: invalid 'ruleGroups[g].rules[0].record'"],
  ['Prometheus empty rule group', c => new Prometheus(c, 'p', { ruleGroups: [{ name: 'g', rules: [] }] }), "test/p: invalid 'ruleGroups[g].rules'"],
  ['Prometheus duplicate rule group', c => new Prometheus(c, 'p', { ruleGroups: [{ name: 'g', rules: [{ alert: 'A', expr: 'up' }] }, { name: 'g', rules: [{ alert: 'B', expr: 'up' }] }] }), "test/p: invalid 'ruleGroups'"],
  ['Querier without stores', c => new ThanosQuerier(c, 'q'), "test/q: invalid 'stores'"],
  ['Querier running as root', c => new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')], runAs: { user: 0 } }), "test/q: invalid 'runAs.user'"],
  ['Prometheus with fsGroup 0', c => new Prometheus(c, 'p', { runAs: { fsGroup: 0 } }), "test/p: invalid 'runAs.fsGroup'"],
  ['Querier replicas < 1', c => new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')], replicas: 0 }), "test/q: invalid 'replicas'"],
  ['Querier duplicate store', c => { const p = new Prometheus(c, 'p'); new ThanosQuerier(c, 'q', { stores: [p, p] }); }, "test/q: invalid 'stores'"],
  ['Querier max concurrent 0', c => new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')], maxConcurrentQueries: 0 }), "test/q: invalid 'maxConcurrentQueries'"],
  ['Querier negative timeout', c => new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')], queryTimeout: Duration.millis(0.25) }), "test/q: invalid 'queryTimeout'"],
  ['Querier bad replica label', c => new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')], replicaLabels: ['a-b'] }), "test/q: invalid 'replicaLabels[0]'"],
  ['Alertmanager replicas < 1', c => new Alertmanager(c, 'am', { replicas: 0 }), "test/am: invalid 'replicas'"],
  ['Alertmanager route to unknown receiver', c => new Alertmanager(c, 'am', { config: { route: { receiver: 'pager' }, receivers: [{ name: 'null' }] } }), "test/am: invalid 'config.route.receiver'"],
  ['Alertmanager duplicate receivers', c => new Alertmanager(c, 'am', { config: { route: { receiver: 'a' }, receivers: [{ name: 'a' }, { name: 'a' }] } }), "test/am: invalid 'config.receivers[1].name'"],
  ['Alertmanager bad matcher', c => new Alertmanager(c, 'am', { config: { route: { receiver: 'a', routes: [{ matchers: ['severity critical'] }] }, receivers: [{ name: 'a' }] } }), "test/am: invalid 'config.route.routes[0].matchers[0]'"],
  ['Alertmanager repeat shorter than group interval', c => new Alertmanager(c, 'am', { config: { route: { receiver: 'a', groupInterval: Duration.minutes(10), repeatInterval: Duration.minutes(5) }, receivers: [{ name: 'a' }] } }), "test/am: invalid 'config.route.repeatInterval'"],
  ['Alertmanager bad route prefix', c => new Alertmanager(c, 'am', { routePrefix: '/alert manager' }), "test/am: invalid 'routePrefix'"],
  ['Pushgateway more than one replica', c => new Pushgateway(c, 'pgw', { replicas: 2 }), "test/pgw: invalid 'replicas'"],
  ['Pushgateway storage without persistence', c => new Pushgateway(c, 'pgw', { persistence: { enabled: false, storage: { size: Size.gibibytes(1) } } }), "test/pgw: invalid 'persistence'"],
  ['Ingress without TLS', c => new MonitoringIngress(c, 'ing', { host: 'm.example.com', prometheus: new Prometheus(c, 'p') }), "test/ing: invalid 'tlsSecretName'"],
  ['Ingress with TLS and insecure', c => new MonitoringIngress(c, 'ing', { host: 'm.example.com', tlsSecretName: 't', allowInsecureHttp: true }), "test/ing: invalid 'allowInsecureHttp'"],
  ['Ingress bad host', c => new MonitoringIngress(c, 'ing', { host: 'Not A Host', tlsSecretName: 't' }), "test/ing: invalid 'host'"],
  ['Ingress route without host', c => new MonitoringIngress(c, 'ing', { tlsSecretName: 't', prometheus: new Prometheus(c, 'p') }), "test/ing: invalid 'prometheus.host'"],
  ['Ingress conflicting route prefixes', c => new MonitoringIngress(c, 'ing', {
    host: 'm.example.com', tlsSecretName: 't',
    prometheus: new Prometheus(c, 'p', { routePrefix: '/x' }), alertmanager: new Alertmanager(c, 'am', { routePrefix: '/x/' }),
  }), "test/ing: invalid 'alertmanager'"],
  ['Ingress to nothing', c => new MonitoringIngress(c, 'ing', { host: 'm.example.com', tlsSecretName: 't' }), "test/ing: invalid 'routes'"],
  ['Chart exposes a disabled Pushgateway', (_c, app) => new MonitoringChart(app, 'mon', {
    namespace: 'monitoring', pushgateway: { enabled: false }, ingress: { host: 'm.example.com', tlsSecretName: 't', exposePushgateway: true },
  }), "mon: invalid 'ingress.exposePushgateway'"],
  ['Chart querier without Prometheus', (_c, app) => new MonitoringChart(app, 'mon', { namespace: 'monitoring', prometheus: { enabled: false } }), "mon: invalid 'querier'"],
  ['Chart without namespace for a component', (_c, app) => new Prometheus(new Chart(app, 'nons'), 'p'), "nons/p: invalid 'namespace'"],
];

describe('bad input fails at synth time, naming the construct and the prop', () => {
  test('there are at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  test.each(cases)('fails when: %s', (_name, build, expected) => {
    // GIVEN an app that writes to a fresh output folder
    const outdir = mkdtempSync(join(tmpdir(), 'bad-input-'));
    try {
      const app = new App({ outdir });
      const chart = new Chart(app, 'test', { namespace: 'monitoring' });
      // WHEN the stack is built and synthesized
      const run = () => {
        build(chart, app);
        app.synth();
      };
      // THEN it throws a message that starts with the construct path and names the prop
      expect(run).toThrow(expected);
      // ...and nothing half-written is left for `kubectl apply -f dist/`
      expect(existsSync(outdir) ? readdirSync(outdir) : []).toEqual([]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('fails when an image floats', () => {
    // GIVEN / WHEN / THEN
    expect(() => ContainerImage.fromReference('quay.io/prometheus/prometheus:latest')).toThrow(/floats: pin a version tag/);
    expect(() => ContainerImage.fromReference('quay.io/prometheus/prometheus')).toThrow(/has no tag/);
    expect(() => ContainerImage.of('quay.io/thanos/thanos', 'v0.42.4', 'sha256:abc')).toThrow(/must be sha256:<64 hex digits>/);
  });
});
