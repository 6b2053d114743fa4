// The Ruler with the real promtool (install the tools with `npm run tools`):
// its rule file is one Prometheus' promtool accepts (Thanos reads the same
// format), runRuleTests runs the tests of its groups at its evaluation
// interval, and the default alerts on a Ruler, which its stack's Prometheus
// evaluates, fire and stay quiet on the series its scrape job gives.
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Chart, Duration } from 'cdk8s';
import { parse } from 'yaml';
import { Alertmanager, InputSeries, Prometheus, RuleGroup, RuleTest, ThanosQuerier, ThanosRuler } from '../../lib';
import { runRuleTests } from '../../lib/testing/promtool';
import { expectRulesToPass, fires, promtoolCheck, quiet } from '../support/promtool';
import { testApp } from '../support/synth';
import { tool } from '../support/tools';

const TIMEOUT_MS = 30_000;
const minutes = Duration.minutes;

/** A cross-cluster rule, with its promtool test: the kind of rule that belongs in a Ruler. */
const CLUSTERS: RuleGroup = {
  name: 'clusters',
  rules: [
    { record: 'cluster:up:sum', expr: 'sum by (cluster) (up)' },
    { alert: 'ClusterMissing', expr: 'count(count by (cluster) (up)) < 2', for: minutes(5), labels: { severity: 'critical' }, annotations: { summary: 'A cluster reports nothing.' } },
  ],
  tests: [{
    name: 'one of two clusters stops reporting',
    inputSeries: [
      { series: 'up{cluster="eu", job="api"}', values: '1x20' },
      { series: 'up{cluster="us", job="api"}', values: '1x5 _x15' },
    ],
    alertRuleTests: [{ alertname: 'ClusterMissing', evalTime: minutes(15), expAlerts: [{ expLabels: { severity: 'critical' }, expAnnotations: { summary: 'A cluster reports nothing.' } }] }],
    promqlExprTests: [{ expr: 'cluster:up:sum', evalTime: minutes(2), expSamples: [{ labels: 'cluster:up:sum{cluster="eu"}', value: 1 }, { labels: 'cluster:up:sum{cluster="us"}', value: 1 }] }],
  }],
};

function givenStack(): { prometheus: Prometheus; ruler: ThanosRuler } {
  const chart = new Chart(testApp(), 'test', { namespace: 'monitoring' });
  const alertmanager = new Alertmanager(chart, 'alertmanager');
  const prometheus = new Prometheus(chart, 'prometheus', { alertmanagers: [alertmanager] });
  const querier = new ThanosQuerier(chart, 'querier', { stores: [prometheus] });
  const ruler = new ThanosRuler(chart, 'ruler', { queriers: [querier], alertmanagers: [alertmanager], ruleGroups: [CLUSTERS], evaluationInterval: Duration.seconds(30) });
  querier.addStore(ruler);
  return { prometheus, ruler };
}

// The labels of the Ruler's series, as its scrape job sets them.
const RULER = 'job="thanos-rule-ruler", instance="ruler-0.ruler-headless.monitoring.svc:10902", pod="ruler-0"';
const rulerLabels = { job: 'thanos-rule-ruler', pod: 'ruler-0' };

/** A test that `alertname` fires at `at` with these labels, description and summary. */
function firesWithText(alertname: string, inputSeries: InputSeries[], at: Duration, labels: Record<string, string>, description: string, summary: string): RuleTest {
  return fires(alertname, inputSeries, at, labels, { summary, description });
}

describe('ThanosRuler with promtool', () => {
  test('its rule file passes `promtool check rules`', () => {
    // GIVEN
    const { ruler } = givenStack();
    const dir = mkdtempSync(join(tmpdir(), 'ruler-rules-'));
    try {
      // WHEN
      writeFileSync(join(dir, 'rules.yaml'), ruler.renderRules());
      const result = promtoolCheck('rules', ['rules.yaml'], dir);
      // THEN
      expect(result.output).toContain('SUCCESS: 2 rules found');
      expect(result.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, TIMEOUT_MS);

  test('runRuleTests runs the tests of its groups at its evaluation interval', () => {
    // GIVEN
    const { ruler } = givenStack();
    // WHEN
    const result = runRuleTests(ruler, [], { promtool: tool('promtool') });
    // THEN
    if (!result.passed) throw new Error(`${result.output}\n${result.testFile}`);
    expect(parse(result.testFile).evaluation_interval).toBe('30s');
  }, TIMEOUT_MS);

  test('runRuleTests reports a failing test of a Ruler group', () => {
    // GIVEN a test that expects the alert not to fire
    const { ruler } = givenStack();
    // WHEN
    const result = runRuleTests(ruler, [{ ...CLUSTERS.tests![0], promqlExprTests: undefined, alertRuleTests: [{ alertname: 'ClusterMissing', evalTime: minutes(15) }] }], { promtool: tool('promtool') });
    // THEN
    expect(result.passed).toBe(false);
    expect(result.output).toContain('ClusterMissing');
  }, TIMEOUT_MS);
});

describe('the default Ruler alerts on its stack\'s Prometheus', () => {
  test('the Prometheus that scrapes a Ruler gets the stack-thanos-rule group; one that does not, none', () => {
    // GIVEN / WHEN
    const { prometheus } = givenStack();
    const alone = new Prometheus(new Chart(testApp(), 'other', { namespace: 'monitoring' }), 'prometheus');
    // THEN
    const group = prometheus.ruleGroups.find(g => g.name === 'stack-thanos-rule');
    expect(group?.rules.map(r => ('alert' in r ? r.alert : r.record))).toEqual([
      'ThanosRuleQueueIsDroppingAlerts', 'ThanosRuleSenderIsFailingAlerts', 'ThanosRuleHighRuleEvaluationFailures', 'ThanosNoRuleEvaluations',
      'ThanosRuleConfigReloadFailure', 'ThanosRuleUploadsFailing', 'ThanosRuleBucketOperationsFailing',
    ]);
    expect(JSON.stringify(group)).toContain('job=~\\"thanos-rule-ruler\\"');
    expect(alone.ruleGroups.map(g => g.name)).not.toContain('stack-thanos-rule');
  });

  test('ThanosRuleQueueIsDroppingAlerts', () => {
    const { prometheus } = givenStack();
    const series = (values: string) => [{ series: `thanos_alert_queue_alerts_dropped_total{${RULER}}`, values }];
    expectRulesToPass(prometheus, [
      firesWithText('ThanosRuleQueueIsDroppingAlerts', series('0+1x20'), minutes(15), { ...rulerLabels, severity: 'critical' },
        'Thanos Ruler ruler-0 drops alerts before sending them: its queue to the Alertmanagers is full.', 'A Thanos Ruler is dropping alerts from its queue.'),
      quiet('ThanosRuleQueueIsDroppingAlerts', series('0x20'), minutes(15)),
    ]);
  }, TIMEOUT_MS);

  test('ThanosRuleSenderIsFailingAlerts', () => {
    const { prometheus } = givenStack();
    const series = (values: string) => [{ series: `thanos_alert_sender_alerts_dropped_total{${RULER}, alertmanager="http://alertmanager-0:9093/api/v2/alerts"}`, values }];
    expectRulesToPass(prometheus, [
      firesWithText('ThanosRuleSenderIsFailingAlerts', series('0+2x20'), minutes(15), { ...rulerLabels, severity: 'critical' },
        'Thanos Ruler ruler-0 drops alerts that no Alertmanager accepted: they reach nobody.', 'A Thanos Ruler fails to send alerts to the Alertmanagers.'),
      quiet('ThanosRuleSenderIsFailingAlerts', series('0x20'), minutes(15)),
    ]);
  }, TIMEOUT_MS);

  test('ThanosRuleHighRuleEvaluationFailures', () => {
    const { prometheus } = givenStack();
    // One Rules manager per partial response strategy: the series carry `strategy`.
    const series = (failures: string) => [
      { series: `prometheus_rule_evaluation_failures_total{${RULER}, strategy="abort", rule_group="clusters"}`, values: failures },
      { series: `prometheus_rule_evaluations_total{${RULER}, strategy="abort", rule_group="clusters"}`, values: '0+100x20' },
    ];
    expectRulesToPass(prometheus, [
      firesWithText('ThanosRuleHighRuleEvaluationFailures', series('0+10x20'), minutes(15), { ...rulerLabels, severity: 'critical' },
        'Thanos Ruler ruler-0 fails 10.0% of its rule evaluations: its alerts and recordings are missing.', 'A Thanos Ruler is failing rule evaluations.'),
      quiet('ThanosRuleHighRuleEvaluationFailures', series('0+1x20'), minutes(15)),
    ]);
  }, TIMEOUT_MS);

  test('ThanosNoRuleEvaluations', () => {
    const { prometheus } = givenStack();
    const series = (evaluations: string) => [
      { series: `prometheus_rule_evaluations_total{${RULER}, strategy="abort", rule_group="clusters"}`, values: evaluations },
      { series: `thanos_rule_loaded_rules{${RULER}, strategy="abort", file="/etc/thanos/rules/rules.yaml", group="clusters"}`, values: '2x20' },
    ];
    expectRulesToPass(prometheus, [
      firesWithText('ThanosNoRuleEvaluations', series('50x20'), minutes(15), { ...rulerLabels, severity: 'critical' },
        'Thanos Ruler ruler-0 has rules loaded but evaluated none in the last 5 minutes.', 'A Thanos Ruler evaluates no rules.'),
      quiet('ThanosNoRuleEvaluations', series('0+4x20'), minutes(15)),
    ]);
  }, TIMEOUT_MS);

  test('ThanosRuleConfigReloadFailure', () => {
    const { prometheus } = givenStack();
    const series = (values: string) => [{ series: `thanos_rule_config_last_reload_successful{${RULER}}`, values }];
    expectRulesToPass(prometheus, [
      firesWithText('ThanosRuleConfigReloadFailure', series('0x20'), minutes(15), { ...rulerLabels, instance: 'ruler-0.ruler-headless.monitoring.svc:10902', severity: 'warning' },
        'Thanos Ruler ruler-0 evaluates outdated rules: the last reload failed.', 'A Thanos Ruler failed to reload its rules.'),
      quiet('ThanosRuleConfigReloadFailure', series('1x20'), minutes(15)),
      // A failed reload fixed by the next one stops the alert.
      quiet('ThanosRuleConfigReloadFailure', series('0x3 1x17'), minutes(15)),
    ]);
  }, TIMEOUT_MS);

  test('ThanosRuleUploadsFailing', () => {
    const { prometheus } = givenStack();
    const series = (values: string) => [{ series: `thanos_shipper_upload_failures_total{${RULER}}`, values }];
    expectRulesToPass(prometheus, [
      firesWithText('ThanosRuleUploadsFailing', series('0+1x60'), minutes(45), { ...rulerLabels, instance: 'ruler-0.ruler-headless.monitoring.svc:10902', severity: 'critical' },
        'Thanos Ruler ruler-0 keeps failing to upload blocks: its series are lost when its retention deletes them.', 'A Thanos Ruler fails to upload blocks to the bucket.'),
      quiet('ThanosRuleUploadsFailing', series('0x60'), minutes(45)),
    ]);
  }, TIMEOUT_MS);

  test('ThanosRuleBucketOperationsFailing', () => {
    const { prometheus } = givenStack();
    const series = (failures: string) => [
      { series: `thanos_objstore_bucket_operation_failures_total{${RULER}, bucket="metrics", operation="upload"}`, values: failures },
      { series: `thanos_objstore_bucket_operations_total{${RULER}, bucket="metrics", operation="upload"}`, values: '0+100x30' },
    ];
    expectRulesToPass(prometheus, [
      firesWithText('ThanosRuleBucketOperationsFailing', series('0+10x30'), minutes(25), { ...rulerLabels, bucket: 'metrics', severity: 'warning' },
        'Thanos Ruler ruler-0 fails 10.0% of its operations on bucket metrics.', 'Thanos Ruler operations on the bucket are failing.'),
      quiet('ThanosRuleBucketOperationsFailing', series('0x30'), minutes(25)),
    ]);
  }, TIMEOUT_MS);
});
