// The public API of cdk8s-prometheus-thanos: what a user writes in an app.
// Helpers for users' tests are the separate entry point `cdk8s-prometheus-thanos/testing`.
// Everything else under lib/ is internal, whatever it exports to its neighbours.

// The whole stack in one Chart
export { MonitoringChart } from './monitoring-chart';
export type {
  MonitoringChartProps, Toggle, ChartPrometheusOptions, ChartQuerierOptions, ChartStoreGatewayOptions,
  ChartCompactorOptions, ChartAlertmanagerOptions, ChartPushgatewayOptions, ChartIngressOptions,
} from './monitoring-chart';

// Components
export { Prometheus } from './prometheus/prometheus';
export type { PrometheusProps } from './prometheus/prometheus';
export type { PrometheusConfigOptions } from './prometheus/prometheus-config';
export type { PrometheusRulesOptions } from './prometheus/prometheus-rules';
export type { PrometheusPodOptions } from './prometheus/prometheus-pod';
export { DiscoveryScope } from './prometheus/discovery-scope';
export type { ThanosSidecarOptions } from './prometheus/thanos-sidecar';
export { ThanosQuerier } from './thanos/thanos-querier';
export type { ThanosQuerierProps } from './thanos/thanos-querier';
export type { GrpcServerTls, GrpcLoadBalancer, GrpcExposure } from './thanos/querier-grpc';
export { RemoteStoreApi, StoreTlsVersion } from './thanos/remote-store';
export type { RemoteStoreOptions, StoreTls } from './thanos/remote-store';
export { ThanosStoreGateway } from './thanos/thanos-store-gateway';
export type { ThanosStoreGatewayProps } from './thanos/thanos-store-gateway';
export { ThanosCompactor } from './thanos/thanos-compactor';
export type { ThanosCompactorProps, CompactorRetention } from './thanos/thanos-compactor';
export type { BucketComponentProps } from './thanos/private/bucket-component';
export { ObjectStorage } from './thanos/object-storage';
export type { ObjectStorageOptions } from './thanos/object-storage';
export { Alertmanager } from './alertmanager/alertmanager';
export type { AlertmanagerProps } from './alertmanager/alertmanager';
export { Pushgateway } from './pushgateway/pushgateway';
export type { PushgatewayProps, PushgatewayPersistence } from './pushgateway/pushgateway';
export { MonitoringIngress } from './ingress/monitoring-ingress';
export type { MonitoringIngressProps, IngressRouteOptions } from './ingress/monitoring-ingress';
export { IngressAuth } from './ingress/ingress-auth';

// Pods: what every component's pods take
export type { ComponentProps, PodOptions, ReplicatedPodOptions, StorageOptions } from './pod/pod-options';
export type { RunAs } from './pod/security';
export type { Resources } from './pod/resources';
export { SpreadMode } from './pod/scheduling';
export type { SpreadOptions } from './pod/scheduling';
export type { ConfigReloaderOptions } from './pod/config-reloader';
export { ContainerImage } from './images/container-image';
export type { ContainerImageOptions } from './images/container-image';
export { DefaultImages } from './images/default-images';

// How components refer to each other, and the NetworkPolicies derived from it
export type {
  NamedPort, ComponentIdentity, IComponent, IStoreApi, IQueryApi, IAlertmanagerTarget, IPushgatewayTarget, IIngressTarget,
} from './wiring/interfaces';
export { NetworkGraph, NetworkPeer } from './wiring/network-graph';
export type { Connection, MetricsEndpoint, MetricsSource } from './wiring/network-graph';
export { StackDefaultDenyPolicy } from './wiring/network-policies';

// Typed Prometheus configuration
export { SecretFile } from './config/common/secret-file';
export { TlsVersion } from './config/common/http-client';
export type { TlsFiles, HttpAuth, ScrapeAuth } from './config/common/http-client';
export { KubernetesRole, Scheme, DnsRecordType } from './config/prometheus/scrape-job';
export type { ScrapeJob, KubernetesSelector, KubernetesSd, FileSd, DnsSd, ConsulSd } from './config/prometheus/scrape-job';
export { ScrapeJobs } from './config/prometheus/scrape-jobs';
export type { AnnotationJobOptions, NodeJobOptions, ApiServerJobOptions, BlackboxProbeOptions } from './config/prometheus/scrape-jobs';
export { RelabelAction } from './config/prometheus/relabel';
export type { RelabelRule } from './config/prometheus/relabel';
export type { RemoteWrite, RemoteWriteQueue, RemoteRead } from './config/prometheus/remote-storage';
export type { TsdbConfig } from './config/prometheus/tsdb';

// Rules, their tests, and the default rules
export type { RecordingRule, AlertingRule, Rule, RuleGroup } from './config/rules/rule-group';
export type { InputSeries, ExpectedAlert, AlertRuleTest, ExpectedSample, PromqlExprTest, RuleTest } from './config/rules/rule-tests';
export { defaultRuleGroups, DEFAULT_RULE_GROUP_PREFIX } from './config/rules/default-rules';
export type { DefaultRulesOptions, DefaultRulesAlertmanager } from './config/rules/default-rules';

// Typed Alertmanager configuration
export {
  AlertMatcher, NotifierTlsVersion, Month, Weekday, Receivers, OpsGeniePriority, OpsGenieResponderType,
  WeChatMessageType, TelegramParseMode,
} from './config/alertmanager/alertmanager-config';
export type {
  AlertmanagerConfig, NotifierAuthorization, NotifierBasicAuth, NotifierHttpConfig, NotifierOAuth2, NotifierTlsConfig,
  AlertmanagerGlobalConfig, Route, InhibitRule, DayOfMonthRange, MonthRange, TimeInterval, TimeOfDayRange, TimePeriod,
  WeekdayRange, YearRange, DingTalkBridgeOptions, Receiver, EmailConfig, WebhookConfig, SlackConfig, SlackField,
  PagerDutyConfig, PagerDutyImage, PagerDutyLink, OpsGenieConfig, OpsGenieResponder, WeChatConfig, TelegramConfig,
  MsTeamsConfig, MsTeamsV2Config,
} from './config/alertmanager/alertmanager-config';

// Checks
export { ValidationError, InvalidValueError } from './errors';
export { checkPolicies, POLICY_RULES } from './policy/check-policies';
export type {
  PolicyViolation, PolicyFinding, PolicyOptions, KubeManifest, PolicyContainer, PolicyPod, PolicyContext, PolicyRule,
} from './policy/check-policies';

// GitOps output: one file per component and a kustomization.yaml per chart
export { GitOpsOutput, KUSTOMIZATION_FILE } from './gitops/gitops-output';
export type { GitOpsChart, GitOpsFile, GitOpsObject } from './gitops/gitops-output';
export { KustomizeApp } from './gitops/kustomize-app';
export type { KustomizeAppProps } from './gitops/kustomize-app';

// Typed object storage and workload identity (buckets of the Thanos components)
export { S3BucketLookup } from './thanos/objstore/providers';
export type { BucketOptions, S3StorageProps, GcsStorageProps, AzureStorageProps } from './thanos/objstore/providers';
export { S3Credentials, GcsCredentials, AzureCredentials } from './thanos/objstore/credentials';
export type { S3SecretKeys, AzureWorkloadIdentityOptions } from './thanos/objstore/credentials';
export type { ServiceAccountOptions, ServiceAccountAnnotations } from './pod/service-account';

// Thanos Ruler (rules over the whole query layer) and Query Frontend (split, retried, cached queries)
export { ThanosRuler } from './thanos/thanos-ruler';
export type { ThanosRulerProps } from './thanos/thanos-ruler';
export { ThanosQueryFrontend } from './thanos/thanos-query-frontend';
export type { ThanosQueryFrontendProps } from './thanos/thanos-query-frontend';
export { QueryFrontendCache } from './thanos/query-frontend/cache';
export type { InMemoryCacheOptions, MemcachedCacheOptions, RedisCacheOptions } from './thanos/query-frontend/cache';
export type { ChartRulerOptions, ChartQueryFrontendOptions } from './monitoring-chart';

// Grafana: datasources and dashboards provisioned from code
export { Grafana } from './grafana/grafana';
export type { GrafanaProps } from './grafana/grafana';
export type { GrafanaAdminCredentials, GrafanaDatabase } from './grafana/grafana-options';
export { GrafanaDashboards } from './grafana/dashboards';
export type { GrafanaDashboard } from './grafana/dashboards';
export type { ChartGrafanaOptions } from './monitoring-chart';

// Topology: a chart's components, Services, ports and allowed connections, as Mermaid or Graphviz DOT
export { Topology, topology } from './topology/topology';
export type {
  TopologyNode, TopologyNodeKind, TopologyPeerKind, TopologyComponent, TopologyPeer, TopologyService, TopologyWorkload,
  TopologyEdge, TopologyGroup,
} from './topology/topology';

// What a chart needs in the cluster before it is applied (Secrets, classes, namespaces), and its markdown list
export { Prerequisites, PrerequisiteKind, DEFAULT_CLASS } from './prerequisites/prerequisites';
export type {
  Prerequisite, PrerequisiteReason, PrerequisiteNeed, PrerequisiteDeclaration, PrerequisitesMarkdownOptions,
} from './prerequisites/prerequisites';

// Exporters: node exporter (the one named Pod Security exception), kube-state-metrics, blackbox probes
export { NodeExporter } from './exporters/node-exporter';
export type { NodeExporterProps } from './exporters/node-exporter';
export { KubeStateMetrics, KUBE_STATE_METRICS_RESOURCES } from './exporters/kube-state-metrics';
export type { KubeStateMetricsProps, KubeStateMetricsResource } from './exporters/kube-state-metrics';
export { BlackboxExporter } from './exporters/blackbox-exporter';
export type { BlackboxExporterProps } from './exporters/blackbox-exporter';
export { BlackboxModule } from './exporters/blackbox-module';
export type {
  BlackboxModuleOptions, BlackboxProber, HttpModuleOptions, TcpModuleOptions, TcpQueryResponse, DnsModuleOptions, DnsQueryType,
  GrpcModuleOptions, IcmpModuleOptions, IpProtocol,
} from './exporters/blackbox-module';
export type { ProbeOptions } from './exporters/probe';
export type { ChartNodeExporterOptions, ChartKubeStateMetricsOptions, ChartBlackboxExporterOptions } from './monitoring-chart';
export { NODE_EXPORTER_EXCEPTION } from './policy/check-policies';
export type { HostAccessException } from './policy/check-policies';
