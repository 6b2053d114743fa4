import { Size } from 'cdk8s';
import { IConstruct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { invalid } from '../errors';
import { ReplicatedPodOptions, StorageOptions } from '../pod/pod-options';
import { storageQuantity } from '../pod/resources';
import { spreadReplicas } from '../pod/scheduling';
import { restrictedPodSecurityContext } from '../pod/security';
import { ComponentIdentity } from '../wiring/interfaces';

/** What differs between the components' pods. */
export interface PodContent {
  readonly containers: k8s.Container[];
  readonly volumes?: k8s.Volume[];
  /**
   * The ServiceAccount of a pod that talks to the API server; only such a
   * pod gets a token mounted.
   * @default none: no token
   */
  readonly serviceAccountName?: string;
  /** @default Kubernetes' 30 seconds */
  readonly terminationGracePeriodSeconds?: number;
}

/**
 * The pod template of every component: Pod Security "restricted" at pod
 * level, no API token unless needed, priority class, and replicas spread
 * over nodes. Components get it through their base, so none can miss one.
 * @internal
 */
export function podTemplate(
  scope: IConstruct, identity: ComponentIdentity, replicas: number, options: ReplicatedPodOptions, content: PodContent,
): k8s.PodTemplateSpec {
  for (const key of ['user', 'group', 'fsGroup'] as const) {
    const id = options.runAs?.[key];
    if (id !== undefined && !(Number.isInteger(id) && id > 0)) {
      invalid(scope, `runAs.${key}`, `must be a positive integer, got ${id}: the "restricted" Pod Security Standard forbids root`);
    }
  }
  return {
    metadata: { labels: identity.labels },
    spec: {
      serviceAccountName: content.serviceAccountName,
      automountServiceAccountToken: content.serviceAccountName !== undefined,
      securityContext: restrictedPodSecurityContext(options.runAs),
      terminationGracePeriodSeconds: content.terminationGracePeriodSeconds,
      priorityClassName: options.priorityClassName,
      ...(replicas > 1 ? spreadReplicas(identity.selectorLabels, options.spread) : {}),
      containers: content.containers,
      volumes: content.volumes,
    },
  };
}

/**
 * The `data` claim template of a StatefulSet: one ReadWriteOnce volume per replica.
 * @internal
 */
export function dataClaimTemplate(identity: ComponentIdentity, storage: StorageOptions, defaultSize: Size): k8s.KubePersistentVolumeClaimProps {
  return {
    metadata: { name: 'data', labels: identity.labels },
    spec: {
      accessModes: ['ReadWriteOnce'],
      storageClassName: storage.storageClassName,
      resources: { requests: { storage: storageQuantity(storage.size ?? defaultSize) } },
    },
  };
}
