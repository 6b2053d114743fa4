import { ApiObject, Size } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { RuleGroup } from '../config/rules/rule-group';
import { invalid, validatePort } from '../errors';
import { ContainerImage } from '../images/container-image';
import { DefaultImages } from '../images/default-images';
import { PodOptions } from '../pod/pod-options';
import { Resources } from '../pod/resources';
import { Component } from '../private/component';
import { container } from '../private/container';
import { clusterScoped } from '../private/identity';
import { IComponent, NamedPort } from '../wiring/interfaces';
import { NetworkPeer } from '../wiring/network-graph';
import { jobIn, kubeStateMetricsRuleGroup } from './exporter-rules';

/**
 * The API group of every resource kube-state-metrics v2.20.0 exports by
 * default (`DefaultResources` in pkg/options/resource.go at that tag), less
 * `secrets`: listing Secrets returns their data, which the ClusterRole must
 * not grant (policy rule `rbac-no-secrets`).
 */
const RESOURCE_GROUPS = {
  certificatesigningrequests: 'certificates.k8s.io',
  configmaps: '',
  cronjobs: 'batch',
  daemonsets: 'apps',
  deployments: 'apps',
  endpointslices: 'discovery.k8s.io',
  horizontalpodautoscalers: 'autoscaling',
  ingresses: 'networking.k8s.io',
  jobs: 'batch',
  leases: 'coordination.k8s.io',
  limitranges: '',
  mutatingadmissionpolicies: 'admissionregistration.k8s.io',
  mutatingadmissionpolicybindings: 'admissionregistration.k8s.io',
  mutatingwebhookconfigurations: 'admissionregistration.k8s.io',
  namespaces: '',
  networkpolicies: 'networking.k8s.io',
  nodes: '',
  persistentvolumeclaims: '',
  persistentvolumes: '',
  poddisruptionbudgets: 'policy',
  pods: '',
  replicasets: 'apps',
  replicationcontrollers: '',
  resourcequotas: '',
  services: '',
  statefulsets: 'apps',
  storageclasses: 'storage.k8s.io',
  validatingadmissionpolicies: 'admissionregistration.k8s.io',
  validatingadmissionpolicybindings: 'admissionregistration.k8s.io',
  validatingwebhookconfigurations: 'admissionregistration.k8s.io',
  volumeattachments: 'storage.k8s.io',
} as const;

/** A kind of Kubernetes object kube-state-metrics exports metrics of (`--resources`). */
export type KubeStateMetricsResource = keyof typeof RESOURCE_GROUPS;

/** Every resource the component exports by default: kube-state-metrics' defaults less `secrets`. */
export const KUBE_STATE_METRICS_RESOURCES: readonly KubeStateMetricsResource[] = Object.keys(RESOURCE_GROUPS) as KubeStateMetricsResource[];

/** Props of {@link KubeStateMetrics}. */
export interface KubeStateMetricsProps extends PodOptions {
  /** The kube-state-metrics image. @default DefaultImages.KUBE_STATE_METRICS */
  readonly image?: ContainerImage;
  /**
   * The kinds of objects to export (`--resources`); the ClusterRole grants
   * list/watch on exactly these. `secrets` is refused: listing them returns
   * their data. Leave out kinds the cluster does not serve (e.g. the admission
   * policies before Kubernetes 1.30/1.34) to keep list errors out of the log.
   * @default KUBE_STATE_METRICS_RESOURCES: kube-state-metrics' defaults but `secrets`
   */
  readonly exportedResources?: KubeStateMetricsResource[];
  /**
   * Ports the API server's endpoints listen on, for the NetworkPolicy: the
   * `kubernetes` Service's port 443 is translated to the endpoints' port before
   * NetworkPolicies apply (6443 on kubeadm clusters, 443 on most managed ones).
   * @default [443, 6443]
   */
  readonly apiServerPorts?: number[];
  /** Requests and limits of the container; memory grows with the number of objects in the cluster. @default 100m/256Mi requested, 500m/1Gi limit */
  readonly resources?: Resources;
}

const METRICS_PORT: NamedPort = { name: 'http-metrics', port: 8080 };
const TELEMETRY_PORT: NamedPort = { name: 'telemetry', port: 8081 };

/**
 * kube-state-metrics: metrics of the Kubernetes objects (pods, deployments,
 * nodes…) from the API server, one replica (more would export every series
 * twice; a large cluster shards instead), with a ServiceAccount bound to a
 * least-privilege ClusterRole: list/watch on exactly the exported kinds, no
 * Secrets. Scraped by the Prometheus of its stack with `honor_labels: true`,
 * so a series keeps the namespace and pod of the object it describes.
 */
export class KubeStateMetrics extends Component {
  /** The exported kinds of objects. */
  public readonly exportedResources: KubeStateMetricsResource[];
  /** Name of the ServiceAccount the pod runs as. */
  public readonly serviceAccountName: string;
  /** The ServiceAccount (its token is mounted: the pod reads the API). */
  public readonly serviceAccount: k8s.KubeServiceAccount;
  /** The ClusterRole and its binding. */
  public readonly rbac: ApiObject[];
  /** The Service (ports `http-metrics`, `telemetry`). */
  public readonly service: k8s.KubeService;
  /** The Deployment: the default child. */
  public readonly deployment: k8s.KubeDeployment;

  constructor(scope: Construct, id: string, props: KubeStateMetricsProps = {}) {
    super(scope, id, { app: 'kube-state-metrics', role: 'exporter' }, props);
    const { name, namespace, labels } = this.identity;
    this.exportedResources = [...new Set(props.exportedResources ?? KUBE_STATE_METRICS_RESOURCES)].sort();
    // An empty --resources would not export nothing, but kube-state-metrics' own defaults, Secrets included.
    if (!this.exportedResources.length) invalid(this, 'exportedResources', 'needs at least one kind of object');
    this.exportedResources.forEach((r, i) => {
      if ((r as string) === 'secrets') {
        invalid(this, `exportedResources[${i}]`, 'secrets are not exported: listing them returns their data, which the ClusterRole '
          + 'must not grant (policy rule rbac-no-secrets)');
      }
      if (!(r in RESOURCE_GROUPS)) invalid(this, `exportedResources[${i}]`, `'${r}' is not a kube-state-metrics resource (one of ${KUBE_STATE_METRICS_RESOURCES.join(', ')})`);
    });
    const apiServerPorts = (props.apiServerPorts ?? [443, 6443]).map((p, i) => validatePort(this, `apiServerPorts[${i}]`, p));

    this.serviceAccountName = name;
    this.serviceAccount = new k8s.KubeServiceAccount(this, 'service-account', {
      metadata: { name, labels },
      automountServiceAccountToken: false,
    });
    // Prefixed with the namespace, as Prometheus' ClusterRole: two stacks get distinct names.
    const roleName = `${namespace}-${name}`;
    const role = clusterScoped(new k8s.KubeClusterRole(this, 'cluster-role', { metadata: { name: roleName, labels }, rules: clusterRoleRules(this.exportedResources) }));
    this.rbac = [role, clusterScoped(new k8s.KubeClusterRoleBinding(this, 'cluster-role-binding', {
      metadata: { name: roleName, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role.name },
      subjects: [{ kind: 'ServiceAccount', name: this.serviceAccountName, namespace }],
    }))];

    this.deployment = this.createDeployment(1, this.podTemplate(1, props, {
      serviceAccountName: this.serviceAccountName,
      containers: [container({
        name: 'kube-state-metrics',
        image: props.image ?? DefaultImages.KUBE_STATE_METRICS,
        args: [
          `--port=${METRICS_PORT.port}`,
          `--telemetry-port=${TELEMETRY_PORT.port}`,
          `--resources=${this.exportedResources.join(',')}`,
        ],
        ports: [METRICS_PORT, TELEMETRY_PORT],
        resources: props.resources,
        defaultResources: { cpu: { request: '100m', limit: '500m' }, memory: { request: Size.mebibytes(256), limit: Size.gibibytes(1) } },
        // As upstream's examples/standard/deployment.yaml: alive on the metrics port, ready on the telemetry port.
        probes: {
          livenessProbe: { httpGet: { path: '/livez', port: k8s.IntOrString.fromString(METRICS_PORT.name) }, initialDelaySeconds: 5, timeoutSeconds: 5 },
          readinessProbe: { httpGet: { path: '/readyz', port: k8s.IntOrString.fromString(TELEMETRY_PORT.name) }, initialDelaySeconds: 5, timeoutSeconds: 5 },
        },
      })],
    }));
    this.service = this.createService({ ports: [METRICS_PORT, TELEMETRY_PORT] });
    this.serveMetrics(1, [
      // The series describe other objects: their namespace, pod and container labels must win over the target's.
      { job: this.metricsJob(), port: METRICS_PORT, service: name, honorLabels: true },
      { job: this.metricsJob('self'), port: TELEMETRY_PORT, service: name },
    ]);
    this.connectTo(NetworkPeer.anywhere(), apiServerPorts.map(port => ({ name: `api-${port}`, port })));
    this.protect(1);
  }

  /**
   * The alerts on kube-state-metrics (down, list and watch errors) and on the
   * pods it watches (crash loops), for `prometheus.addRuleGroup()`, with the
   * jobs `prometheus` scrapes it as. MonitoringChart adds them to its Prometheus.
   */
  public alertRules(prometheus: IComponent): RuleGroup {
    return kubeStateMetricsRuleGroup(jobIn(prometheus, this, this.metricsJob()), jobIn(prometheus, this, this.metricsJob('self')));
  }
}

/** list/watch on each exported kind, one rule per API group, in a stable order. */
function clusterRoleRules(resources: KubeStateMetricsResource[]): k8s.PolicyRule[] {
  const byGroup = new Map<string, string[]>();
  for (const r of resources) {
    const group = RESOURCE_GROUPS[r];
    byGroup.set(group, [...byGroup.get(group) ?? [], r]);
  }
  return [...byGroup.keys()].sort().map(group => ({ apiGroups: [group], resources: byGroup.get(group)!, verbs: ['list', 'watch'] }));
}
