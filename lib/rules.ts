import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { promDuration } from './durations';
import { invalid } from './errors';
import { compact, validateLabelName, validateLabels, validateMetricName } from './config/validate';
import { promqlSyntaxError } from './promql';

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
  /** The alert name (a valid metric name, by convention CamelCase). */
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
  /** The rules. */
  readonly rules: Rule[];
}

function isAlerting(rule: Rule): rule is AlertingRule {
  return (rule as AlertingRule).alert !== undefined;
}

function checkExpr(scope: IConstruct, field: string, name: string, expr: string): void {
  const error = promqlSyntaxError(expr);
  if (error) invalid(scope, field, `rule '${name}': PromQL ${error.message}: ${expr}`);
}

function duration(scope: IConstruct, field: string, d: Duration | undefined): string | undefined {
  if (d === undefined) return undefined;
  try {
    return promDuration(d);
  } catch (e) {
    invalid(scope, field, (e as Error).message);
  }
}

/**
 * Validates a rule group (names, labels, PromQL syntax) and renders it in the
 * Prometheus rule file format.
 */
export function renderRuleGroup(scope: IConstruct, field: string, group: RuleGroup): Record<string, unknown> {
  if (!group.name.trim()) invalid(scope, `${field}.name`, 'must not be empty');
  if (!group.rules.length) invalid(scope, `${field}.rules`, `group '${group.name}' has no rules`);
  const rules = group.rules.map((rule, i) => {
    const f = `${field}.rules[${i}]`;
    validateLabels(scope, `${f}.labels`, rule.labels);
    if (isAlerting(rule)) {
      validateMetricName(scope, `${f}.alert`, rule.alert);
      checkExpr(scope, `${f}.expr`, rule.alert, rule.expr);
      Object.keys(rule.annotations ?? {}).forEach(k => validateLabelName(scope, `${f}.annotations.${k}`, k));
      return compact({
        alert: rule.alert,
        expr: rule.expr,
        for: duration(scope, `${f}.for`, rule.for),
        keep_firing_for: duration(scope, `${f}.keepFiringFor`, rule.keepFiringFor),
        labels: rule.labels,
        annotations: rule.annotations,
      });
    }
    validateMetricName(scope, `${f}.record`, rule.record);
    if (!rule.record.includes(':')) {
      invalid(scope, `${f}.record`, `'${rule.record}' should follow the level:metric:operations convention`);
    }
    checkExpr(scope, `${f}.expr`, rule.record, rule.expr);
    return compact({ record: rule.record, expr: rule.expr, labels: rule.labels });
  });
  return compact({
    name: group.name,
    interval: duration(scope, `${field}.interval`, group.interval),
    limit: group.limit,
    rules,
  });
}
