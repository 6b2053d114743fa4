import { IConstruct } from 'constructs';
import { invalid } from '../errors';

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

/** A Go/RE2 regular expression; JavaScript's parser is close enough to reject the common mistakes. */
export function validateRegex(scope: IConstruct, field: string, regex: string): string {
  try {
    new RegExp(regex.replace(/\(\?P</g, '(?<'));
  } catch (e) {
    invalid(scope, field, `'${regex}' is not a valid regular expression: ${(e as Error).message}`);
  }
  return regex;
}

/** Removes keys whose value is undefined, so rendered YAML has no `null`s. */
export function compact<T extends Record<string, unknown>>(obj: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) {
    if (value !== undefined) out[key] = value;
  }
  return out as T;
}
