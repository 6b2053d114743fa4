import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';

/** How strictly replicas of one component are kept apart. */
export enum SpreadMode {
  /** Prefer different nodes; still schedules when there are fewer nodes than replicas. */
  PREFERRED = 'preferred',
  /** Never two replicas on one node: a replica stays Pending rather than share a node. */
  REQUIRED = 'required',
}

/** Scheduling options of a replicated component. */
export interface SpreadOptions {
  /**
   * How strictly replicas are spread over nodes.
   * @default SpreadMode.PREFERRED
   */
  readonly mode?: SpreadMode;
  /**
   * Also spread replicas over zones (`topology.kubernetes.io/zone`).
   * @default false
   */
  readonly acrossZones?: boolean;
}

const HOSTNAME = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';

/**
 * Pod anti-affinity (by node) and, when asked, a zone topology spread, so a
 * node or zone failure takes down at most one replica.
 */
export function spreadReplicas(selector: Record<string, string>, options: SpreadOptions = {}): {
  affinity: k8s.Affinity;
  topologySpreadConstraints?: k8s.TopologySpreadConstraint[];
} {
  const term: k8s.PodAffinityTerm = { labelSelector: { matchLabels: selector }, topologyKey: HOSTNAME };
  const podAntiAffinity: k8s.PodAntiAffinity = options.mode === SpreadMode.REQUIRED
    ? { requiredDuringSchedulingIgnoredDuringExecution: [term] }
    : { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] };
  return {
    affinity: { podAntiAffinity },
    topologySpreadConstraints: options.acrossZones
      ? [{
        maxSkew: 1,
        topologyKey: ZONE,
        whenUnsatisfiable: options.mode === SpreadMode.REQUIRED ? 'DoNotSchedule' : 'ScheduleAnyway',
        labelSelector: { matchLabels: selector },
      }]
      : undefined,
  };
}

/**
 * A PodDisruptionBudget that lets a drain evict one replica at a time.
 * Returns nothing for a single replica: a budget there would block drains.
 */
export function disruptionBudget(
  scope: Construct, id: string, name: string, selector: Record<string, string>, labels: Record<string, string>, replicas: number,
): k8s.KubePodDisruptionBudget | undefined {
  if (replicas < 2) return undefined;
  return new k8s.KubePodDisruptionBudget(scope, id, {
    metadata: { name, labels },
    spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: selector } },
  });
}
