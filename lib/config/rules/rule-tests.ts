import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { invalid } from '../../errors';
import { promqlRuleError, promqlSyntaxError } from '../promql/promql';
import { compact, validateLabelName, validateLabels } from '../common/validate';
import { durationField } from '../common/fields';

/**
 * One input series of a rule test, in `promtool test rules` notation.
 * @see https://prometheus.io/docs/prometheus/latest/configuration/unit_testing_rules/
 */
export interface InputSeries {
  /** The series as a selector with only `=` matchers, e.g. `up{job="prometheus", instance="a:9090"}`. */
  readonly series: string;
  /**
   * Samples one `interval` apart in promtool's expanding notation:
   * `0+10x5` (0, 10, …, 50), `1x3` (four 1s), `_` (no sample), `stale`.
   */
  readonly values: string;
}

/** An alert the test expects to be firing. */
export interface ExpectedAlert {
  /**
   * Labels of the alert, without `alertname` (promtool adds it): the series'
   * labels, those the expression kept, and the rule's labels.
   * @default no labels
   */
  readonly expLabels?: Record<string, string>;
  /**
   * Annotations after template expansion. promtool compares them exactly, so
   * every annotation of the rule must be listed.
   * @default no annotations
   */
  readonly expAnnotations?: Record<string, string>;
}

/** Checks which alerts of one name fire at one point in time. */
export interface AlertRuleTest {
  /** Time since the first sample at which the rules are evaluated. */
  readonly evalTime: Duration;
  /** The alert under test; must be an alert of the rules under test. */
  readonly alertname: string;
  /**
   * The alerts firing at `evalTime` (pending alerts do not count).
   * @default none: the test asserts the alert is not firing
   */
  readonly expAlerts?: ExpectedAlert[];
}

/** One sample a PromQL expression is expected to return. */
export interface ExpectedSample {
  /** The series as a selector, e.g. `job:up:sum{job="prometheus"}`; `{}` for no labels. */
  readonly labels: string;
  readonly value: number;
}

/** Checks the result of a PromQL expression (e.g. a recording rule's output) at one point in time. */
export interface PromqlExprTest {
  readonly expr: string;
  /** Time since the first sample at which `expr` is evaluated. */
  readonly evalTime: Duration;
  /**
   * The expected result.
   * @default an empty result
   */
  readonly expSamples?: ExpectedSample[];
}

/** One `promtool test rules` test group: input series, and what the rules make of them. */
export interface RuleTest {
  /**
   * Shown by promtool when the test fails.
   * @default unnamed
   */
  readonly name?: string;
  /**
   * Time between two samples of the input series.
   * @default Duration.minutes(1)
   */
  readonly interval?: Duration;
  /** The series the rules are evaluated on. */
  readonly inputSeries: InputSeries[];
  /**
   * Alert assertions.
   * @default none
   */
  readonly alertRuleTests?: AlertRuleTest[];
  /**
   * Expression assertions.
   * @default none
   */
  readonly promqlExprTests?: PromqlExprTest[];
  /**
   * External labels, for templates using `$externalLabels`.
   * @default none
   */
  readonly externalLabels?: Record<string, string>;
}

/** The rule files and evaluation settings the tests run against. */
export interface RuleTestFileOptions {
  /** Paths of the rule files, relative to the test file. */
  readonly ruleFiles: string[];
  /** Names of every alert defined in the rule files, to catch assertions on a misspelt alert. */
  readonly alertNames: string[];
  /**
   * The rule evaluation interval (use the Prometheus' `evaluationInterval`).
   * @default Duration.minutes(1)
   */
  readonly evaluationInterval?: Duration;
}

// promtool's expanding notation: numbers, `a+bxN` / `a-bxN` / `axN`, `_` and `_xN`, `stale`.
const NUMBER = '[-+]?(?:\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?|Inf|NaN)';
const VALUE_TOKEN = new RegExp(`^(?:${NUMBER}(?:[-+]\\d+(?:\\.\\d+)?)?(?:x\\d+)?|_(?:x\\d+)?|stale)$`);

function checkSeries(scope: IConstruct, field: string, series: string): void {
  const error = promqlSyntaxError(series);
  if (error || /=~|!~|!=|\[|\(/.test(series)) {
    invalid(scope, field, `'${series}' must be a series: a metric name with '=' label matchers${error ? ` (${error.message})` : ''}`);
  }
}

function checkValues(scope: IConstruct, field: string, values: string): void {
  const tokens = values.trim().split(/\s+/).filter(Boolean);
  const bad = tokens.find(t => !VALUE_TOKEN.test(t));
  if (!tokens.length || bad !== undefined) {
    invalid(scope, field, `'${values}' is not in promtool's expanding notation (e.g. '0+1x10', '1 _ stale')${bad ? `: '${bad}'` : ''}`);
  }
}

function renderAlertTest(scope: IConstruct, field: string, test: AlertRuleTest, alertNames: string[]): Record<string, unknown> {
  // promtool passes a "not firing" assertion on an alert that does not exist: a typo would test nothing.
  if (!alertNames.includes(test.alertname)) {
    invalid(scope, `${field}.alertname`, `'${test.alertname}' is not an alert of the rules under test (${alertNames.join(', ') || 'none'})`);
  }
  return {
    eval_time: durationField(scope, `${field}.evalTime`, test.evalTime),
    alertname: test.alertname,
    exp_alerts: (test.expAlerts ?? []).map((a, i) => {
      validateLabels(scope, `${field}.expAlerts[${i}].expLabels`, a.expLabels);
      if (a.expLabels?.alertname !== undefined) {
        invalid(scope, `${field}.expAlerts[${i}].expLabels.alertname`, 'promtool adds alertname itself; leave it out');
      }
      Object.keys(a.expAnnotations ?? {}).forEach(k => validateLabelName(scope, `${field}.expAlerts[${i}].expAnnotations.${k}`, k));
      return compact({ exp_labels: a.expLabels, exp_annotations: a.expAnnotations });
    }),
  };
}

function renderExprTest(scope: IConstruct, field: string, test: PromqlExprTest): Record<string, unknown> {
  const error = promqlRuleError(test.expr);
  if (error) invalid(scope, `${field}.expr`, `PromQL ${error.message}: ${test.expr}`);
  return {
    expr: test.expr,
    eval_time: durationField(scope, `${field}.evalTime`, test.evalTime),
    exp_samples: (test.expSamples ?? []).map((s, i) => {
      if (s.labels !== '{}') checkSeries(scope, `${field}.expSamples[${i}].labels`, s.labels);
      return { labels: s.labels, value: s.value };
    }),
  };
}

/**
 * Validates rule tests and renders them as a `promtool test rules` file.
 * @throws naming the construct path and field of the first invalid value
 */
export function renderRuleTestFile(scope: IConstruct, field: string, tests: RuleTest[], options: RuleTestFileOptions): Record<string, unknown> {
  if (!tests.length) invalid(scope, field, 'no rule tests to run');
  return compact({
    rule_files: options.ruleFiles,
    evaluation_interval: durationField(scope, 'evaluationInterval', options.evaluationInterval ?? Duration.minutes(1)),
    tests: tests.map((test, t) => {
      const f = `${field}[${test.name ?? t}]`;
      if (!test.inputSeries.length) invalid(scope, `${f}.inputSeries`, 'needs at least one series');
      if (!test.alertRuleTests?.length && !test.promqlExprTests?.length) {
        invalid(scope, f, 'asserts nothing: add alertRuleTests or promqlExprTests');
      }
      validateLabels(scope, `${f}.externalLabels`, test.externalLabels);
      return compact({
        name: test.name,
        interval: durationField(scope, `${f}.interval`, test.interval ?? Duration.minutes(1)),
        external_labels: test.externalLabels,
        input_series: test.inputSeries.map((s, i) => {
          checkSeries(scope, `${f}.inputSeries[${i}].series`, s.series);
          checkValues(scope, `${f}.inputSeries[${i}].values`, s.values);
          return { series: s.series, values: s.values };
        }),
        alert_rule_test: test.alertRuleTests?.map((a, i) => renderAlertTest(scope, `${f}.alertRuleTests[${i}]`, a, options.alertNames)),
        promql_expr_test: test.promqlExprTests?.map((e, i) => renderExprTest(scope, `${f}.promqlExprTests[${i}]`, e)),
      });
    }),
  });
}
