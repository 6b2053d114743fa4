// The default rule set, run by the real `promtool test rules`: for every default
// alert, input series on which it fires (with its exact labels and annotations)
// and series on which it must stay quiet. Install the tools with `npm run tools`.
import { Chart, Duration } from 'cdk8s';
import { Alertmanager, Prometheus, Pushgateway, ThanosQuerier } from '../../../lib';
import { expectRulesToFail, expectRulesToPass, fires, quiet } from '../../support/promtool';
import { testApp } from '../../support/synth';

const TIMEOUT_MS = 30_000;

/** The chart's Prometheus as deployed: default rules for itself, its sidecar, its Querier, a 3-node Alertmanager and a Pushgateway. */
function givenStack(): Prometheus {
  const chart = new Chart(testApp(), 'test', { namespace: 'monitoring' });
  const alertmanager = new Alertmanager(chart, 'alertmanager', { replicas: 3 });
  const pushgateway = new Pushgateway(chart, 'pushgateway');
  const prometheus = new Prometheus(chart, 'prometheus', { alertmanagers: [alertmanager], pushgateways: [pushgateway] });
  new ThanosQuerier(chart, 'querier', { stores: [prometheus] });
  return prometheus;
}

const minutes = Duration.minutes;


const PROM = 'job="prometheus", instance="prometheus-0:9090", pod="prometheus-0"';
const promLabels = { job: 'prometheus', instance: 'prometheus-0:9090', pod: 'prometheus-0' };
// The querier's own scrape job: the querier rules select it by job.
const QUERY = 'job="thanos-query-querier", namespace="monitoring", pod="query-0"';
const AM = 'job="alertmanager", instance="alertmanager-0:9093", pod="alertmanager-0"';
const amLabels = { job: 'alertmanager', instance: 'alertmanager-0:9093', pod: 'alertmanager-0' };

describe('default rules under promtool test rules', () => {
  let prometheus: Prometheus;
  beforeEach(() => {
    prometheus = givenStack();
  });

  describe('TargetDown', () => {
    const series = (secondUp: string) => [
      { series: 'up{job="api", namespace="shop", service="api", instance="a:8080"}', values: '1x30' },
      { series: 'up{job="api", namespace="shop", service="api", instance="b:8080"}', values: secondUp },
    ];

    test('fires when half of a service\'s targets are down for 10 minutes', () => {
      // GIVEN one of two targets down from the start
      // WHEN the rules are evaluated at 15m
      // THEN TargetDown fires for the service with 50%
      expectRulesToPass(prometheus, [fires('TargetDown', series('0x30'), minutes(15),
        { job: 'api', namespace: 'shop', service: 'api', severity: 'warning' },
        { summary: 'Targets are down.', description: '50% of the api/api targets in shop are down.' })]);
    }, TIMEOUT_MS);

    test('stays quiet when every target is up, while a target has been down for less than 10 minutes, and at 10% or less down', () => {
      // GIVEN all targets up; a target that goes down at 10m; 1 of 10 targets down all along
      const oneOfTen = Array.from({ length: 10 }, (_, i) => ({
        series: `up{job="api", namespace="shop", service="api", instance="pod-${i}:8080"}`, values: i === 0 ? '0x30' : '1x30',
      }));
      // WHEN the rules are evaluated at 15m
      // THEN TargetDown is not firing (pending does not count; the threshold is more than 10%)
      expectRulesToPass(prometheus, [
        quiet('TargetDown', series('1x30'), minutes(15)),
        quiet('TargetDown', series('1x9 0x20'), minutes(15)),
        quiet('TargetDown', oneOfTen, minutes(15)),
      ]);
    }, TIMEOUT_MS);
  });

  describe('PrometheusConfigReloadFailed', () => {
    test('fires after the last reload failed for 10 minutes', () => {
      // GIVEN a failed reload from the start
      // WHEN the rules are evaluated at 20m
      // THEN the alert fires for the Prometheus pod
      expectRulesToPass(prometheus, [fires('PrometheusConfigReloadFailed',
        [{ series: `prometheus_config_last_reload_successful{${PROM}}`, values: '0x30' }], minutes(20),
        { ...promLabels, severity: 'critical' },
        {
          summary: 'Prometheus failed to reload its configuration.',
          description: 'Prometheus prometheus-0:9090 runs an outdated configuration: the last reload failed.',
        })]);
    }, TIMEOUT_MS);

    test('stays quiet when reloads succeed, and when a failure was fixed within 5 minutes', () => {
      // GIVEN successful reloads; a failure at 10m fixed at 13m
      // WHEN evaluated at 20m
      // THEN not firing
      expectRulesToPass(prometheus, [
        quiet('PrometheusConfigReloadFailed', [{ series: `prometheus_config_last_reload_successful{${PROM}}`, values: '1x30' }], minutes(20)),
        quiet('PrometheusConfigReloadFailed', [{ series: `prometheus_config_last_reload_successful{${PROM}}`, values: '1x9 0x3 1x20' }], minutes(20)),
      ]);
    }, TIMEOUT_MS);
  });

  describe.each([
    ['PrometheusTSDBCompactionsFailing', 'prometheus_tsdb_compactions_failed_total',
      'Prometheus has problems compacting blocks.', 'Prometheus prometheus-0:9090 keeps failing to compact blocks: disk usage grows, queries slow down.'],
    ['PrometheusTSDBReloadsFailing', 'prometheus_tsdb_reloads_failures_total',
      'Prometheus has problems loading blocks from disk.', 'Prometheus prometheus-0:9090 keeps failing to load blocks from disk: their data is missing from queries.'],
  ])('%s', (alert, metric, summary, description) => {
    const interval = minutes(10);
    test('fires after 4 hours of failures', () => {
      // GIVEN the failure counter growing every 10 minutes for 6 hours
      // WHEN evaluated at 5h
      // THEN the alert fires (warning)
      expectRulesToPass(prometheus, [fires(alert, [{ series: `${metric}{${PROM}}`, values: '0+1x36' }], Duration.hours(5),
        { ...promLabels, severity: 'warning' }, { summary, description }, interval)]);
    }, TIMEOUT_MS);

    test('stays quiet without failures, and after a single failure long ago', () => {
      // GIVEN no failures; one failure at 10m, then none for 6 hours
      // WHEN evaluated at 5h
      // THEN not firing: the 3h window no longer holds the failure
      expectRulesToPass(prometheus, [
        quiet(alert, [{ series: `${metric}{${PROM}}`, values: '0x36' }], Duration.hours(5), interval),
        quiet(alert, [{ series: `${metric}{${PROM}}`, values: '0 1x35' }], Duration.hours(5), interval),
      ]);
    }, TIMEOUT_MS);
  });

  describe('PrometheusTSDBWALCorrupted', () => {
    const series = (values: string) => [{ series: `prometheus_tsdb_wal_corruptions_total{${PROM}}`, values }];

    test('fires at once after a WAL corruption', () => {
      // GIVEN a corruption counted at 2m
      // WHEN evaluated at 10m
      // THEN the alert fires (critical) without waiting
      expectRulesToPass(prometheus, [fires('PrometheusTSDBWALCorrupted', series('0 0 1x30'), minutes(10),
        { ...promLabels, severity: 'critical' },
        {
          summary: 'Prometheus found a corrupted write-ahead log.',
          description: 'Prometheus prometheus-0:9090 repaired a corrupted WAL in the last 3h: recent samples may be lost.',
        })]);
    }, TIMEOUT_MS);

    test('stays quiet without corruptions', () => {
      // GIVEN a counter that stays at 0
      // WHEN evaluated at 10m
      // THEN not firing
      expectRulesToPass(prometheus, [quiet('PrometheusTSDBWALCorrupted', series('0x30'), minutes(10))]);
    }, TIMEOUT_MS);
  });

  describe('PrometheusRuleEvaluationFailures', () => {
    const series = (values: string) => [{ series: `prometheus_rule_evaluation_failures_total{${PROM}, rule_group="/etc/prometheus/rules/rules.yaml;app"}`, values }];

    test('fires after 15 minutes of failing evaluations', () => {
      // GIVEN one failure a minute
      // WHEN evaluated at 30m
      // THEN the alert names the group and counts 5 failures in 5m
      expectRulesToPass(prometheus, [fires('PrometheusRuleEvaluationFailures', series('0+1x60'), minutes(30),
        { ...promLabels, rule_group: '/etc/prometheus/rules/rules.yaml;app', severity: 'critical' },
        {
          summary: 'Prometheus is failing rule evaluations.',
          description: 'Prometheus prometheus-0:9090 failed 5 evaluations of group /etc/prometheus/rules/rules.yaml;app in 5m.',
        })]);
    }, TIMEOUT_MS);

    test('stays quiet when evaluations succeed', () => {
      // GIVEN no failures
      // WHEN evaluated at 30m
      // THEN not firing
      expectRulesToPass(prometheus, [quiet('PrometheusRuleEvaluationFailures', series('0x60'), minutes(30))]);
    }, TIMEOUT_MS);
  });

  describe('PrometheusNotificationQueueRunningFull', () => {
    const series = (length: string) => [
      { series: `prometheus_notifications_queue_length{${PROM}}`, values: length },
      { series: `prometheus_notifications_queue_capacity{${PROM}}`, values: '10000x60' },
    ];

    test('fires when the queue would be full within 30 minutes', () => {
      // GIVEN a queue growing by 400 a minute against a capacity of 10000
      // WHEN evaluated at 20m
      // THEN the alert fires
      expectRulesToPass(prometheus, [fires('PrometheusNotificationQueueRunningFull', series('0+400x60'), minutes(20),
        { ...promLabels, severity: 'warning' },
        {
          summary: 'The Prometheus alert notification queue may fill up.',
          description: 'The alert notification queue of Prometheus prometheus-0:9090 is running full.',
        })]);
    }, TIMEOUT_MS);

    test('stays quiet with a steady queue', () => {
      // GIVEN a queue of constant length 100
      // WHEN evaluated at 20m
      // THEN not firing
      expectRulesToPass(prometheus, [quiet('PrometheusNotificationQueueRunningFull', series('100x60'), minutes(20))]);
    }, TIMEOUT_MS);
  });

  describe('PrometheusErrorSendingAlerts', () => {
    const AM_URL = 'alertmanager="http://alertmanager-0:9093/api/v2/alerts"';
    const series = (errors: string) => [
      { series: `prometheus_notifications_errors_total{${PROM}, ${AM_URL}}`, values: errors },
      { series: `prometheus_notifications_sent_total{${PROM}, ${AM_URL}}`, values: '0+10x60' },
    ];

    test('fires when more than 3% of the alerts sent to an Alertmanager fail', () => {
      // GIVEN 1 error per 10 alerts sent
      // WHEN evaluated at 30m
      // THEN the alert names the Alertmanager and the error ratio
      expectRulesToPass(prometheus, [fires('PrometheusErrorSendingAlerts', series('0+1x60'), minutes(30),
        { ...promLabels, alertmanager: 'http://alertmanager-0:9093/api/v2/alerts', severity: 'warning' },
        {
          summary: 'Prometheus fails to send alerts to an Alertmanager.',
          description: '10.0% of the alerts Prometheus prometheus-0:9090 sent to http://alertmanager-0:9093/api/v2/alerts failed.',
        })]);
    }, TIMEOUT_MS);

    test('stays quiet without errors', () => {
      // GIVEN no errors
      // WHEN evaluated at 30m
      // THEN not firing
      expectRulesToPass(prometheus, [quiet('PrometheusErrorSendingAlerts', series('0x60'), minutes(30))]);
    }, TIMEOUT_MS);
  });

  describe('PrometheusNotConnectedToAlertmanagers', () => {
    const series = (values: string) => [{ series: `prometheus_notifications_alertmanagers_discovered{${PROM}}`, values }];

    test('fires when no Alertmanager is discovered for 10 minutes', () => {
      // GIVEN zero discovered Alertmanagers
      // WHEN evaluated at 20m
      // THEN the alert fires (critical)
      expectRulesToPass(prometheus, [fires('PrometheusNotConnectedToAlertmanagers', series('0x30'), minutes(20),
        { ...promLabels, severity: 'critical' },
        {
          summary: 'Prometheus is not connected to any Alertmanager.',
          description: 'Prometheus prometheus-0:9090 sends its alerts nowhere: it knows no Alertmanager.',
        })]);
    }, TIMEOUT_MS);

    test('stays quiet with the Alertmanagers discovered', () => {
      // GIVEN three discovered Alertmanagers
      // WHEN evaluated at 20m
      // THEN not firing
      expectRulesToPass(prometheus, [quiet('PrometheusNotConnectedToAlertmanagers', series('3x30'), minutes(20))]);
    }, TIMEOUT_MS);
  });

  describe('ThanosSidecarPrometheusDown', () => {
    const series = (replaySeconds: string) => [
      { series: 'thanos_sidecar_prometheus_up{job="thanos-sidecar", instance="prometheus-0:10902", pod="prometheus-0"}', values: '0x20' },
      { series: `prometheus_tsdb_data_replay_duration_seconds{${PROM}}`, values: replaySeconds },
    ];

    test('fires when the sidecar cannot reach a Prometheus that finished its WAL replay', () => {
      // GIVEN the sidecar reporting Prometheus down, while that pod's Prometheus replayed its WAL in 12s
      // WHEN evaluated at 10m
      // THEN the alert fires for the sidecar of that pod
      expectRulesToPass(prometheus, [fires('ThanosSidecarPrometheusDown', series('12x20'), minutes(10),
        { job: 'thanos-sidecar', instance: 'prometheus-0:10902', pod: 'prometheus-0', severity: 'critical' },
        {
          summary: 'A Thanos sidecar cannot reach its Prometheus.',
          description: 'The Thanos sidecar of prometheus-0 cannot reach Prometheus: its data is missing from queries.',
        })]);
    }, TIMEOUT_MS);

    test('stays quiet while Prometheus still replays its WAL', () => {
      // GIVEN the sidecar reporting Prometheus down, with the WAL replay not finished (duration 0)
      // WHEN evaluated at 10m
      // THEN not firing: Prometheus is not serving yet, by design
      expectRulesToPass(prometheus, [quiet('ThanosSidecarPrometheusDown', series('0x20'), minutes(10))]);
    }, TIMEOUT_MS);
  });

  describe('ThanosQueryGrpcClientErrors', () => {
    /** 100 store requests a minute, `failing` of them answered Unavailable. */
    const series = (failing: number) => [
      { series: `grpc_client_handled_total{${QUERY}, grpc_code="Unavailable", grpc_method="Series"}`, values: `0+${failing}x30` },
      { series: `grpc_client_handled_total{${QUERY}, grpc_code="OK", grpc_method="Series"}`, values: `0+${100 - failing}x30` },
      { series: `grpc_client_started_total{${QUERY}, grpc_method="Series"}`, values: '0+100x30' },
    ];

    test('fires when more than 5% of the store requests fail', () => {
      // GIVEN 10 of 100 requests to stores failing with Unavailable
      // WHEN evaluated at 15m
      // THEN the alert fires for the querier pod
      expectRulesToPass(prometheus, [fires('ThanosQueryGrpcClientErrors', series(10), minutes(15),
        { namespace: 'monitoring', pod: 'query-0', severity: 'warning' },
        {
          summary: 'Thanos Query is failing to query stores.',
          description: 'Thanos Query query-0 gets errors for 10.0% of its store requests.',
        })]);
    }, TIMEOUT_MS);

    test('stays quiet when every request succeeds, and at 5% errors or less', () => {
      // GIVEN no failing requests; 2 of 100 failing
      // WHEN evaluated at 15m
      // THEN not firing
      expectRulesToPass(prometheus, [
        quiet('ThanosQueryGrpcClientErrors', series(0), minutes(15)),
        quiet('ThanosQueryGrpcClientErrors', series(2), minutes(15)),
      ]);
    }, TIMEOUT_MS);
  });

  describe('ThanosQueryStoreEndpointsMissing', () => {
    const resolved = { series: `thanos_query_endpoints_dns_provider_results{${QUERY}, addr="dnssrv+_grpc._tcp.prometheus-headless.monitoring.svc"}`, values: '2x30' };
    const connected = (values: string) => ({
      series: `thanos_store_nodes_grpc_connections{${QUERY}, external_labels="{replica=\\"prometheus-0\\"}", store_type="sidecar"}`, values,
    });
    const labels = { namespace: 'monitoring', pod: 'query-0', severity: 'warning' };
    const annotations = (missing: number) => ({
      summary: 'Thanos Query is not connected to all its store endpoints.',
      description: `Thanos Query query-0 resolves more store endpoints than it is connected to: ${missing} are missing from its results.`,
    });

    test('fires when fewer stores are connected than resolved, including none at all', () => {
      // GIVEN 2 resolved endpoints, and 1 connection / no connection series at all
      // WHEN evaluated at 20m
      // THEN the alert fires with 1 / 2 missing
      expectRulesToPass(prometheus, [
        fires('ThanosQueryStoreEndpointsMissing', [resolved, connected('1x30')], minutes(20), labels, annotations(1)),
        fires('ThanosQueryStoreEndpointsMissing', [resolved], minutes(20), labels, annotations(2)),
      ]);
    }, TIMEOUT_MS);

    test('stays quiet when every resolved endpoint is connected', () => {
      // GIVEN 2 resolved and 2 connected endpoints
      // WHEN evaluated at 20m
      // THEN not firing
      expectRulesToPass(prometheus, [quiet('ThanosQueryStoreEndpointsMissing', [resolved, connected('2x30')], minutes(20))]);
    }, TIMEOUT_MS);
  });

  describe('AlertmanagerConfigReloadFailed', () => {
    const series = (values: string) => [{ series: `alertmanager_config_last_reload_successful{${AM}}`, values }];

    test('fires after the last reload failed for 10 minutes', () => {
      // GIVEN a failed reload from the start
      // WHEN evaluated at 20m
      // THEN the alert fires for the replica
      expectRulesToPass(prometheus, [fires('AlertmanagerConfigReloadFailed', series('0x30'), minutes(20),
        { ...amLabels, severity: 'critical' },
        {
          summary: 'Alertmanager failed to reload its configuration.',
          description: 'Alertmanager alertmanager-0:9093 runs an outdated configuration: the last reload failed.',
        })]);
    }, TIMEOUT_MS);

    test('stays quiet when reloads succeed', () => {
      // GIVEN successful reloads
      // WHEN evaluated at 20m
      // THEN not firing
      expectRulesToPass(prometheus, [quiet('AlertmanagerConfigReloadFailed', series('1x30'), minutes(20))]);
    }, TIMEOUT_MS);
  });

  describe('AlertmanagerFailedNotifications', () => {
    /** `sent` Slack notifications a minute, `failed` of them failing (for two reasons, summed). */
    const series = (failed: number, sent: number) => [
      { series: `alertmanager_notifications_failed_total{${AM}, integration="slack", reason="serverError"}`, values: `0+${failed}x30` },
      { series: `alertmanager_notifications_failed_total{${AM}, integration="slack", reason="clientError"}`, values: '0x30' },
      { series: `alertmanager_notifications_total{${AM}, integration="slack"}`, values: `0+${sent}x30` },
    ];

    test('fires when more than 1% of an integration\'s notifications fail', () => {
      // GIVEN 1 in 10 Slack notifications failing
      // WHEN evaluated at 15m
      // THEN the alert fires for the integration, with the ratio as a percentage
      expectRulesToPass(prometheus, [fires('AlertmanagerFailedNotifications', series(1, 10), minutes(15),
        { ...amLabels, integration: 'slack', severity: 'critical' },
        {
          summary: 'Alertmanager fails to send notifications.',
          description: 'Alertmanager alertmanager-0:9093 failed to send 10% of its slack notifications.',
        })]);
    }, TIMEOUT_MS);

    test('stays quiet when notifications succeed, and at 1% failures or less', () => {
      // GIVEN no failed notifications; 1 in 1000 failing
      // WHEN evaluated at 15m
      // THEN not firing
      expectRulesToPass(prometheus, [
        quiet('AlertmanagerFailedNotifications', series(0, 10), minutes(15)),
        quiet('AlertmanagerFailedNotifications', series(1, 1000), minutes(15)),
      ]);
    }, TIMEOUT_MS);
  });

  describe('AlertmanagerClusterDegraded', () => {
    const series = (values: string) => [{ series: `alertmanager_cluster_members{${AM}}`, values }];

    test('fires when a replica sees fewer members than the 3 deployed', () => {
      // GIVEN a replica seeing 2 members
      // WHEN evaluated at 25m
      // THEN the alert fires with the member count it sees
      expectRulesToPass(prometheus, [fires('AlertmanagerClusterDegraded', series('2x30'), minutes(25),
        { ...amLabels, severity: 'critical' },
        {
          summary: 'An Alertmanager replica does not see all cluster members.',
          description: 'Alertmanager alertmanager-0:9093 sees only 2 cluster members.',
        })]);
    }, TIMEOUT_MS);

    test('stays quiet with all 3 members, and over a short split', () => {
      // GIVEN 3 members; a 3-minute dip to 2
      // WHEN evaluated at 25m
      // THEN not firing
      expectRulesToPass(prometheus, [
        quiet('AlertmanagerClusterDegraded', series('3x30'), minutes(25)),
        quiet('AlertmanagerClusterDegraded', series('3x10 2x3 3x20'), minutes(25)),
      ]);
    }, TIMEOUT_MS);
  });

  describe('PushgatewayStalePush', () => {
    const hours = Duration.hours;
    const series = (values: string) => [{ series: 'push_time_seconds{job="nightly-backup", instance="pushgateway:9091"}', values }];

    test('fires when the last push is older than 25 hours', () => {
      // GIVEN a job that pushed once, at time 0
      // WHEN evaluated at 26h
      // THEN the alert fires with the age of the push
      expectRulesToPass(prometheus, [fires('PushgatewayStalePush', series('0x30'), hours(26),
        { job: 'nightly-backup', instance: 'pushgateway:9091', severity: 'warning' },
        {
          summary: 'A batch job has not pushed to the Pushgateway for too long.',
          description: 'Job nightly-backup last pushed 1d 2h 0m 0s ago (more than 1d1h).',
        }, hours(1))]);
    }, TIMEOUT_MS);

    test('stays quiet while the job keeps pushing', () => {
      // GIVEN a job pushing every hour (push_time_seconds follows the clock)
      // WHEN evaluated at 26h
      // THEN not firing
      expectRulesToPass(prometheus, [quiet('PushgatewayStalePush', series('0+3600x30'), hours(26), hours(1))]);
    }, TIMEOUT_MS);
  });
});

describe('expectRulesToPass', () => {
  test('fails when an expectation does not hold, with promtool\'s report', () => {
    // GIVEN a test expecting TargetDown on all-up targets
    const prometheus = givenStack();
    const wrong = fires('TargetDown', [{ series: 'up{job="api", instance="a:1"}', values: '1x30' }], minutes(15),
      { job: 'api', severity: 'warning' }, { summary: 'Targets are down.', description: 'x' });

    // WHEN promtool runs it
    const output = expectRulesToFail(prometheus, [wrong]);

    // THEN it reports the missing alert
    expect(output).toMatch(/alertname: TargetDown/);
    expect(output).toMatch(/FAILED/);
  }, TIMEOUT_MS);

  test('runs the tests declared on rule groups, without a Prometheus', () => {
    // GIVEN a rule group with a test next to its rules
    const groups = [{
      name: 'app',
      rules: [{ record: 'job:requests:rate5m', expr: 'sum by (job) (rate(requests_total[5m]))' }],
      tests: [{
        inputSeries: [{ series: 'requests_total{job="app", instance="a"}', values: '0+60x10' }],
        promqlExprTests: [{ expr: 'job:requests:rate5m', evalTime: minutes(10), expSamples: [{ labels: 'job:requests:rate5m{job="app"}', value: 1 }] }],
      }],
    }];

    // WHEN its tests run, and again with a wrong expected value
    // THEN the first passes, the second fails
    expectRulesToPass(groups);
    const output = expectRulesToFail(groups, [{
      inputSeries: [{ series: 'requests_total{job="app", instance="a"}', values: '0+60x10' }],
      promqlExprTests: [{ expr: 'job:requests:rate5m', evalTime: minutes(10), expSamples: [{ labels: 'job:requests:rate5m{job="app"}', value: 2 }] }],
    }]);
    expect(output).toMatch(/job:requests:rate5m/);
  }, TIMEOUT_MS);
});
