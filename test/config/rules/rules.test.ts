// Rule groups (rendering, naming, PromQL checked at synth time), the typed
// `promtool test rules` cases, and what the default rule set contains.
import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { parse } from 'yaml';
import { defaultRuleGroups, Prometheus, RuleGroup, RuleTest } from '../../../lib';
import { promqlRuleError } from '../../../lib/config/promql/promql';
import { alertNames, renderRuleGroup } from '../../../lib/config/rules/rule-group';
import { renderRuleTestFile } from '../../../lib/config/rules/rule-tests';
import { testApp } from '../../support/synth';

function givenPrometheus(): Prometheus {
  return new Prometheus(new Chart(testApp(), 'test', { namespace: 'monitoring' }), 'prometheus', { defaultRules: false });
}

/** A construct to attribute errors to. */
function givenScope(): Construct {
  return new Chart(testApp(), 'rules');
}

describe('rule groups', () => {
  test('render interval, limit, query offset, for and keep_firing_for', () => {
    // GIVEN a group using every field
    const prometheus = givenPrometheus();
    prometheus.addRuleGroup({
      name: 'app',
      interval: Duration.minutes(1),
      limit: 10,
      queryOffset: Duration.seconds(30),
      rules: [
        { record: 'job:http_requests:rate5m', expr: 'sum by (job) (rate(http_requests_total[5m]))', labels: { team: 'a' } },
        {
          alert: 'AppDown', expr: 'up{job="app"} == 0', for: Duration.minutes(5), keepFiringFor: Duration.minutes(10),
          labels: { severity: 'page' }, annotations: { summary: 'App down' },
        },
      ],
    });

    // WHEN the rule file is rendered
    const groups = parse(prometheus.renderRules()).groups;

    // THEN fields use the rule file names and Prometheus durations
    expect(groups).toEqual([{
      name: 'app', interval: '1m', query_offset: '30s', limit: 10,
      rules: [
        { record: 'job:http_requests:rate5m', expr: 'sum by (job) (rate(http_requests_total[5m]))', labels: { team: 'a' } },
        { alert: 'AppDown', expr: 'up{job="app"} == 0', for: '5m', keep_firing_for: '10m', labels: { severity: 'page' }, annotations: { summary: 'App down' } },
      ],
    }]);
  });

  test.each<[string, RuleGroup, string | RegExp]>([
    ['an empty group name', { name: ' ', rules: [{ record: 'a:b', expr: 'up' }] }, "invalid 'ruleGroups[ ].name': must not be empty"],
    ['a group without rules', { name: 'g', rules: [] }, "invalid 'ruleGroups[g].rules': group 'g' has no rules"],
    ['a negative limit', { name: 'g', limit: -1, rules: [{ record: 'a:b', expr: 'up' }] }, "invalid 'ruleGroups[g].limit': must be a non-negative integer, got -1"],
    ['a zero interval', { name: 'g', interval: Duration.seconds(0), rules: [{ record: 'a:b', expr: 'up' }] }, "invalid 'ruleGroups[g].interval': must be longer than zero"],
    ['an empty alert name', { name: 'g', rules: [{ alert: '', expr: 'up == 0' }] }, "invalid 'ruleGroups[g].rules[0].alert': is empty"],
    ['an empty record name', { name: 'g', rules: [{ record: '', expr: 'up' }] }, "invalid 'ruleGroups[g].rules[0].record': is empty"],
    ['a record name with braces', { name: 'g', rules: [{ record: 'job:up{x="y"}', expr: 'up' }] }, "invalid 'ruleGroups[g].rules[0].record': 'job:up{x=\"y\"}' has braces"],
    ['a bad label name', { name: 'g', rules: [{ alert: 'A', expr: 'up', labels: { 'bad-name': 'x' } }] }, "invalid 'ruleGroups[g].rules[0].labels.bad-name'"],
    ['a bad annotation name', { name: 'g', rules: [{ alert: 'A', expr: 'up', annotations: { 'runbook-url': 'x' } }] }, "invalid 'ruleGroups[g].rules[0].annotations.runbook-url'"],
    ['a PromQL syntax error', { name: 'g', rules: [{ alert: 'A', expr: 'sum(rate(x[5m])' }] }, /invalid 'ruleGroups\[g\]\.rules\[0\]\.expr': rule 'A': PromQL syntax error at offset/],
    ['a range vector where an instant vector is needed', { name: 'g', rules: [{ alert: 'A', expr: 'sum(x[5m]) > 0' }] },
      "invalid 'ruleGroups[g].rules[0].expr': rule 'A': PromQL aggregation 'sum' needs instant vector as argument 1, got range vector 'x[5m]'"],
  ])('refuses %s, naming the field', (_what, group, error) => {
    // GIVEN a Prometheus
    const prometheus = givenPrometheus();
    // WHEN the broken group is added / THEN it throws with the construct path and field
    expect(() => prometheus.addRuleGroup(group)).toThrow(error);
    expect(() => prometheus.addRuleGroup(group)).toThrow(/^test\/prometheus: invalid/);
  });

  test('refuses a second group of the same name', () => {
    // GIVEN a Prometheus with group 'g'
    const prometheus = givenPrometheus();
    prometheus.addRuleGroup({ name: 'g', rules: [{ record: 'a:b', expr: 'up' }] });
    // WHEN another 'g' is added / THEN refused
    expect(() => prometheus.addRuleGroup({ name: 'g', rules: [{ record: 'a:c', expr: 'up' }] }))
      .toThrow("test/prometheus: invalid 'ruleGroups': a group named 'g' already exists");
  });
});

describe('PromQL checks', () => {
  test.each([
    'sum by (job) (rate(http_requests_total{code=~"5.."}[5m])) / sum by (job) (rate(http_requests_total[5m])) > 0.05',
    'histogram_quantile(0.99, sum by (le) (rate(latency_bucket[5m])))',
    'time() - push_time_seconds > 3600',
    'max_over_time(rate(x[1m])[1h:5m])',
    'label_replace(up, "host", "$1", "instance", "([^:]+):.*")',
    'round(x)', 'round(x, 0.5)', 'hour()', 'vector(1)', '1 > bool 0', 'scalar(up) * 2',
    'topk(3, x)', 'count_values("version", build_info)', 'quantile(0.9, x)',
    'x and on (pod) y', 'x offset 5m', 'x @ 1700000000', '-x',
  ])('accepts %s', expr => {
    // GIVEN a valid rule expression / WHEN checked / THEN no error
    expect(promqlRuleError(expr)).toBeUndefined();
  });

  test.each([
    ['x[5m]', 'a rule must evaluate to an instant vector or a scalar, not a range vector'],
    ['"text"', 'not a string'],
    ['rate(x)', "function 'rate' needs range vector as argument 1, got instant vector 'x'"],
    ['abs(x[5m])', "function 'abs' needs instant vector as argument 1, got range vector"],
    ['sum(x[5m])', "aggregation 'sum' needs instant vector as argument 1, got range vector"],
    ['topk(x, y)', "aggregation 'topk' needs scalar as argument 1"],
    ['x[5m] > 1', "binary operator '>' needs scalars or instant vectors, got range vector"],
    ['x and 1', "set operator 'and' needs instant vectors on both sides"],
    ['1 > 2', 'comparing two scalars needs the bool modifier'],
    ['(x)[5m]', 'ranges are only allowed on vector selectors'],
    ['x[5m][1h:]', 'a subquery needs an instant vector, got range vector'],
    ['label_join(up, "a")', "function 'label_join' takes at least 3 argument(s), got 2"],
    ['round(x, 1, 2)', "function 'round' takes 1 to 2 argument(s), got 3"],
    ['first_over_time(x[5m])', "unknown function 'first_over_time' in Prometheus 3.5"],
    ['mad_over_time(x[5m])', "function 'mad_over_time' is experimental in Prometheus 3.5"],
    ['limitk(2, x)', "aggregation 'limitk' is experimental in Prometheus 3.5"],
    ['rate(x[5m * 2])', 'must be a plain duration'],
    ['sum(rate(x[5m])', 'syntax error at offset'],
  ])('refuses %s', (expr, problem) => {
    // GIVEN an expression Prometheus 3.5 would refuse or fail to evaluate / WHEN checked
    const error = promqlRuleError(expr);
    // THEN the problem is named, with an offset
    expect(error?.message).toContain(problem);
    expect(error?.message).toMatch(/at offset \d+/);
  });
});

describe('rule tests', () => {
  const groups: RuleGroup[] = [{ name: 'app', rules: [{ alert: 'AppDown', expr: 'up{job="app"} == 0', for: Duration.minutes(5) }] }];
  const render = (tests: RuleTest[]) => renderRuleTestFile(givenScope(), 'tests', tests, {
    ruleFiles: ['rules.yaml'], alertNames: ['AppDown'], evaluationInterval: Duration.seconds(30),
  });

  test('render in the promtool test file format', () => {
    // GIVEN a test with series, an alert assertion and an expression assertion
    const file = render([{
      name: 'app down',
      interval: Duration.seconds(15),
      externalLabels: { cluster: 'prod' },
      inputSeries: [{ series: 'up{job="app", instance="a:1"}', values: '0x20' }],
      alertRuleTests: [{ evalTime: Duration.minutes(10), alertname: 'AppDown', expAlerts: [{ expLabels: { job: 'app', instance: 'a:1' } }] }],
      promqlExprTests: [{ expr: 'up', evalTime: Duration.minutes(1), expSamples: [{ labels: 'up{job="app", instance="a:1"}', value: 0 }] }],
    }]);

    // WHEN rendered / THEN promtool's field names and durations
    expect(file).toEqual({
      rule_files: ['rules.yaml'],
      evaluation_interval: '30s',
      tests: [{
        name: 'app down',
        interval: '15s',
        external_labels: { cluster: 'prod' },
        input_series: [{ series: 'up{job="app", instance="a:1"}', values: '0x20' }],
        alert_rule_test: [{ eval_time: '10m', alertname: 'AppDown', exp_alerts: [{ exp_labels: { job: 'app', instance: 'a:1' } }] }],
        promql_expr_test: [{ expr: 'up', eval_time: '1m', exp_samples: [{ labels: 'up{job="app", instance="a:1"}', value: 0 }] }],
      }],
    });
  });

  test.each<[string, RuleTest, string]>([
    ['a misspelt alert name (promtool would pass a "not firing" check on it)',
      { inputSeries: [{ series: 'up', values: '1' }], alertRuleTests: [{ evalTime: Duration.minutes(1), alertname: 'AppDwn' }] },
      "invalid 'tests[0].alertRuleTests[0].alertname': 'AppDwn' is not an alert of the rules under test (AppDown)"],
    ['values not in expanding notation', { inputSeries: [{ series: 'up', values: '1, 2, 3' }], alertRuleTests: [{ evalTime: Duration.minutes(1), alertname: 'AppDown' }] },
      "invalid 'tests[0].inputSeries[0].values': '1, 2, 3' is not in promtool's expanding notation"],
    ['a series with a regex matcher', { inputSeries: [{ series: 'up{job=~"a.*"}', values: '1' }], alertRuleTests: [{ evalTime: Duration.minutes(1), alertname: 'AppDown' }] },
      "invalid 'tests[0].inputSeries[0].series': 'up{job=~\"a.*\"}' must be a series"],
    ['a test without assertions', { name: 'empty', inputSeries: [{ series: 'up', values: '1' }] },
      "invalid 'tests[empty]': asserts nothing"],
    ['alertname among the expected labels', { inputSeries: [{ series: 'up', values: '1' }], alertRuleTests: [{ evalTime: Duration.minutes(1), alertname: 'AppDown', expAlerts: [{ expLabels: { alertname: 'AppDown' } }] }] },
      "invalid 'tests[0].alertRuleTests[0].expAlerts[0].expLabels.alertname': promtool adds alertname itself"],
    ['an invalid expression', { inputSeries: [{ series: 'up', values: '1' }], promqlExprTests: [{ expr: 'rate(up)', evalTime: Duration.minutes(1) }] },
      "invalid 'tests[0].promqlExprTests[0].expr': PromQL function 'rate' needs range vector"],
  ])('refuse %s', (_what, test, error) => {
    // GIVEN a broken test / WHEN rendered / THEN refused, naming the field
    expect(() => render([test])).toThrow(error);
  });

  test('accept promtool\'s expanding notation', () => {
    // GIVEN values in every form: plain, growth, repetition, missing and stale samples
    const values = ['1 2 3', '0+10x5', '100-1x10', '1x3', '_ _x3 1 stale', '1e3 -2.5 +Inf NaN'];
    // WHEN rendered / THEN accepted as is
    for (const v of values) {
      const file: any = render([{ inputSeries: [{ series: 'up', values: v }], alertRuleTests: [{ evalTime: Duration.minutes(1), alertname: 'AppDown' }] }]);
      expect(file.tests[0].input_series[0].values).toBe(v);
    }
  });

  test('alertNames() lists the alerts a test may assert on, once each', () => {
    // GIVEN two groups, one alert defined in both, and a recording rule
    const two: RuleGroup[] = [...groups, { name: 'more', rules: [{ alert: 'AppDown', expr: 'absent(up{job="app"})' }, { record: 'job:up:sum', expr: 'sum by (job) (up)' }] }];
    // WHEN listed / THEN alerts only, without duplicates
    expect(alertNames(two)).toEqual(['AppDown']);
  });
});

describe('default rule groups', () => {
  const alerts = (groups: RuleGroup[]) => groups.flatMap(g => g.rules.map(r => ('alert' in r ? r.alert : r.record)));

  test('cover only what is deployed', () => {
    // GIVEN no sidecar, Alertmanager or Pushgateway / WHEN the defaults are built
    const groups = defaultRuleGroups();
    // THEN only the Prometheus rules, without the Alertmanager connection check
    expect(groups.map(g => g.name)).toEqual(['stack-prometheus']);
    expect(alerts(groups)).not.toContain('PrometheusNotConnectedToAlertmanagers');
  });

  test('add Thanos, Alertmanager and Pushgateway rules when those are deployed', () => {
    // GIVEN a sidecar, a querier, a store gateway, a compactor, a 3-node and a single-node Alertmanager, and Pushgateways
    const groups = defaultRuleGroups({
      thanosSidecarJob: 'thanos-sidecar',
      thanosQueryJobs: ['thanos-query'],
      thanosStoreJobs: ['thanos-store'],
      thanosCompactJobs: ['thanos-compact'],
      alertmanagers: [{ job: 'alertmanager-main', replicas: 3 }, { job: 'alertmanager-solo', replicas: 1 }],
      pushgateways: true,
      pushStaleAfter: Duration.hours(2),
    });

    // WHEN built / THEN a group per kind of component, every stack alert is there; the cluster check skips the single node; the push threshold is 2h
    expect(groups.map(g => g.name)).toEqual([
      'stack-prometheus', 'stack-thanos', 'stack-thanos-query', 'stack-thanos-store', 'stack-thanos-compact', 'stack-alertmanager', 'stack-pushgateway',
    ]);
    expect(alerts(groups)).toEqual([
      'TargetDown', 'PrometheusConfigReloadFailed', 'PrometheusTSDBCompactionsFailing', 'PrometheusTSDBReloadsFailing',
      'PrometheusTSDBWALCorrupted', 'PrometheusRuleEvaluationFailures', 'PrometheusNotificationQueueRunningFull',
      'PrometheusErrorSendingAlerts', 'PrometheusNotConnectedToAlertmanagers',
      'ThanosSidecarPrometheusDown', 'ThanosSidecarUploadsFailing', 'ThanosSidecarBucketOperationsFailing',
      'ThanosQueryGrpcClientErrors', 'ThanosQueryStoreEndpointsMissing', 'ThanosQueryEndpointDnsFailures',
      'ThanosStoreGatewayDown', 'ThanosStoreGrpcErrors', 'ThanosStoreSeriesRequestsQueued', 'ThanosStoreBlockLoadsFailing',
      'ThanosStoreBucketOperationsFailing',
      'ThanosCompactHalted', 'ThanosCompactNotCompacting', 'ThanosCompactBucketOperationsFailing',
      'AlertmanagerConfigReloadFailed', 'AlertmanagerFailedNotifications', 'AlertmanagerClusterDegraded',
      'PushgatewayStalePush',
    ]);
    const rule = (name: string) => groups.flatMap(g => g.rules).find(r => 'alert' in r && r.alert === name)!;
    expect(rule('AlertmanagerClusterDegraded').expr).toBe('max_over_time(alertmanager_cluster_members{job="alertmanager-main"}[5m]) < 3');
    expect(rule('PushgatewayStalePush').expr).toBe('time() - push_time_seconds > 7200');
  });

  test('every default rule passes the synth-time checks', () => {
    // GIVEN every default group / WHEN validated / THEN none throws
    const scope = givenScope();
    const all = defaultRuleGroups({
      thanosSidecarJob: 's', thanosQueryJobs: ['q'], thanosStoreJobs: ['st'], thanosCompactJobs: ['c'],
      alertmanagers: [{ job: 'a', replicas: 2 }], pushgateways: true,
    });
    for (const g of all) {
      expect(() => renderRuleGroup(scope, g.name, g)).not.toThrow();
    }
  });
});
