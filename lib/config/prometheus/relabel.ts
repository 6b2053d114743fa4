import { IConstruct } from 'constructs';
import { invalid } from '../../errors';
import { compact, validateLabelName, validateRegex } from '../common/validate';

/** Relabeling actions (https://prometheus.io/docs/prometheus/latest/configuration/configuration/#relabel_config). */
export enum RelabelAction {
  REPLACE = 'replace',
  KEEP = 'keep',
  DROP = 'drop',
  KEEP_EQUAL = 'keepequal',
  DROP_EQUAL = 'dropequal',
  HASHMOD = 'hashmod',
  LABELMAP = 'labelmap',
  LABELDROP = 'labeldrop',
  LABELKEEP = 'labelkeep',
  LOWERCASE = 'lowercase',
  UPPERCASE = 'uppercase',
}

/** One relabeling rule (for targets, metrics, alerts or remote write). */
export interface RelabelRule {
  /**
   * Labels whose values are joined with `separator` and matched against `regex`.
   * @default none
   */
  readonly sourceLabels?: string[];
  /**
   * Separator between joined source label values.
   * @default ';'
   */
  readonly separator?: string;
  /**
   * Label written by `replace`, `hashmod`, `lowercase`, `uppercase`, `keepequal`, `dropequal`.
   * @default none
   */
  readonly targetLabel?: string;
  /**
   * Regular expression (RE2, fully anchored) matched against the joined source values.
   * @default '(.*)'
   */
  readonly regex?: string;
  /**
   * Modulus for `hashmod`.
   * @default none
   */
  readonly modulus?: number;
  /**
   * Replacement for `replace` and `labelmap`; may reference regex groups (`$1`).
   * @default '$1'
   */
  readonly replacement?: string;
  /**
   * @default RelabelAction.REPLACE
   */
  readonly action?: RelabelAction;
}

const NEEDS_TARGET = new Set([RelabelAction.REPLACE, RelabelAction.HASHMOD, RelabelAction.LOWERCASE,
  RelabelAction.UPPERCASE, RelabelAction.KEEP_EQUAL, RelabelAction.DROP_EQUAL]);
// Prometheus does not require them for keep/drop, but without them the regex only ever sees ''.
const NEEDS_SOURCE = new Set([RelabelAction.KEEP, RelabelAction.DROP, RelabelAction.HASHMOD,
  RelabelAction.LOWERCASE, RelabelAction.UPPERCASE, RelabelAction.KEEP_EQUAL, RelabelAction.DROP_EQUAL]);
const LABEL_ONLY = new Set([RelabelAction.LABELDROP, RelabelAction.LABELKEEP]);
const EQUALITY = new Set([RelabelAction.KEEP_EQUAL, RelabelAction.DROP_EQUAL]);
const NO_REPLACEMENT = new Set([RelabelAction.LOWERCASE, RelabelAction.UPPERCASE, ...EQUALITY]);
// A label name that may reference regex groups: `$1`, `${name}`, `env_$1` (Prometheus' relabelTarget).
const LABEL_TEMPLATE = /^(?:(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))+\w*)+$/;

/** Validates a rule against what its action requires and renders it as Prometheus YAML. */
export function renderRelabelRule(scope: IConstruct, field: string, rule: RelabelRule): Record<string, unknown> {
  const action = rule.action ?? RelabelAction.REPLACE;
  if (!Object.values(RelabelAction).includes(action)) {
    invalid(scope, `${field}.action`, `unknown relabel action '${action}' (one of ${Object.values(RelabelAction).join(', ')})`);
  }
  if (NEEDS_TARGET.has(action) && !rule.targetLabel) {
    invalid(scope, `${field}.targetLabel`, `action '${action}' requires a targetLabel`);
  }
  if (NEEDS_SOURCE.has(action) && !rule.sourceLabels?.length) {
    invalid(scope, `${field}.sourceLabels`, `action '${action}' requires sourceLabels`);
  }
  if (action === RelabelAction.HASHMOD && !(Number.isInteger(rule.modulus) && rule.modulus! > 0)) {
    invalid(scope, `${field}.modulus`, "action 'hashmod' requires a positive integer modulus");
  }
  if (action !== RelabelAction.HASHMOD && rule.modulus !== undefined) {
    invalid(scope, `${field}.modulus`, `only action 'hashmod' takes a modulus, not '${action}'`);
  }
  if (LABEL_ONLY.has(action) && (rule.sourceLabels || rule.targetLabel || rule.replacement !== undefined || rule.separator !== undefined)) {
    invalid(scope, field, `action '${action}' takes only a regex (no sourceLabels, targetLabel, separator or replacement)`);
  }
  if (EQUALITY.has(action) && (rule.regex !== undefined || rule.separator !== undefined)) {
    invalid(scope, field, `action '${action}' takes only sourceLabels and targetLabel (no regex or separator)`);
  }
  if (NO_REPLACEMENT.has(action) && rule.replacement !== undefined) {
    invalid(scope, `${field}.replacement`, `action '${action}' takes no replacement`);
  }
  if ((action === RelabelAction.KEEP || action === RelabelAction.DROP) && (rule.targetLabel || rule.replacement !== undefined)) {
    invalid(scope, field, `action '${action}' only filters: it takes no targetLabel or replacement`);
  }
  rule.sourceLabels?.forEach((l, i) => validateLabelName(scope, `${field}.sourceLabels[${i}]`, l, true));
  if (rule.targetLabel !== undefined) {
    if (action === RelabelAction.REPLACE && rule.targetLabel.includes('$')) {
      if (!LABEL_TEMPLATE.test(rule.targetLabel)) {
        invalid(scope, `${field}.targetLabel`, `'${rule.targetLabel}' is not a label name, even with $group references`);
      }
    } else {
      validateLabelName(scope, `${field}.targetLabel`, rule.targetLabel, true);
    }
  }
  if (action === RelabelAction.LABELMAP && rule.replacement !== undefined && !LABEL_TEMPLATE.test(rule.replacement)) {
    invalid(scope, `${field}.replacement`, `'${rule.replacement}' must be a label name, with $group references`);
  }
  if (rule.regex !== undefined) validateRegex(scope, `${field}.regex`, rule.regex);
  return compact({
    source_labels: rule.sourceLabels,
    separator: rule.separator,
    target_label: rule.targetLabel,
    regex: rule.regex,
    modulus: rule.modulus,
    replacement: rule.replacement,
    action,
  });
}

/** Renders a list of rules; `field` names the list in errors. */
export function renderRelabelRules(scope: IConstruct, field: string, rules: RelabelRule[] | undefined): Record<string, unknown>[] | undefined {
  if (!rules?.length) return undefined;
  return rules.map((rule, i) => renderRelabelRule(scope, `${field}[${i}]`, rule));
}
