import { Duration, Lazy, Size } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { goDurationProp } from '../private/durations';
import { invalid } from '../errors';
import { ComponentIdentity, identify, serviceHost } from '../private/identity';
import { ContainerImage } from '../images/container-image';
import { healthProbes } from '../private/probes';
import { renderResources, Resources } from '../pod/resources';
import { validateRoutePrefix } from '../private/route-prefix';
import { NetworkGraph, NetworkPeer } from '../wiring/network-graph';
import { componentNetworkPolicy } from '../wiring/network-policies';
import { dataClaimTemplate, PodOptions, podTemplate, StorageOptions } from '../private/pod-template';
import { restrictedContainerSecurityContext } from '../pod/security';
import { DefaultImages } from '../images/default-images';
import { IIngressTarget, IPushgatewayTarget, NamedPort } from '../wiring/interfaces';

/** Persistence of pushed metrics. */
export interface PushgatewayPersistence {
  /**
   * Keep pushed groups on a volume. Without it a restart drops every group
   * until each batch job pushes again.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * How often groups are written to disk; a crash loses at most this much.
   * @default Duration.minutes(5)
   */
  readonly interval?: Duration;
  /** @default 2 GiB on the default StorageClass */
  readonly storage?: StorageOptions;
}

/** Props of {@link Pushgateway}. */
export interface PushgatewayProps extends PodOptions {
  /**
   * Base name of the Kubernetes objects.
   * @default the construct id
   */
  readonly name?: string;
  /**
   * Must be 1. Replicas behind one Service do not share state: each push lands
   * on one replica, so scrapes see a random subset and deletes miss. Run
   * several Pushgateway constructs (one per team or job class) to scale.
   * @default 1
   */
  readonly replicas?: number;
  /** @default DefaultImages.PUSHGATEWAY */
  readonly image?: ContainerImage;
  /** @default persistence on a 2 GiB volume, written every 5 minutes */
  readonly persistence?: PushgatewayPersistence;
  /**
   * Path prefix, e.g. `/pushgateway` behind a path-based Ingress.
   * @default '/'
   */
  readonly routePrefix?: string;
  /**
   * Serve `PUT /api/v1/admin/wipe`, which deletes every group.
   * @default false
   */
  readonly enableAdminApi?: boolean;
  /** @default 50m/64Mi requested, 500m/256Mi limit */
  readonly resources?: Resources;
  /**
   * Who may push (and delete) metric groups.
   * @default any pod in the cluster: batch jobs run in every namespace
   */
  readonly pushFrom?: NetworkPeer[];
  /**
   * Isolate the pods with a NetworkPolicy that allows exactly the connections
   * the wiring implies (see NetworkGraph), plus DNS.
   * @default true
   */
  readonly networkPolicy?: boolean;
}

export const PUSHGATEWAY_WEB_PORT: NamedPort = { name: 'web', port: 9091 };
const DATA_DIR = '/data';

/**
 * A Pushgateway for batch jobs: one replica (see `replicas`), with pushed
 * groups persisted on a PersistentVolumeClaim so a restart keeps them.
 */
export class Pushgateway extends Construct implements IPushgatewayTarget, IIngressTarget {
  public readonly identity: ComponentIdentity;
  public readonly routePrefix: string;
  public readonly webPort = PUSHGATEWAY_WEB_PORT;
  public readonly serviceName: string;
  /** Name of the headless governing Service of the StatefulSet. */
  public readonly headlessServiceName: string;
  /** Whether pushed groups are persisted. */
  public readonly persistent: boolean;
  public readonly statefulSet: k8s.KubeStatefulSet;
  private externalUrl?: string;

  constructor(scope: Construct, id: string, props: PushgatewayProps = {}) {
    super(scope, id);
    this.identity = identify(this, 'pushgateway', 'metrics-cache', props.name);
    const { name, labels, selectorLabels } = this.identity;
    if ((props.replicas ?? 1) !== 1) {
      invalid(this, 'replicas', `must be 1, got ${props.replicas}: Pushgateway replicas do not share pushed groups, `
        + 'so behind one Service scrapes see a random subset and deletes miss; create one Pushgateway per team instead');
    }
    this.routePrefix = validateRoutePrefix(this, 'routePrefix', props.routePrefix);
    this.serviceName = name;
    this.headlessServiceName = `${name}-headless`;
    this.persistent = props.persistence?.enabled ?? true;
    if (!this.persistent && (props.persistence?.storage || props.persistence?.interval)) {
      invalid(this, 'persistence', 'storage and interval need persistence.enabled');
    }
    const interval = goDurationProp(this, 'persistence.interval', props.persistence?.interval ?? Duration.minutes(5));
    const storage = props.persistence?.storage ?? {};

    new k8s.KubeService(this, 'service', {
      metadata: { name: this.serviceName, labels },
      spec: {
        selector: selectorLabels,
        ports: [{ name: this.webPort.name, port: this.webPort.port, targetPort: k8s.IntOrString.fromString(this.webPort.name) }],
      },
    });

    // A StatefulSet needs a headless governing Service for its pod's stable DNS name.
    new k8s.KubeService(this, 'headless-service', {
      metadata: { name: this.headlessServiceName, labels },
      spec: {
        clusterIp: 'None',
        selector: selectorLabels,
        ports: [{ name: this.webPort.name, port: this.webPort.port, targetPort: k8s.IntOrString.fromString(this.webPort.name) }],
      },
    });

    this.statefulSet = new k8s.KubeStatefulSet(this, 'statefulset', {
      metadata: { name, labels },
      spec: {
        serviceName: this.headlessServiceName,
        replicas: 1,
        selector: { matchLabels: selectorLabels },
        template: podTemplate(this, this.identity, 1, props, {
          containers: [{
            name: 'pushgateway',
            image: (props.image ?? DefaultImages.PUSHGATEWAY).reference,
            imagePullPolicy: 'IfNotPresent',
            args: Lazy.any({ produce: () => [
              `--web.listen-address=:${this.webPort.port}`,
              `--web.route-prefix=${this.routePrefix}`,
              ...(this.persistent ? [`--persistence.file=${DATA_DIR}/pushgateway.db`, `--persistence.interval=${interval}`] : []),
              ...(props.enableAdminApi ? ['--web.enable-admin-api'] : []),
              ...(this.externalUrl ? [`--web.external-url=${this.externalUrl}`] : []),
            ] }),
            ports: [{ name: this.webPort.name, containerPort: this.webPort.port }],
            resources: renderResources(props.resources, {
              cpu: { request: '50m', limit: '500m' },
              memory: { request: Size.mebibytes(64), limit: Size.mebibytes(256) },
            }),
            volumeMounts: this.persistent ? [{ name: 'data', mountPath: DATA_DIR }] : undefined,
            ...healthProbes(this.webPort.name, this.routePrefix),
            securityContext: restrictedContainerSecurityContext(),
          }],
        }),
        volumeClaimTemplates: this.persistent ? [dataClaimTemplate(this.identity, storage, Size.gibibytes(2))] : undefined,
      },
    });
    this.wireNetwork(props);
  }

  private wireNetwork(props: PushgatewayProps): void {
    const graph = NetworkGraph.of(this);
    graph.serveMetrics(this, [this.webPort]);
    for (const pusher of props.pushFrom ?? [NetworkPeer.anyPodInCluster()]) {
      graph.connect(pusher, NetworkPeer.component(this), [this.webPort]);
    }
    if (props.networkPolicy ?? true) componentNetworkPolicy(this, this);
  }

  /**
   * Called by an Ingress that exposes this Pushgateway, so its UI links point
   * at the public URL.
   */
  public exposedAt(url: string): void {
    this.externalUrl ??= url;
  }

  public get pushgatewayAddress(): string {
    return `${serviceHost(this.serviceName, this.identity.namespace)}:${this.webPort.port}`;
  }
}
