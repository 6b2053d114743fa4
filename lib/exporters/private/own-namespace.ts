import { ApiObject, JsonPatch } from 'cdk8s';
import { IConstruct } from 'constructs';
import * as k8s from '../../../imports/k8s';
import { clusterScoped, PART_OF } from '../../private/identity';
import { ComponentIdentity } from '../../wiring/interfaces';

/** The Pod Security level a namespace of its own is labelled with. @internal */
export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

/**
 * A Namespace for one component, labelled `app.kubernetes.io/name` like the
 * component so the policy check can tell what it is for.
 * @internal
 */
export function componentNamespace(scope: IConstruct, id: string, identity: ComponentIdentity, level: PodSecurityLevel): k8s.KubeNamespace {
  return clusterScoped(new k8s.KubeNamespace(scope, id, {
    metadata: {
      name: identity.namespace,
      labels: {
        'app.kubernetes.io/name': identity.selectorLabels['app.kubernetes.io/name'],
        'app.kubernetes.io/part-of': PART_OF,
        'pod-security.kubernetes.io/enforce': level,
      },
    },
  }));
}

/** The kinds a component creates that live in no namespace (their namespace is removed by `clusterScoped`). */
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding']);

/**
 * Moves every namespaced object under `scope` into `namespace`: cdk8s gives
 * each object its Chart's namespace, which a component in a namespace of its
 * own must not keep. Cluster-scoped objects are left alone.
 * @internal
 */
export function moveToNamespace(scope: IConstruct, namespace: string): void {
  for (const child of scope.node.findAll()) {
    if (child instanceof ApiObject && !CLUSTER_SCOPED.has(child.kind) && child.metadata.namespace !== namespace) {
      child.addJsonPatch(JsonPatch.replace('/metadata/namespace', namespace));
    }
  }
}
