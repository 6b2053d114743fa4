import { IConstruct } from 'constructs';
import { invalid } from '../../errors';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** A label name by Prometheus' ASCII rules (`[a-zA-Z_][a-zA-Z0-9_]*`, no `__` prefix unless allowed). */
export function validateLabelName(scope: IConstruct, field: string, name: string, allowReserved = false): string {
  if (!LABEL_NAME.test(name)) {
    invalid(scope, field, `'${name}' is not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*)`);
  }
  if (!allowReserved && name.startsWith('__')) {
    invalid(scope, field, `'${name}': label names starting with '__' are reserved for internal use`);
  }
  return name;
}

/** A map of label names to values, e.g. external labels or rule labels. */
export function validateLabels(scope: IConstruct, field: string, labels: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!labels) return undefined;
  for (const name of Object.keys(labels)) validateLabelName(scope, `${field}.${name}`, name);
  return labels;
}

/** A metric name (`[a-zA-Z_:][a-zA-Z0-9_:]*`). */
export function validateMetricName(scope: IConstruct, field: string, name: string): string {
  if (!METRIC_NAME.test(name)) {
    invalid(scope, field, `'${name}' is not a valid metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)`);
  }
  return name;
}

/**
 * A Go/RE2 regular expression. JavaScript's parser checks the syntax once
 * RE2-only forms are translated (`(?P<name>`, inline flags `(?i)`); what
 * JavaScript has but RE2 lacks (lookaround, backreferences) is refused,
 * because Prometheus would refuse it at load time.
 */
export function validateRegex(scope: IConstruct, field: string, regex: string): string {
  if (/\(\?<?[=!]/.test(regex)) invalid(scope, field, `'${regex}': RE2 has no lookahead or lookbehind`);
  if (/(^|[^\\])(\\\\)*\\[1-9]/.test(regex)) invalid(scope, field, `'${regex}': RE2 has no backreferences`);
  try {
    toJsRegExp(regex);
  } catch (e) {
    invalid(scope, field, `'${regex}' is not a valid regular expression: ${(e as Error).message}`);
  }
  return regex;
}

/** An RE2 regex as a fully anchored JavaScript RegExp (as Prometheus anchors relabel regexes); inline flags are dropped. */
function toJsRegExp(regex: string): RegExp {
  const ignoreCase = /^\(\?[msU]*i[imsU]*\)/.test(regex);
  const js = regex
    .replace(/\(\?P</g, '(?<')
    .replace(/\(\?[imsU]+\)/g, '')
    .replace(/\(\?[imsU]*(-[imsU]+)?:/g, '(?:');
  return new RegExp(`^(?:${js})$`, ignoreCase ? 'i' : '');
}

/** Whether an (already validated) RE2 regex matches all of `value`, as Prometheus would. */
export function regexMatches(regex: string, value: string): boolean {
  return toJsRegExp(regex).test(value);
}

/** Removes keys whose value is undefined, so rendered YAML has no `null`s. */
export function compact<T extends Record<string, unknown>>(obj: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) {
    if (value !== undefined) out[key] = value;
  }
  return out as T;
}
