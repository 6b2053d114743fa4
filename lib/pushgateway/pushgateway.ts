import { Duration, Lazy, Size } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { ContainerImage } from '../images/container-image';
import { DefaultImages } from '../images/default-images';
import { BINARIES, checkedArgs, supportedVersion } from '../images/versions/support';
import { invalid } from '../errors';
import { PodOptions, StorageOptions } from '../pod/pod-options';
import { Resources } from '../pod/resources';
import { WebComponent } from '../private/web-component';
import { container } from '../private/container';
import { goDurationProp } from '../private/durations';
import { dataClaimTemplate } from '../private/pod-template';
import { healthProbes } from '../private/probes';
import { IPushgatewayTarget, NamedPort } from '../wiring/interfaces';
import { NetworkPeer } from '../wiring/network-graph';

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
}

const WEB_PORT: NamedPort = { name: 'web', port: 9091 };
const DATA_DIR = '/data';

/**
 * A Pushgateway for batch jobs: one replica (see `replicas`), with pushed
 * groups persisted on a PersistentVolumeClaim so a restart keeps them.
 */
export class Pushgateway extends WebComponent implements IPushgatewayTarget {
  public readonly webPort = WEB_PORT;
  public readonly serviceName: string;
  /** Name of the headless governing Service of the StatefulSet. */
  public readonly headlessServiceName: string;
  /** Whether pushed groups are persisted. */
  public readonly persistent: boolean;
  /** The client Service (port `web`). */
  public readonly service: k8s.KubeService;
  /** The headless Service that governs the StatefulSet. */
  public readonly headlessService: k8s.KubeService;
  /** The StatefulSet: the default child. */
  public readonly statefulSet: k8s.KubeStatefulSet;

  constructor(scope: Construct, id: string, props: PushgatewayProps = {}) {
    super(scope, id, { app: 'pushgateway', role: 'metrics-cache', conventionalPath: '/pushgateway' }, props);
    if ((props.replicas ?? 1) !== 1) {
      invalid(this, 'replicas', `must be 1, got ${props.replicas}: Pushgateway replicas do not share pushed groups, `
        + 'so behind one Service scrapes see a random subset and deletes miss; create one Pushgateway per team instead');
    }
    const prefix = this.prefix;
    this.serviceName = this.identity.name;
    this.headlessServiceName = `${this.identity.name}-headless`;
    this.persistent = props.persistence?.enabled ?? true;
    if (!this.persistent && (props.persistence?.storage || props.persistence?.interval)) {
      invalid(this, 'persistence', 'storage and interval need persistence.enabled');
    }
    const interval = goDurationProp(this, 'persistence.interval', props.persistence?.interval ?? Duration.minutes(5));
    const version = supportedVersion(this, 'image', props.image ?? DefaultImages.PUSHGATEWAY, BINARIES.pushgateway);

    this.service = this.createService({ ports: [this.webPort] });
    this.headlessService = this.createHeadlessService(this.headlessServiceName, { ports: [this.webPort] });
    this.statefulSet = this.createStatefulSet(this.headlessServiceName, {
      replicas: 1,
      // One replica: no order to relax, so Kubernetes' default stays.
      parallel: false,
      template: this.podTemplate(1, props, {
        containers: [container({
          name: 'pushgateway',
          image: props.image ?? DefaultImages.PUSHGATEWAY,
          // Every flag checked against what the image's release takes.
          args: Lazy.any({ produce: () => checkedArgs(this, 'image', BINARIES.pushgateway, version, [
            `--web.listen-address=:${this.webPort.port}`,
            `--web.route-prefix=${this.routePrefix}`,
            ...(this.persistent ? [`--persistence.file=${DATA_DIR}/pushgateway.db`, `--persistence.interval=${interval}`] : []),
            ...(props.enableAdminApi ? ['--web.enable-admin-api'] : []),
            ...(this.externalUrl ? [`--web.external-url=${this.externalUrl}`] : []),
          ]) }),
          ports: [this.webPort],
          resources: props.resources,
          defaultResources: { cpu: { request: '50m', limit: '500m' }, memory: { request: Size.mebibytes(64), limit: Size.mebibytes(256) } },
          volumeMounts: this.persistent ? [{ name: 'data', mountPath: DATA_DIR }] : undefined,
          probes: healthProbes(this.webPort.name, () => this.routePrefix),
        })],
      }),
      volumeClaimTemplates: this.persistent ? [dataClaimTemplate(this.identity, props.persistence?.storage ?? {}, Size.gibibytes(2))] : undefined,
    });
    this.serveMetrics(1, [{
      job: this.metricsJob(),
      port: this.webPort,
      get path() { return prefix.join('/metrics'); },
      // The pushed groups keep the labels their batch jobs gave them.
      honorLabels: true,
      staticTargets: [this.pushgatewayAddress],
    }]);
    for (const pusher of props.pushFrom ?? [NetworkPeer.anyPodInCluster()]) {
      this.graph.connect(pusher, NetworkPeer.component(this), [this.webPort]);
    }
    this.protect(1);
  }

  public get pushgatewayAddress(): string {
    return `${this.serviceHost(this.serviceName)}:${this.webPort.port}`;
  }
}
