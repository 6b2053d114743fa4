import { Pushgateway } from '../../lib';
import { all, container, find, flagValues, givenChart, synth } from '../support/synth';

describe('Pushgateway', () => {
  test('defaults render the recorded manifests', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new Pushgateway(chart, 'pushgateway');
    // THEN
    expect(synth(chart)).toMatchSnapshot();
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
