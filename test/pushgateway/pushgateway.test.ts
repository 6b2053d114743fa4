import { Pushgateway } from '../../lib';
import { all, container, find, flagValues, givenChart, synth } from '../support/synth';

// The objects of a default Pushgateway, field by field, are in the example snapshots
// (test/examples); here: what a standalone one renders, and what tells it apart.
describe('Pushgateway', () => {
  test('defaults render the recorded container args', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new Pushgateway(chart, 'pushgateway');
    const sts = find(synth(chart), 'StatefulSet', 'pushgateway');
    // THEN
    expect(Object.fromEntries(sts.spec.template.spec.containers.map((c: any) => [c.name, c.args]))).toMatchSnapshot();
  });

  test('defaults add two Services, one replica on a 2Gi claim and a NetworkPolicy, all labelled', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new Pushgateway(chart, 'pushgateway');
    const manifests = synth(chart);
    // THEN
    expect(manifests.map(m => `${m.kind}/${m.metadata.name}`)).toEqual([
      'Service/pushgateway',
      'Service/pushgateway-headless',
      'StatefulSet/pushgateway',
      'NetworkPolicy/pushgateway',
    ]);
    expect(manifests.map(m => m.metadata.labels)).toEqual(manifests.map(() => ({
      'app.kubernetes.io/component': 'metrics-cache',
      'app.kubernetes.io/instance': 'pushgateway',
      'app.kubernetes.io/managed-by': 'cdk8s',
      'app.kubernetes.io/name': 'pushgateway',
      'app.kubernetes.io/part-of': 'cdk8s-prometheus-thanos',
    })));
    expect(manifests.map(m => m.metadata.namespace)).toEqual(manifests.map(() => 'monitoring'));
    const sts = find(manifests, 'StatefulSet', 'pushgateway');
    expect(sts.spec.replicas).toBe(1);
    expect(sts.spec.podManagementPolicy).toBeUndefined();
    expect(sts.spec.volumeClaimTemplates.map((t: any) => t.spec.resources.requests.storage)).toEqual(['2Gi']);
  });

  test('persists pushed groups on a claim by default', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new Pushgateway(chart, 'pushgateway');
    const sts = find(synth(chart), 'StatefulSet', 'pushgateway');
    // THEN
    const args: string[] = container(sts, 'pushgateway').args;
    expect(flagValues(args, '--persistence.file')).toEqual(['/data/pushgateway.db']);
    expect(sts.spec.volumeClaimTemplates[0].metadata.name).toBe('data');
    expect(args).not.toContain('--web.enable-admin-api');
  });

  test('persistence can be switched off', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new Pushgateway(chart, 'pushgateway', { persistence: { enabled: false } });
    const sts = find(synth(chart), 'StatefulSet', 'pushgateway');
    // THEN
    expect(flagValues(container(sts, 'pushgateway').args, '--persistence.file')).toEqual([]);
    expect(sts.spec.volumeClaimTemplates).toBeUndefined();
  });

  test('a singleton gets no PodDisruptionBudget that would block node drains', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new Pushgateway(chart, 'pushgateway');
    // THEN
    expect(all(synth(chart), 'PodDisruptionBudget')).toEqual([]);
  });

  test('fails when asked for more than one replica', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN / THEN
    expect(() => new Pushgateway(chart, 'pushgateway', { replicas: 15 }))
      .toThrow(/test\/pushgateway: invalid 'replicas': must be 1, got 15: Pushgateway replicas do not share pushed groups/);
  });
});
