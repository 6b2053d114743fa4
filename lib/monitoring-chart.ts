import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../imports/k8s';
import { Alertmanager, AlertmanagerProps } from './alertmanager/alertmanager';
import { Grafana, GrafanaProps } from './grafana/grafana';
import { invalid } from './errors';
import { clusterScoped, PART_OF } from './private/identity';
import { MonitoringIngress, MonitoringIngressProps } from './ingress/monitoring-ingress';
import { StackDefaultDenyPolicy } from './wiring/network-policies';
import { Prometheus, PrometheusProps } from './prometheus/prometheus';
import { Pushgateway, PushgatewayProps } from './pushgateway/pushgateway';
import { ThanosCompactor, ThanosCompactorProps } from './thanos/thanos-compactor';
import { ThanosQuerier, ThanosQuerierProps } from './thanos/thanos-querier';
import { ThanosStoreGateway, ThanosStoreGatewayProps } from './thanos/thanos-store-gateway';
import { BlackboxExporter, BlackboxExporterProps } from './exporters/blackbox-exporter';
import { KubeStateMetrics, KubeStateMetricsProps } from './exporters/kube-state-metrics';
import { NodeExporter, NodeExporterProps } from './exporters/node-exporter';
import { ThanosQueryFrontend, ThanosQueryFrontendProps } from './thanos/thanos-query-frontend';
import { ThanosRuler, ThanosRulerProps } from './thanos/thanos-ruler';

/** Switches a part of the chart on or off. */
export interface Toggle {
  /** @default true */
  readonly enabled?: boolean;
}

/** Prometheus in the chart; Alertmanager and Pushgateway are wired by the chart. */
export interface ChartPrometheusOptions extends Omit<PrometheusProps, 'alertmanagers' | 'pushgateways'>, Toggle {}
/**
 * The Thanos Querier in the chart. Its stores are the chart's Prometheus and
 * store gateway, plus `stores`: with `prometheus: { enabled: false }` the chart
 * is a central query layer over the stores of other charts or clusters.
 */
export interface ChartQuerierOptions extends ThanosQuerierProps, Toggle {}
/** The store gateway in the chart; it reads the Prometheus sidecars' bucket. */
export interface ChartStoreGatewayOptions extends Omit<ThanosStoreGatewayProps, 'objectStorage'>, Toggle {}
/** The compactor in the chart; it compacts the Prometheus sidecars' bucket. */
export interface ChartCompactorOptions extends Omit<ThanosCompactorProps, 'objectStorage'>, Toggle {}
/** Alertmanager in the chart. */
export interface ChartAlertmanagerOptions extends AlertmanagerProps, Toggle {}
/** Pushgateway in the chart. */
export interface ChartPushgatewayOptions extends PushgatewayProps, Toggle {}
/** The node exporter in the chart, in a namespace of its own, created when the chart creates its own. */
export interface ChartNodeExporterOptions extends Omit<NodeExporterProps, 'createNamespace'>, Toggle {}
/** kube-state-metrics in the chart. */
export interface ChartKubeStateMetricsOptions extends KubeStateMetricsProps, Toggle {}
/** The blackbox exporter in the chart, which `chart.prometheus.probe()` probes through. */
export interface ChartBlackboxExporterOptions extends BlackboxExporterProps, Toggle {}
/**
 * The Thanos Ruler in the chart: it evaluates against the chart's Querier,
 * which serves its series, sends to the chart's Alertmanager, and uploads to
 * the Prometheus sidecars' bucket unless given another.
 */
export interface ChartRulerOptions extends Omit<ThanosRulerProps, 'queriers' | 'alertmanagers'>, Toggle {}
/** The Thanos Query Frontend in the chart, in front of the chart's Querier; the Ingress and Grafana use it instead. */
export interface ChartQueryFrontendOptions extends Omit<ThanosQueryFrontendProps, 'querier'>, Toggle {}
/** Grafana in the chart; its datasource is the chart's Querier (or its Prometheus, without one). */
export interface ChartGrafanaOptions extends Omit<GrafanaProps, 'datasources'>, Toggle {}

/** The Ingress of the chart: every prop of {@link MonitoringIngress} but the components, which are the chart's. */
export interface ChartIngressOptions extends Omit<MonitoringIngressProps, 'prometheus' | 'querier' | 'alertmanager' | 'pushgateway' | 'grafana'> {
  /** Host all UIs are served on, each under its route prefix. */
  readonly host: string;
  /**
   * Also expose the Pushgateway (its write API included).
   * @default false
   */
  readonly exposePushgateway?: boolean;
}

/** Props of {@link MonitoringChart}. */
export interface MonitoringChartProps extends ChartProps {
  /** Namespace of every object; the chart creates it unless `createNamespace` is false. */
  readonly namespace: string;
  /**
   * Create the Namespace object, labelled for Pod Security "restricted".
   * @default true
   */
  readonly createNamespace?: boolean;
  /** @default 2 replicas with a Thanos sidecar */
  readonly prometheus?: ChartPrometheusOptions;
  /** @default 2 replicas */
  readonly querier?: ChartQuerierOptions;
  /**
   * Thanos Store Gateway, so the querier reaches blocks in object storage.
   * @default on when `prometheus.thanos.objectStorage` is set, else off
   */
  readonly storeGateway?: ChartStoreGatewayOptions;
  /**
   * Thanos Compactor for the bucket (one per bucket).
   * @default on when `prometheus.thanos.objectStorage` is set, else off
   */
  readonly compactor?: ChartCompactorOptions;
  /** @default 3 replicas */
  readonly alertmanager?: ChartAlertmanagerOptions;
  /** @default 1 replica with persistence */
  readonly pushgateway?: ChartPushgatewayOptions;
  /**
   * The node exporter on every node, in `<namespace>-node-exporter` (Pod
   * Security "privileged": it reads the host's /proc, /sys and /), with the
   * node-mixin's filesystem alerts on the chart's Prometheus.
   * @default on, as in kube-prometheus; off when `prometheus.discovery` is namespaced (no cluster-wide access)
   * or `createNamespace` is false (its namespace would have to exist, admitting privileged pods)
   */
  readonly nodeExporter?: ChartNodeExporterOptions;
  /**
   * kube-state-metrics, with its alerts (down, list/watch errors, crash-looping pods) on the chart's Prometheus.
   * @default on, as in kube-prometheus; off when `prometheus.discovery` is namespaced (its ClusterRole reads the whole cluster)
   */
  readonly kubeStateMetrics?: ChartKubeStateMetricsOptions;
  /**
   * A blackbox exporter for `chart.prometheus.probe()`, with the probe alerts on the chart's Prometheus.
   * @default none: given options (`{}` will do) deploy it
   */
  readonly blackboxExporter?: ChartBlackboxExporterOptions;
  /**
   * Thanos Ruler, for rules over everything the Querier sees (across shards
   * and clusters); it needs `ruleGroups`.
   * @default no Ruler
   */
  readonly ruler?: ChartRulerOptions;
  /**
   * Thanos Query Frontend in front of the Querier (split, retried and cached
   * range queries); the Ingress's `/thanos` route and Grafana's datasource
   * point at it.
   * @default no Query Frontend
   */
  readonly queryFrontend?: ChartQueryFrontendOptions;
  /**
   * Grafana, with the Querier as its datasource and the stack's dashboards;
   * on the Ingress under `/grafana` when there is one.
   * @default no Grafana: it needs `adminCredentials`, an existing Secret
   */
  readonly grafana?: ChartGrafanaOptions;
  /**
   * NetworkPolicies: deny all traffic of the stack's pods but what the wiring
   * needs (component to component, Ingress controller, pushers, DNS).
   * @default true
   */
  readonly networkPolicies?: boolean;
  /**
   * Expose the UIs through one Ingress, by path on its host: components
   * without a `routePrefix` serve under `/prometheus`, `/thanos`,
   * `/alertmanager` (and `/pushgateway` when exposed).
   * @default no Ingress
   */
  readonly ingress?: ChartIngressOptions;
}

function enabled(toggle: Toggle | undefined): boolean {
  return toggle?.enabled ?? true;
}

/** Removes the `enabled` toggle before passing options on as construct props. */
function propsOf<T extends Toggle>(options: T | undefined): Omit<T, 'enabled'> {
  const { enabled: _, ...props } = options ?? ({} as T);
  return props;
}

/**
 * The whole stack in one Chart: Prometheus (with config reloader and Thanos
 * sidecar), Thanos Querier, Alertmanager, Pushgateway and an Ingress, wired to
 * each other. Each part is a public property and can be switched off.
 */
export class MonitoringChart extends Chart {
  public readonly namespaceObject?: k8s.KubeNamespace;
  public readonly prometheus?: Prometheus;
  public readonly querier?: ThanosQuerier;
  public readonly storeGateway?: ThanosStoreGateway;
  public readonly compactor?: ThanosCompactor;
  public readonly alertmanager?: Alertmanager;
  public readonly pushgateway?: Pushgateway;
  public readonly nodeExporter?: NodeExporter;
  public readonly kubeStateMetrics?: KubeStateMetrics;
  public readonly blackboxExporter?: BlackboxExporter;
  public readonly ruler?: ThanosRuler;
  public readonly queryFrontend?: ThanosQueryFrontend;
  public readonly grafana?: Grafana;
  public readonly ingress?: MonitoringIngress;

  constructor(scope: Construct, id: string, props: MonitoringChartProps) {
    super(scope, id, props);
    const networkPolicy = props.networkPolicies ?? true;

    if (props.createNamespace ?? true) {
      this.namespaceObject = clusterScoped(new k8s.KubeNamespace(this, 'namespace', {
        metadata: {
          name: props.namespace,
          labels: {
            'app.kubernetes.io/part-of': PART_OF,
            'pod-security.kubernetes.io/enforce': 'restricted',
            'pod-security.kubernetes.io/enforce-version': 'v1.27',
            'pod-security.kubernetes.io/warn': 'restricted',
            'pod-security.kubernetes.io/audit': 'restricted',
          },
        },
      }));
    }

    if (networkPolicy) new StackDefaultDenyPolicy(this, 'default-deny');

    if (enabled(props.alertmanager)) {
      this.alertmanager = new Alertmanager(this, 'alertmanager', { networkPolicy, ...propsOf(props.alertmanager),
      });
    }
    if (enabled(props.pushgateway)) {
      this.pushgateway = new Pushgateway(this, 'pushgateway', { networkPolicy, ...propsOf(props.pushgateway),
      });
    }
    if (enabled(props.prometheus)) {
      this.prometheus = new Prometheus(this, 'prometheus', {
        networkPolicy,
        ...propsOf(props.prometheus),
        alertmanagers: this.alertmanager ? [this.alertmanager] : [],
        pushgateways: this.pushgateway ? [this.pushgateway] : [],
      });
    }
    const objectStorage = props.prometheus?.thanos?.objectStorage;
    if (objectStorage && enabled(props.storeGateway)) {
      this.storeGateway = new ThanosStoreGateway(this, 'store-gateway', { networkPolicy, ...propsOf(props.storeGateway), objectStorage });
    }
    if (objectStorage && enabled(props.compactor)) {
      this.compactor = new ThanosCompactor(this, 'compactor', { networkPolicy, ...propsOf(props.compactor), objectStorage });
    }
    if (!objectStorage && (props.storeGateway?.enabled || props.compactor?.enabled)) {
      invalid(this, props.storeGateway?.enabled ? 'storeGateway' : 'compactor', 'needs a bucket: set prometheus.thanos.objectStorage');
    }
    if (enabled(props.querier)) {
      const own = [
        ...(this.prometheus?.hasThanosSidecar ? [this.prometheus] : []),
        ...(this.storeGateway ? [this.storeGateway] : []),
      ];
      if (!own.length && !props.querier?.stores?.length && !props.querier?.remoteStores?.length) {
        invalid(this, 'querier', 'the Thanos Querier has no store: enable the chart\'s Prometheus with its Thanos sidecar, '
          + 'give querier.stores or querier.remoteStores (a central query layer over other charts or clusters), or set querier.enabled: false');
      }
      this.querier = new ThanosQuerier(this, 'querier', {
        networkPolicy,
        ...propsOf(props.querier),
        stores: [...own, ...props.querier?.stores ?? []],
      });
    }
    // Off unless given: a Ruler needs rule groups, and a Query Frontend is a choice of scale.
    if (props.ruler && enabled(props.ruler)) {
      if (!this.querier) invalid(this, 'ruler', 'the Thanos Ruler evaluates against the chart\'s Querier, which is disabled: enable it, or set ruler.enabled: false');
      this.ruler = new ThanosRuler(this, 'ruler', {
        networkPolicy,
        objectStorage,
        ...propsOf(props.ruler),
        queriers: [this.querier],
        alertmanagers: this.alertmanager ? [this.alertmanager] : [],
      });
      this.querier.addStore(this.ruler);
    }
    if (props.queryFrontend && enabled(props.queryFrontend)) {
      if (!this.querier) invalid(this, 'queryFrontend', 'the Query Frontend sits in front of the chart\'s Querier, which is disabled: enable it, or set queryFrontend.enabled: false');
      this.queryFrontend = new ThanosQueryFrontend(this, 'query-frontend', { networkPolicy, ...propsOf(props.queryFrontend), querier: this.querier });
    }
    if (props.grafana && enabled(props.grafana)) {
      const datasource = this.queryFrontend ?? this.querier ?? this.prometheus;
      this.grafana = new Grafana(this, 'grafana', { networkPolicy, ...propsOf(props.grafana), datasources: datasource ? [datasource] : [] });
    }
    if (props.ingress) {
      const { exposePushgateway, ...ingressProps } = props.ingress;
      if (exposePushgateway && !this.pushgateway) {
        invalid(this, 'ingress.exposePushgateway', 'the Pushgateway is disabled, so there is nothing to expose');
      }
      this.ingress = new MonitoringIngress(this, 'ingress', {
        ...ingressProps,
        prometheus: this.prometheus,
        querier: this.queryFrontend ?? this.querier,
        alertmanager: this.alertmanager,
        pushgateway: exposePushgateway ? this.pushgateway : undefined,
        grafana: this.grafana,
      });
    }
    ({ nodeExporter: this.nodeExporter, kubeStateMetrics: this.kubeStateMetrics, blackboxExporter: this.blackboxExporter } = this.createExporters(props, networkPolicy));
  }

  /**
   * The node exporter and kube-state-metrics, on by default as in
   * kube-prometheus (a cluster's stack is expected to watch its nodes and
   * objects) unless discovery is namespaced (and the node exporter unless the
   * chart creates no namespace); the blackbox exporter when asked for; and
   * their alerts on the chart's Prometheus, unless it has no default rules.
   */
  private createExporters(props: MonitoringChartProps, networkPolicy: boolean): {
    nodeExporter?: NodeExporter; kubeStateMetrics?: KubeStateMetrics; blackboxExporter?: BlackboxExporter;
  } {
    const clusterWide = !props.prometheus?.discovery?.namespaces;
    // Its namespace must admit privileged pods: by default only where the chart creates the namespaces.
    const nodeExporter = (props.nodeExporter?.enabled ?? (clusterWide && (props.createNamespace ?? true)))
      ? new NodeExporter(this, 'node-exporter', { networkPolicy, createNamespace: props.createNamespace ?? true, ...propsOf(props.nodeExporter) })
      : undefined;
    const kubeStateMetrics = (props.kubeStateMetrics?.enabled ?? clusterWide)
      ? new KubeStateMetrics(this, 'kube-state-metrics', { networkPolicy, ...propsOf(props.kubeStateMetrics) })
      : undefined;
    const blackboxExporter = props.blackboxExporter && enabled(props.blackboxExporter)
      ? new BlackboxExporter(this, 'blackbox-exporter', { networkPolicy, ...propsOf(props.blackboxExporter) })
      : undefined;
    const prometheus = this.prometheus;
    if (prometheus && (props.prometheus?.defaultRules ?? true)) {
      if (nodeExporter) prometheus.addRuleGroup(nodeExporter.alertRules(prometheus));
      if (kubeStateMetrics) prometheus.addRuleGroup(kubeStateMetrics.alertRules(prometheus));
      if (blackboxExporter) prometheus.addRuleGroup(blackboxExporter.alertRules());
    }
    return { nodeExporter, kubeStateMetrics, blackboxExporter };
  }
}
