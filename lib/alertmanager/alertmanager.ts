import { Duration, Lazy, Size } from 'cdk8s';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import * as k8s from '../../imports/k8s';
import { AlertmanagerConfig, NULL_ALERTMANAGER_CONFIG, renderAlertmanagerConfig } from '../config/alertmanager/alertmanager-config';
import { notificationPorts } from '../config/alertmanager/notification-ports';
import { ALERTMANAGER_SECRETS_DIR } from '../config/common/secret-file';
import { resolveSecretFiles } from '../config/common/secret-mounts';
import { invalid, validateCount } from '../errors';
import { ContainerImage } from '../images/container-image';
import { DefaultImages } from '../images/default-images';
import { checkAlertmanagerConfig } from '../images/versions/alertmanager-config';
import { BINARIES, checkedArgs, SINCE, supportedVersion } from '../images/versions/support';
import { CONFIG_RELOADER_PORT, configReloaderContainer, ConfigReloaderOptions } from '../pod/config-reloader';
import { ReplicatedPodOptions, StorageOptions } from '../pod/pod-options';
import { secretFileNeeds } from '../prerequisites/needs';
import { Resources } from '../pod/resources';
import { WebComponent } from '../private/web-component';
import { container } from '../private/container';
import { goDurationProp } from '../private/durations';
import { dataClaimTemplate } from '../private/pod-template';
import { healthProbes, joinPath } from '../private/probes';
import { IAlertmanagerTarget, NamedPort } from '../wiring/interfaces';
import { NetworkPeer } from '../wiring/network-graph';

/** Props of {@link Alertmanager}. */
export interface AlertmanagerProps extends ReplicatedPodOptions {
  /**
   * Replicas in the gossip cluster. They share silences and the notification
   * log, so each alert is notified once however many replicas receive it.
   * @default 3
   */
  readonly replicas?: number;
  /** @default DefaultImages.ALERTMANAGER */
  readonly image?: ContainerImage;
  /**
   * Routing and receivers.
   * @default a single receiver that drops notifications
   */
  readonly config?: AlertmanagerConfig;
  /**
   * Notification templates, by file name (`*.tmpl`) and content: shipped in
   * a ConfigMap mounted at `/etc/alertmanager/templates`, added to the
   * config's `templates`, and reloaded when they change.
   * @default none
   */
  readonly templateFiles?: Record<string, string>;
  /**
   * Path prefix of the UI and API: sets `--web.route-prefix`, the path
   * Prometheus posts alerts to, and the Ingress path.
   * @default '/'
   */
  readonly routePrefix?: string;
  /**
   * URL users reach Alertmanager at (links in notifications).
   * @default the URL of the MonitoringIngress that exposes it, if any
   */
  readonly externalUrl?: string;
  /**
   * Keep silences and the notification log on a PersistentVolumeClaim.
   * Without it they live in an emptyDir and are recovered from peers on restart.
   * @default emptyDir
   */
  readonly storage?: StorageOptions;
  /**
   * How long notified and silenced state is kept.
   * @default Duration.hours(120)
   */
  readonly dataRetention?: Duration;
  /** The config watch sidecar. @default the default reloader */
  readonly configReloader?: ConfigReloaderOptions;
  /** @default 50m/128Mi requested, 500m/256Mi limit */
  readonly resources?: Resources;
}

const WEB_PORT: NamedPort = { name: 'web', port: 9093 };
const MESH_TCP_PORT: NamedPort = { name: 'mesh-tcp', port: 9094, protocol: 'TCP' };
const MESH_UDP_PORT: NamedPort = { name: 'mesh-udp', port: 9094, protocol: 'UDP' };
const CONFIG_DIR = '/etc/alertmanager/config';
const CONFIG_FILE = 'alertmanager.yml';
const DATA_DIR = '/alertmanager';
const TEMPLATES_DIR = '/etc/alertmanager/templates';

/**
 * An Alertmanager gossip cluster: a StatefulSet whose replicas find each other
 * by stable per-pod DNS names through a headless Service.
 */
export class Alertmanager extends WebComponent implements IAlertmanagerTarget {
  public readonly replicas: number;
  public readonly webPort = WEB_PORT;
  /** Name of the client Service. */
  public readonly serviceName: string;
  /** Name of the headless peer Service (per-pod DNS). */
  public readonly headlessServiceName: string;
  /** The ConfigMap holding `alertmanager.yml`. */
  public readonly configMap: k8s.KubeConfigMap;
  /** The ConfigMap of the notification templates, when `templateFiles` are given. */
  public readonly templatesConfigMap?: k8s.KubeConfigMap;
  /** The headless peer Service (web and gossip ports, addresses published before Ready). */
  public readonly headlessService: k8s.KubeService;
  /** The client Service (port `web`). */
  public readonly service: k8s.KubeService;
  /** The StatefulSet: the default child. */
  public readonly statefulSet: k8s.KubeStatefulSet;
  private readonly config: AlertmanagerConfig;

  constructor(scope: Construct, id: string, props: AlertmanagerProps = {}) {
    super(scope, id, { app: 'alertmanager', role: 'alert-router', conventionalPath: '/alertmanager' }, props);
    this.replicas = validateCount(this, 'replicas', props.replicas ?? 3);
    this.serviceName = this.identity.name;
    this.headlessServiceName = `${this.identity.name}-headless`;
    const templateFiles = validateTemplateFiles(this, props.templateFiles);
    const config = props.config ?? NULL_ALERTMANAGER_CONFIG;
    this.config = templateFiles
      ? { ...config, templates: [...config.templates ?? [], `${TEMPLATES_DIR}/*.tmpl`] }
      : config;
    // Every Secret a SecretFile names is mounted under ALERTMANAGER_SECRETS_DIR, read-only, and the `*_file` field points there.
    const { config: renderedConfig, mounts: secrets } = resolveSecretFiles(this, renderAlertmanagerConfig(this, 'config', this.config), ALERTMANAGER_SECRETS_DIR);
    this.requires(...secretFileNeeds(ALERTMANAGER_SECRETS_DIR, renderedConfig, CONFIG_FILE));
    const retention = goDurationProp(this, 'dataRetention', props.dataRetention ?? Duration.hours(120));

    this.configMap = this.createConfigMap('config', { [CONFIG_FILE]: stringify(renderedConfig, { lineWidth: 0 }) });
    this.templatesConfigMap = templateFiles && this.createConfigMap('templates', templateFiles);

    const meshPorts = [MESH_TCP_PORT, MESH_UDP_PORT];
    // Peers must resolve each other before they are Ready: readiness waits for the cluster to settle.
    this.headlessService = this.createHeadlessService(this.headlessServiceName, { ports: [this.webPort, ...meshPorts], publishNotReadyAddresses: true });
    this.service = this.createService({ ports: [this.webPort] });

    const configMounts = [
      { name: 'config', mountPath: CONFIG_DIR },
      ...(this.templatesConfigMap ? [{ name: 'templates', mountPath: TEMPLATES_DIR }] : []),
    ];
    this.statefulSet = this.createStatefulSet(this.headlessServiceName, {
      replicas: this.replicas,
      template: this.podTemplate(this.replicas, props, {
        containers: [
          container({
            name: 'alertmanager',
            image: props.image ?? DefaultImages.ALERTMANAGER,
            args: Lazy.any({ produce: () => this.renderArgs(retention, props.image ?? DefaultImages.ALERTMANAGER, renderedConfig) }),
            env: [
              { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
              { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            ],
            ports: [this.webPort, ...meshPorts],
            resources: props.resources,
            defaultResources: { cpu: { request: '50m', limit: '500m' }, memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) } },
            volumeMounts: [
              ...configMounts.map(m => ({ ...m, readOnly: true })),
              { name: 'data', mountPath: DATA_DIR },
              ...secrets.map(s => ({ name: s.volumeName, mountPath: s.mountPath, readOnly: true })),
            ],
            probes: healthProbes(this.webPort.name, () => this.routePrefix),
          }),
          configReloaderContainer(
            props.configReloader ?? {},
            () => `http://127.0.0.1:${this.webPort.port}${joinPath(this.routePrefix, '/-/reload')}`,
            configMounts,
            this,
          ),
        ],
        volumes: [
          { name: 'config', configMap: { name: this.configMap.name } },
          ...(this.templatesConfigMap ? [{ name: 'templates', configMap: { name: this.templatesConfigMap.name } }] : []),
          ...secrets.map(s => ({ name: s.volumeName, secret: { secretName: s.secretName } })),
          ...(props.storage ? [] : [{ name: 'data', emptyDir: {} }]),
        ],
      }),
      volumeClaimTemplates: props.storage ? [dataClaimTemplate(this.identity, props.storage, Size.gibibytes(1))] : undefined,
    });
    const prefix = this.prefix;
    this.serveMetrics(this.replicas, [
      { ...this.podMetrics(this.headlessServiceName, this.replicas, this.webPort), get path() { return prefix.join('/metrics'); } },
      this.podMetrics(this.headlessServiceName, this.replicas, CONFIG_RELOADER_PORT, { job: this.metricsJob('reloader') }),
    ]);
    if (this.replicas > 1) this.connectTo(NetworkPeer.component(this), meshPorts);
    const receiverPorts = notificationPorts(renderedConfig);
    if (receiverPorts.length) this.connectTo(NetworkPeer.anywhere(), receiverPorts);
    this.protect(this.replicas);
  }

  /** Stable DNS name of replica `i` through the headless Service. */
  public podHost(i: number): string {
    return `${this.identity.name}-${i}.${this.serviceHost(this.headlessServiceName)}`;
  }

  public get alertmanagerAddresses(): string[] {
    return Array.from({ length: this.replicas }, (_, i) => `${this.podHost(i)}:${this.webPort.port}`);
  }

  /** The gossip peers each replica joins (every replica, itself included, as upstream recommends). */
  public get peerAddresses(): string[] {
    return Array.from({ length: this.replicas }, (_, i) => `${this.podHost(i)}:${MESH_TCP_PORT.port}`);
  }

  /** The rendered `alertmanager.yml` (for tests and amtool). */
  public renderConfig(): string {
    return stringify(resolveSecretFiles(this, renderAlertmanagerConfig(this, 'config', this.config), ALERTMANAGER_SECRETS_DIR).config, { lineWidth: 0 });
  }


  /**
   * The flags, for the release the image runs: refused if it is older than
   * the oldest supported, or if `config` has a field it does not know; each
   * flag rendered is checked against what the release takes.
   */
  private renderArgs(retention: string, image: ContainerImage, config: Record<string, unknown>): string[] {
    const version = supportedVersion(this, 'image', image, BINARIES.alertmanager);
    checkAlertmanagerConfig(this, 'config', version, config);
    const mesh = MESH_TCP_PORT.port;
    const cluster = this.replicas > 1
      ? [
        `--cluster.listen-address=0.0.0.0:${mesh}`,
        // Kubernetes substitutes $(POD_IP): advertise the pod IP, not whatever interface Go picks.
        `--cluster.advertise-address=$(POD_IP):${mesh}`,
        // The pod name, stable across restarts; before v0.30.0 a random one per start.
        ...(version.atLeast(SINCE.alertmanagerPeerName) ? ['--cluster.peer-name=$(POD_NAME)'] : []),
        ...this.peerAddresses.map(p => `--cluster.peer=${p}`),
        '--cluster.reconnect-timeout=5m',
      ]
      // A single replica has no peers: switch gossip off instead of listening for none.
      : ['--cluster.listen-address='];
    return checkedArgs(this, 'image', BINARIES.alertmanager, version, [
      `--config.file=${CONFIG_DIR}/${CONFIG_FILE}`,
      `--storage.path=${DATA_DIR}`,
      `--data.retention=${retention}`,
      `--web.listen-address=:${this.webPort.port}`,
      `--web.route-prefix=${this.routePrefix}`,
      ...(this.externalUrl ? [`--web.external-url=${this.externalUrl}`] : []),
      ...cluster,
    ]);
  }
}

/** Template file names must be ConfigMap keys ending in `.tmpl`, the glob the config reads. */
function validateTemplateFiles(scope: Construct, files: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!files) return undefined;
  const names = Object.keys(files);
  if (!names.length) invalid(scope, 'templateFiles', 'is empty; leave it out instead');
  for (const file of names) {
    if (!/^[-._a-zA-Z0-9]+\.tmpl$/.test(file)) {
      invalid(scope, `templateFiles.${file}`, 'file names must be like name.tmpl (letters, digits, -, _, .)');
    }
  }
  return files;
}
