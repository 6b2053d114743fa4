import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { invalid, validateDnsLabel } from '../errors';
import { ComponentIdentity } from '../wiring/interfaces';

/** The label every object of this library carries in `app.kubernetes.io/part-of`. */
export const PART_OF = 'cdk8s-prometheus-thanos';

/**
 * Resolves a component's identity. The name defaults to the construct id;
 * the namespace is the Chart's, which is required because components refer
 * to each other by DNS names (`<svc>.<namespace>.svc`) and RBAC subjects.
 */
export function identify(scope: Construct, appName: string, component: string, name?: string): ComponentIdentity {
  const resolvedName = validateDnsLabel(scope, 'name', name ?? scope.node.id);
  const namespace = Chart.of(scope).namespace;
  if (!namespace) {
    invalid(scope, 'namespace', 'the enclosing Chart has no namespace; set `namespace` on the Chart, '
      + 'because components address each other as <service>.<namespace>.svc');
  }
  const selectorLabels = {
    'app.kubernetes.io/name': appName,
    'app.kubernetes.io/instance': resolvedName,
  };
  return {
    name: resolvedName,
    namespace,
    selectorLabels,
    labels: {
      ...selectorLabels,
      'app.kubernetes.io/component': component,
      'app.kubernetes.io/part-of': PART_OF,
      'app.kubernetes.io/managed-by': 'cdk8s',
    },
  };
}

/** `<name>.<namespace>.svc`: resolvable in every cluster, whatever its DNS domain. */
export function serviceHost(name: string, namespace: string): string {
  return `${name}.${namespace}.svc`;
}

/**
 * Cluster-scoped objects (ClusterRole, ClusterRoleBinding, Namespace) must not
 * carry the namespace cdk8s copies onto every object of a namespaced Chart.
 */
export function clusterScoped<T extends ApiObject>(obj: T): T {
  if (obj.metadata.namespace !== undefined) obj.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  return obj;
}
