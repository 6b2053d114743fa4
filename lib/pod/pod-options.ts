import { Size } from 'cdk8s';
import { RunAs } from './security';
import { SpreadOptions } from './scheduling';

/** Props every component takes. */
export interface ComponentProps {
  /**
   * Base name of the Kubernetes objects.
   * @default the construct id
   */
  readonly name?: string;
  /**
   * Isolate the pods with a NetworkPolicy that allows exactly the connections
   * the wiring implies (see NetworkGraph), plus DNS.
   * @default true
   */
  readonly networkPolicy?: boolean;
}

/** Pod-level props every component takes. */
export interface PodOptions extends ComponentProps {
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
