import { list, ofKind, selects } from './manifests';
import { nodeExporterNamespace } from './node-exporter-exception';
import { KubeManifest, PolicyRule } from './policy-rule';
import { objectRule, rule } from './rule-builders';

/*
 * Namespaces and network isolation: Namespaces enforce Pod Security
 * "restricted", and a default-deny NetworkPolicy covers the pods of every
 * namespace (unless `requireNetworkPolicies` is false).
 */

function isDefaultDeny(policy: KubeManifest): boolean {
  const types = list<string>(policy.spec?.policyTypes);
  return types.includes('Ingress') && types.includes('Egress')
    && !list(policy.spec?.ingress).length && !list(policy.spec?.egress).length;
}

/**
 * The namespace and network isolation rules, in the order `POLICY_RULES` lists them.
 * @internal
 */
export const namespaceRules: readonly PolicyRule[] = [
  objectRule('namespace-pod-security-restricted',
    'every Namespace is labelled pod-security.kubernetes.io/enforce: restricted, but the node exporter\'s of the node-exporter exception '
    + '(labelled like it, enforcing privileged, running only its pods)',
    ['Namespace'],
    (ns, ctx) => {
      if (ns.metadata?.labels?.['pod-security.kubernetes.io/enforce'] === 'restricted') return [];
      const exception = nodeExporterNamespace(ns, ctx);
      return exception.excused ? [] : [`set label pod-security.kubernetes.io/enforce: restricted, so the API server rejects weaker pods${exception.why ? ` (${exception.why})` : ''}`];
    }),
  rule('namespace-default-deny-network-policy',
    'every namespace that runs pods has a default-deny NetworkPolicy: policyTypes Ingress and Egress, no rules, a podSelector selecting all of those pods '
    + '(empty, or the stack\'s part-of label); switch off with requireNetworkPolicies: false',
    ctx => {
      if (!ctx.options.requireNetworkPolicies) return [];
      const namespaces = [...new Set(ctx.pods.map(p => p.namespace))];
      return namespaces.flatMap(ns => {
        const pods = ctx.pods.filter(p => p.namespace === ns);
        const denies = ofKind(ctx, 'NetworkPolicy')
          .filter(np => np.metadata?.namespace === ns && isDefaultDeny(np) && pods.every(p => selects(np.spec?.podSelector, p.labels)));
        return denies.length ? [] : [{
          object: `Namespace/${ns ?? '(none)'}`,
          message: `no default-deny NetworkPolicy selects all of ${pods.map(p => p.object).join(', ')}: add one with podSelector {} `
            + '(or the stack\'s part-of label), policyTypes [Ingress, Egress] and no rules',
        }];
      });
    }),
];
