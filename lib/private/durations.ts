import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { invalid } from '../errors';

const UNITS: ReadonlyArray<[string, number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
  ['ms', 1],
];

function toMillis(duration: Duration, what: string): number {
  const ms = duration.toMilliseconds();
  if (!Number.isFinite(ms) || ms < 0 || !Number.isInteger(ms)) {
    throw new Error(`${what} must be a whole, non-negative number of milliseconds, got ${ms}ms`);
  }
  return ms;
}

function compose(ms: number, units: ReadonlyArray<[string, number]>): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

/**
 * Renders a Duration in Prometheus' duration syntax (`15d`, `1h30m`, `500ms`),
 * which Prometheus, Alertmanager and Thanos' model.Duration flags accept.
 * Throws on negative or fractional-millisecond values.
 */
export function promDuration(duration: Duration, what = 'duration'): string {
  return compose(toMillis(duration, what), UNITS);
}

/**
 * Renders a Duration in Go's time.Duration syntax (no days: `36h`, `1m30s`),
 * for flags parsed with time.ParseDuration.
 */
export function goDuration(duration: Duration, what = 'duration'): string {
  return compose(toMillis(duration, what), UNITS.slice(1));
}

/** {@link promDuration} for a prop or field: an unrenderable value throws naming the construct and the field. */
export function promDurationProp(scope: IConstruct, field: string, d: Duration): string;
export function promDurationProp(scope: IConstruct, field: string, d: Duration | undefined): string | undefined;
export function promDurationProp(scope: IConstruct, field: string, d: Duration | undefined): string | undefined {
  if (d === undefined) return undefined;
  try {
    return promDuration(d);
  } catch (e) {
    return invalid(scope, field, (e as Error).message);
  }
}

/** {@link goDuration} for a prop or field: an unrenderable value throws naming the construct and the field. */
export function goDurationProp(scope: IConstruct, field: string, d: Duration): string;
export function goDurationProp(scope: IConstruct, field: string, d: Duration | undefined): string | undefined;
export function goDurationProp(scope: IConstruct, field: string, d: Duration | undefined): string | undefined {
  if (d === undefined) return undefined;
  try {
    return goDuration(d);
  } catch (e) {
    return invalid(scope, field, (e as Error).message);
  }
}
