/** The types of PromQL values. */
export type PromqlType = 'scalar' | 'vector' | 'matrix' | 'string';

/** A Prometheus release line, `[major, minor]`, e.g. `[3, 5]`. */
export type PromqlVersion = readonly [number, number];

/** The Prometheus this library deploys by default (the pinned image is v3.5.x). */
export const DEFAULT_PROMQL_VERSION: PromqlVersion = [3, 5];

/** A PromQL function's signature, and the releases that have it. */
export interface PromqlFunction {
  /** Argument types, in order. */
  readonly args: readonly PromqlType[];
  /** 0: exactly `args`; otherwise the last argument may be left out, or given up to `variadic` times (-1: any number). */
  readonly variadic: number;
  readonly returns: PromqlType;
  /** The first release with the function. */
  readonly since: PromqlVersion;
  /** The first release without it. */
  readonly removedIn?: PromqlVersion;
  /** Needs `--enable-feature=promql-experimental-functions` (from `since` until `stableSince`, if set). */
  readonly experimental?: boolean;
  /** The first release where an experimental function no longer needs the feature flag. */
  readonly stableSince?: PromqlVersion;
  /** Why the function is gone, where it went. */
  readonly note?: string;
}

const V: PromqlType = 'vector';
const M: PromqlType = 'matrix';
const S: PromqlType = 'scalar';
const STR: PromqlType = 'string';

function fn(args: PromqlType[], returns: PromqlType, since: PromqlVersion, more: Partial<PromqlFunction> = {}): PromqlFunction {
  return { args, variadic: 0, returns, since, ...more };
}
const experimental = { experimental: true };

/**
 * Every function of the Prometheus releases 2.0 to 3.14, extracted from
 * `promql/parser/functions.go` at each minor release tag (first tag with the
 * function, the one that dropped it, the one that made it stable). The
 * signatures never changed across releases.
 *
 * Left out: `start()`, `end()`, `range()`, `step()` (3.12) and `min_of()`,
 * `max_of()` (3.13), which need keywords and grammar the 3.5 parser of this
 * library does not have.
 */
export const PROMQL_FUNCTIONS: Record<string, PromqlFunction> = {
  abs: fn([V], V, [2, 0]),
  absent: fn([V], V, [2, 0]),
  absent_over_time: fn([M], V, [2, 16]),
  acos: fn([V], V, [2, 31]),
  acosh: fn([V], V, [2, 31]),
  asin: fn([V], V, [2, 31]),
  asinh: fn([V], V, [2, 31]),
  atan: fn([V], V, [2, 31]),
  atanh: fn([V], V, [2, 31]),
  avg_over_time: fn([M], V, [2, 0]),
  ceil: fn([V], V, [2, 0]),
  changes: fn([M], V, [2, 0]),
  clamp: fn([V, S, S], V, [2, 26]),
  clamp_max: fn([V, S], V, [2, 0]),
  clamp_min: fn([V, S], V, [2, 0]),
  cos: fn([V], V, [2, 31]),
  cosh: fn([V], V, [2, 31]),
  count_over_time: fn([M], V, [2, 0]),
  day_of_month: fn([V], V, [2, 0], { variadic: 1 }),
  day_of_week: fn([V], V, [2, 0], { variadic: 1 }),
  day_of_year: fn([V], V, [2, 36], { variadic: 1 }),
  days_in_month: fn([V], V, [2, 0], { variadic: 1 }),
  deg: fn([V], V, [2, 31]),
  delta: fn([M], V, [2, 0]),
  deriv: fn([M], V, [2, 0]),
  double_exponential_smoothing: fn([M, S, S], V, [3, 0], { ...experimental, note: 'holt_winters of 2.x, renamed' }),
  exp: fn([V], V, [2, 0]),
  first_over_time: fn([M], V, [3, 7], { ...experimental, stableSince: [3, 14] }),
  floor: fn([V], V, [2, 0]),
  histogram_avg: fn([V], V, [2, 51]),
  histogram_count: fn([V], V, [2, 40]),
  histogram_fraction: fn([S, S, V], V, [2, 40]),
  histogram_quantile: fn([S, V], V, [2, 0]),
  histogram_quantiles: fn([V, STR, S, S], V, [3, 11], { variadic: 9, ...experimental }),
  histogram_stddev: fn([V], V, [2, 47]),
  histogram_stdvar: fn([V], V, [2, 47]),
  histogram_sum: fn([V], V, [2, 40]),
  holt_winters: fn([M, S, S], V, [2, 0], {
    removedIn: [3, 0], note: 'renamed double_exponential_smoothing in 3.0, behind --enable-feature=promql-experimental-functions',
  }),
  hour: fn([V], V, [2, 0], { variadic: 1 }),
  idelta: fn([M], V, [2, 0]),
  increase: fn([M], V, [2, 0]),
  info: fn([V, V], V, [2, 55], { variadic: 1, ...experimental }),
  irate: fn([M], V, [2, 0]),
  label_join: fn([V, STR, STR, STR], V, [2, 0], { variadic: -1 }),
  label_replace: fn([V, STR, STR, STR, STR], V, [2, 0]),
  last_over_time: fn([M], V, [2, 26]),
  ln: fn([V], V, [2, 0]),
  log10: fn([V], V, [2, 0]),
  log2: fn([V], V, [2, 0]),
  mad_over_time: fn([M], V, [2, 49], experimental),
  max_over_time: fn([M], V, [2, 0]),
  min_over_time: fn([M], V, [2, 0]),
  minute: fn([V], V, [2, 0], { variadic: 1 }),
  month: fn([V], V, [2, 0], { variadic: 1 }),
  pi: fn([], S, [2, 31]),
  predict_linear: fn([M, S], V, [2, 0]),
  present_over_time: fn([M], V, [2, 29]),
  quantile_over_time: fn([S, M], V, [2, 0]),
  rad: fn([V], V, [2, 31]),
  rate: fn([M], V, [2, 0]),
  resets: fn([M], V, [2, 0]),
  round: fn([V, S], V, [2, 0], { variadic: 1 }),
  scalar: fn([V], S, [2, 0]),
  sgn: fn([V], V, [2, 26]),
  sin: fn([V], V, [2, 31]),
  sinh: fn([V], V, [2, 31]),
  sort: fn([V], V, [2, 0]),
  sort_by_label: fn([V, STR], V, [2, 49], { variadic: -1, ...experimental }),
  sort_by_label_desc: fn([V, STR], V, [2, 49], { variadic: -1, ...experimental }),
  sort_desc: fn([V], V, [2, 0]),
  sqrt: fn([V], V, [2, 0]),
  start_timestamp: fn([V], V, [3, 14], experimental),
  stddev_over_time: fn([M], V, [2, 0]),
  stdvar_over_time: fn([M], V, [2, 0]),
  sum_over_time: fn([M], V, [2, 0]),
  tan: fn([V], V, [2, 31]),
  tanh: fn([V], V, [2, 31]),
  time: fn([], S, [2, 0]),
  timestamp: fn([V], V, [2, 0]),
  ts_of_first_over_time: fn([M], V, [3, 7], experimental),
  ts_of_last_over_time: fn([M], V, [3, 5], experimental),
  ts_of_max_over_time: fn([M], V, [3, 5], experimental),
  ts_of_min_over_time: fn([M], V, [3, 5], experimental),
  vector: fn([S], V, [2, 0]),
  year: fn([V], V, [2, 0], { variadic: 1 }),
};

/** An aggregation operator: the type of its parameter, if any, and the releases that have it. */
export interface PromqlAggregation {
  readonly param?: PromqlType;
  readonly since: PromqlVersion;
  /** Needs `--enable-feature=promql-experimental-functions`. */
  readonly experimental?: boolean;
}

/** Aggregation operators of Prometheus 2.0 to 3.14 (the keywords of `promql/parser/lex.go`). */
export const PROMQL_AGGREGATIONS: Record<string, PromqlAggregation> = {
  sum: { since: [2, 0] },
  avg: { since: [2, 0] },
  min: { since: [2, 0] },
  max: { since: [2, 0] },
  count: { since: [2, 0] },
  group: { since: [2, 20] },
  stddev: { since: [2, 0] },
  stdvar: { since: [2, 0] },
  topk: { param: 'scalar', since: [2, 0] },
  bottomk: { param: 'scalar', since: [2, 0] },
  quantile: { param: 'scalar', since: [2, 0] },
  count_values: { param: 'string', since: [2, 0] },
  limitk: { param: 'scalar', since: [2, 54], experimental: true },
  limit_ratio: { param: 'scalar', since: [2, 54], experimental: true },
};

/** Whether release `a` is `b` or later. */
export function atLeast(a: PromqlVersion, b: PromqlVersion): boolean {
  return a[0] > b[0] || (a[0] === b[0] && a[1] >= b[1]);
}

/** `3.5` */
export function versionString(v: PromqlVersion): string {
  return `${v[0]}.${v[1]}`;
}

/** What a release says about a function or aggregation: available, experimental, or why not. */
export type Availability =
  | { readonly available: true; readonly experimental: boolean }
  | { readonly available: false; readonly why: string };

export function availability(spec: PromqlFunction | PromqlAggregation | undefined, version: PromqlVersion): Availability {
  const v = versionString(version);
  if (!spec) return { available: false, why: `in Prometheus ${v}` };
  if (!atLeast(version, spec.since)) return { available: false, why: `in Prometheus ${v} (it appeared in ${versionString(spec.since)})` };
  const removed = 'removedIn' in spec ? spec.removedIn : undefined;
  if (removed && atLeast(version, removed)) {
    const note = 'note' in spec && spec.note ? `: ${spec.note}` : '';
    return { available: false, why: `in Prometheus ${v} (removed in ${versionString(removed)}${note})` };
  }
  const stable = 'stableSince' in spec ? spec.stableSince : undefined;
  return { available: true, experimental: !!spec.experimental && !(stable && atLeast(version, stable)) };
}
