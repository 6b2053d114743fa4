import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { invalid } from '../../errors';
import { httpUrl, positiveDuration } from '../common/fields';
import { HttpAuth, renderAuth, renderTls, TlsFiles } from '../common/http-client';
import { RelabelRule, renderRelabelRules } from './relabel';
import { compact, validateLabelName } from '../common/validate';

/**
 * Tuning of the remote write queue (shards of batches).
 * @see https://prometheus.io/docs/practices/remote_write/
 */
export interface RemoteWriteQueue {
  /** Samples buffered per shard. @default 10000 */
  readonly capacity?: number;
  /** @default 1 */
  readonly minShards?: number;
  /** @default 50 */
  readonly maxShards?: number;
  /** @default 2000 */
  readonly maxSamplesPerSend?: number;
  /** Send a partial batch after this long. @default 5s */
  readonly batchSendDeadline?: Duration;
  /** @default 30ms */
  readonly minBackoff?: Duration;
  /** @default 5s */
  readonly maxBackoff?: Duration;
  /** Drop samples older than this instead of retrying them (e.g. after an outage). @default no limit */
  readonly sampleAgeLimit?: Duration;
}

/** One `remote_write` entry. */
export interface RemoteWrite {
  /** The receiver's endpoint, http(s), without credentials. */
  readonly url: string;
  /**
   * Shown in metrics and logs; unique within a Prometheus.
   * @default a hash of the entry
   */
  readonly name?: string;
  /** @default 30s */
  readonly remoteTimeout?: Duration;
  /** @default none */
  readonly auth?: HttpAuth;
  /** @default the system CA bundle, no client certificate */
  readonly tls?: TlsFiles;
  /** @default Prometheus' defaults */
  readonly queue?: RemoteWriteQueue;
  /**
   * Relabeling of every series before it is sent; e.g. keep only
   * aggregated series to cut the cost of the receiver.
   * @default none
   */
  readonly writeRelabelings?: RelabelRule[];
  /** @default false */
  readonly sendExemplars?: boolean;
  /** @default false */
  readonly sendNativeHistograms?: boolean;
  /**
   * Send metric metadata (type, help) every `metadataSendInterval`.
   * @default true
   */
  readonly sendMetadata?: boolean;
  /** @default 1m */
  readonly metadataSendInterval?: Duration;
}

/** One `remote_read` entry. */
export interface RemoteRead {
  /** The endpoint, http(s), without credentials. */
  readonly url: string;
  /**
   * Shown in metrics and logs; unique within a Prometheus.
   * @default a hash of the entry
   */
  readonly name?: string;
  /** @default 1m */
  readonly remoteTimeout?: Duration;
  /**
   * Also read time ranges the local TSDB holds complete data for.
   * @default false
   */
  readonly readRecent?: boolean;
  /**
   * Only queries with these equality matchers use this endpoint.
   * @default every query
   */
  readonly requiredMatchers?: Record<string, string>;
  /**
   * Add this Prometheus' external labels as matchers to the remote query.
   * @default true
   */
  readonly filterExternalLabels?: boolean;
  /** @default none */
  readonly auth?: HttpAuth;
  /** @default the system CA bundle, no client certificate */
  readonly tls?: TlsFiles;
}

function count(scope: IConstruct, field: string, value: number | undefined): number | undefined {
  if (value !== undefined && !(Number.isInteger(value) && value >= 1)) invalid(scope, field, `must be an integer >= 1, got ${value}`);
  return value;
}

function renderQueue(scope: IConstruct, field: string, q: RemoteWriteQueue | undefined): Record<string, unknown> | undefined {
  if (!q) return undefined;
  if (q.minShards !== undefined && q.maxShards !== undefined && q.minShards > q.maxShards) {
    invalid(scope, `${field}.minShards`, `${q.minShards} is more than maxShards (${q.maxShards})`);
  }
  if (q.minBackoff && q.maxBackoff && q.minBackoff.toMilliseconds() > q.maxBackoff.toMilliseconds()) {
    invalid(scope, `${field}.minBackoff`, 'is longer than maxBackoff');
  }
  return compact({
    capacity: count(scope, `${field}.capacity`, q.capacity),
    min_shards: count(scope, `${field}.minShards`, q.minShards),
    max_shards: count(scope, `${field}.maxShards`, q.maxShards),
    max_samples_per_send: count(scope, `${field}.maxSamplesPerSend`, q.maxSamplesPerSend),
    batch_send_deadline: positiveDuration(scope, `${field}.batchSendDeadline`, q.batchSendDeadline),
    min_backoff: positiveDuration(scope, `${field}.minBackoff`, q.minBackoff),
    max_backoff: positiveDuration(scope, `${field}.maxBackoff`, q.maxBackoff),
    sample_age_limit: positiveDuration(scope, `${field}.sampleAgeLimit`, q.sampleAgeLimit),
  });
}

/** Validates and renders a `remote_write` entry. */
export function renderRemoteWrite(scope: IConstruct, field: string, rw: RemoteWrite): Record<string, unknown> {
  httpUrl(scope, `${field}.url`, rw.url);
  if (rw.name !== undefined && !rw.name.trim()) invalid(scope, `${field}.name`, 'must not be empty');
  if (rw.sendMetadata === false && rw.metadataSendInterval) {
    invalid(scope, `${field}.metadataSendInterval`, 'metadata is not sent (sendMetadata: false)');
  }
  const metadata = rw.sendMetadata !== undefined || rw.metadataSendInterval
    ? compact({ send: rw.sendMetadata, send_interval: positiveDuration(scope, `${field}.metadataSendInterval`, rw.metadataSendInterval) })
    : undefined;
  return compact({
    url: rw.url,
    name: rw.name,
    remote_timeout: positiveDuration(scope, `${field}.remoteTimeout`, rw.remoteTimeout),
    ...renderAuth(scope, `${field}.auth`, rw.auth),
    tls_config: renderTls(rw.tls, scope, `${field}.tls`),
    write_relabel_configs: renderRelabelRules(scope, `${field}.writeRelabelings`, rw.writeRelabelings),
    send_exemplars: rw.sendExemplars,
    send_native_histograms: rw.sendNativeHistograms,
    queue_config: renderQueue(scope, `${field}.queue`, rw.queue),
    metadata_config: metadata,
  });
}

/** Validates and renders a `remote_read` entry. */
export function renderRemoteRead(scope: IConstruct, field: string, rr: RemoteRead): Record<string, unknown> {
  httpUrl(scope, `${field}.url`, rr.url);
  if (rr.name !== undefined && !rr.name.trim()) invalid(scope, `${field}.name`, 'must not be empty');
  Object.keys(rr.requiredMatchers ?? {}).forEach(l => validateLabelName(scope, `${field}.requiredMatchers.${l}`, l, true));
  return compact({
    url: rr.url,
    name: rr.name,
    remote_timeout: positiveDuration(scope, `${field}.remoteTimeout`, rr.remoteTimeout),
    read_recent: rr.readRecent,
    required_matchers: rr.requiredMatchers,
    filter_external_labels: rr.filterExternalLabels,
    ...renderAuth(scope, `${field}.auth`, rr.auth),
    tls_config: renderTls(rr.tls, scope, `${field}.tls`),
  });
}

/**
 * Checks what only a list of entries shows: names must be unique (Prometheus
 * refuses duplicates, and they label the per-queue metrics), and so must URLs
 * without names (two identical entries would send everything twice).
 */
export function checkRemoteList(scope: IConstruct, field: string, entries: ReadonlyArray<{ readonly name?: string; readonly url: string }>): void {
  const names = new Set<string>();
  const urls = new Set<string>();
  entries.forEach((e, i) => {
    if (e.name !== undefined) {
      if (names.has(e.name)) invalid(scope, `${field}[${i}].name`, `'${e.name}' is used by another entry`);
      names.add(e.name);
    } else {
      if (urls.has(e.url)) invalid(scope, `${field}[${i}].url`, `'${e.url}' is already an entry; give them distinct names if this is intended`);
      urls.add(e.url);
    }
  });
}
