/** The types of PromQL values. */
export type PromqlType = 'scalar' | 'vector' | 'matrix' | 'string';

/** A PromQL function's signature. */
export interface PromqlFunction {
  /** Argument types, in order. */
  readonly args: PromqlType[];
  /** 0: exactly `args`; otherwise the last argument may be left out, or given up to `variadic` times (-1: any number). */
  readonly variadic: number;
  readonly returns: PromqlType;
  /** Needs `--enable-feature=promql-experimental-functions`, which this library does not set. */
  readonly experimental?: boolean;
}

/**
 * The functions of Prometheus v3.5.5 (the pinned default image), extracted
 * from its `promql/parser/functions.go`. The UI's grammar knows functions of
 * later releases too; those are unknown to the server this library deploys.
 */
export const PROMQL_FUNCTIONS: Record<string, PromqlFunction> = {
  abs: { args: ['vector'], variadic: 0, returns: 'vector' },
  absent: { args: ['vector'], variadic: 0, returns: 'vector' },
  absent_over_time: { args: ['matrix'], variadic: 0, returns: 'vector' },
  acos: { args: ['vector'], variadic: 0, returns: 'vector' },
  acosh: { args: ['vector'], variadic: 0, returns: 'vector' },
  asin: { args: ['vector'], variadic: 0, returns: 'vector' },
  asinh: { args: ['vector'], variadic: 0, returns: 'vector' },
  atan: { args: ['vector'], variadic: 0, returns: 'vector' },
  atanh: { args: ['vector'], variadic: 0, returns: 'vector' },
  avg_over_time: { args: ['matrix'], variadic: 0, returns: 'vector' },
  ceil: { args: ['vector'], variadic: 0, returns: 'vector' },
  changes: { args: ['matrix'], variadic: 0, returns: 'vector' },
  clamp: { args: ['vector', 'scalar', 'scalar'], variadic: 0, returns: 'vector' },
  clamp_max: { args: ['vector', 'scalar'], variadic: 0, returns: 'vector' },
  clamp_min: { args: ['vector', 'scalar'], variadic: 0, returns: 'vector' },
  cos: { args: ['vector'], variadic: 0, returns: 'vector' },
  cosh: { args: ['vector'], variadic: 0, returns: 'vector' },
  count_over_time: { args: ['matrix'], variadic: 0, returns: 'vector' },
  day_of_month: { args: ['vector'], variadic: 1, returns: 'vector' },
  day_of_week: { args: ['vector'], variadic: 1, returns: 'vector' },
  day_of_year: { args: ['vector'], variadic: 1, returns: 'vector' },
  days_in_month: { args: ['vector'], variadic: 1, returns: 'vector' },
  deg: { args: ['vector'], variadic: 0, returns: 'vector' },
  delta: { args: ['matrix'], variadic: 0, returns: 'vector' },
  deriv: { args: ['matrix'], variadic: 0, returns: 'vector' },
  double_exponential_smoothing: { args: ['matrix', 'scalar', 'scalar'], variadic: 0, returns: 'vector', experimental: true },
  exp: { args: ['vector'], variadic: 0, returns: 'vector' },
  floor: { args: ['vector'], variadic: 0, returns: 'vector' },
  histogram_avg: { args: ['vector'], variadic: 0, returns: 'vector' },
  histogram_count: { args: ['vector'], variadic: 0, returns: 'vector' },
  histogram_fraction: { args: ['scalar', 'scalar', 'vector'], variadic: 0, returns: 'vector' },
  histogram_quantile: { args: ['scalar', 'vector'], variadic: 0, returns: 'vector' },
  histogram_stddev: { args: ['vector'], variadic: 0, returns: 'vector' },
  histogram_stdvar: { args: ['vector'], variadic: 0, returns: 'vector' },
  histogram_sum: { args: ['vector'], variadic: 0, returns: 'vector' },
  hour: { args: ['vector'], variadic: 1, returns: 'vector' },
  idelta: { args: ['matrix'], variadic: 0, returns: 'vector' },
  increase: { args: ['matrix'], variadic: 0, returns: 'vector' },
  info: { args: ['vector', 'vector'], variadic: 1, returns: 'vector', experimental: true },
  irate: { args: ['matrix'], variadic: 0, returns: 'vector' },
  label_join: { args: ['vector', 'string', 'string', 'string'], variadic: -1, returns: 'vector' },
  label_replace: { args: ['vector', 'string', 'string', 'string', 'string'], variadic: 0, returns: 'vector' },
  last_over_time: { args: ['matrix'], variadic: 0, returns: 'vector' },
  ln: { args: ['vector'], variadic: 0, returns: 'vector' },
  log10: { args: ['vector'], variadic: 0, returns: 'vector' },
  log2: { args: ['vector'], variadic: 0, returns: 'vector' },
  mad_over_time: { args: ['matrix'], variadic: 0, returns: 'vector', experimental: true },
  max_over_time: { args: ['matrix'], variadic: 0, returns: 'vector' },
  min_over_time: { args: ['matrix'], variadic: 0, returns: 'vector' },
  minute: { args: ['vector'], variadic: 1, returns: 'vector' },
  month: { args: ['vector'], variadic: 1, returns: 'vector' },
  pi: { args: [], variadic: 0, returns: 'scalar' },
  predict_linear: { args: ['matrix', 'scalar'], variadic: 0, returns: 'vector' },
  present_over_time: { args: ['matrix'], variadic: 0, returns: 'vector' },
  quantile_over_time: { args: ['scalar', 'matrix'], variadic: 0, returns: 'vector' },
  rad: { args: ['vector'], variadic: 0, returns: 'vector' },
  rate: { args: ['matrix'], variadic: 0, returns: 'vector' },
  resets: { args: ['matrix'], variadic: 0, returns: 'vector' },
  round: { args: ['vector', 'scalar'], variadic: 1, returns: 'vector' },
  scalar: { args: ['vector'], variadic: 0, returns: 'scalar' },
  sgn: { args: ['vector'], variadic: 0, returns: 'vector' },
  sin: { args: ['vector'], variadic: 0, returns: 'vector' },
  sinh: { args: ['vector'], variadic: 0, returns: 'vector' },
  sort: { args: ['vector'], variadic: 0, returns: 'vector' },
  sort_by_label: { args: ['vector', 'string'], variadic: -1, returns: 'vector', experimental: true },
  sort_by_label_desc: { args: ['vector', 'string'], variadic: -1, returns: 'vector', experimental: true },
  sort_desc: { args: ['vector'], variadic: 0, returns: 'vector' },
  sqrt: { args: ['vector'], variadic: 0, returns: 'vector' },
  stddev_over_time: { args: ['matrix'], variadic: 0, returns: 'vector' },
  stdvar_over_time: { args: ['matrix'], variadic: 0, returns: 'vector' },
  sum_over_time: { args: ['matrix'], variadic: 0, returns: 'vector' },
  tan: { args: ['vector'], variadic: 0, returns: 'vector' },
  tanh: { args: ['vector'], variadic: 0, returns: 'vector' },
  time: { args: [], variadic: 0, returns: 'scalar' },
  timestamp: { args: ['vector'], variadic: 0, returns: 'vector' },
  ts_of_last_over_time: { args: ['matrix'], variadic: 0, returns: 'vector', experimental: true },
  ts_of_max_over_time: { args: ['matrix'], variadic: 0, returns: 'vector', experimental: true },
  ts_of_min_over_time: { args: ['matrix'], variadic: 0, returns: 'vector', experimental: true },
  vector: { args: ['scalar'], variadic: 0, returns: 'vector' },
  year: { args: ['vector'], variadic: 1, returns: 'vector' },
};

/** Aggregation operators of Prometheus v3.5.5 and the type of their parameter, if any. */
export const PROMQL_AGGREGATIONS: Record<string, { readonly param?: PromqlType; readonly experimental?: boolean }> = {
  sum: {}, avg: {}, min: {}, max: {}, count: {}, group: {}, stddev: {}, stdvar: {},
  topk: { param: 'scalar' },
  bottomk: { param: 'scalar' },
  quantile: { param: 'scalar' },
  count_values: { param: 'string' },
  limitk: { param: 'scalar', experimental: true },
  limit_ratio: { param: 'scalar', experimental: true },
};
