import { Duration } from 'cdk8s';
import type { AlertingRule, RuleGroup } from '../config/rules/rule-group';
import { IComponent } from '../wiring/interfaces';
import { scrapeJobName } from '../wiring/network-graph';

/*
 * The alerts of the exporters: concise versions of the upstream mixins'
 * (node-mixin of node_exporter v1.11.1, kube-state-metrics-mixin and the
 * kubernetes-mixin's KubePodCrashLooping, the usual blackbox probe alerts),
 * with the job names this library's scrape jobs produce.
 */

const warning = { severity: 'warning' };
const critical = { severity: 'critical' };

/**
 * The job `prometheus` scrapes `component`'s `job` as (the one rule of
 * `scrapeJobName`, which `PrometheusConfig` names its jobs by).
 * @internal
 */
export function jobIn(prometheus: IComponent, component: IComponent, job: string): string {
  return scrapeJobName(prometheus, component, job);
}

/**
 * The node's name on every alert: node_exporter's `node_uname_info` carries
 * it, while the target's `instance` is only the node's IP and port.
 */
function withNodename(expr: string, sel: string): string {
  return `(${expr}) * on (instance) group_left (nodename) node_uname_info{${sel}}`;
}

function filesystemRules(job: string): AlertingRule[] {
  const sel = `job="${job}"`;
  const fs = `${sel}, fstype!="", mountpoint!=""`;
  const availablePercent = `node_filesystem_avail_bytes{${fs}} / node_filesystem_size_bytes{${fs}} * 100`;
  const writable = `node_filesystem_readonly{${fs}} == 0`;
  const where = 'Filesystem {{ $labels.mountpoint }} ({{ $labels.device }}) on node {{ $labels.nodename }}';
  const almostFull = (percent: number, labels: Record<string, string>): AlertingRule => ({
    alert: 'NodeFilesystemAlmostOutOfSpace',
    expr: withNodename(`${availablePercent} < ${percent} and ${writable}`, sel),
    for: Duration.minutes(30),
    labels,
    annotations: {
      summary: `Filesystem has less than ${percent}% space left.`,
      description: `${where} has only {{ printf "%.2f" $value }}% space left.`,
    },
  });
  const fillingUp = (percent: number, hours: number, labels: Record<string, string>): AlertingRule => ({
    alert: 'NodeFilesystemSpaceFillingUp',
    expr: withNodename(`${availablePercent} < ${percent} and predict_linear(node_filesystem_avail_bytes{${fs}}[6h], ${hours} * 3600) < 0 and ${writable}`, sel),
    for: Duration.hours(1),
    labels,
    annotations: {
      summary: `Filesystem is predicted to run out of space within the next ${hours} hours.`,
      description: `${where} has only {{ printf "%.2f" $value }}% space left and is filling up.`,
    },
  });
  return [almostFull(5, warning), almostFull(3, critical), fillingUp(40, 24, warning), fillingUp(20, 4, critical)];
}

/**
 * The node exporter's alerts: filesystems almost out of space (5% warning,
 * 3% critical, for 30m) and filling up (out of space within 24h with less
 * than 40% left, warning; within 4h with less than 20% left, critical).
 * @internal
 */
export function nodeExporterRuleGroup(job: string): RuleGroup {
  return { name: 'node-exporter', rules: filesystemRules(job) };
}

/**
 * kube-state-metrics' alerts: down (no target of `job` up for 15m), list and
 * watch errors above 1% (its own metrics, `selfJob`), and pods crash-looping.
 * @internal
 */
export function kubeStateMetricsRuleGroup(job: string, selfJob: string): RuleGroup {
  const self = `job="${selfJob}"`;
  const errors = (op: 'list' | 'watch'): AlertingRule => ({
    alert: op === 'list' ? 'KubeStateMetricsListErrors' : 'KubeStateMetricsWatchErrors',
    expr: `sum(rate(kube_state_metrics_${op}_total{${self}, result="error"}[5m])) / sum(rate(kube_state_metrics_${op}_total{${self}}[5m])) > 0.01`,
    for: Duration.minutes(15),
    labels: critical,
    annotations: {
      summary: `kube-state-metrics is failing ${op} operations.`,
      description: `{{ $value | humanizePercentage }} of kube-state-metrics' ${op} requests to the API server fail: metrics of Kubernetes objects are stale or missing.`,
    },
  });
  return {
    name: 'kube-state-metrics',
    rules: [
      {
        alert: 'KubeStateMetricsDown',
        // absent(): with no target up there is no series to compare; it carries the job label.
        expr: `absent(up{job="${job}"} == 1)`,
        for: Duration.minutes(15),
        // absent() of a comparison has no labels to carry over: the job is said here.
        labels: { ...critical, job },
        annotations: {
          summary: 'kube-state-metrics is down.',
          description: 'kube-state-metrics has not been scraped successfully for 15 minutes: every alert on Kubernetes objects (crash loops, replicas) is blind.',
        },
      },
      errors('list'),
      errors('watch'),
      {
        alert: 'KubePodCrashLooping',
        expr: `max_over_time(kube_pod_container_status_waiting_reason{job="${job}", reason="CrashLoopBackOff"}[5m]) >= 1`,
        for: Duration.minutes(15),
        labels: warning,
        annotations: {
          summary: 'A container is crash-looping.',
          description: 'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} is in CrashLoopBackOff.',
        },
      },
    ],
  };
}

/**
 * The blackbox exporter's alerts: a probe failing for 5 minutes, and a TLS
 * certificate of a probed target expiring within 14 days.
 * @internal
 */
export function blackboxRuleGroup(): RuleGroup {
  return {
    name: 'blackbox-exporter',
    rules: [
      {
        alert: 'BlackboxProbeFailed',
        // Only blackbox probes export probe_success.
        expr: 'probe_success == 0',
        for: Duration.minutes(5),
        labels: critical,
        annotations: {
          summary: 'A black-box probe fails.',
          description: 'Probe {{ $labels.job }} of {{ $labels.instance }} has failed for 5 minutes.',
        },
      },
      {
        alert: 'BlackboxSslCertificateExpiringSoon',
        expr: 'probe_ssl_earliest_cert_expiry - time() < 14 * 86400',
        for: Duration.minutes(10),
        labels: warning,
        annotations: {
          summary: 'A TLS certificate expires soon.',
          description: 'The certificate of {{ $labels.instance }} expires in {{ $value | humanizeDuration }}.',
        },
      },
    ],
  };
}
