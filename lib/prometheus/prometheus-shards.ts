import { IConstruct } from 'constructs';
import { validateLabelName } from '../config/common/validate';
import { invalid, validateCount } from '../errors';
import { PodGroup } from '../private/component';
import { NamedPort } from '../wiring/interfaces';

/** The props of {@link Prometheus} that say how many copies of it run. */
export interface PrometheusShardOptions {
  /**
   * Number of Prometheus replicas (of each shard). Each scrapes everything
   * of its shard; Thanos Query de-duplicates them on the replica label.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Split the scrape targets over this many shards: each keeps only its
   * `hashmod` share of every job's targets, runs its own StatefulSet of
   * `replicas`, disruption budget and spreading, and labels its series with
   * its `shardLabel`; the Querier reads every shard and de-duplicates
   * replicas only. Rules see only their shard's series: alerts that
   * aggregate across shards belong to a rule evaluator over the Querier
   * (a Thanos Ruler). Shard 0 keeps the unsharded names; shard i is `<name>-shard-<i>`.
   * @default 1
   */
  readonly shards?: number;
  /**
   * The external label that holds the shard index.
   * @default 'shard'
   */
  readonly shardLabel?: string;
}

/** The replicas and shards of a Prometheus, checked. @internal */
export interface PrometheusShards {
  readonly replicas: number;
  readonly shards: number;
  readonly shardLabel: string;
  /** The shards as groups of pods: shard 0 keeps the unsharded names, so sharding never renames it. */
  readonly groups: PodGroup[];
}

const SHARD_LABEL = 'app.kubernetes.io/shard';

/** @internal */
export function prometheusShards(
  scope: IConstruct, name: string, props: PrometheusShardOptions & { readonly externalLabels?: Record<string, string> }, replicaLabel: string,
): PrometheusShards {
  const replicas = validateCount(scope, 'replicas', props.replicas ?? 2);
  const shards = validateCount(scope, 'shards', props.shards ?? 1);
  const shardLabel = validateLabelName(scope, 'shardLabel', props.shardLabel ?? 'shard');
  if (shards > 1 && (shardLabel === replicaLabel || props.externalLabels?.[shardLabel] !== undefined)) {
    invalid(scope, 'shardLabel', `'${shardLabel}' is already the replica label or an external label; choose another name`);
  }
  const groups = Array.from({ length: shards }, (_, shard): PodGroup => shard === 0
    ? { name, labels: { [SHARD_LABEL]: '0' } }
    : { id: `shard-${shard}`, name: `${name}-shard-${shard}`, labels: { [SHARD_LABEL]: String(shard) } });
  return { replicas, shards, shardLabel, groups };
}

/** `host:port` of every pod of every shard, by its stable DNS name under the headless Service `host`. @internal */
export function podTargets(shards: PrometheusShards, host: string, port: NamedPort): string[] {
  return shards.groups.flatMap(g => Array.from({ length: shards.replicas }, (_, i) => `${g.name}-${i}.${host}:${port.port}`));
}
