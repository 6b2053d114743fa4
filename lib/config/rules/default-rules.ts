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
   * Scrape job of the Thanos sidecars; the sidecar and querier rules are left out without it.
   * @default no Thanos rules
   */
  readonly thanosSidecarJob?: string;
  /**
   * Label matchers that select the Thanos Querier's series, e.g. `job=~"thanos-query"`.
   * @default 'app_kubernetes_io_name="thanos-query"'
   */
  readonly thanosQuerySelector?: string;
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

function thanosRules(sidecarJob: string, prometheusJob: string, query: string): AlertingRule[] {
  // Both self-scrape jobs label their series with the pod: that is what a sidecar and its Prometheus share.
  return [
    {
      alert: 'ThanosSidecarPrometheusDown',
      // Not while Prometheus replays its WAL (replay duration still 0): the sidecar cannot reach it then, by design.
      expr: `thanos_sidecar_prometheus_up{job="${sidecarJob}"} == 0 and on (pod) prometheus_tsdb_data_replay_duration_seconds{job="${prometheusJob}"} != 0`,
      for: Duration.minutes(5),
      labels: critical,
      annotations: {
        summary: 'A Thanos sidecar cannot reach its Prometheus.',
        description: 'The Thanos sidecar of {{ $labels.pod }} cannot reach Prometheus: its data is missing from queries.',
      },
    },
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
 * sidecars and queriers, Alertmanager clusters and stale Pushgateway pushes.
 * Concise versions of the upstream mixins' alerts (Prometheus, Thanos,
 * Alertmanager), with the selectors this library's scrape jobs produce.
 */
export function defaultRuleGroups(options: DefaultRulesOptions = {}): RuleGroup[] {
  const prometheusJob = options.prometheusJob ?? 'prometheus';
  const groups: RuleGroup[] = [{ name: `${DEFAULT_RULE_GROUP_PREFIX}prometheus`, rules: prometheusRules(prometheusJob, options) }];
  if (options.thanosSidecarJob) {
    const query = options.thanosQuerySelector ?? 'app_kubernetes_io_name="thanos-query"';
    groups.push({ name: `${DEFAULT_RULE_GROUP_PREFIX}thanos`, rules: thanosRules(options.thanosSidecarJob, prometheusJob, query) });
  }
  if (options.alertmanagers?.length) {
    groups.push({ name: `${DEFAULT_RULE_GROUP_PREFIX}alertmanager`, rules: alertmanagerRules(options.alertmanagers) });
  }
  if (options.pushgateways) {
    groups.push({ name: `${DEFAULT_RULE_GROUP_PREFIX}pushgateway`, rules: pushgatewayRules(options.pushStaleAfter ?? Duration.hours(25)) });
  }
  return groups;
}
