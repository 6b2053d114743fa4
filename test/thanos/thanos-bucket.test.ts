import { Duration } from 'cdk8s';
import { parse } from 'yaml';
import { MonitoringChart, ObjectStorage, ThanosCompactor, ThanosStoreGateway } from '../../lib';
import { all, container, find, flagValues, givenChart, synth, testApp } from '../support/synth';

describe('Thanos with object storage', () => {
  const bucket = ObjectStorage.fromSecret('thanos-objstore', 'objstore.yml', { ports: [9000] });

  test('the store gateway serves the bucket as a Store API', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    const store = new ThanosStoreGateway(chart, 'store', { objectStorage: bucket });
    const manifests = synth(chart);
    // THEN
    expect(manifests).toMatchSnapshot();
    expect(store.storeApiAddress).toBe('dnssrv+_grpc._tcp.store-headless.monitoring.svc');
    const args: string[] = container(find(manifests, 'StatefulSet', 'store'), 'thanos').args;
    expect(args[0]).toBe('store');
    expect(flagValues(args, '--objstore.config-file')).toEqual(['/etc/thanos/objstore/objstore.yml']);
    const egress = find(manifests, 'NetworkPolicy', 'store').spec.egress;
    expect(egress).toContainEqual({ ports: [{ port: 9000, protocol: 'TCP' }] });
  });

  test('the compactor is a singleton without a disruption budget, with retention per resolution', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new ThanosCompactor(chart, 'compactor', { objectStorage: bucket, retention: { raw: Duration.days(14) } });
    const manifests = synth(chart);
    // THEN
    expect(manifests).toMatchSnapshot();
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
