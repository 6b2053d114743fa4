import { Duration } from 'cdk8s';
import { promDuration } from '../../private/durations';
import type { AlertingRule, RuleGroup } from './rule-group';

/** An Alertmanager cluster whose health the default rules watch. */
export interface DefaultRulesAlertmanager {
  /** The scrape job of its replicas. */
  readonly job: string;
  /** Replicas in the gossip cluster; each should see this many members. */
  readonly replicas: number;
}

/** What the default rules watch, and their thresholds. */
export interface DefaultRulesOptions {
  /**
   * Scrape job of Prometheus itself.
   * @default 'prometheus'
   */
  readonly prometheusJob?: string;
  /**
   * Scrape job of the Thanos sidecars; the sidecar rules are left out without it.
   * @default no sidecar rules
   */
  readonly thanosSidecarJob?: string;
  /**
   * Label matchers that select the Thanos Queriers' series, e.g. `job=~"thanos-query"`.
   * @default `job=~"<thanosQueryJobs>"`; no querier rules without either
   */
  readonly thanosQuerySelector?: string;
  /**
   * Scrape jobs of the Thanos Queriers; the querier rules are left out without them (or `thanosQuerySelector`).
   * @default no querier rules
   */
  readonly thanosQueryJobs?: string[];
  /**
   * Scrape jobs of the Thanos store gateways; the store gateway rules are left out without them.
   * @default no store gateway rules
   */
  readonly thanosStoreJobs?: string[];
  /**
   * Scrape jobs of the Thanos compactors; the compactor rules are left out without them.
   * @default no compactor rules
   */
  readonly thanosCompactJobs?: string[];
  /**
   * Scrape jobs of the Thanos Rulers; the Ruler rules are left out without them.
   * @default no Ruler rules
   */
  readonly thanosRuleJobs?: string[];
  /**
   * Alertmanager clusters whose health to watch: those Prometheus scrapes.
   * @default no Alertmanager rules
   */
  readonly alertmanagers?: DefaultRulesAlertmanager[];
  /**
   * Whether Prometheus sends alerts to Alertmanagers; adds the rule that fires when it knows none.
   * @default true when `alertmanagers` are given
   */
  readonly sendsAlerts?: boolean;
  /**
   * Whether Prometheus scrapes Pushgateways; adds the stale push rule.
   * @default false
   */
  readonly pushgateways?: boolean;
  /**
   * A push older than this is stale: set it above the longest period of the
   * batch jobs that push.
   * @default Duration.hours(25)
   */
  readonly pushStaleAfter?: Duration;
  /**
   * Percentage of a job's targets that must be down to alert.
   * @default 10
   */
  readonly targetsDownPercent?: number;
}

const warning = { severity: 'warning' };
const critical = { severity: 'critical' };

/** Group names of the default rules; user groups must not reuse them. */
export const DEFAULT_RULE_GROUP_PREFIX = 'stack-';

function prometheusRules(job: string, o: DefaultRulesOptions): AlertingRule[] {
  const sel = `job="${job}"`;
  const pct = o.targetsDownPercent ?? 10;
  return [
    {
      alert: 'TargetDown',
      // Per job and Service: one flapping pod of a big Deployment is not an outage.
      expr: `100 * (count by (job, namespace, service) (up == 0) / count by (job, namespace, service) (up)) > ${pct}`,
      for: Duration.minutes(10),
      labels: warning,
      annotations: {
        summary: 'Targets are down.',
        description: '{{ printf "%.4g" $value }}% of the {{ $labels.job }}/{{ $labels.service }} targets in {{ $labels.namespace }} are down.',
      },
    },
    {
      alert: 'PrometheusConfigReloadFailed',
      // max_over_time: a failed scrape must not hide a failed reload.
      expr: `max_over_time(prometheus_config_last_reload_successful{${sel}}[5m]) == 0`,
      for: Duration.minutes(10),
      labels: critical,
      annotations: {
        summary: 'Prometheus failed to reload its configuration.',
        description: 'Prometheus {{ $labels.instance }} runs an outdated configuration: the last reload failed.',
      },
    },
    {
      alert: 'PrometheusTSDBCompactionsFailing',
      expr: `increase(prometheus_tsdb_compactions_failed_total{${sel}}[3h]) > 0`,
      for: Duration.hours(4),
      labels: warning,
      annotations: {
        summary: 'Prometheus has problems compacting blocks.',
        description: 'Prometheus {{ $labels.instance }} keeps failing to compact blocks: disk usage grows, queries slow down.',
      },
    },
    {
      alert: 'PrometheusTSDBReloadsFailing',
      expr: `increase(prometheus_tsdb_reloads_failures_total{${sel}}[3h]) > 0`,
      for: Duration.hours(4),
      labels: warning,
      annotations: {
        summary: 'Prometheus has problems loading blocks from disk.',
        description: 'Prometheus {{ $labels.instance }} keeps failing to load blocks from disk: their data is missing from queries.',
      },
    },
    {
      alert: 'PrometheusTSDBWALCorrupted',
      expr: `increase(prometheus_tsdb_wal_corruptions_total{${sel}}[3h]) > 0`,
      labels: critical,
      annotations: {
        summary: 'Prometheus found a corrupted write-ahead log.',
        description: 'Prometheus {{ $labels.instance }} repaired a corrupted WAL in the last 3h: recent samples may be lost.',
      },
    },
    {
      alert: 'PrometheusRuleEvaluationFailures',
      expr: `increase(prometheus_rule_evaluation_failures_total{${sel}}[5m]) > 0`,
      for: Duration.minutes(15),
      labels: critical,
      annotations: {
        summary: 'Prometheus is failing rule evaluations.',
        description: 'Prometheus {{ $labels.instance }} failed {{ printf "%.0f" $value }} evaluations of group {{ $labels.rule_group }} in 5m.',
      },
    },
    {
      alert: 'PrometheusNotificationQueueRunningFull',
      // Full in 30 minutes at the current rate; min_over_time: a failed scrape must not hide it.
      expr: `predict_linear(prometheus_notifications_queue_length{${sel}}[5m], 60 * 30) > min_over_time(prometheus_notifications_queue_capacity{${sel}}[5m])`,
      for: Duration.minutes(15),
      labels: warning,
      annotations: {
        summary: 'The Prometheus alert notification queue may fill up.',
        description: 'The alert notification queue of Prometheus {{ $labels.instance }} is running full.',
      },
    },
    {
      alert: 'PrometheusErrorSendingAlerts',
      expr: `100 * rate(prometheus_notifications_errors_total{${sel}}[5m]) / rate(prometheus_notifications_sent_total{${sel}}[5m]) > 3`,
      for: Duration.minutes(15),
      labels: warning,
      annotations: {
        summary: 'Prometheus fails to send alerts to an Alertmanager.',
        description: '{{ printf "%.1f" $value }}% of the alerts Prometheus {{ $labels.instance }} sent to {{ $labels.alertmanager }} failed.',
      },
    },
    ...(o.sendsAlerts ?? !!o.alertmanagers?.length ? [{
      alert: 'PrometheusNotConnectedToAlertmanagers',
      expr: `max_over_time(prometheus_notifications_alertmanagers_discovered{${sel}}[5m]) < 1`,
      for: Duration.minutes(10),
      labels: critical,
      annotations: {
        summary: 'Prometheus is not connected to any Alertmanager.',
        description: 'Prometheus {{ $labels.instance }} sends its alerts nowhere: it knows no Alertmanager.',
      },
    }] : []),
  ];
}

/** `job=~"a|b"`: the series of these scrape jobs. */
function jobsMatcher(jobs: string[]): string {
  return `job=~"${jobs.join('|')}"`;
}

/** More than 5% of a Thanos component's bucket operations failing; `component` names it in the annotations. */
function bucketOperationsRule(alert: string, component: string, sel: string): AlertingRule {
  return {
    alert,
    // Per bucket, not per operation: an unreachable bucket fails them all, and should alert once.
    expr: `100 * sum by (job, pod, bucket) (rate(thanos_objstore_bucket_operation_failures_total{${sel}}[5m]))`
      + ` / sum by (job, pod, bucket) (rate(thanos_objstore_bucket_operations_total{${sel}}[5m])) > 5`,
    for: Duration.minutes(15),
    labels: warning,
    annotations: {
      summary: `${component} operations on the bucket are failing.`,
      description: `${component} {{ $labels.pod }} fails {{ printf "%.1f" $value }}% of its operations on bucket {{ $labels.bucket }}.`,
    },
  };
}

function thanosSidecarRules(sidecarJob: string, prometheusJob: string): AlertingRule[] {
  const sel = `job="${sidecarJob}"`;
  // Both self-scrape jobs label their series with the pod: that is what a sidecar and its Prometheus share.
  // Without object storage the sidecar exports no shipper or bucket series: those rules stay silent.
  return [
    {
      alert: 'ThanosSidecarPrometheusDown',
      // Not while Prometheus replays its WAL (replay duration still 0): the sidecar cannot reach it then, by design.
      expr: `thanos_sidecar_prometheus_up{${sel}} == 0 and on (pod) prometheus_tsdb_data_replay_duration_seconds{job="${prometheusJob}"} != 0`,
      for: Duration.minutes(5),
      labels: critical,
      annotations: {
        summary: 'A Thanos sidecar cannot reach its Prometheus.',
        description: 'The Thanos sidecar of {{ $labels.pod }} cannot reach Prometheus: its data is missing from queries.',
      },
    },
    {
      alert: 'ThanosSidecarUploadsFailing',
      // The shipper retries a failed block every 30s: failures in every 10m window for 30m are no blip.
      expr: `increase(thanos_shipper_upload_failures_total{${sel}}[10m]) > 0`,
      for: Duration.minutes(30),
      labels: critical,
      annotations: {
        summary: 'A Thanos sidecar fails to upload blocks to the bucket.',
        description: 'The Thanos sidecar of {{ $labels.pod }} keeps failing to upload blocks: they are lost when Prometheus\' retention deletes them.',
      },
    },
    bucketOperationsRule('ThanosSidecarBucketOperationsFailing', 'Thanos sidecar', sel),
  ];
}

function thanosQueryRules(query: string): AlertingRule[] {
  return [
    {
      alert: 'ThanosQueryGrpcClientErrors',
      expr: `100 * sum by (namespace, pod) (rate(grpc_client_handled_total{grpc_code!="OK", ${query}}[5m]))`
        + ` / sum by (namespace, pod) (rate(grpc_client_started_total{${query}}[5m])) > 5`,
      for: Duration.minutes(5),
      labels: warning,
      annotations: {
        summary: 'Thanos Query is failing to query stores.',
        description: 'Thanos Query {{ $labels.pod }} gets errors for {{ printf "%.1f" $value }}% of its store requests.',
      },
    },
    {
      alert: 'ThanosQueryStoreEndpointsMissing',
      // Endpoints resolved from DNS but not connected; `or … * 0` counts zero connections, which export no series.
      expr: `sum by (namespace, pod) (thanos_query_endpoints_dns_provider_results{${query}}) - (`
        + `sum by (namespace, pod) (thanos_store_nodes_grpc_connections{${query}})`
        + ` or 0 * sum by (namespace, pod) (thanos_query_endpoints_dns_provider_results{${query}})) > 0`,
      for: Duration.minutes(10),
      labels: warning,
      annotations: {
        summary: 'Thanos Query is not connected to all its store endpoints.',
        description: 'Thanos Query {{ $labels.pod }} resolves more store endpoints than it is connected to: {{ $value }} are missing from its results.',
      },
    },
    {
      alert: 'ThanosQueryEndpointDnsFailures',
      // A failed lookup keeps the addresses resolved before: only lasting failures matter.
      // (Thanos v0.42 exports thanos_query_endpoints_dns_*, not the mixin's thanos_query_store_apis_dns_*.)
      expr: `100 * sum by (namespace, pod) (rate(thanos_query_endpoints_dns_failures_total{${query}}[5m]))`
        + ` / sum by (namespace, pod) (rate(thanos_query_endpoints_dns_lookups_total{${query}}[5m])) > 10`,
      for: Duration.minutes(15),
      labels: warning,
      annotations: {
        summary: 'Thanos Query fails to resolve its store endpoints.',
        description: 'Thanos Query {{ $labels.pod }} fails {{ printf "%.1f" $value }}% of its DNS lookups of store endpoints: stores that start or move are missing from its results.',
      },
    },
  ];
}

function thanosStoreRules(sel: string): AlertingRule[] {
  return [
    {
      alert: 'ThanosStoreGatewayDown',
      // TargetDown reports replicas down; this is the outage: none of them serves the bucket.
      expr: `max by (job) (up{${sel}}) == 0`,
      for: Duration.minutes(5),
      labels: critical,
      annotations: {
        summary: 'No Thanos store gateway is up.',
        description: 'Every target of {{ $labels.job }} is down: queries miss the data that is only in the bucket.',
      },
    },
    {
      alert: 'ThanosStoreGrpcErrors',
      // Server-side codes only: a client cancelling its query is not the store's fault.
      expr: `100 * sum by (job, pod) (rate(grpc_server_handled_total{grpc_code=~"Unknown|Internal|Unavailable|DataLoss|DeadlineExceeded", ${sel}}[5m]))`
        + ` / sum by (job, pod) (rate(grpc_server_started_total{${sel}}[5m])) > 5`,
      for: Duration.minutes(5),
      labels: warning,
      annotations: {
        summary: 'A Thanos store gateway fails Store API requests.',
        description: 'Store gateway {{ $labels.pod }} fails {{ printf "%.1f" $value }}% of its Store API requests.',
      },
    },
    {
      alert: 'ThanosStoreSeriesRequestsQueued',
      // The wait for one of the concurrent Series slots; without requests the quantile is NaN, never above.
      expr: `histogram_quantile(0.99, sum by (job, pod, le) (rate(thanos_bucket_store_series_gate_duration_seconds_bucket{${sel}}[5m]))) > 2`,
      for: Duration.minutes(10),
      labels: warning,
      annotations: {
        summary: 'Series requests queue at a Thanos store gateway.',
        description: 'Series requests to store gateway {{ $labels.pod }} wait up to {{ $value | humanizeDuration }} (99th percentile) for a free slot: it is overloaded.',
      },
    },
    {
      alert: 'ThanosStoreBlockLoadsFailing',
      // A block that failed to load is retried at the next sync (15m): failures in every 30m window for an hour are no blip.
      expr: `increase(thanos_bucket_store_block_load_failures_total{${sel}}[30m]) > 0`,
      for: Duration.hours(1),
      labels: warning,
      annotations: {
        summary: 'A Thanos store gateway fails to load blocks.',
        description: 'Store gateway {{ $labels.pod }} keeps failing to load blocks from the bucket: their data is missing from queries.',
      },
    },
    bucketOperationsRule('ThanosStoreBucketOperationsFailing', 'Thanos store gateway', sel),
  ];
}

function thanosCompactRules(sel: string): AlertingRule[] {
  return [
    {
      alert: 'ThanosCompactHalted',
      expr: `thanos_compact_halted{${sel}} == 1`,
      for: Duration.minutes(5),
      labels: warning,
      annotations: {
        summary: 'A Thanos compactor has halted.',
        description: 'Compactor {{ $labels.pod }} stopped on an error it cannot retry: nothing is compacted, downsampled or deleted after retention until it is fixed and restarted.',
      },
    },
    {
      alert: 'ThanosCompactNotCompacting',
      // A run completes every 5 minutes when there is nothing to do. `offset 24h`: scraped for a day at
      // least (a restart keeps the series: its targets are the pods' stable names); halted has its own alert.
      expr: `increase(thanos_compact_iterations_total{${sel}}[24h]) == 0 and thanos_compact_iterations_total{${sel}} offset 24h`
        + ` unless thanos_compact_halted{${sel}} == 1`,
      for: Duration.minutes(15),
      labels: warning,
      annotations: {
        summary: 'A Thanos compactor has not completed a run for a day.',
        description: 'Compactor {{ $labels.pod }} has completed no compaction run in 24h: the bucket grows and long-range queries slow down.',
      },
    },
    bucketOperationsRule('ThanosCompactBucketOperationsFailing', 'Thanos compactor', sel),
  ];
}

/**
 * The Ruler: alerts it cannot queue or send, rules failing or not evaluated,
 * its rule reloads, uploads and bucket operations. After the thanos-mixin's
 * rule alerts (mixin/alerts/rule.libsonnet, Thanos v0.42.4), per pod.
 */
function thanosRuleRules(sel: string): AlertingRule[] {
  const rate = (metric: string) => `sum by (job, pod) (rate(${metric}{${sel}}[5m]))`;
  return [
    {
      alert: 'ThanosRuleQueueIsDroppingAlerts',
      expr: `${rate('thanos_alert_queue_alerts_dropped_total')} > 0`,
      for: Duration.minutes(5),
      labels: critical,
      annotations: {
        summary: 'A Thanos Ruler is dropping alerts from its queue.',
        description: 'Thanos Ruler {{ $labels.pod }} drops alerts before sending them: its queue to the Alertmanagers is full.',
      },
    },
    {
      alert: 'ThanosRuleSenderIsFailingAlerts',
      expr: `${rate('thanos_alert_sender_alerts_dropped_total')} > 0`,
      for: Duration.minutes(5),
      labels: critical,
      annotations: {
        summary: 'A Thanos Ruler fails to send alerts to the Alertmanagers.',
        description: 'Thanos Ruler {{ $labels.pod }} drops alerts that no Alertmanager accepted: they reach nobody.',
      },
    },
    {
      alert: 'ThanosRuleHighRuleEvaluationFailures',
      // Evaluations fail when the Querier does: a query layer outage silences every rule of the Ruler.
      expr: `100 * ${rate('prometheus_rule_evaluation_failures_total')} / ${rate('prometheus_rule_evaluations_total')} > 5`,
      for: Duration.minutes(5),
      labels: critical,
      annotations: {
        summary: 'A Thanos Ruler is failing rule evaluations.',
        description: 'Thanos Ruler {{ $labels.pod }} fails {{ printf "%.1f" $value }}% of its rule evaluations: its alerts and recordings are missing.',
      },
    },
    {
      alert: 'ThanosNoRuleEvaluations',
      // Rules are loaded, yet none is evaluated.
      expr: `${rate('prometheus_rule_evaluations_total')} <= 0 and sum by (job, pod) (thanos_rule_loaded_rules{${sel}}) > 0`,
      for: Duration.minutes(5),
      labels: critical,
      annotations: {
        summary: 'A Thanos Ruler evaluates no rules.',
        description: 'Thanos Ruler {{ $labels.pod }} has rules loaded but evaluated none in the last 5 minutes.',
      },
    },
    {
      alert: 'ThanosRuleConfigReloadFailure',
      // max_over_time: a failed scrape must not hide a failed reload.
      expr: `max_over_time(thanos_rule_config_last_reload_successful{${sel}}[5m]) == 0`,
      for: Duration.minutes(10),
      labels: warning,
      annotations: {
        summary: 'A Thanos Ruler failed to reload its rules.',
        description: 'Thanos Ruler {{ $labels.pod }} evaluates outdated rules: the last reload failed.',
      },
    },
    {
      alert: 'ThanosRuleUploadsFailing',
      // Without object storage the Ruler exports no shipper or bucket series: these stay silent.
      expr: `increase(thanos_shipper_upload_failures_total{${sel}}[10m]) > 0`,
      for: Duration.minutes(30),
      labels: critical,
      annotations: {
        summary: 'A Thanos Ruler fails to upload blocks to the bucket.',
        description: 'Thanos Ruler {{ $labels.pod }} keeps failing to upload blocks: its series are lost when its retention deletes them.',
      },
    },
    bucketOperationsRule('ThanosRuleBucketOperationsFailing', 'Thanos Ruler', sel),
  ];
}

function alertmanagerRules(ams: DefaultRulesAlertmanager[]): AlertingRule[] {
  const jobs = `job=~"${ams.map(a => a.job).join('|')}"`;
  const clustered = ams.filter(a => a.replicas > 1);
  return [
    {
      alert: 'AlertmanagerConfigReloadFailed',
      expr: `max_over_time(alertmanager_config_last_reload_successful{${jobs}}[5m]) == 0`,
      for: Duration.minutes(10),
      labels: critical,
      annotations: {
        summary: 'Alertmanager failed to reload its configuration.',
        description: 'Alertmanager {{ $labels.instance }} runs an outdated configuration: the last reload failed.',
      },
    },
    {
      alert: 'AlertmanagerFailedNotifications',
      // Summed over the failure reasons, which the total has no label for.
      expr: `sum without (reason) (rate(alertmanager_notifications_failed_total{${jobs}}[5m]))`
        + ` / sum without (reason) (rate(alertmanager_notifications_total{${jobs}}[5m])) > 0.01`,
      for: Duration.minutes(5),
      labels: critical,
      annotations: {
        summary: 'Alertmanager fails to send notifications.',
        description: 'Alertmanager {{ $labels.instance }} failed to send {{ $value | humanizePercentage }} of its {{ $labels.integration }} notifications.',
      },
    },
    ...(clustered.length ? [{
      alert: 'AlertmanagerClusterDegraded',
      // A replica that sees fewer peers than deployed may notify twice or miss silences.
      expr: clustered.map(a => `max_over_time(alertmanager_cluster_members{job="${a.job}"}[5m]) < ${a.replicas}`).join(' or '),
      for: Duration.minutes(15),
      labels: critical,
      annotations: {
        summary: 'An Alertmanager replica does not see all cluster members.',
        description: 'Alertmanager {{ $labels.instance }} sees only {{ $value }} cluster members.',
      },
    }] : []),
  ];
}

function pushgatewayRules(staleAfter: Duration): AlertingRule[] {
  const seconds = staleAfter.toSeconds();
  return [{
    alert: 'PushgatewayStalePush',
    // Only Pushgateways export push_time_seconds; with honor_labels its job is the pushing batch job's.
    expr: `time() - push_time_seconds > ${seconds}`,
    labels: warning,
    annotations: {
      summary: 'A batch job has not pushed to the Pushgateway for too long.',
      description: `Job {{ $labels.job }} last pushed {{ $value | humanizeDuration }} ago (more than ${promDuration(staleAfter)}).`,
    },
  }];
}

/**
 * Alerts on the monitoring stack itself: failing targets, Prometheus
 * reloads, TSDB and rule evaluation errors, alert delivery, Thanos
 * sidecars, queriers, store gateways, compactors and Rulers, Alertmanager clusters
 * and stale Pushgateway pushes: a group for each kind of component given.
 * Concise versions of the upstream mixins' alerts (Prometheus, Thanos,
 * Alertmanager), with the selectors this library's scrape jobs produce.
 */
export function defaultRuleGroups(options: DefaultRulesOptions = {}): RuleGroup[] {
  const prometheusJob = options.prometheusJob ?? 'prometheus';
  const groups: RuleGroup[] = [{ name: `${DEFAULT_RULE_GROUP_PREFIX}prometheus`, rules: prometheusRules(prometheusJob, options) }];
  if (options.thanosSidecarJob) {
    groups.push({ name: `${DEFAULT_RULE_GROUP_PREFIX}thanos`, rules: thanosSidecarRules(options.thanosSidecarJob, prometheusJob) });
  }
  const query = options.thanosQuerySelector ?? (options.thanosQueryJobs?.length ? jobsMatcher(options.thanosQueryJobs) : undefined);
  if (query) {
    groups.push({ name: `${DEFAULT_RULE_GROUP_PREFIX}thanos-query`, rules: thanosQueryRules(query) });
  }
  if (options.thanosStoreJobs?.length) {
    groups.push({ name: `${DEFAULT_RULE_GROUP_PREFIX}thanos-store`, rules: thanosStoreRules(jobsMatcher(options.thanosStoreJobs)) });
  }
  if (options.thanosCompactJobs?.length) {
    groups.push({ name: `${DEFAULT_RULE_GROUP_PREFIX}thanos-compact`, rules: thanosCompactRules(jobsMatcher(options.thanosCompactJobs)) });
  }
  if (options.thanosRuleJobs?.length) {
    groups.push({ name: `${DEFAULT_RULE_GROUP_PREFIX}thanos-rule`, rules: thanosRuleRules(jobsMatcher(options.thanosRuleJobs)) });
  }
  if (options.alertmanagers?.length) {
    groups.push({ name: `${DEFAULT_RULE_GROUP_PREFIX}alertmanager`, rules: alertmanagerRules(options.alertmanagers) });
  }
  if (options.pushgateways) {
    groups.push({ name: `${DEFAULT_RULE_GROUP_PREFIX}pushgateway`, rules: pushgatewayRules(options.pushStaleAfter ?? Duration.hours(25)) });
  }
  return groups;
}
