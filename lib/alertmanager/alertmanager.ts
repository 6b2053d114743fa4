import { Duration, Lazy, Size } from 'cdk8s';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import * as k8s from '../../imports/k8s';
import { AlertmanagerConfig, NULL_ALERTMANAGER_CONFIG, renderAlertmanagerConfig } from '../config/alertmanager/alertmanager-config';
import { notificationPorts } from '../config/alertmanager/notification-ports';
import { configReloaderContainer, ConfigReloaderOptions } from '../pod/config-reloader';
import { goDurationProp } from '../private/durations';
import { invalid, validateCount } from '../errors';
import { ComponentIdentity, identify, serviceHost } from '../private/identity';
import { ContainerImage } from '../images/container-image';
import { healthProbes, joinPath } from '../private/probes';
import { renderResources, Resources } from '../pod/resources';
import { validateRoutePrefix } from '../private/route-prefix';
import { disruptionBudget } from '../pod/scheduling';
import { NetworkGraph, NetworkPeer } from '../wiring/network-graph';
import { componentNetworkPolicy } from '../wiring/network-policies';
import { dataClaimTemplate, podTemplate, ReplicatedPodOptions, StorageOptions } from '../private/pod-template';
import { resolveSecretFiles } from '../config/common/secret-mounts';
import { restrictedContainerSecurityContext } from '../pod/security';
import { DefaultImages } from '../images/default-images';
import { IAlertmanagerTarget, IIngressTarget, NamedPort } from '../wiring/interfaces';

/** Props of {@link Alertmanager}. */
export interface AlertmanagerProps extends ReplicatedPodOptions {
  /**
   * Base name of the Kubernetes objects.
   * @default the construct id
   */
  readonly name?: string;
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
  /**
   * Isolate the pods with a NetworkPolicy that allows exactly the connections
   * the wiring implies (see NetworkGraph), plus DNS.
   * @default true
   */
  readonly networkPolicy?: boolean;
}

export const ALERTMANAGER_WEB_PORT: NamedPort = { name: 'web', port: 9093 };
export const ALERTMANAGER_MESH_TCP_PORT: NamedPort = { name: 'mesh-tcp', port: 9094, protocol: 'TCP' };
export const ALERTMANAGER_MESH_UDP_PORT: NamedPort = { name: 'mesh-udp', port: 9094, protocol: 'UDP' };
const CONFIG_DIR = '/etc/alertmanager/config';
const CONFIG_FILE = 'alertmanager.yml';
const DATA_DIR = '/alertmanager';
const SECRETS_DIR = '/etc/alertmanager/secrets';
const TEMPLATES_DIR = '/etc/alertmanager/templates';

/**
 * An Alertmanager gossip cluster: a StatefulSet whose replicas find each other
 * by stable per-pod DNS names through a headless Service.
 */
export class Alertmanager extends Construct implements IAlertmanagerTarget, IIngressTarget {
  public readonly identity: ComponentIdentity;
  public readonly replicas: number;
  public readonly routePrefix: string;
  public readonly webPort = ALERTMANAGER_WEB_PORT;
  /** Name of the client Service. */
  public readonly serviceName: string;
  /** Name of the headless peer Service (per-pod DNS). */
  public readonly headlessServiceName: string;
  public readonly statefulSet: k8s.KubeStatefulSet;
  private readonly config: AlertmanagerConfig;
  private externalUrl?: string;

  constructor(scope: Construct, id: string, props: AlertmanagerProps = {}) {
    super(scope, id);
    this.identity = identify(this, 'alertmanager', 'alert-router', props.name);
    const { name, labels, selectorLabels } = this.identity;
    this.replicas = validateCount(this, 'replicas', props.replicas ?? 3);
    this.routePrefix = validateRoutePrefix(this, 'routePrefix', props.routePrefix);
    this.serviceName = name;
    this.headlessServiceName = `${name}-headless`;
    this.externalUrl = props.externalUrl;
    const templateFiles = validateTemplateFiles(this, props.templateFiles);
    const config = props.config ?? NULL_ALERTMANAGER_CONFIG;
    this.config = templateFiles
      ? { ...config, templates: [...config.templates ?? [], `${TEMPLATES_DIR}/*.tmpl`] }
      : config;
    // Every Secret a SecretFile names is mounted under SECRETS_DIR, read-only, and the `*_file` field points there.
    const { config: renderedConfig, mounts: secrets } = resolveSecretFiles(this, renderAlertmanagerConfig(this, 'config', this.config), SECRETS_DIR);
    const rendered = stringify(renderedConfig, { lineWidth: 0 });
    const retention = goDurationProp(this, 'dataRetention', props.dataRetention ?? Duration.hours(120));

    const configMap = new k8s.KubeConfigMap(this, 'config', {
      metadata: { name: `${name}-config`, labels },
      data: { [CONFIG_FILE]: rendered },
    });

    const templatesMap = templateFiles && new k8s.KubeConfigMap(this, 'templates', {
      metadata: { name: `${name}-templates`, labels },
      data: templateFiles,
    });

    const meshPorts = [ALERTMANAGER_MESH_TCP_PORT, ALERTMANAGER_MESH_UDP_PORT];
    new k8s.KubeService(this, 'headless-service', {
      metadata: { name: this.headlessServiceName, labels },
      spec: {
        clusterIp: 'None',
        // Peers must resolve each other before they are Ready: readiness waits for the cluster to settle.
        publishNotReadyAddresses: true,
        selector: selectorLabels,
        ports: [this.webPort, ...meshPorts].map(p => ({
          name: p.name, port: p.port, protocol: p.protocol ?? 'TCP', targetPort: k8s.IntOrString.fromString(p.name),
        })),
      },
    });
    new k8s.KubeService(this, 'service', {
      metadata: { name: this.serviceName, labels },
      spec: {
        selector: selectorLabels,
        ports: [{ name: this.webPort.name, port: this.webPort.port, targetPort: k8s.IntOrString.fromString(this.webPort.name) }],
      },
    });

    const configMounts = [
      { name: 'config', mountPath: CONFIG_DIR },
      ...(templatesMap ? [{ name: 'templates', mountPath: TEMPLATES_DIR }] : []),
    ];
    this.statefulSet = new k8s.KubeStatefulSet(this, 'statefulset', {
      metadata: { name, labels },
      spec: {
        serviceName: this.headlessServiceName,
        replicas: this.replicas,
        podManagementPolicy: 'Parallel',
        selector: { matchLabels: selectorLabels },
        template: podTemplate(this, this.identity, this.replicas, props, {
          containers: [
            {
              name: 'alertmanager',
              image: (props.image ?? DefaultImages.ALERTMANAGER).reference,
              imagePullPolicy: 'IfNotPresent',
              args: Lazy.any({ produce: () => this.renderArgs(retention) }),
              env: [
                { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
                { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              ],
              ports: [this.webPort, ...meshPorts].map(p => ({ name: p.name, containerPort: p.port, protocol: p.protocol ?? 'TCP' })),
              resources: renderResources(props.resources, {
                cpu: { request: '50m', limit: '500m' },
                memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
              }),
              volumeMounts: [
                ...configMounts.map(m => ({ ...m, readOnly: true })),
                { name: 'data', mountPath: DATA_DIR },
                ...secrets.map(s => ({ name: s.volumeName, mountPath: s.mountPath, readOnly: true })),
              ],
              ...healthProbes(this.webPort.name, this.routePrefix),
              securityContext: restrictedContainerSecurityContext(),
            },
            configReloaderContainer(
              props.configReloader ?? {},
              `http://127.0.0.1:${this.webPort.port}${joinPath(this.routePrefix, '/-/reload')}`,
              configMounts,
            ),
          ],
          volumes: [
            { name: 'config', configMap: { name: configMap.name } },
            ...(templatesMap ? [{ name: 'templates', configMap: { name: templatesMap.name } }] : []),
            ...secrets.map(s => ({ name: s.volumeName, secret: { secretName: s.secretName } })),
            ...(props.storage ? [] : [{ name: 'data', emptyDir: {} }]),
          ],
        }),
        volumeClaimTemplates: props.storage ? [dataClaimTemplate(this.identity, props.storage, Size.gibibytes(1))] : undefined,
      },
    });
    disruptionBudget(this, name, selectorLabels, labels, this.replicas);
    const graph = NetworkGraph.of(this);
    graph.serveMetrics(this, [this.webPort]);
    if (this.replicas > 1) {
      graph.connect(NetworkPeer.component(this), NetworkPeer.component(this), [ALERTMANAGER_MESH_TCP_PORT, ALERTMANAGER_MESH_UDP_PORT]);
    }
    const receiverPorts = notificationPorts(renderedConfig);
    if (receiverPorts.length) graph.connect(NetworkPeer.component(this), NetworkPeer.anywhere(), receiverPorts);
    if (props.networkPolicy ?? true) componentNetworkPolicy(this, this);
  }

  /** Stable DNS name of replica `i` through the headless Service. */
  public podHost(i: number): string {
    return `${this.identity.name}-${i}.${serviceHost(this.headlessServiceName, this.identity.namespace)}`;
  }

  public get alertmanagerAddresses(): string[] {
    return Array.from({ length: this.replicas }, (_, i) => `${this.podHost(i)}:${this.webPort.port}`);
  }

  /** The gossip peers each replica joins (every replica, itself included, as upstream recommends). */
  public get peerAddresses(): string[] {
    return Array.from({ length: this.replicas }, (_, i) => `${this.podHost(i)}:${ALERTMANAGER_MESH_TCP_PORT.port}`);
  }

  /** The rendered `alertmanager.yml` (for tests and amtool). */
  public renderConfig(): string {
    return stringify(resolveSecretFiles(this, renderAlertmanagerConfig(this, 'config', this.config), SECRETS_DIR).config, { lineWidth: 0 });
  }

  /**
   * Called by an Ingress that exposes this Alertmanager, so links in
   * notifications point at the public URL, unless `externalUrl` was given.
   */
  public exposedAt(url: string): void {
    this.externalUrl ??= url;
  }

  private renderArgs(retention: string): string[] {
    const mesh = ALERTMANAGER_MESH_TCP_PORT.port;
    const cluster = this.replicas > 1
      ? [
        `--cluster.listen-address=0.0.0.0:${mesh}`,
        // Kubernetes substitutes $(POD_IP): advertise the pod IP, not whatever interface Go picks.
        `--cluster.advertise-address=$(POD_IP):${mesh}`,
        '--cluster.peer-name=$(POD_NAME)',
        ...this.peerAddresses.map(p => `--cluster.peer=${p}`),
        '--cluster.reconnect-timeout=5m',
      ]
      // A single replica has no peers: switch gossip off instead of listening for none.
      : ['--cluster.listen-address='];
    return [
      `--config.file=${CONFIG_DIR}/${CONFIG_FILE}`,
      `--storage.path=${DATA_DIR}`,
      `--data.retention=${retention}`,
      `--web.listen-address=:${this.webPort.port}`,
      `--web.route-prefix=${this.routePrefix}`,
      ...(this.externalUrl ? [`--web.external-url=${this.externalUrl}`] : []),
      ...cluster,
    ];
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
