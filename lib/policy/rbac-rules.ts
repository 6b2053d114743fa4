import { list, ofKind } from './manifests';
import { KubeManifest, PolicyContext, PolicyRule } from './policy-rule';
import { objectRule, podRule } from './rule-builders';

/*
 * Service accounts and RBAC: API tokens mounted only where a binding needs
 * them; Roles that grant only the allowed verbs (read-only by default), no
 * secrets and no wildcards; binding subjects that are ServiceAccounts of the
 * manifests.
 */

const BINDING_KINDS = ['RoleBinding', 'ClusterRoleBinding'];

/** ServiceAccount subjects of a binding, with the namespace Kubernetes gives them. */
function serviceAccountSubjects(binding: KubeManifest): { name: string; namespace?: string }[] {
  return list(binding.subjects).filter(s => s?.kind === 'ServiceAccount').map(s => ({
    name: s.name,
    // A RoleBinding's subject without namespace means the binding's own namespace.
    namespace: s.namespace ?? (binding.kind === 'RoleBinding' ? binding.metadata?.namespace : undefined),
  }));
}

function isBound(ctx: PolicyContext, serviceAccount: string, namespace: string | undefined): boolean {
  return ofKind(ctx, ...BINDING_KINDS).some(b => serviceAccountSubjects(b).some(s => s.name === serviceAccount && s.namespace === namespace));
}

function rbacRules(m: KubeManifest): any[] {
  return list(m.rules);
}

/**
 * The service account and RBAC rules, in the order `POLICY_RULES` lists them.
 * @internal
 */
export const accessRules: readonly PolicyRule[] = [
  podRule('pod-service-account-token',
    'pods set automountServiceAccountToken: false unless their ServiceAccount is bound by a RoleBinding or ClusterRoleBinding in the manifests',
    (pod, ctx) => {
      const account = pod.spec.serviceAccountName ?? 'default';
      if (pod.spec.automountServiceAccountToken === false || isBound(ctx, account, pod.namespace)) return [];
      return [`ServiceAccount '${account}' has no binding, so the pod never needs its API token: set automountServiceAccountToken: false`];
    }),
  objectRule('rbac-read-only-verbs',
    'Roles and ClusterRoles grant only the allowed verbs (default get, list, watch; `*` is reported by rbac-no-wildcards)',
    ['Role', 'ClusterRole'],
    (role, ctx) => rbacRules(role).flatMap(r => {
      const verbs = list<string>(r?.verbs).filter(v => v !== '*' && !ctx.options.allowedRbacVerbs.includes(v));
      return verbs.length ? [`grants ${verbs.join(', ')} on ${list(r.resources).concat(list(r.nonResourceURLs)).join(', ')}; grant only ${ctx.options.allowedRbacVerbs.join(', ')}`] : [];
    })),
  objectRule('rbac-no-secrets',
    'Roles and ClusterRoles grant no access to secrets',
    ['Role', 'ClusterRole'],
    role => rbacRules(role).flatMap(r => list<string>(r?.resources)
      .filter(res => res === 'secrets' || res.startsWith('secrets/'))
      .map(res => `grants ${list(r.verbs).join(', ')} on ${res}; mount the Secrets the pods need instead`)),
  ),
  objectRule('rbac-no-wildcards',
    'Roles and ClusterRoles have no `*` in verbs, apiGroups, resources or nonResourceURLs',
    ['Role', 'ClusterRole'],
    role => rbacRules(role).flatMap(r => (['verbs', 'apiGroups', 'resources', 'nonResourceURLs'] as const)
      .filter(field => list<string>(r?.[field]).some(v => typeof v === 'string' && v.includes('*')))
      .map(field => `has a wildcard in ${field} (${list(r[field]).join(', ')}); list exactly what is needed`)),
  ),
  objectRule('rbac-subject-service-account',
    'every ServiceAccount subject of a binding names a ServiceAccount of the manifests, in that ServiceAccount\'s namespace',
    BINDING_KINDS,
    (binding, ctx) => serviceAccountSubjects(binding).flatMap(s => {
      const accounts = ofKind(ctx, 'ServiceAccount').filter(a => a.metadata?.name === s.name);
      if (accounts.some(a => a.metadata?.namespace === s.namespace)) return [];
      const where = accounts.map(a => a.metadata?.namespace).join(', ');
      return [`subject ServiceAccount '${s.name}' in namespace '${s.namespace ?? '(none)'}' is not in the manifests`
        + (where ? `; it exists in namespace ${where}: set the subject's namespace to that` : '; create it or fix the subject')];
    })),
];
