import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { invalid } from '../../errors';
import { durationField, positiveDuration } from '../common/fields';
import { compact, validateLabelName, validateLabels } from '../common/validate';
import { PromqlCheckOptions, promqlRuleError } from '../promql/promql';
import { RuleTest } from './rule-tests';

/** A recording rule: stores the result of `expr` as a new series. */
export interface RecordingRule {
  /** The new metric's name, by convention `level:metric:operations`. */
  readonly record: string;
  /** PromQL expression, checked at synth time. */
  readonly expr: string;
  /** Labels added to the result. @default none */
  readonly labels?: Record<string, string>;
}

/** An alerting rule. */
export interface AlertingRule {
  /** The alert name: any non-empty name (by convention CamelCase). */
  readonly alert: string;
  /** PromQL expression; every result element is a firing alert. */
  readonly expr: string;
  /** How long the condition must hold before the alert fires. @default fires at once */
  readonly for?: Duration;
  /** How long the alert keeps firing after the condition stops. @default stops at once */
  readonly keepFiringFor?: Duration;
  /** Labels added to the alert, e.g. `severity`. @default none */
  readonly labels?: Record<string, string>;
  /** Annotations (summary, description, runbook_url). @default none */
  readonly annotations?: Record<string, string>;
}

/** A rule is either recording or alerting. */
export type Rule = RecordingRule | AlertingRule;

/** A group of rules evaluated together, at one interval. */
export interface RuleGroup {
  /** Group name, unique within a Prometheus. */
  readonly name: string;
  /** @default the global evaluation interval */
  readonly interval?: Duration;
  /** Limit on series the group may produce; 0 is no limit. @default 0 */
  readonly limit?: number;
  /**
   * Evaluate this much in the past, so late samples (e.g. remote-written) are in.
   * @default the global rule query offset (none)
   */
  readonly queryOffset?: Duration;
  /** The rules. */
  readonly rules: Rule[];
  /**
   * `promtool test rules` cases for the group's rules. Not deployed: run them
   * with `runRuleTests()` (or the `expectRulesToPass` Jest helper).
   * @default none
   */
  readonly tests?: RuleTest[];
}

function isAlerting(rule: Rule): rule is AlertingRule {
  return (rule as AlertingRule).alert !== undefined;
}

function checkExpr(scope: IConstruct, field: string, name: string, expr: string, promql: PromqlCheckOptions): void {
  const error = promqlRuleError(expr, promql);
  if (error) invalid(scope, field, `rule '${name}': PromQL ${error.message}: ${expr}`);
}

// Alert names are conventionally CamelCase; they must at least be metric names.

/** Names of the alerts of some groups (e.g. to check rule tests against). */
export function alertNames(groups: RuleGroup[]): string[] {
  return [...new Set(groups.flatMap(g => g.rules.filter(isAlerting).map(r => r.alert)))];
}

/**
 * Validates a rule group (names, labels, PromQL syntax) and renders it in the
 * Prometheus rule file format. `promql`: the Prometheus release the
 * expressions are checked for. @default Prometheus 3.5 without experimental functions
 */
export function renderRuleGroup(scope: IConstruct, field: string, group: RuleGroup, promql: PromqlCheckOptions = {}): Record<string, unknown> {
  if (!group.name.trim()) invalid(scope, `${field}.name`, 'must not be empty');
  if (!group.rules.length) invalid(scope, `${field}.rules`, `group '${group.name}' has no rules`);
  if (group.limit !== undefined && !(Number.isInteger(group.limit) && group.limit >= 0)) {
    invalid(scope, `${field}.limit`, `must be a non-negative integer, got ${group.limit}`);
  }
  const rules = group.rules.map((rule, i) => {
    const f = `${field}.rules[${i}]`;
    validateLabels(scope, `${f}.labels`, rule.labels);
    if (isAlerting(rule)) {
      // As Prometheus 3 loads rules: any name but an empty one (CamelCase is the convention, not a rule).
      if (!rule.alert) invalid(scope, `${f}.alert`, 'is empty: name the alert');
      checkExpr(scope, `${f}.expr`, rule.alert, rule.expr, promql);
      Object.keys(rule.annotations ?? {}).forEach(k => validateLabelName(scope, `${f}.annotations.${k}`, k));
      return compact({
        alert: rule.alert,
        expr: rule.expr,
        for: durationField(scope, `${f}.for`, rule.for),
        keep_firing_for: durationField(scope, `${f}.keepFiringFor`, rule.keepFiringFor),
        labels: rule.labels,
        annotations: rule.annotations,
      });
    }
    // As Prometheus 3 loads rules: any UTF-8 metric name (level:metric:operations is the convention), but no braces.
    if (!rule.record) invalid(scope, `${f}.record`, 'is empty: name the series the rule records');
    if (/[{}]/.test(rule.record)) invalid(scope, `${f}.record`, `'${rule.record}' has braces: label matchers belong in expr`);
    checkExpr(scope, `${f}.expr`, rule.record, rule.expr, promql);
    return compact({ record: rule.record, expr: rule.expr, labels: rule.labels });
  });
  return compact({
    name: group.name,
    interval: positiveDuration(scope, `${field}.interval`, group.interval),
    query_offset: durationField(scope, `${field}.queryOffset`, group.queryOffset),
    limit: group.limit,
    rules,
  });
}
