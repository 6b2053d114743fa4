import { availabilityRules } from './availability-rules';
import { credentialRules } from './credential-rules';
import { ingressRules } from './ingress-rules';
import { namespaceRules } from './isolation-rules';
import { podsOf } from './manifests';
import { podSecurityRules } from './pod-security-rules';
import { KubeManifest, PolicyContext, PolicyOptions, PolicyRule, PolicyViolation } from './policy-rule';
import { accessRules } from './rbac-rules';
import { workloadRules } from './workload-rules';

/*
 * The project's security and reliability policy, as code: every rule reads
 * plain synthesized manifests (`Testing.synth(chart)`, or parsed YAML from any
 * other tool), so users can run the same check on their own charts.
 *
 * The rules live in one file per family (pod-security-rules.ts,
 * workload-rules.ts, rbac-rules.ts, availability-rules.ts, isolation-rules.ts,
 * ingress-rules.ts, credential-rules.ts); this module assembles them and
 * re-exports the public names, so everything is importable from here.
 */

export type {
  KubeManifest, PolicyContainer, PolicyContext, PolicyFinding, PolicyOptions, PolicyPod, PolicyRule, PolicyViolation,
} from './policy-rule';
export { RESTRICTED_VOLUME_TYPES } from './pod-security-rules';
export { ADMIN_ENDPOINTS } from './ingress-rules';
export { CREDENTIAL_KEYS } from './credential-rules';
export { NODE_EXPORTER_EXCEPTION } from './node-exporter-exception';
export type { HostAccessException } from './node-exporter-exception';

/** Every rule of the policy, in the order violations are reported. */
export const POLICY_RULES: readonly PolicyRule[] = [
  ...podSecurityRules,
  ...workloadRules,
  ...accessRules,
  ...availabilityRules,
  ...namespaceRules,
  ...ingressRules,
  ...credentialRules,
];

/**
 * Checks synthesized manifests (e.g. `Testing.synth(chart)`) against
 * {@link POLICY_RULES}. Pod rules apply to the pod templates of Deployments,
 * StatefulSets, DaemonSets, Jobs, CronJobs and bare Pods.
 *
 * @returns the violations, grouped by rule; empty when everything passes.
 * @throws if `options.disabledRules` names an unknown rule (a typo would otherwise silently disable nothing)
 */
export function checkPolicies(manifests: object[], options: PolicyOptions = {}): PolicyViolation[] {
  const unknown = (options.disabledRules ?? []).filter(id => !POLICY_RULES.some(r => r.id === id));
  if (unknown.length) {
    throw new Error(`unknown policy rule(s) ${unknown.join(', ')} in disabledRules; known: ${POLICY_RULES.map(r => r.id).join(', ')}`);
  }
  const objects = manifests.filter((m): m is KubeManifest => !!m && typeof m === 'object');
  const context: PolicyContext = {
    manifests: objects,
    pods: podsOf(objects),
    options: {
      requireNetworkPolicies: options.requireNetworkPolicies ?? true,
      allowInsecureIngress: options.allowInsecureIngress ?? false,
      allowedRbacVerbs: options.allowedRbacVerbs ?? ['get', 'list', 'watch'],
      disabledRules: options.disabledRules ?? [],
      nodeExporterException: options.nodeExporterException ?? true,
    },
  };
  return POLICY_RULES
    .filter(r => !context.options.disabledRules.includes(r.id))
    .flatMap(r => r.check(context).map(f => ({ rule: r.id, ...f })));
}
