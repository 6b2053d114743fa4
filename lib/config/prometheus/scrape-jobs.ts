import { Duration } from 'cdk8s';
import { KubernetesRole, Scheme, ScrapeJob } from './scrape-job';
import { RelabelAction, RelabelRule } from './relabel';

/** Where Kubernetes mounts the pod's service account credentials. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
/** The API server, from inside the cluster. */
const API_SERVER = 'kubernetes.default.svc:443';

/** Options shared by the annotation-driven Kubernetes jobs. */
export interface AnnotationJobOptions {
  /**
   * Job name.
   * @default 'kubernetes-pods' / 'kubernetes-service-endpoints'
   */
  readonly jobName?: string;
  /**
   * Namespaces to discover in.
   * @default all namespaces
   */
  readonly namespaces?: string[];
}

/**
 * The `prometheus.io/{scrape,scheme,path,port}` annotations: keep annotated
 * objects, and take scheme, path and port from them.
 */
function annotationRelabelings(kind: 'pod' | 'service'): RelabelRule[] {
  const a = (name: string) => `__meta_kubernetes_${kind}_annotation_prometheus_io_${name}`;
  const present = (name: string) => `__meta_kubernetes_${kind}_annotationpresent_prometheus_io_${name}`;
  return [
    { sourceLabels: [a('scrape')], regex: 'true', action: RelabelAction.KEEP },
    { sourceLabels: [present('scheme'), a('scheme')], regex: 'true;(https?)', targetLabel: '__scheme__', replacement: '$1' },
    { sourceLabels: [present('path'), a('path')], regex: 'true;(.+)', targetLabel: '__metrics_path__', replacement: '$1' },
    {
      sourceLabels: ['__address__', a('port')],
      regex: '(.+?)(?::\\d+)?;(\\d+)',
      targetLabel: '__address__',
      replacement: '$1:$2',
    },
    { regex: `__meta_kubernetes_${kind}_label_(.+)`, action: RelabelAction.LABELMAP },
    { sourceLabels: ['__meta_kubernetes_namespace'], targetLabel: 'namespace' },
  ];
}

/** Options of the kubelet and cAdvisor jobs. */
export interface NodeJobOptions {
  /**
   * Job name.
   * @default 'kubelet' / 'cadvisor'
   */
  readonly jobName?: string;
  /**
   * @default the global scrape interval
   */
  readonly scrapeInterval?: Duration;
}

/** Options of {@link ScrapeJobs.kubernetesApiServers}. */
export interface ApiServerJobOptions {
  /**
   * Job name.
   * @default 'kubernetes-apiservers'
   */
  readonly jobName?: string;
}

/** Options of {@link ScrapeJobs.blackboxProbe}. */
export interface BlackboxProbeOptions {
  /**
   * Job name.
   * @default 'blackbox-<module>'
   */
  readonly jobName?: string;
  /** `host:port` of the blackbox exporter, e.g. `blackbox-exporter.monitoring.svc:9115`. */
  readonly exporterAddress: string;
  /** The exporter module to probe with, e.g. `http_2xx`. */
  readonly module: string;
  /** What to probe: URLs for http modules, `host:port` for tcp, hosts for icmp. */
  readonly targets: string[];
  /**
   * Labels added to every probe's series.
   * @default none
   */
  readonly labels?: Record<string, string>;
  /**
   * @default the global scrape interval
   */
  readonly scrapeInterval?: Duration;
}

/**
 * The kubelet API of every node, through the API server's node proxy: no
 * direct network path to the nodes, nor kubelet client certificates needed.
 * The service account needs `get` on `nodes/proxy`.
 */
function nodeProxyJob(jobName: string, suffix: string, scrapeInterval?: Duration): ScrapeJob {
  return {
    jobName,
    scrapeInterval,
    scheme: Scheme.HTTPS,
    tls: { caFile: `${SERVICE_ACCOUNT_DIR}/ca.crt` },
    auth: { bearerTokenFile: `${SERVICE_ACCOUNT_DIR}/token` },
    kubernetesSd: [{ role: KubernetesRole.NODE }],
    relabelings: [
      { sourceLabels: ['__meta_kubernetes_node_name'], targetLabel: 'node' },
      // Every target's address becomes the API server's: without this, all nodes would share one instance label.
      { sourceLabels: ['__meta_kubernetes_node_name'], targetLabel: 'instance' },
      { targetLabel: '__address__', replacement: API_SERVER },
      {
        sourceLabels: ['__meta_kubernetes_node_name'],
        regex: '(.+)',
        targetLabel: '__metrics_path__',
        replacement: `/api/v1/nodes/\${1}/proxy${suffix}`,
      },
    ],
  };
}

/** Ready-made scrape jobs. */
export class ScrapeJobs {
  /**
   * Every node's kubelet (`/metrics`), through the API server proxy.
   * Needs RBAC `get` on `nodes/proxy`.
   */
  public static kubelet(options: NodeJobOptions = {}): ScrapeJob {
    return nodeProxyJob(options.jobName ?? 'kubelet', '/metrics', options.scrapeInterval);
  }

  /**
   * Every node's cAdvisor (container CPU, memory, network), through the API
   * server proxy. Needs RBAC `get` on `nodes/proxy`.
   */
  public static cadvisor(options: NodeJobOptions = {}): ScrapeJob {
    return nodeProxyJob(options.jobName ?? 'cadvisor', '/metrics/cadvisor', options.scrapeInterval);
  }

  /**
   * The Kubernetes API servers: the `https` port of the `default/kubernetes`
   * Service's endpoints, with the service account's token.
   */
  public static kubernetesApiServers(options: ApiServerJobOptions = {}): ScrapeJob {
    return {
      jobName: options.jobName ?? 'kubernetes-apiservers',
      scheme: Scheme.HTTPS,
      tls: { caFile: `${SERVICE_ACCOUNT_DIR}/ca.crt` },
      auth: { bearerTokenFile: `${SERVICE_ACCOUNT_DIR}/token` },
      // Kubernetes always publishes the API server as Service 'kubernetes' in namespace 'default'.
      kubernetesSd: [{ role: KubernetesRole.ENDPOINTS, namespaces: ['default'] }],
      relabelings: [{
        sourceLabels: ['__meta_kubernetes_namespace', '__meta_kubernetes_service_name', '__meta_kubernetes_endpoint_port_name'],
        regex: 'default;kubernetes;https',
        action: RelabelAction.KEEP,
      }],
    };
  }

  /**
   * Black-box probes through a blackbox exporter: each target becomes the
   * exporter's `target` parameter, keeps its name as `instance`, and the
   * scrape itself goes to the exporter's `/probe`.
   */
  public static blackboxProbe(options: BlackboxProbeOptions): ScrapeJob {
    return {
      jobName: options.jobName ?? `blackbox-${options.module}`,
      scrapeInterval: options.scrapeInterval,
      metricsPath: '/probe',
      params: { module: [options.module] },
      staticTargets: options.targets,
      staticLabels: options.labels,
      relabelings: [
        { sourceLabels: ['__address__'], targetLabel: '__param_target' },
        { sourceLabels: ['__param_target'], targetLabel: 'instance' },
        { targetLabel: '__address__', replacement: options.exporterAddress },
      ],
    };
  }

  /** Pods annotated `prometheus.io/scrape: "true"` (port/path/scheme from annotations). */
  public static kubernetesPods(options: AnnotationJobOptions = {}): ScrapeJob {
    return {
      jobName: options.jobName ?? 'kubernetes-pods',
      kubernetesSd: [{ role: KubernetesRole.POD, namespaces: options.namespaces }],
      relabelings: [
        ...annotationRelabelings('pod'),
        // Pods that are done (Succeeded/Failed) have nothing to scrape.
        { sourceLabels: ['__meta_kubernetes_pod_phase'], regex: 'Pending|Succeeded|Failed|Completed', action: RelabelAction.DROP },
        { sourceLabels: ['__meta_kubernetes_pod_name'], targetLabel: 'pod' },
      ],
    };
  }

  /** Endpoints of Services annotated `prometheus.io/scrape: "true"`. */
  public static kubernetesServiceEndpoints(options: AnnotationJobOptions = {}): ScrapeJob {
    return {
      jobName: options.jobName ?? 'kubernetes-service-endpoints',
      kubernetesSd: [{ role: KubernetesRole.ENDPOINTS, namespaces: options.namespaces }],
      relabelings: [
        ...annotationRelabelings('service'),
        { sourceLabels: ['__meta_kubernetes_service_name'], targetLabel: 'service' },
        { sourceLabels: ['__meta_kubernetes_pod_name'], targetLabel: 'pod' },
      ],
    };
  }
}
