import { readFileSync } from 'fs';
import { InvalidValueError } from '../errors';
import { dashboard, DashboardModel, jobVariable, RowSpec } from './dashboard-model';

/** A dashboard to provision: a file `<name>.json` in Grafana's dashboards folder. */
export interface GrafanaDashboard {
  /**
   * The dashboard's name in Kubernetes: its file and ConfigMap are named
   * after it. A lowercase RFC 1123 label of at most 40 characters.
   */
  readonly name: string;
  /**
   * The dashboard JSON model: an object, or JSON text (e.g. a file exported
   * from Grafana). It must have a `title`.
   */
  readonly json: string | Record<string, unknown>;
}

/*
 * Job names: a component's metrics are scraped as `<app>` when it has the
 * app's name, else `<app>-<name>` (Component.metricsJob), with `-<namespace>`
 * added when a Prometheus scrapes it across namespaces
 * (PrometheusConfig.jobName). Each dashboard's job variable lists the jobs
 * whose names follow that pattern and that export a metric only that daemon
 * has, so it finds every instance, whatever it is named.
 */
const jobsOf = (app: string) => `job=~"${app}(-.+)?"`;
const rate = (metric: string, selector: string) => `rate(${metric}{${selector}}[$__rate_interval])`;
/** An error ratio of two counters, grouped by `by`. */
const ratio = (failures: string, total: string, selector: string, by: string) =>
  `sum by (${by}) (${rate(failures, selector)}) / sum by (${by}) (${rate(total, selector)})`;
const p99 = (histogram: string, selector: string, by: string) =>
  `histogram_quantile(0.99, sum by (${by}, le) (${rate(`${histogram}_bucket`, selector)}))`;

/** CPU and memory of the selected pods: every Go daemon exports the process collector's metrics. */
function resourcesRow(selector: string): RowSpec {
  return {
    title: 'Resources',
    panels: [
      { title: 'CPU', description: 'CPU seconds used per second, per pod.', unit: 'short', queries: [{ expr: `sum by (job, pod) (${rate('process_cpu_seconds_total', selector)})`, legend: '{{job}} {{pod}}' }] },
      { title: 'Memory', description: 'Resident memory per pod.', unit: 'bytes', queries: [{ expr: `max by (job, pod) (process_resident_memory_bytes{${selector}})`, legend: '{{job}} {{pod}}' }] },
    ],
  };
}

function prometheusDashboard(): DashboardModel {
  const sel = 'job=~"$job"';
  const sidecar = 'job=~"$sidecar"';
  return dashboard({
    uid: 'cdk8s-prometheus',
    title: 'Prometheus',
    description: 'Scraping, storage, rules and notifications of the Prometheus servers, and their Thanos sidecars.',
    variables: [
      jobVariable('job', 'Prometheus', `prometheus_build_info{${jobsOf('prometheus')}}`),
      jobVariable('sidecar', 'Thanos sidecar', `thanos_build_info{${jobsOf('thanos-sidecar')}}`),
    ],
    rows: [
      {
        title: 'Overview',
        panels: [
          { title: 'Targets down', description: 'Scrape targets whose last scrape failed, by job.', stat: true, queries: [{ expr: 'count(up == 0) or vector(0)' }] },
          { title: 'Head series', description: 'Series in the in-memory head block of all selected servers.', stat: true, queries: [{ expr: `sum(prometheus_tsdb_head_series{${sel}})` }] },
          { title: 'Config reloaded', description: '1 when every selected server loaded its last configuration; 0 means a bad config is being ignored.', stat: true, queries: [{ expr: `min(prometheus_config_last_reload_successful{${sel}})` }] },
          { title: 'Rule failures / s', description: 'Rule evaluations that failed, per second.', stat: true, queries: [{ expr: `sum(${rate('prometheus_rule_evaluation_failures_total', sel)}) or vector(0)` }] },
        ],
      },
      {
        title: 'Scraping and storage',
        panels: [
          { title: 'Targets down by job', description: 'Targets whose last scrape failed.', queries: [{ expr: 'count by (job) (up == 0)', legend: '{{job}}' }] },
          { title: 'Samples appended', description: 'Samples written to the head block per second.', unit: 'ops', queries: [{ expr: `sum by (pod) (${rate('prometheus_tsdb_head_samples_appended_total', sel)})`, legend: '{{pod}}' }] },
          { title: 'Head series', description: 'Series in the head block per server; growth without new targets is a cardinality problem.', queries: [{ expr: `max by (pod) (prometheus_tsdb_head_series{${sel}})`, legend: '{{pod}}' }] },
          { title: 'Scrape interval (p99)', description: 'The 99th percentile of the actual intervals between scrapes, per configured interval.', unit: 's', queries: [{ expr: `max by (interval) (prometheus_target_interval_length_seconds{${sel}, quantile="0.99"})`, legend: '{{interval}}' }] },
        ],
      },
      {
        title: 'Rules and alerts',
        panels: [
          { title: 'Rule group duration / interval', description: 'How much of its interval each rule group takes to evaluate; above 1 evaluations are skipped.', unit: 'percentunit', queries: [{ expr: `max by (rule_group) (prometheus_rule_group_last_duration_seconds{${sel}} / prometheus_rule_group_interval_seconds{${sel}})`, legend: '{{rule_group}}' }] },
          { title: 'Notification errors', description: 'Alerts that could not be sent to an Alertmanager, per second.', unit: 'ops', queries: [{ expr: `sum by (pod, alertmanager) (${rate('prometheus_notifications_errors_total', sel)})`, legend: '{{pod}} {{alertmanager}}' }] },
          { title: 'Notification queue', description: 'Alerts waiting to be sent; a full queue drops alerts.', queries: [
            { expr: `max by (pod) (prometheus_notifications_queue_length{${sel}})`, legend: '{{pod}} queued' },
            { expr: `max by (pod) (prometheus_notifications_queue_capacity{${sel}})`, legend: '{{pod}} capacity' },
          ] },
          { title: 'Query duration (p99)', description: 'The 99th percentile of PromQL evaluation time, by stage.', unit: 's', queries: [{ expr: `max by (slice) (prometheus_engine_query_duration_seconds{${sel}, quantile="0.99"})`, legend: '{{slice}}' }] },
        ],
      },
      {
        title: 'Thanos sidecar',
        panels: [
          { title: 'Prometheus reachable', description: '1 when the sidecar reaches its Prometheus.', queries: [{ expr: `min by (pod) (thanos_sidecar_prometheus_up{${sidecar}})`, legend: '{{pod}}' }] },
          { title: 'Block uploads', description: 'Blocks uploaded to object storage, and failed uploads, per second.', unit: 'ops', queries: [
            { expr: `sum by (pod) (${rate('thanos_shipper_uploads_total', sidecar)})`, legend: '{{pod}} uploaded' },
            { expr: `sum by (pod) (${rate('thanos_shipper_upload_failures_total', sidecar)})`, legend: '{{pod}} failed' },
          ] },
        ],
      },
      resourcesRow(sel),
    ],
  });
}

function thanosQueryDashboard(): DashboardModel {
  const sel = 'job=~"$job"';
  const api = `${sel}, handler=~"query|query_range"`;
  return dashboard({
    uid: 'cdk8s-thanos-query',
    title: 'Thanos Query',
    description: 'The PromQL API of the Thanos Queriers and their fan-out to the stores.',
    variables: [jobVariable('job', 'Querier', `thanos_build_info{${jobsOf('thanos-query')}}`)],
    rows: [
      {
        title: 'Query API',
        panels: [
          { title: 'Requests', description: 'Instant and range queries per second, by handler and status code.', unit: 'reqps', queries: [{ expr: `sum by (handler, code) (${rate('http_requests_total', api)})`, legend: '{{handler}} {{code}}' }] },
          { title: 'Errors', description: 'The share of queries answered with a 5xx status.', unit: 'percentunit', queries: [{
            expr: `sum by (handler) (rate(http_requests_total{${api}, code=~"5.."}[$__rate_interval])) / sum by (handler) (${rate('http_requests_total', api)})`, legend: '{{handler}}',
          }] },
          { title: 'Latency (p99)', description: 'The 99th percentile of query duration.', unit: 's', queries: [{ expr: p99('http_request_duration_seconds', api, 'handler'), legend: '{{handler}}' }] },
          { title: 'Queries in flight', description: 'Queries being evaluated, against the concurrency limit (--query.max-concurrent).', queries: [
            { expr: `sum by (pod) (thanos_query_concurrent_gate_queries_in_flight{${sel}})`, legend: '{{pod}} in flight' },
            { expr: `max by (pod) (thanos_query_concurrent_gate_queries_max{${sel}})`, legend: '{{pod}} limit' },
          ] },
        ],
      },
      {
        title: 'Stores',
        panels: [
          { title: 'Connected stores', description: 'Store API endpoints each querier is connected to, by type.', queries: [{ expr: `sum by (pod, store_type) (thanos_store_nodes_grpc_connections{${sel}})`, legend: '{{pod}} {{store_type}}' }] },
          { title: 'Store API errors', description: 'gRPC calls to the stores that did not end OK, per second.', unit: 'ops', queries: [{
            expr: `sum by (grpc_method, grpc_code) (rate(grpc_client_handled_total{${sel}, grpc_code!="OK"}[$__rate_interval]))`, legend: '{{grpc_method}} {{grpc_code}}',
          }] },
        ],
      },
      resourcesRow(sel),
    ],
  });
}

function thanosStoreDashboard(): DashboardModel {
  const sel = 'job=~"$job"';
  return dashboard({
    uid: 'cdk8s-thanos-store',
    title: 'Thanos Store Gateway',
    description: 'Blocks in object storage served to the queriers: gRPC, bucket operations, index cache.',
    variables: [jobVariable('job', 'Store gateway', `thanos_build_info{${jobsOf('thanos-store')}}`)],
    rows: [
      {
        title: 'Store API',
        panels: [
          { title: 'Requests', description: 'gRPC calls from queriers per second, by method and code.', unit: 'ops', queries: [{ expr: `sum by (grpc_method, grpc_code) (${rate('grpc_server_handled_total', sel)})`, legend: '{{grpc_method}} {{grpc_code}}' }] },
          { title: 'Latency (p99)', description: 'The 99th percentile of the gRPC call duration.', unit: 's', queries: [{ expr: p99('grpc_server_handling_seconds', sel, 'grpc_method'), legend: '{{grpc_method}}' }] },
        ],
      },
      {
        title: 'Blocks and bucket',
        panels: [
          { title: 'Blocks loaded', description: 'Blocks each store gateway serves.', queries: [{ expr: `sum by (pod) (thanos_bucket_store_blocks_loaded{${sel}})`, legend: '{{pod}}' }] },
          { title: 'Block load failures', description: 'The share of block loads that failed.', unit: 'percentunit', queries: [{
            expr: ratio('thanos_bucket_store_block_load_failures_total', 'thanos_bucket_store_block_loads_total', sel, 'pod'), legend: '{{pod}}',
          }] },
          { title: 'Bucket operations', description: 'Object storage operations per second.', unit: 'ops', queries: [{ expr: `sum by (operation) (${rate('thanos_objstore_bucket_operations_total', sel)})`, legend: '{{operation}}' }] },
          { title: 'Bucket operation failures', description: 'The share of object storage operations that failed.', unit: 'percentunit', queries: [{
            expr: ratio('thanos_objstore_bucket_operation_failures_total', 'thanos_objstore_bucket_operations_total', sel, 'operation'), legend: '{{operation}}',
          }] },
          { title: 'Index cache hit ratio', description: 'Index cache hits per request, by item type.', unit: 'percentunit', queries: [{
            expr: ratio('thanos_store_index_cache_hits_total', 'thanos_store_index_cache_requests_total', sel, 'item_type'), legend: '{{item_type}}',
          }] },
        ],
      },
      resourcesRow(sel),
    ],
  });
}

function thanosCompactorDashboard(): DashboardModel {
  const sel = 'job=~"$job"';
  return dashboard({
    uid: 'cdk8s-thanos-compact',
    title: 'Thanos Compactor',
    description: 'Compaction, downsampling and retention of the bucket.',
    variables: [jobVariable('job', 'Compactor', `thanos_build_info{${jobsOf('thanos-compact')}}`)],
    rows: [
      {
        title: 'Overview',
        panels: [
          { title: 'Halted', description: '1 when the compactor stopped on an error (overlapping blocks, say) and needs a human.', stat: true, queries: [{ expr: `max(thanos_compact_halted{${sel}})` }] },
          { title: 'Iterations / h', description: 'Compaction runs over the whole bucket in the last hour.', stat: true, queries: [{ expr: `sum(increase(thanos_compact_iterations_total{${sel}}[1h]))` }] },
        ],
      },
      {
        title: 'Compaction',
        panels: [
          { title: 'Compactions', description: 'Group compactions per second, and failed ones.', unit: 'ops', queries: [
            { expr: `sum by (pod) (${rate('thanos_compact_group_compactions_total', sel)})`, legend: '{{pod}} done' },
            { expr: `sum by (pod) (${rate('thanos_compact_group_compactions_failures_total', sel)})`, legend: '{{pod}} failed' },
          ] },
          { title: 'Downsampling', description: 'Downsampling runs per second, and failed ones.', unit: 'ops', queries: [
            { expr: `sum by (pod) (${rate('thanos_compact_downsample_total', sel)})`, legend: '{{pod}} done' },
            { expr: `sum by (pod) (${rate('thanos_compact_downsample_failed_total', sel)})`, legend: '{{pod}} failed' },
          ] },
          { title: 'Retention and deletion', description: 'Blocks marked for deletion, and blocks deleted, per second.', unit: 'ops', queries: [
            { expr: `sum by (pod) (${rate('thanos_compact_blocks_marked_for_deletion_total', sel)})`, legend: '{{pod}} marked' },
            { expr: `sum by (pod) (${rate('thanos_compact_blocks_cleaned_total', sel)})`, legend: '{{pod}} deleted' },
          ] },
          { title: 'Bucket operation failures', description: 'The share of object storage operations that failed.', unit: 'percentunit', queries: [{
            expr: ratio('thanos_objstore_bucket_operation_failures_total', 'thanos_objstore_bucket_operations_total', sel, 'operation'), legend: '{{operation}}',
          }] },
        ],
      },
      resourcesRow(sel),
    ],
  });
}

function alertmanagerDashboard(): DashboardModel {
  const sel = 'job=~"$job"';
  return dashboard({
    uid: 'cdk8s-alertmanager',
    title: 'Alertmanager',
    description: 'Alerts received, notifications sent, and the health of the Alertmanager cluster.',
    variables: [jobVariable('job', 'Alertmanager', `alertmanager_build_info{${jobsOf('alertmanager')}}`)],
    rows: [
      {
        title: 'Overview',
        panels: [
          { title: 'Firing alerts', description: 'Active alerts (every replica holds all of them).', stat: true, queries: [{ expr: `max(alertmanager_alerts{${sel}, state="active"})` }] },
          { title: 'Active silences', description: 'Silences in effect.', stat: true, queries: [{ expr: `max(alertmanager_silences{${sel}, state="active"})` }] },
          { title: 'Cluster members', description: 'The smallest peer count any replica sees; below the replica count the cluster is split.', stat: true, queries: [{ expr: `min(alertmanager_cluster_members{${sel}})` }] },
          { title: 'Config reloaded', description: '1 when every replica loaded its last configuration.', stat: true, queries: [{ expr: `min(alertmanager_config_last_reload_successful{${sel}})` }] },
        ],
      },
      {
        title: 'Notifications',
        panels: [
          { title: 'Alerts received', description: 'Alerts received from the Prometheus servers per second, by status.', unit: 'ops', queries: [{ expr: `sum by (status) (${rate('alertmanager_alerts_received_total', sel)})`, legend: '{{status}}' }] },
          { title: 'Notifications', description: 'Notifications sent, and failed, per second by integration.', unit: 'ops', queries: [
            { expr: `sum by (integration) (${rate('alertmanager_notifications_total', sel)})`, legend: '{{integration}} sent' },
            { expr: `sum by (integration) (${rate('alertmanager_notifications_failed_total', sel)})`, legend: '{{integration}} failed' },
          ] },
          { title: 'Notification latency (p99)', description: 'The 99th percentile of the time a notification takes, by integration.', unit: 's', queries: [{ expr: p99('alertmanager_notification_latency_seconds', sel, 'integration'), legend: '{{integration}}' }] },
        ],
      },
      resourcesRow(sel),
    ],
  });
}

function pushgatewayDashboard(): DashboardModel {
  const sel = 'job=~"$job"';
  return dashboard({
    uid: 'cdk8s-pushgateway',
    title: 'Pushgateway',
    description: 'Pushes of the batch jobs, and the Pushgateway serving them.',
    variables: [jobVariable('job', 'Pushgateway', `pushgateway_build_info{${jobsOf('pushgateway')}}`)],
    rows: [
      {
        title: 'Pushed groups',
        panels: [
          // honor_labels: a group's series carry the pushing job's labels, not the Pushgateway's job.
          { title: 'Time since last push', description: 'Per pushed group (the batch job and instance labels it pushed with).', unit: 's', queries: [{ expr: 'time() - max by (job, instance) (push_time_seconds)', legend: '{{job}} {{instance}}' }] },
          { title: 'Groups whose last push failed', description: 'Groups whose last failed push is newer than their last successful one.', stat: true, queries: [{ expr: 'count(push_failure_time_seconds > push_time_seconds) or vector(0)' }] },
        ],
      },
      {
        title: 'Pushgateway',
        panels: [
          { title: 'Requests', description: 'HTTP requests (pushes, deletes, API) per second, by handler and code.', unit: 'reqps', queries: [{ expr: `sum by (handler, code) (${rate('pushgateway_http_requests_total', sel)})`, legend: '{{handler}} {{code}}' }] },
          { title: 'Push duration (p90)', description: 'The 90th percentile of the time a push takes, by method.', unit: 's', queries: [{ expr: `max by (method) (pushgateway_http_push_duration_seconds{${sel}, quantile="0.9"})`, legend: '{{method}}' }] },
          { title: 'Push size (p90)', description: 'The 90th percentile of the size of a push, by method.', unit: 'bytes', queries: [{ expr: `max by (method) (pushgateway_http_push_size_bytes{${sel}, quantile="0.9"})`, legend: '{{method}}' }] },
        ],
      },
      resourcesRow(sel),
    ],
  });
}

/**
 * Dashboards to provision in a {@link Grafana}: the library's own for the
 * stack, and dashboards of JSON files.
 */
export class GrafanaDashboards {
  /**
   * The dashboards of the stack's daemons: Prometheus (with its Thanos
   * sidecars), Thanos Query, Store Gateway and Compactor, Alertmanager and
   * Pushgateway. Each has a `datasource` variable and a `job` variable that
   * lists the daemons of its kind, by the scrape job names the library gives
   * them, so one dashboard covers every instance.
   */
  public static stack(): GrafanaDashboard[] {
    return [
      GrafanaDashboards.prometheus(),
      GrafanaDashboards.thanosQuery(),
      GrafanaDashboards.thanosStore(),
      GrafanaDashboards.thanosCompactor(),
      GrafanaDashboards.alertmanager(),
      GrafanaDashboards.pushgateway(),
    ];
  }

  /** Prometheus: scraping, head block, rules, notifications, and the Thanos sidecars. */
  public static prometheus(): GrafanaDashboard {
    return { name: 'prometheus', json: toJson(prometheusDashboard()) };
  }

  /** Thanos Query: query rate, errors and latency, concurrency, connected stores. */
  public static thanosQuery(): GrafanaDashboard {
    return { name: 'thanos-query', json: toJson(thanosQueryDashboard()) };
  }

  /** Thanos Store Gateway: Store API, loaded blocks, bucket operations, index cache. */
  public static thanosStore(): GrafanaDashboard {
    return { name: 'thanos-store', json: toJson(thanosStoreDashboard()) };
  }

  /** Thanos Compactor: halts, compactions, downsampling, retention. */
  public static thanosCompactor(): GrafanaDashboard {
    return { name: 'thanos-compact', json: toJson(thanosCompactorDashboard()) };
  }

  /** Alertmanager: alerts, silences, cluster, notifications. */
  public static alertmanager(): GrafanaDashboard {
    return { name: 'alertmanager', json: toJson(alertmanagerDashboard()) };
  }

  /** Pushgateway: time since each group's last push, failed pushes, requests. */
  public static pushgateway(): GrafanaDashboard {
    return { name: 'pushgateway', json: toJson(pushgatewayDashboard()) };
  }

  /**
   * A dashboard from a JSON file (e.g. exported from Grafana), read now.
   * Its content is checked when it is added to a Grafana.
   * @throws InvalidValueError if the file cannot be read
   */
  public static fromFile(name: string, path: string): GrafanaDashboard {
    try {
      return { name, json: readFileSync(path, 'utf8') };
    } catch (e) {
      throw new InvalidValueError('GrafanaDashboards.fromFile', 'path', `cannot read '${path}': ${(e as Error).message}`);
    }
  }
}

/** The model as a plain JSON object (what `json` holds). */
function toJson(model: DashboardModel): Record<string, unknown> {
  return JSON.parse(JSON.stringify(model)) as Record<string, unknown>;
}

