import { Size } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { validateCount } from '../errors';
import { ComponentIdentity, identify, serviceHost } from '../private/identity';
import { ContainerImage } from '../images/container-image';
import { NetworkGraph, NetworkPeer } from '../wiring/network-graph';
import { componentNetworkPolicy } from '../wiring/network-policies';
import { ReplicatedPodOptions, StorageOptions } from '../private/pod-template';
import { ObjectStorage } from './object-storage';
import { Resources } from '../pod/resources';
import { disruptionBudget } from '../pod/scheduling';
import { thanosHeadlessService, thanosStatefulSet } from './private/bucket-workload';
import { IStoreApi, NamedPort } from '../wiring/interfaces';

/** Props of {@link ThanosStoreGateway}. */
export interface ThanosStoreGatewayProps extends ReplicatedPodOptions {
  /** The bucket the sidecars upload to. */
  readonly objectStorage: ObjectStorage;
  /**
   * Base name of the Kubernetes objects.
   * @default the construct id
   */
  readonly name?: string;
  /**
   * Replicas; each serves the whole bucket, the querier de-duplicates.
   * @default 2
   */
  readonly replicas?: number;
  /** @default DefaultImages.THANOS */
  readonly image?: ContainerImage;
  /** Local index cache volume. @default 10 GiB on the default StorageClass */
  readonly storage?: StorageOptions;
  /** @default 100m/512Mi requested, 1 CPU/2Gi limit */
  readonly resources?: Resources;
  /**
   * Isolate the pods with a NetworkPolicy derived from the wiring.
   * @default true
   */
  readonly networkPolicy?: boolean;
}

const GRPC: NamedPort = { name: 'grpc', port: 10901 };
const HTTP: NamedPort = { name: 'http', port: 10902 };

/**
 * Thanos Store Gateway: serves the blocks in object storage over the Store
 * API, so queries reach further back than Prometheus' local retention.
 */
export class ThanosStoreGateway extends Construct implements IStoreApi {
  public readonly identity: ComponentIdentity;
  public readonly replicas: number;
  public readonly headlessServiceName: string;
  public readonly statefulSet: k8s.KubeStatefulSet;
  public readonly storeApiPort = GRPC;

  constructor(scope: Construct, id: string, props: ThanosStoreGatewayProps) {
    super(scope, id);
    this.identity = identify(this, 'thanos-store', 'object-store-gateway', props.name);
    const { name, labels, selectorLabels } = this.identity;
    this.replicas = validateCount(this, 'replicas', props.replicas ?? 2);
    this.headlessServiceName = `${name}-headless`;
    thanosHeadlessService(this, this.identity, this.headlessServiceName, [GRPC, HTTP]);
    this.statefulSet = thanosStatefulSet(this, {
      identity: this.identity,
      headlessServiceName: this.headlessServiceName,
      replicas: this.replicas,
      args: ['store', '--log.format=logfmt', `--grpc-address=0.0.0.0:${GRPC.port}`, `--http-address=0.0.0.0:${HTTP.port}`],
      ports: [GRPC, HTTP],
      objectStorage: props.objectStorage,
      dataDir: '/var/thanos/store',
      storage: props.storage ?? {},
      defaultStorageSize: Size.gibibytes(10),
      image: props.image,
      resources: props.resources,
      defaultResources: { cpu: { request: '100m', limit: '1' }, memory: { request: Size.mebibytes(512), limit: Size.gibibytes(2) } },
      runAs: props.runAs,
      spread: props.spread,
      priorityClassName: props.priorityClassName,
    });
    disruptionBudget(this, name, selectorLabels, labels, this.replicas);
    const graph = NetworkGraph.of(this);
    graph.serveMetrics(this, [HTTP]);
    graph.connect(NetworkPeer.component(this), NetworkPeer.anywhere(), props.objectStorage.egressPorts);
    if (props.networkPolicy ?? true) componentNetworkPolicy(this, this);
  }

  public get storeApiAddress(): string {
    return `dnssrv+_${GRPC.name}._tcp.${serviceHost(this.headlessServiceName, this.identity.namespace)}`;
  }
}
