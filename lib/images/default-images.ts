import { ContainerImage } from './container-image';

/**
 * The images each component runs by default (upstream releases as of
 * 2026-11). Every one is pinned, and every flag this library renders exists
 * in that version; override an image with the component's `image` prop.
 */
export class DefaultImages {
  /**
   * Prometheus 3.5, the long-term-support line: the line the real-tool tests
   * run (Debian's prometheus 3.5.x), with `--storage.tsdb.retention.time`
   * not yet deprecated.
   */
  public static readonly PROMETHEUS = ContainerImage.of('quay.io/prometheus/prometheus', 'v3.5.5');
  /** Thanos: `query` with `--endpoint.sd-config-file` (the `--store` flag is gone since v0.38). */
  public static readonly THANOS = ContainerImage.of('quay.io/thanos/thanos', 'v0.42.4');
  public static readonly ALERTMANAGER = ContainerImage.of('quay.io/prometheus/alertmanager', 'v0.34.0');
  public static readonly PUSHGATEWAY = ContainerImage.of('quay.io/prometheus/pushgateway', 'v1.11.3');
  /** prometheus-operator's reloader, the maintained successor of the article's "watch" container. */
  public static readonly CONFIG_RELOADER = ContainerImage.of('quay.io/prometheus-operator/prometheus-config-reloader', 'v0.93.0');
  /**
   * node_exporter 1.11, the line the real-tool test runs (Debian's
   * prometheus-node-exporter 1.11.x) with the rendered flags; 1.12 adds
   * collectors only.
   */
  public static readonly NODE_EXPORTER = ContainerImage.of('quay.io/prometheus/node-exporter', 'v1.11.1');
  /** kube-state-metrics v2.20, the newest release (client-go 1.36); `--resources` lists what it exports. */
  public static readonly KUBE_STATE_METRICS = ContainerImage.of('registry.k8s.io/kube-state-metrics/kube-state-metrics', 'v2.20.0');
  /** blackbox_exporter 0.28, the newest release and the one the real-tool test runs (Debian's 0.28.x). */
  public static readonly BLACKBOX_EXPORTER = ContainerImage.of('quay.io/prometheus/blackbox-exporter', 'v0.28.0');
  /**
   * Grafana 12.4, the last minor of 12.x, which its maintainers still support
   * beside 13.x; 12.4.14 is its newest patch release (Alpine v3.24 packages
   * grafana 12.4.14, built in November 2026).
   */
  public static readonly GRAFANA = ContainerImage.of('docker.io/grafana/grafana', '12.4.14');
}
