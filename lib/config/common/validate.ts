import { RE2JS } from 're2js';
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
 * Why `regex` is no RE2 regular expression as Go parses it (Prometheus,
 * Alertmanager and the exporters are Go programs), in Go's words, or
 * undefined. re2js is a port of RE2/J, itself a port of Go's regexp/syntax.
 * @internal
 */
export function re2Problem(regex: string): string | undefined {
  try {
    RE2JS.compile(regex);
    return undefined;
  } catch (e) {
    const message = (e as Error).message.replace(/^error parsing regexp: /, '');
    // The two JavaScript habits RE2 lacks, named as such.
    if (/\(\?<?[=!]/.test(regex)) return `RE2 has no lookahead or lookbehind (${message})`;
    return message;
  }
}

/** A Go/RE2 regular expression; anything Go's parser refuses is refused, with its reason. */
export function validateRegex(scope: IConstruct, field: string, regex: string): string {
  const problem = re2Problem(regex);
  if (problem) invalid(scope, field, `'${regex}': ${problem}`);
  return regex;
}

/** Whether an (already validated) RE2 regex matches all of `value`, as Prometheus matches relabel regexes (`^(?s:…)$`). */
export function regexMatches(regex: string, value: string): boolean {
  return RE2JS.compile(regex, RE2JS.DOTALL).matches(value);
}

/** Removes keys whose value is undefined, so rendered YAML has no `null`s. */
export function compact<T extends Record<string, unknown>>(obj: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) {
    if (value !== undefined) out[key] = value;
  }
  return out as T;
}
