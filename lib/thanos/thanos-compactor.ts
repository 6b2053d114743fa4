import { Duration, Size } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { promDurationProp } from '../private/durations';
import { ComponentIdentity, identify } from '../private/identity';
import { ContainerImage } from '../images/container-image';
import { NetworkGraph, NetworkPeer } from '../wiring/network-graph';
import { componentNetworkPolicy } from '../wiring/network-policies';
import { PodOptions, StorageOptions } from '../private/pod-template';
import { ObjectStorage } from './object-storage';
import { Resources } from '../pod/resources';
import { thanosHeadlessService, thanosStatefulSet } from './private/bucket-workload';
import { IComponent, NamedPort } from '../wiring/interfaces';

/** How long the compactor keeps each resolution in the bucket. */
export interface CompactorRetention {
  /** @default Duration.days(30) */
  readonly raw?: Duration;
  /** 5-minute downsampled data. @default Duration.days(90) */
  readonly fiveMinutes?: Duration;
  /** 1-hour downsampled data. @default Duration.days(365) */
  readonly oneHour?: Duration;
}

/** Props of {@link ThanosCompactor}. */
export interface ThanosCompactorProps extends PodOptions {
  /** The bucket to compact and downsample. */
  readonly objectStorage: ObjectStorage;
  /**
   * Base name of the Kubernetes objects.
   * @default the construct id
   */
  readonly name?: string;
  /** @default 30d raw, 90d at 5m, 1y at 1h */
  readonly retention?: CompactorRetention;
  /** @default DefaultImages.THANOS */
  readonly image?: ContainerImage;
  /** Scratch space for compaction. @default 50 GiB on the default StorageClass */
  readonly storage?: StorageOptions;
  /** @default 200m/1Gi requested, 2 CPU/4Gi limit */
  readonly resources?: Resources;
  /**
   * Isolate the pod with a NetworkPolicy derived from the wiring.
   * @default true
   */
  readonly networkPolicy?: boolean;
}

const HTTP: NamedPort = { name: 'http', port: 10902 };

/**
 * Thanos Compactor: compacts, downsamples and applies retention to the
 * bucket. Exactly one may run per bucket — two would compact the same blocks
 * concurrently — so it is a single-replica StatefulSet without a disruption
 * budget (which would only block node drains).
 */
export class ThanosCompactor extends Construct implements IComponent {
  public readonly identity: ComponentIdentity;
  public readonly statefulSet: k8s.KubeStatefulSet;

  constructor(scope: Construct, id: string, props: ThanosCompactorProps) {
    super(scope, id);
    this.identity = identify(this, 'thanos-compact', 'database-compactor', props.name);
    const retention = (prop: keyof CompactorRetention, fallback: Duration) =>
      promDurationProp(this, `retention.${prop}`, props.retention?.[prop] ?? fallback);
    const headless = `${this.identity.name}-headless`;
    thanosHeadlessService(this, this.identity, headless, [HTTP]);
    this.statefulSet = thanosStatefulSet(this, {
      identity: this.identity,
      headlessServiceName: headless,
      replicas: 1,
      args: [
        'compact',
        '--log.format=logfmt',
        // Run as a service, compacting whenever new blocks arrive.
        '--wait',
        `--http-address=0.0.0.0:${HTTP.port}`,
        `--retention.resolution-raw=${retention('raw', Duration.days(30))}`,
        `--retention.resolution-5m=${retention('fiveMinutes', Duration.days(90))}`,
        `--retention.resolution-1h=${retention('oneHour', Duration.days(365))}`,
      ],
      ports: [HTTP],
      objectStorage: props.objectStorage,
      dataDir: '/var/thanos/compact',
      storage: props.storage ?? {},
      defaultStorageSize: Size.gibibytes(50),
      image: props.image,
      resources: props.resources,
      defaultResources: { cpu: { request: '200m', limit: '2' }, memory: { request: Size.gibibytes(1), limit: Size.gibibytes(4) } },
      runAs: props.runAs,
      priorityClassName: props.priorityClassName,
    });
    const graph = NetworkGraph.of(this);
    graph.serveMetrics(this, [HTTP]);
    graph.connect(NetworkPeer.component(this), NetworkPeer.anywhere(), props.objectStorage.egressPorts);
    if (props.networkPolicy ?? true) componentNetworkPolicy(this, this);
  }
}
