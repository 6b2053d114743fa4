import { Size } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { RuleGroup } from '../config/rules/rule-group';
import { invalid, validateDnsLabel, validatePort } from '../errors';
import { ContainerImage } from '../images/container-image';
import { DefaultImages } from '../images/default-images';
import { PodOptions } from '../pod/pod-options';
import { Resources } from '../pod/resources';
import { Component } from '../private/component';
import { container } from '../private/container';
import { IComponent, NamedPort } from '../wiring/interfaces';
import { StackDefaultDenyPolicy } from '../wiring/network-policies';
import { jobIn, nodeExporterRuleGroup } from './exporter-rules';
import { componentNamespace, moveToNamespace } from './private/own-namespace';

/** Props of {@link NodeExporter}. */
export interface NodeExporterProps extends PodOptions {
  /**
   * The namespace of the node exporter. It must not be the stack's: its pods
   * read the host's `/proc`, `/sys` and `/` and share its network, which only
   * Pod Security "privileged" admits, and the stack's namespace stays "restricted".
   * @default `<the Chart's namespace>-node-exporter`
   */
  readonly namespace?: string;
  /**
   * Create that Namespace, labelled `pod-security.kubernetes.io/enforce: privileged`.
   * Without it, the namespace must exist and admit the pods.
   * @default true
   */
  readonly createNamespace?: boolean;
  /** The node_exporter image. @default DefaultImages.NODE_EXPORTER */
  readonly image?: ContainerImage;
  /**
   * Run in the node's network namespace, so the network metrics (`node_network_*`,
   * `node_netstat_*`, conntrack, sockets) are the node's. Without it they are
   * the pod's own, and only CPU, memory, disk and filesystem metrics describe the node.
   * With it the port listens on the node's IP, where NetworkPolicies do not
   * apply, and one such node exporter per port fits a cluster: several stacks
   * (tenants) in one cluster each run theirs only without it, so it is off by
   * default; a second one on the same port in an app fails synth.
   * @default false
   */
  readonly hostNetwork?: boolean;
  /**
   * The metrics port. With `hostNetwork` it is a port of every node: change it
   * if something on the nodes already listens on 9100.
   * @default 9100
   */
  readonly port?: number;
  /** Requests and limits of the container. @default 100m/180Mi requested, 250m/180Mi limit (kube-prometheus' sizing) */
  readonly resources?: Resources;
}

const HOST_ROOT = '/host/root';
/**
 * Mount points of containers and pods, not of the node: kube-prometheus' list
 * (Docker, the kubelet's pod volumes, k3s) plus containerd's and CRI-O's.
 */
const CONTAINER_MOUNTS = '^/(dev|proc|sys|run/containerd/.+|run/k3s/containerd/.+|var/lib/containerd/.+|var/lib/containers/storage/.+|var/lib/docker/.+|var/lib/kubelet/pods/.+)($|/)';
/** Pod-side ends of container network links: veth pairs and Calico's `cali…` / Cilium's 15-hex interfaces. */
const CONTAINER_DEVICES = '^(veth.*|cali.*|lxc.*|[a-f0-9]{15})$';

/**
 * The host paths the node exporter mounts, all read-only: exactly what the
 * policy's node-exporter exception admits (see `NODE_EXPORTER_EXCEPTION`).
 */
const HOST_MOUNTS: ReadonlyArray<{ name: string; hostPath: string; mountPath: string; propagate: boolean }> = [
  { name: 'proc', hostPath: '/proc', mountPath: '/host/proc', propagate: false },
  // HostToContainer: mounts made on the node later (new volumes) show up without a restart.
  { name: 'sys', hostPath: '/sys', mountPath: '/host/sys', propagate: true },
  { name: 'root', hostPath: '/', mountPath: HOST_ROOT, propagate: true },
];

/**
 * Prometheus' node exporter on every node: a DaemonSet that tolerates every
 * taint, reads the host's `/proc`, `/sys` and `/` read-only and (by default)
 * shares the node's network namespace, scraped by the Prometheus of its stack.
 *
 * This is the one component outside Pod Security "restricted": hostPath
 * volumes and hostNetwork need "privileged", so it runs in a namespace of
 * its own, labelled for it, and `checkPolicies` admits exactly this shape by
 * name (`NODE_EXPORTER_EXCEPTION`). It does not share the host's PID
 * namespace: the host's `/proc`, mounted, is what its collectors read, and
 * it runs as `nobody` with every capability dropped and a read-only root.
 */
export class NodeExporter extends Component {
  /** The metrics port (`metrics`). */
  public readonly metricsPort: NamedPort;
  /** Whether the pods share the node's network namespace. */
  public readonly hostNetwork: boolean;
  /** The headless Service whose endpoints Prometheus scrapes. */
  public readonly service: k8s.KubeService;
  /** The DaemonSet: the default child. */
  public readonly daemonSet: k8s.KubeDaemonSet;
  /** The Namespace, labelled Pod Security "privileged" (unless `createNamespace` is false). */
  public readonly namespaceObject?: k8s.KubeNamespace;
  /** The default-deny NetworkPolicy of the node exporter's namespace (unless `networkPolicy: false`). */
  public readonly defaultDenyPolicy?: k8s.KubeNetworkPolicy;

  constructor(scope: Construct, id: string, props: NodeExporterProps = {}) {
    super(scope, id, { app: 'node-exporter', role: 'exporter' }, props);
    const stackNamespace = this.identity.namespace;
    const namespace = validateDnsLabel(this, 'namespace', props.namespace ?? `${stackNamespace}-node-exporter`, 63);
    if (namespace === stackNamespace) {
      invalid(this, 'namespace', `'${namespace}' is the Chart's namespace, which must stay Pod Security "restricted"; `
        + 'the node exporter needs "privileged" (hostPath, hostNetwork), so give it a namespace of its own');
    }
    // Everything of the component lives there: the wiring must address it there too.
    this.moveToNamespace(namespace);
    this.hostNetwork = props.hostNetwork ?? false;
    this.metricsPort = { name: 'metrics', port: validatePort(this, 'port', props.port ?? 9100) };
    if (this.hostNetwork) claimHostPort(this, this.metricsPort.port);
    const port = this.metricsPort;

    if (props.createNamespace ?? true) this.namespaceObject = componentNamespace(this, 'namespace', this.identity, 'privileged');

    const template = this.podTemplate(1, props, {
      containers: [container({
        name: 'node-exporter',
        image: props.image ?? DefaultImages.NODE_EXPORTER,
        args: [
          // The pod's IP, which is the node's with hostNetwork: not every interface of the node.
          `--web.listen-address=[$(POD_IP)]:${port.port}`,
          `--path.procfs=${HOST_MOUNTS[0].mountPath}`,
          `--path.sysfs=${HOST_MOUNTS[1].mountPath}`,
          `--path.rootfs=${HOST_ROOT}`,
          `--path.udev.data=${HOST_ROOT}/run/udev/data`,
          // As kube-prometheus: no wireless on servers; hwmon and btrfs are slow or noisy on some hosts.
          '--no-collector.wifi',
          '--no-collector.hwmon',
          '--no-collector.btrfs',
          `--collector.filesystem.mount-points-exclude=${CONTAINER_MOUNTS}`,
          `--collector.netclass.ignored-devices=${CONTAINER_DEVICES}`,
          `--collector.netdev.device-exclude=${CONTAINER_DEVICES}`,
        ],
        env: [{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
        ports: [port],
        resources: props.resources,
        defaultResources: { cpu: { request: '100m', limit: '250m' }, memory: { request: Size.mebibytes(180), limit: Size.mebibytes(180) } },
        volumeMounts: HOST_MOUNTS.map(m => ({
          name: m.name, mountPath: m.mountPath, readOnly: true, ...(m.propagate ? { mountPropagation: 'HostToContainer' } : {}),
        })),
        // node_exporter has no health endpoint; its landing page answers without collecting.
        probes: {
          livenessProbe: { httpGet: { path: '/', port: k8s.IntOrString.fromString(port.name) }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 6 },
          readinessProbe: { httpGet: { path: '/', port: k8s.IntOrString.fromString(port.name) }, periodSeconds: 10, timeoutSeconds: 3 },
        },
      })],
      volumes: HOST_MOUNTS.map(m => ({ name: m.name, hostPath: { path: m.hostPath } })),
    });
    this.daemonSet = new k8s.KubeDaemonSet(this, 'daemonset', {
      metadata: { name: this.identity.name, labels: this.identity.labels },
      spec: {
        selector: { matchLabels: this.identity.selectorLabels },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromString('10%') } },
        template: {
          ...template,
          spec: {
            ...template.spec!,
            hostNetwork: this.hostNetwork || undefined,
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            // Every node, whatever its taints: control-plane and dedicated nodes need watching too.
            tolerations: [{ operator: 'Exists' }],
          },
        },
      },
    });
    this.node.defaultChild = this.daemonSet;
    this.service = this.createHeadlessService(this.identity.name, { ports: [port] });
    // A DaemonSet has no stable pod names: its Service's endpoints are the targets.
    this.serveMetrics(1, [{ job: this.metricsJob(), port, service: this.identity.name }]);
    this.protect(1);
    // Its namespace is its own: the stack's default-deny policy does not reach it.
    if (props.networkPolicy ?? true) this.defaultDenyPolicy = new StackDefaultDenyPolicy(this, 'default-deny').policy;
    moveToNamespace(this, namespace);
  }

  /**
   * The alerts on the nodes (filesystems almost full or filling up), for
   * `prometheus.addRuleGroup()`: concise versions of the node-mixin's, with
   * the job `prometheus` scrapes this node exporter as. MonitoringChart adds
   * them to its Prometheus.
   */
  public alertRules(prometheus: IComponent): RuleGroup {
    return nodeExporterRuleGroup(jobIn(prometheus, this, this.metricsJob()));
  }
}

const hostPorts = new WeakMap<IConstruct, Map<number, string>>();

/** A port of every node, taken by one hostNetwork node exporter of the app: a second one would never schedule. */
function claimHostPort(exporter: NodeExporter, port: number): void {
  const root = exporter.node.root;
  const taken = hostPorts.get(root) ?? new Map<number, string>();
  hostPorts.set(root, taken);
  const other = taken.get(port);
  if (other !== undefined) {
    invalid(exporter, 'port', `${port} is a port of every node already taken by '${other}' (hostNetwork): `
      + 'run one node exporter per cluster with hostNetwork, or give this one hostNetwork: false or another port');
  }
  taken.set(port, exporter.node.path);
}
