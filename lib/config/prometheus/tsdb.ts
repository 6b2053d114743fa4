import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { invalid } from '../../errors';
import { ContainerImage } from '../../images/container-image';
import { DefaultImages } from '../../images/default-images';
import { imageVersion, SINCE } from '../../images/versions/support';
import { Version } from '../../images/versions/version';
import { durationField } from '../common/fields';
import { compact } from '../common/validate';

/**
 * The `storage.tsdb` section of the config file. Retention is the
 * `PrometheusProps.retention` prop: a flag up to Prometheus 3.10, in this
 * section from 3.11 (see {@link retentionInConfigFile}).
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

/** Rendered retention limits: how long, and how much disk at most (`43520MB`). */
export interface RetentionLimits {
  readonly time: string;
  readonly size?: string;
}

/**
 * The release the image runs; for an image that does not say, the default
 * image's (the pod refuses such an image at synth: this only keeps
 * `renderConfig()` working before).
 */
function runs(image: ContainerImage): Version {
  return imageVersion(image) ?? imageVersion(DefaultImages.PROMETHEUS)!;
}

/**
 * Whether retention goes into the config file rather than the
 * `--storage.tsdb.retention.time` flag: the file field arrived in 3.8, but
 * 3.8–3.10 read its value in the wrong unit (fixed in 3.11), and 3.14
 * deprecates the flag. In the file, a retention change applies on reload.
 */
export function retentionInConfigFile(image: ContainerImage): boolean {
  return runs(image).atLeast(SINCE.prometheusRetentionInConfigFile);
}

/**
 * Prometheus 2 expands `${VAR}` in external labels only with
 * `--enable-feature=expand-external-labels` (2.27 to 2.55); Prometheus 3 always does.
 */
export function needsExpandExternalLabelsFlag(image: ContainerImage): boolean {
  return runs(image).olderThan(SINCE.prometheusExpandsExternalLabels);
}

/**
 * Renders `storage`; refuses fields the image's Prometheus version does not
 * know (it would not start). `retention` is rendered only where the version
 * reads it from the file.
 */
export function renderStorage(
  scope: IConstruct, field: string, tsdb: TsdbConfig | undefined, image: ContainerImage, retention?: RetentionLimits,
): Record<string, unknown> | undefined {
  const fileRetention = retention !== undefined && retentionInConfigFile(image) ? compact({ time: retention.time, size: retention.size }) : undefined;
  const since = SINCE.prometheusOutOfOrderTimeWindow;
  if (tsdb?.outOfOrderTimeWindow !== undefined && runs(image).olderThan(since)) {
    invalid(scope, `${field}.outOfOrderTimeWindow`, `needs Prometheus ${since.major}.${since.minor} or later, the image is ${image.tag}`);
  }
  const section = compact({
    out_of_order_time_window: durationField(scope, `${field}.outOfOrderTimeWindow`, tsdb?.outOfOrderTimeWindow),
    retention: fileRetention,
  });
  return Object.keys(section).length ? { tsdb: section } : undefined;
}
