import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { invalid } from '../errors';
import { ContainerImage } from '../images';
import { durationField } from './fields';
import { compact } from './validate';

/**
 * The `storage.tsdb` section of the config file. Retention is not here:
 * Prometheus 3.5 only takes it as a flag (see `PrometheusProps.retention`).
 */
export interface TsdbConfig {
  /**
   * Accept samples up to this much older than the newest one of their series
   * (e.g. from remote sources with delays). With Thanos object storage the
   * resulting blocks overlap, which the Thanos compactor only merges with
   * vertical compaction enabled.
   * @default out-of-order samples are refused
   */
  readonly outOfOrderTimeWindow?: Duration;
}

/** The first Prometheus release whose config file has `storage.tsdb.out_of_order_time_window`. */
const OUT_OF_ORDER_SINCE: [number, number] = [2, 39];

/** `[major, minor]` of a `vX.Y.Z` tag, or undefined for tags that are not versions. */
export function imageVersion(image: ContainerImage): [number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)/.exec(image.tag);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** Renders `storage`; refuses fields the image's Prometheus version does not know (it would not start). */
export function renderStorage(scope: IConstruct, field: string, tsdb: TsdbConfig | undefined, image: ContainerImage): Record<string, unknown> | undefined {
  if (!tsdb || tsdb.outOfOrderTimeWindow === undefined) return undefined;
  const version = imageVersion(image);
  if (version && (version[0] < OUT_OF_ORDER_SINCE[0] || (version[0] === OUT_OF_ORDER_SINCE[0] && version[1] < OUT_OF_ORDER_SINCE[1]))) {
    invalid(scope, `${field}.outOfOrderTimeWindow`, `needs Prometheus ${OUT_OF_ORDER_SINCE.join('.')} or later, the image is ${image.tag}`);
  }
  return { tsdb: compact({ out_of_order_time_window: durationField(scope, `${field}.outOfOrderTimeWindow`, tsdb.outOfOrderTimeWindow) }) };
}
