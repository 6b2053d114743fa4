import { KubernetesRole, ScrapeJob } from './scrape';
import { RelabelAction, RelabelRule } from './relabel';

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

/** Ready-made scrape jobs. */
export class ScrapeJobs {
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
