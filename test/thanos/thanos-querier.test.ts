import { Duration } from 'cdk8s';
import { parse } from 'yaml';
import { Prometheus, ThanosQuerier } from '../../lib';
import { container, find, flagValues, givenChart, synth } from '../support/synth';

// The objects of a default Querier, field by field, are in the example snapshots
// (test/examples); here: what it renders for one store, and what tells it apart.
describe('ThanosQuerier', () => {
  test('renders the recorded endpoints file and container args for one Prometheus store', () => {
    // GIVEN
    const { chart } = givenChart();
    const prom = new Prometheus(chart, 'prometheus');
    // WHEN
    new ThanosQuerier(chart, 'querier', { stores: [prom] });
    const manifests = synth(chart);
    // THEN
    const deployment = find(manifests, 'Deployment', 'querier');
    expect({
      'endpoints.yaml': find(manifests, 'ConfigMap', 'querier-endpoints').data['endpoints.yaml'],
      args: Object.fromEntries(deployment.spec.template.spec.containers.map((c: any) => [c.name, c.args])),
    }).toMatchSnapshot();
  });

  test('adds an endpoints ConfigMap, two replicas behind a PDB, a Service and a NetworkPolicy, all labelled', () => {
    // GIVEN
    const { chart } = givenChart();
    const prom = new Prometheus(chart, 'prometheus');
    // WHEN
    new ThanosQuerier(chart, 'querier', { stores: [prom] });
    const manifests = synth(chart).filter(m => m.metadata.labels?.['app.kubernetes.io/name'] === 'thanos-query');
    // THEN
    expect(manifests.map(m => `${m.kind}/${m.metadata.name}`)).toEqual([
      'ConfigMap/querier-endpoints',
      'Deployment/querier',
      'Service/querier',
      'PodDisruptionBudget/querier',
      'NetworkPolicy/querier',
    ]);
    expect(manifests.map(m => m.metadata.labels)).toEqual(manifests.map(() => ({
      'app.kubernetes.io/component': 'query-layer',
      'app.kubernetes.io/instance': 'querier',
      'app.kubernetes.io/managed-by': 'cdk8s',
      'app.kubernetes.io/name': 'thanos-query',
      'app.kubernetes.io/part-of': 'cdk8s-prometheus-thanos',
    })));
    expect(manifests.map(m => m.metadata.namespace)).toEqual(manifests.map(() => 'monitoring'));
    expect(find(manifests, 'Deployment', 'querier').spec.replicas).toBe(2);
    expect(find(manifests, 'PodDisruptionBudget', 'querier').spec.maxUnavailable).toBe(1);
  });

  test('discovers every sidecar through DNS SRV and de-duplicates on their replica label', () => {
    // GIVEN
    const { chart } = givenChart();
    const prom = new Prometheus(chart, 'prometheus', { replicaLabel: 'prometheus_replica' });
    // WHEN
    const q = new ThanosQuerier(chart, 'querier', { stores: [prom] });
    const deployment = find(synth(chart), 'Deployment', 'querier');
    // THEN
    expect(parse(q.renderEndpoints())).toEqual({ endpoints: [{ address: 'dnssrv+_grpc._tcp.prometheus-headless.monitoring.svc' }] });
    const args: string[] = container(deployment, 'thanos-query').args;
    expect(flagValues(args, '--query.replica-label')).toEqual(['prometheus_replica']);
    expect(flagValues(args, '--endpoint.sd-config-file')).toEqual(['/etc/thanos/endpoints/endpoints.yaml']);
    // Thanos v0.38 removed --store; v0.42 deprecates --endpoint for the sd-config file.
    expect(args.some(a => a.startsWith('--store='))).toBe(false);
    expect(args.some(a => a.startsWith('--endpoint='))).toBe(false);
  });

  test("the article's query settings are the defaults, and each can be changed", () => {
    // GIVEN
    const { chart } = givenChart();
    const prom = new Prometheus(chart, 'prometheus');
    // WHEN
    new ThanosQuerier(chart, 'default', { stores: [prom] });
    new ThanosQuerier(chart, 'tuned', { stores: [prom], queryTimeout: Duration.seconds(90), maxConcurrentQueries: 5, autoDownsampling: false });
    const manifests = synth(chart);
    // THEN
    const defaults: string[] = container(find(manifests, 'Deployment', 'default'), 'thanos-query').args;
    expect(defaults).toEqual(expect.arrayContaining(['--query.timeout=2m', '--query.max-concurrent=20', '--query.auto-downsampling', '--store.sd-dns-interval=30s']));
    const tuned: string[] = container(find(manifests, 'Deployment', 'tuned'), 'thanos-query').args;
    expect(tuned).toEqual(expect.arrayContaining(['--query.timeout=1m30s', '--query.max-concurrent=5']));
    expect(tuned).not.toContain('--query.auto-downsampling');
  });

  test('addStore adds stores after construction and throws on duplicates', () => {
    // GIVEN
    const { chart } = givenChart();
    const a = new Prometheus(chart, 'a');
    const b = new Prometheus(chart, 'b');
    const q = new ThanosQuerier(chart, 'querier', { stores: [a] });
    // WHEN
    q.addStore(b);
    // THEN
    expect(parse(q.renderEndpoints()).endpoints).toHaveLength(2);
    expect(() => q.addStore(b)).toThrow("test/querier: invalid 'stores': 'test/b' is already added");
  });

  test('fails at synth when it has no store', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new ThanosQuerier(chart, 'querier');
    // THEN
    expect(() => synth(chart)).toThrow(/test\/querier: invalid 'stores': a ThanosQuerier needs at least one store/);
  });

  test('behind a path prefix, the UI links carry the prefix too', () => {
    // GIVEN
    const { chart } = givenChart();
    const prom = new Prometheus(chart, 'prometheus');
    // WHEN
    new ThanosQuerier(chart, 'querier', { stores: [prom], routePrefix: '/thanos' });
    const args: string[] = container(find(synth(chart), 'Deployment', 'querier'), 'thanos-query').args;
    // THEN
    expect(flagValues(args, '--web.route-prefix')).toEqual(['/thanos']);
    expect(flagValues(args, '--web.external-prefix')).toEqual(['/thanos']);
  });

  test('probes and metrics stay at the root behind a route prefix, as Thanos serves them', () => {
    // GIVEN
    const { chart } = givenChart();
    const prom = new Prometheus(chart, 'prometheus');
    // WHEN
    new ThanosQuerier(chart, 'querier', { stores: [prom], routePrefix: '/thanos' });
    const manifests = synth(chart);
    // THEN
    const query = container(find(manifests, 'Deployment', 'querier'), 'thanos-query');
    expect(query.livenessProbe.httpGet.path).toBe('/-/healthy');
    expect(query.readinessProbe.httpGet.path).toBe('/-/ready');
    // AND its stack's Prometheus scrapes it at the root: no metrics_path, the pods of its Service's `http` port
    const job = parse(prom.renderConfig()).scrape_configs.find((j: any) => j.job_name === 'thanos-query-querier');
    expect(job.metrics_path).toBeUndefined();
    expect(job.relabel_configs[0]).toMatchObject({ regex: 'querier;http', action: 'keep' });
  });

  test('runs as the Thanos image user 1001', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new ThanosQuerier(chart, 'querier', { stores: [new Prometheus(chart, 'prometheus')] });
    const pod = find(synth(chart), 'Deployment', 'querier').spec.template.spec;
    // THEN
    expect(pod.securityContext).toEqual(expect.objectContaining({ runAsUser: 1001, runAsGroup: 1001, fsGroup: 1001, runAsNonRoot: true }));
  });
});
