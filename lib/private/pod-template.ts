import { Size } from 'cdk8s';
import { IConstruct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { invalid } from '../errors';
import { ComponentIdentity } from './identity';
import { storageQuantity } from '../pod/resources';
import { spreadReplicas, SpreadOptions } from '../pod/scheduling';
import { restrictedPodSecurityContext, RunAs } from '../pod/security';

/** Pod-level props every component takes. */
export interface PodOptions {
  /**
   * User and groups of the containers.
   * @default the user of the upstream image: 65534 (nobody) for Prometheus,
   * Alertmanager and Pushgateway, 1001 for Thanos Query, Store and Compactor
   */
  readonly runAs?: RunAs;
  /**
   * PriorityClass of the pods, e.g. to keep monitoring scheduled under pressure.
   * @default none
   */
  readonly priorityClassName?: string;
}

/** Pod-level props of components that run several replicas. */
export interface ReplicatedPodOptions extends PodOptions {
  /**
   * How replicas are spread over nodes (and zones).
   * @default preferred anti-affinity by node
   */
  readonly spread?: SpreadOptions;
}

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
 * over nodes. Defaults live here once, so no component can miss one.
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

/** Persistent storage of a stateful component. */
export interface StorageOptions {
  /** Size of each replica's volume. @default component-specific */
  readonly size?: Size;
  /**
   * StorageClass of the claims.
   * @default the cluster's default StorageClass
   */
  readonly storageClassName?: string;
}

/** The `data` claim template of a StatefulSet: one ReadWriteOnce volume per replica. */
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
