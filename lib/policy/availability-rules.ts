import { list, ofKind, scaled, selects } from './manifests';
import { KubeManifest, PolicyContext, PolicyPod, PolicyRule } from './policy-rule';
import { objectRule, podRule } from './rule-builders';

/*
 * Availability: replicated workloads have a PodDisruptionBudget and spread
 * over nodes; no budget blocks node drains.
 */

const HOSTNAME = 'kubernetes.io/hostname';

function pdbsSelecting(ctx: PolicyContext, pod: PolicyPod): KubeManifest[] {
  return ofKind(ctx, 'PodDisruptionBudget').filter(b => b.metadata?.namespace === pod.namespace && selects(b.spec?.selector, pod.labels));
}

function spreadsByNode(pod: PolicyPod): boolean {
  const anti = pod.spec.affinity?.podAntiAffinity;
  const terms = [
    ...list(anti?.requiredDuringSchedulingIgnoredDuringExecution),
    ...list(anti?.preferredDuringSchedulingIgnoredDuringExecution).map(w => w?.podAffinityTerm),
    ...list(pod.spec.topologySpreadConstraints),
  ];
  // The term must select the pod's own replicas, or it keeps them away from something else.
  return terms.some(t => t?.topologyKey === HOSTNAME && selects(t.labelSelector, pod.labels));
}

/**
 * The availability rules, in the order `POLICY_RULES` lists them.
 * @internal
 */
export const availabilityRules: readonly PolicyRule[] = [
  podRule('replicated-pod-disruption-budget',
    'a Deployment or StatefulSet with replicas > 1 has a PodDisruptionBudget in its namespace selecting its pods',
    (pod, ctx) => (pod.replicas ?? 0) > 1 && !pdbsSelecting(ctx, pod).length
      ? [`${pod.replicas} replicas but no PodDisruptionBudget: a node drain may evict all of them at once; add one with maxUnavailable: 1`]
      : []),
  podRule('replicated-pod-anti-affinity',
    `a Deployment or StatefulSet with replicas > 1 spreads them over nodes: pod anti-affinity (required or preferred) or a topologySpreadConstraint on ${HOSTNAME}, selecting its own pods`,
    pod => (pod.replicas ?? 0) > 1 && !spreadsByNode(pod)
      ? [`${pod.replicas} replicas may land on one node: add pod anti-affinity on ${HOSTNAME} whose labelSelector selects the pods`]
      : []),
  objectRule('pod-disruption-budget-allows-eviction',
    'every PodDisruptionBudget lets at least one of the pods it selects be evicted (a singleton with minAvailable >= 1 or maxUnavailable 0 blocks node drains)',
    ['PodDisruptionBudget'],
    (pdb, ctx) => {
      const selected = ctx.pods.filter(p => p.replicas !== undefined && p.namespace === pdb.metadata?.namespace && selects(pdb.spec?.selector, p.labels));
      if (!selected.length) return [];
      const total = selected.reduce((sum, p) => sum + (p.replicas ?? 0), 0);
      const { minAvailable, maxUnavailable } = pdb.spec ?? {};
      const allowed = maxUnavailable !== undefined ? scaled(maxUnavailable, total) : total - (scaled(minAvailable, total) ?? 0);
      if (allowed === undefined || allowed >= 1) return [];
      return [`allows no eviction of the ${total} pod(s) of ${selected.map(p => p.object).join(', ')}, so node drains hang; `
        + (total < 2 ? 'delete it: a single replica cannot stay available through a drain' : 'use maxUnavailable: 1')];
    }),
];
