import { Chart, Duration } from 'cdk8s';
import { parse } from 'yaml';
import { MonitoringChart, ObjectStorage, ThanosCompactor, ThanosStoreGateway } from '../../lib';
import { all, container, find, flagValues, givenChart, Manifest, synth, testApp } from '../support/synth';

const identity = (app: string, component: string, instance: string) => ({
  'app.kubernetes.io/component': component,
  'app.kubernetes.io/instance': instance,
  'app.kubernetes.io/managed-by': 'cdk8s',
  'app.kubernetes.io/name': app,
  'app.kubernetes.io/part-of': 'cdk8s-prometheus-thanos',
});
const argsOf = (workload: Manifest) => Object.fromEntries(workload.spec.template.spec.containers.map((c: any) => [c.name, c.args]));

// The objects of the store gateway and the compactor, field by field, are in the
// long-term-storage example snapshot (test/examples); here: their args, and what
// a bucket on another port and a chart with no client change.
describe('Thanos with object storage', () => {
  const bucket = ObjectStorage.fromSecret('thanos-objstore', 'objstore.yml', { ports: [9000] });

  test('the store gateway serves the bucket as a Store API', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    const store = new ThanosStoreGateway(chart, 'store', { objectStorage: bucket });
    const manifests = synth(chart);
    // THEN
    expect(argsOf(find(manifests, 'StatefulSet', 'store'))).toMatchSnapshot();
    expect(manifests.map(m => `${m.kind}/${m.metadata.name}`)).toEqual([
      'Service/store-headless', 'StatefulSet/store', 'PodDisruptionBudget/store', 'NetworkPolicy/store',
    ]);
    expect(manifests.map(m => m.metadata.labels)).toEqual(manifests.map(() => identity('thanos-store', 'object-store-gateway', 'store')));
    expect(store.storeApiAddress).toBe('dnssrv+_grpc._tcp.store-headless.monitoring.svc');
    const args: string[] = container(find(manifests, 'StatefulSet', 'store'), 'thanos').args;
    expect(args[0]).toBe('store');
    expect(flagValues(args, '--objstore.config-file')).toEqual(['/etc/thanos/objstore/objstore.yml']);
    const egress = find(manifests, 'NetworkPolicy', 'store').spec.egress;
    expect(egress).toContainEqual({ ports: [{ port: 9000, protocol: 'TCP' }] });
    const sts = find(manifests, 'StatefulSet', 'store');
    expect(sts.spec.replicas).toBe(2);
    expect(sts.spec.volumeClaimTemplates.map((t: any) => t.spec.resources.requests.storage)).toEqual(['10Gi']);
  });

  test.each([
    ['store gateway', (chart: Chart) => new ThanosStoreGateway(chart, 'thanos', { objectStorage: bucket })],
    ['compactor', (chart: Chart) => new ThanosCompactor(chart, 'thanos', { objectStorage: bucket })],
  ])('a %s reaches DNS and the bucket, and nothing reaches it in a chart without a client or a scraper', (_name, build) => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    build(chart);
    const policy = find(synth(chart), 'NetworkPolicy', 'thanos');
    // THEN
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.spec.ingress).toEqual([]);
    expect(policy.spec.egress).toEqual([
      { ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] },
      { ports: [{ port: 9000, protocol: 'TCP' }] },
    ]);
  });

  test('the compactor is a singleton without a disruption budget, with retention per resolution', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new ThanosCompactor(chart, 'compactor', { objectStorage: bucket, retention: { raw: Duration.days(14) } });
    const manifests = synth(chart);
    // THEN
    expect(argsOf(find(manifests, 'StatefulSet', 'compactor'))).toMatchSnapshot();
    expect(manifests.map(m => `${m.kind}/${m.metadata.name}`)).toEqual(['Service/compactor-headless', 'StatefulSet/compactor', 'NetworkPolicy/compactor']);
    expect(manifests.map(m => m.metadata.labels)).toEqual(manifests.map(() => identity('thanos-compact', 'database-compactor', 'compactor')));
    const sts = find(manifests, 'StatefulSet', 'compactor');
    expect(sts.spec.replicas).toBe(1);
    expect(all(manifests, 'PodDisruptionBudget')).toEqual([]);
    expect(container(sts, 'thanos').args).toEqual(expect.arrayContaining([
      'compact', '--wait', '--retention.resolution-raw=14d', '--retention.resolution-5m=90d', '--retention.resolution-1h=365d',
    ]));
  });

  test('the chart adds both and gives the querier the store gateway when Prometheus uploads', () => {
    // GIVEN
    const app = testApp();
    // WHEN
    const chart = new MonitoringChart(app, 'monitoring', { namespace: 'monitoring', prometheus: { thanos: { objectStorage: bucket } } });
    // THEN
    expect(chart.storeGateway).toBeDefined();
    expect(chart.compactor).toBeDefined();
    expect(parse(chart.querier!.renderEndpoints()).endpoints.map((e: any) => e.address)).toEqual([
      'dnssrv+_grpc._tcp.prometheus-headless.monitoring.svc',
      'dnssrv+_grpc._tcp.store-gateway-headless.monitoring.svc',
    ]);
  });

  test('fails when the compactor is asked for without a bucket', () => {
    // GIVEN
    const app = testApp();
    // WHEN / THEN
    expect(() => new MonitoringChart(app, 'monitoring', { namespace: 'monitoring', compactor: { enabled: true } }))
      .toThrow("monitoring: invalid 'compactor': needs a bucket: set prometheus.thanos.objectStorage");
  });
});
