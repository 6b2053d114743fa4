import { Size } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import * as k8s from '../../../imports/k8s';
import { validateCount } from '../../errors';
import { ContainerImage } from '../../images/container-image';
import { DefaultImages } from '../../images/default-images';
import { ReplicatedPodOptions, StorageOptions } from '../../pod/pod-options';
import { ResourceDefaults, Resources } from '../../pod/resources';
import { THANOS_USER } from '../../pod/security';
import { Component, ComponentKind } from '../../private/component';
import { container } from '../../private/container';
import { dataClaimTemplate } from '../../private/pod-template';
import { healthProbes } from '../../private/probes';
import { NamedPort } from '../../wiring/interfaces';
import { NetworkPeer } from '../../wiring/network-graph';
import { ObjectStorage } from '../object-storage';

/** The props of a Thanos component that reads a bucket. */
export interface BucketComponentProps extends ReplicatedPodOptions {
  /** The bucket. */
  readonly objectStorage: ObjectStorage;
  /** @default DefaultImages.THANOS */
  readonly image?: ContainerImage;
  /** The local data volume. @default component-specific size on the default StorageClass */
  readonly storage?: StorageOptions;
  /** @default component-specific */
  readonly resources?: Resources;
}

/** What differs between the Thanos components that read a bucket. */
export interface BucketWorkload {
  readonly replicas: number;
  /**
   * The subcommand and its flags (the objstore and data-dir flags are
   * added), given the component so a bad prop is reported on it.
   */
  readonly args: (component: IConstruct) => string[];
  readonly ports: NamedPort[];
  /** The HTTP port: probes and metrics. */
  readonly httpPort: NamedPort;
  readonly dataDir: string;
  readonly defaultStorageSize: Size;
  readonly defaultResources: ResourceDefaults;
}

/**
 * What the store gateway and the compactor have in common: a Thanos
 * StatefulSet with a local data volume and the objstore Secret, a headless
 * governing Service, metrics on its HTTP port and egress to the bucket.
 * @internal
 */
export abstract class BucketComponent extends Component {
  /** Number of replicas. */
  public readonly replicas: number;
  /** Name of the headless governing Service. */
  public readonly headlessServiceName: string;
  /** The headless governing Service. */
  public readonly headlessService: k8s.KubeService;
  /** The StatefulSet: the default child. */
  public readonly statefulSet: k8s.KubeStatefulSet;

  protected constructor(scope: Construct, id: string, kind: ComponentKind, props: BucketComponentProps, workload: BucketWorkload) {
    super(scope, id, kind, props);
    this.replicas = validateCount(this, 'replicas', workload.replicas);
    this.headlessServiceName = `${this.identity.name}-headless`;
    this.headlessService = this.createHeadlessService(this.headlessServiceName, { ports: workload.ports });
    const storage = props.objectStorage;
    this.statefulSet = this.createStatefulSet(this.headlessServiceName, {
      replicas: this.replicas,
      template: this.podTemplate(this.replicas, { ...props, runAs: props.runAs ?? THANOS_USER }, {
        containers: [container({
          name: 'thanos',
          image: props.image ?? DefaultImages.THANOS,
          args: [...workload.args(this), storage.flag, `--data-dir=${workload.dataDir}`],
          ports: workload.ports,
          resources: props.resources,
          defaultResources: workload.defaultResources,
          volumeMounts: [{ name: 'data', mountPath: workload.dataDir }, storage.mount],
          probes: healthProbes(workload.httpPort.name),
        })],
        volumes: [storage.volume],
      }),
      volumeClaimTemplates: [dataClaimTemplate(this.identity, props.storage ?? {}, workload.defaultStorageSize)],
    });
    this.serveMetrics(this.replicas, [this.podMetrics(this.headlessServiceName, this.replicas, workload.httpPort)]);
    this.connectTo(NetworkPeer.anywhere(), storage.egressPorts);
    this.protect(this.replicas);
  }
}
