import { Size } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import * as k8s from '../../../imports/k8s';
import { validateCount } from '../../errors';
import { ContainerImage } from '../../images/container-image';
import { DefaultImages } from '../../images/default-images';
import { BINARIES, checkedArgs, supportedVersion } from '../../images/versions/support';
import { ReplicatedPodOptions, StorageOptions } from '../../pod/pod-options';
import { ResourceDefaults, Resources } from '../../pod/resources';
import { THANOS_USER } from '../../pod/security';
import { bucketNeeds } from '../../prerequisites/needs';
import { componentServiceAccount, ServiceAccountOptions } from '../../pod/service-account';
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
  /**
   * The ServiceAccount the pods run as, for workload identity (annotated with
   * the bucket's, e.g. `S3Credentials.irsa`, and these options' annotations).
   * The pods still get no Kubernetes API token: they do not call the API.
   * @default one named like the component when the bucket's credentials need
   *   it, else none (the namespace's `default`)
   */
  readonly serviceAccount?: ServiceAccountOptions;
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
 * StatefulSet with a local data volume and the objstore file, a headless
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
  /** Name of the ServiceAccount the pods run as, when they have one of their own. */
  public readonly serviceAccountName?: string;
  /** The ServiceAccount the pods run as, when the component creates it. */
  public readonly serviceAccount?: k8s.KubeServiceAccount;

  protected constructor(scope: Construct, id: string, kind: ComponentKind, props: BucketComponentProps, workload: BucketWorkload) {
    super(scope, id, kind, props);
    this.replicas = validateCount(this, 'replicas', workload.replicas);
    this.headlessServiceName = `${this.identity.name}-headless`;
    this.headlessService = this.createHeadlessService(this.headlessServiceName, { ports: workload.ports });
    const bucket = props.objectStorage.bind(this, 'objectStorage', this.replicas);
    this.requires(...bucketNeeds(props.objectStorage));
    const needsIdentity = props.serviceAccount !== undefined || Object.keys(bucket.serviceAccountAnnotations).length > 0;
    const identity = needsIdentity ? componentServiceAccount(this, this.identity, props.serviceAccount ?? {}, bucket.serviceAccountAnnotations) : undefined;
    this.serviceAccountName = identity?.name;
    this.serviceAccount = identity?.serviceAccount;
    const version = supportedVersion(this, 'image', props.image ?? DefaultImages.THANOS, BINARIES.thanos);
    const template = this.podTemplate(this.replicas, { ...props, runAs: props.runAs ?? THANOS_USER }, {
      containers: [container({
        name: 'thanos',
        image: props.image ?? DefaultImages.THANOS,
        // Every flag checked against what the image's Thanos release takes.
        args: checkedArgs(this, 'image', BINARIES.thanos, version, [...workload.args(this), ...bucket.args, `--data-dir=${workload.dataDir}`]),
        env: bucket.env.length ? bucket.env : undefined,
        ports: workload.ports,
        resources: props.resources,
        defaultResources: workload.defaultResources,
        volumeMounts: [{ name: 'data', mountPath: workload.dataDir }, ...bucket.mounts],
        probes: healthProbes(workload.httpPort.name),
      })],
      volumes: bucket.volumes,
    });
    this.statefulSet = this.createStatefulSet(this.headlessServiceName, {
      replicas: this.replicas,
      // The pods run as their ServiceAccount for its cloud identity only, so they keep
      // automountServiceAccountToken: false (a PodContent.serviceAccountName would mount
      // an API token): the identity webhooks project a token of their own audience.
      template: identity ? { ...template, spec: { ...template.spec!, serviceAccountName: identity.name } } : template,
      volumeClaimTemplates: [dataClaimTemplate(this.identity, props.storage ?? {}, workload.defaultStorageSize)],
    });
    this.serveMetrics(this.replicas, [this.podMetrics(this.headlessServiceName, this.replicas, workload.httpPort)]);
    // No ports (a filesystem bucket) means no egress, not egress on every port.
    if (bucket.egressPorts.length) this.connectTo(NetworkPeer.anywhere(), bucket.egressPorts);
    this.protect(this.replicas);
  }
}
