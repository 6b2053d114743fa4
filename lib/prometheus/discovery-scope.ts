import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { KubernetesRole, ScrapeJob } from '../config/prometheus/scrape-job';
import { invalid, InvalidValueError, validateDnsLabel } from '../errors';
import { clusterScoped } from '../private/identity';
import { ComponentIdentity } from '../wiring/interfaces';

/** Where Prometheus' Kubernetes service discovery may look, and so what RBAC it gets. */
export class DiscoveryScope {
  /**
   * The whole cluster: a ClusterRole with get/list/watch on what service
   * discovery reads (nodes included) and `/metrics`.
   */
  public static cluster(): DiscoveryScope {
    return new DiscoveryScope(undefined);
  }

  /**
   * Only these namespaces: a Role and RoleBinding in each, no cluster-wide
   * access. Node, kubelet and cAdvisor jobs are then refused.
   */
  public static namespaces(namespaces: string[]): DiscoveryScope {
    if (!namespaces.length) throw new InvalidValueError('DiscoveryScope.namespaces', 'namespaces', 'needs at least one namespace');
    return new DiscoveryScope([...new Set(namespaces)]);
  }

  private constructor(public readonly namespaces: string[] | undefined) {}
}

const READ = ['get', 'list', 'watch'];
const NAMESPACED_RULES: k8s.PolicyRule[] = [
  { apiGroups: [''], resources: ['services', 'endpoints', 'pods'], verbs: READ },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: READ },
];
const CLUSTER_RULES: k8s.PolicyRule[] = [
  { apiGroups: [''], resources: ['nodes', 'nodes/metrics'], verbs: READ },
  // kubelet and cAdvisor metrics through the API server proxy (ScrapeJobs.kubelet/cadvisor).
  { apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] },
  ...NAMESPACED_RULES,
  { nonResourceUrLs: ['/metrics'], verbs: ['get'] },
];

/**
 * Read-only RBAC for service discovery, bound to the ServiceAccount in the
 * namespace it really lives in. Nothing on Secrets, nothing that writes.
 * Returns the roles and bindings it created.
 * @internal
 */
export function prometheusRbac(scope: Construct, identity: ComponentIdentity, serviceAccountName: string, discovery: DiscoveryScope): ApiObject[] {
  const { name, namespace, labels } = identity;
  // Prefixed with the namespace: two stacks in two namespaces get distinct cluster-wide names.
  const roleName = `${namespace}-${name}`;
  const subjects = [{ kind: 'ServiceAccount', name: serviceAccountName, namespace }];
  if (!discovery.namespaces) {
    const role = clusterScoped(new k8s.KubeClusterRole(scope, 'cluster-role', { metadata: { name: roleName, labels }, rules: CLUSTER_RULES }));
    return [role, clusterScoped(new k8s.KubeClusterRoleBinding(scope, 'cluster-role-binding', {
      metadata: { name: roleName, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role.name },
      subjects,
    }))];
  }
  return discovery.namespaces.flatMap((ns, i) => {
    validateDnsLabel(scope, `discovery.namespaces[${i}]`, ns, 63);
    const role = new k8s.KubeRole(scope, `role-${ns}`, { metadata: { name: roleName, namespace: ns, labels }, rules: NAMESPACED_RULES });
    return [role, new k8s.KubeRoleBinding(scope, `role-binding-${ns}`, {
      metadata: { name: roleName, namespace: ns, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.name },
      subjects,
    })];
  });
}

/**
 * With namespaced discovery, every Kubernetes SD of every job must stay
 * inside the granted namespaces: anything else would only show up as
 * "forbidden" errors in the Prometheus log.
 * @internal
 */
export function checkDiscoveryScope(scope: Construct, ownNamespace: string, jobs: ScrapeJob[], discovery: DiscoveryScope): void {
  const allowed = discovery.namespaces;
  if (!allowed) return;
  for (const job of jobs) {
    job.kubernetesSd?.forEach((sd, i) => {
      const field = `scrapeJobs[${job.jobName}].kubernetesSd[${i}]`;
      if (sd.role === KubernetesRole.NODE) {
        invalid(scope, `${field}.role`, `role 'node' needs cluster-wide discovery, but discovery is limited to ${allowed.join(', ')}`);
      }
      const wanted = sd.ownNamespace ? [ownNamespace] : sd.namespaces;
      if (!wanted?.length) {
        invalid(scope, `${field}.namespaces`, `discovery is limited to ${allowed.join(', ')}: list namespaces from those`);
      }
      const outside = wanted.filter(ns => !allowed.includes(ns));
      if (outside.length) invalid(scope, `${field}.namespaces`, `${outside.join(', ')} outside the discovery scope ${allowed.join(', ')}`);
    });
  }
}
