// The exporters' alerts as a MonitoringChart's Prometheus evaluates them, run by the real
// `promtool test rules`: for each alert, input series on which it fires (with its exact
// labels and annotations) and series on which it must stay quiet. Install the tools
// with `npm run tools`.
import { Duration } from 'cdk8s';
import { InputSeries, MonitoringChart, Prometheus } from '../../lib';
import { expectRulesToPass, firesWith, quiet } from '../support/promtool';
import { testApp } from '../support/synth';

const TIMEOUT_MS = 30_000;
const minutes = Duration.minutes;
const hours = Duration.hours;

/** The chart's Prometheus, with the node exporter, kube-state-metrics and a blackbox exporter. */
function givenChart(): Prometheus {
  return new MonitoringChart(testApp(), 'monitoring', { namespace: 'monitoring', blackboxExporter: {} }).prometheus!;
}


// The node exporter's job, as the chart's Prometheus names a component of its own stack (whatever its namespace).
const NODE_JOB = 'node-exporter';
const TARGET = `job="${NODE_JOB}", instance="10.0.0.1:9100", pod="node-exporter-x7k2p"`;
const FS = `${TARGET}, device="/dev/sda1", fstype="ext4", mountpoint="/var"`;
const fsLabels = { job: NODE_JOB, instance: '10.0.0.1:9100', pod: 'node-exporter-x7k2p', device: '/dev/sda1', fstype: 'ext4', mountpoint: '/var', nodename: 'node-1' };

/** A filesystem of 100 bytes with `avail` free (a promtool series expression), writable unless said, on node-1. */
function filesystem(avail: string, readonly = '0x480'): InputSeries[] {
  return [
    { series: `node_filesystem_avail_bytes{${FS}}`, values: avail },
    { series: `node_filesystem_size_bytes{${FS}}`, values: '100x480' },
    { series: `node_filesystem_readonly{${FS}}`, values: readonly },
    { series: `node_uname_info{${TARGET}, nodename="node-1", sysname="Linux"}`, values: '1x480' },
  ];
}

describe('the exporters\' alerts under promtool test rules', () => {
  let prometheus: Prometheus;
  beforeEach(() => {
    prometheus = givenChart();
  });

  describe('NodeFilesystemAlmostOutOfSpace', () => {
    test('fires a warning under 5% for 30 minutes, and a critical alert too under 3%, naming the node', () => {
      // GIVEN a filesystem at 4%, and one at 2%
      const description = (p: string) => `Filesystem /var (/dev/sda1) on node node-1 has only ${p}% space left.`;
      // WHEN evaluated at 40m
      // THEN
      expectRulesToPass(prometheus, [
        firesWith('NodeFilesystemAlmostOutOfSpace', filesystem('4x480'), minutes(40), [
          { labels: { ...fsLabels, severity: 'warning' }, annotations: { summary: 'Filesystem has less than 5% space left.', description: description('4.00') } },
        ]),
        firesWith('NodeFilesystemAlmostOutOfSpace', filesystem('2x480'), minutes(40), [
          { labels: { ...fsLabels, severity: 'warning' }, annotations: { summary: 'Filesystem has less than 5% space left.', description: description('2.00') } },
          { labels: { ...fsLabels, severity: 'critical' }, annotations: { summary: 'Filesystem has less than 3% space left.', description: description('2.00') } },
        ]),
      ]);
    }, TIMEOUT_MS);

    test('stays quiet at 10%, on a read-only filesystem, and under 30 minutes', () => {
      // GIVEN 10% free; 1% free but read-only; 4% free only since 20m
      // WHEN evaluated at 40m
      // THEN
      expectRulesToPass(prometheus, [
        quiet('NodeFilesystemAlmostOutOfSpace', filesystem('10x480'), minutes(40)),
        quiet('NodeFilesystemAlmostOutOfSpace', filesystem('1x480', '1x480'), minutes(40)),
        quiet('NodeFilesystemAlmostOutOfSpace', filesystem('10x20 4x460'), minutes(40)),
      ]);
    }, TIMEOUT_MS);
  });

  describe('NodeFilesystemSpaceFillingUp', () => {
    test('warns when it runs full within 24h with less than 40% left, and is critical within 4h with less than 20% left', () => {
      // GIVEN filesystems losing 1.8% an hour, at 26.4% after 7 hours, and at 4.6% after 8 hours
      const description = (p: string) => `Filesystem /var (/dev/sda1) on node node-1 has only ${p}% space left and is filling up.`;
      const warning = { ...fsLabels, severity: 'warning' };
      const summary = (h: number) => `Filesystem is predicted to run out of space within the next ${h} hours.`;
      // WHEN evaluated at 7h and 8h
      // THEN
      expectRulesToPass(prometheus, [
        firesWith('NodeFilesystemSpaceFillingUp', filesystem('39-0.03x480'), hours(7), [
          { labels: warning, annotations: { summary: summary(24), description: description('26.40') } },
        ]),
        // 4h ahead turns negative at about 6h30m (under 7.2% left): 1h later it fires.
        firesWith('NodeFilesystemSpaceFillingUp', filesystem('19-0.03x480'), hours(8), [
          { labels: warning, annotations: { summary: summary(24), description: description('4.60') } },
          { labels: { ...fsLabels, severity: 'critical' }, annotations: { summary: summary(4), description: description('4.60') } },
        ]),
      ]);
    }, TIMEOUT_MS);

    test('stays quiet when the space is steady, or plenty is left', () => {
      // GIVEN 30% steady; 60% left and falling
      // WHEN evaluated at 7h
      // THEN
      expectRulesToPass(prometheus, [
        quiet('NodeFilesystemSpaceFillingUp', filesystem('30x480'), hours(7)),
        quiet('NodeFilesystemSpaceFillingUp', filesystem('72-0.03x480'), hours(7)),
      ]);
    }, TIMEOUT_MS);
  });

  describe('KubeStateMetricsDown', () => {
    const annotations = {
      summary: 'kube-state-metrics is down.',
      description: 'kube-state-metrics has not been scraped successfully for 15 minutes: every alert on Kubernetes objects (crash loops, replicas) is blind.',
    };
    test('fires when its target is down, or gone, for 15 minutes', () => {
      // GIVEN the target down from the start; no target at all
      // WHEN evaluated at 20m
      // THEN
      expectRulesToPass(prometheus, [
        firesWith('KubeStateMetricsDown', [{ series: 'up{job="kube-state-metrics", instance="10.1.2.3:8080", pod="kube-state-metrics-abc"}', values: '0x30' }], minutes(20),
          [{ labels: { job: 'kube-state-metrics', severity: 'critical' }, annotations }]),
        firesWith('KubeStateMetricsDown', [{ series: 'up{job="prometheus"}', values: '1x30' }], minutes(20), [{ labels: { job: 'kube-state-metrics', severity: 'critical' }, annotations }]),
      ]);
    }, TIMEOUT_MS);

    test('stays quiet while it is up, and during a short outage', () => {
      // GIVEN up all along; down from 10m to 20m
      // WHEN evaluated at 22m
      // THEN
      expectRulesToPass(prometheus, [
        quiet('KubeStateMetricsDown', [{ series: 'up{job="kube-state-metrics", instance="10.1.2.3:8080"}', values: '1x30' }], minutes(22)),
        quiet('KubeStateMetricsDown', [{ series: 'up{job="kube-state-metrics", instance="10.1.2.3:8080"}', values: '1x9 0x10 1x10' }], minutes(22)),
      ]);
    }, TIMEOUT_MS);
  });

  describe.each([['list', 'KubeStateMetricsListErrors'], ['watch', 'KubeStateMetricsWatchErrors']])('kube-state-metrics %s errors', (op, alert) => {
    const series = (errorsPerMinute: number) => [
      { series: `kube_state_metrics_${op}_total{job="kube-state-metrics-self", resource="pods", result="error"}`, values: `0+${errorsPerMinute}x40` },
      { series: `kube_state_metrics_${op}_total{job="kube-state-metrics-self", resource="pods", result="success"}`, values: '0+10x40' },
    ];
    test(`${alert} fires above 1% of failing requests for 15 minutes, and stays quiet without errors`, () => {
      // GIVEN 1 failing request per 10 that succeed; none failing
      // WHEN evaluated at 30m
      // THEN
      expectRulesToPass(prometheus, [
        firesWith(alert, series(1), minutes(30), [{
          labels: { severity: 'critical' },
          annotations: {
            summary: `kube-state-metrics is failing ${op} operations.`,
            description: `9.091% of kube-state-metrics' ${op} requests to the API server fail: metrics of Kubernetes objects are stale or missing.`,
          },
        }]),
        quiet(alert, series(0), minutes(30)),
      ]);
    }, TIMEOUT_MS);
  });

  describe('KubePodCrashLooping', () => {
    // honor_labels: the namespace, pod and container are the crashing pod's, the job kube-state-metrics'.
    const labels = { job: 'kube-state-metrics', instance: '10.1.2.3:8080', namespace: 'shop', pod: 'api-7d9f-1', container: 'api', reason: 'CrashLoopBackOff' };
    const series = (values: string) => [{ series: `kube_pod_container_status_waiting_reason{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(', ')}}`, values }];
    test('fires after 15 minutes in CrashLoopBackOff, and stays quiet for a pod that recovered', () => {
      // GIVEN a container in CrashLoopBackOff all along; one that left it at 5m
      // WHEN evaluated at 25m
      // THEN
      expectRulesToPass(prometheus, [
        firesWith('KubePodCrashLooping', series('1x30'), minutes(25), [{
          labels: { ...labels, severity: 'warning' },
          annotations: { summary: 'A container is crash-looping.', description: 'Container api of pod shop/api-7d9f-1 is in CrashLoopBackOff.' },
        }]),
        quiet('KubePodCrashLooping', series('1x5 _x25'), minutes(25)),
      ]);
    }, TIMEOUT_MS);
  });

  describe('blackbox probes', () => {
    const target = { job: 'blackbox-http_2xx', instance: 'https://shop.example.com/health' };
    const sel = 'job="blackbox-http_2xx", instance="https://shop.example.com/health"';
    test('BlackboxProbeFailed fires after 5 minutes of failing probes, and stays quiet while they succeed', () => {
      // GIVEN a failing probe; a succeeding one
      // WHEN evaluated at 8m
      // THEN
      expectRulesToPass(prometheus, [
        firesWith('BlackboxProbeFailed', [{ series: `probe_success{${sel}}`, values: '0x10' }], minutes(8), [{
          labels: { ...target, severity: 'critical' },
          annotations: { summary: 'A black-box probe fails.', description: 'Probe blackbox-http_2xx of https://shop.example.com/health has failed for 5 minutes.' },
        }]),
        quiet('BlackboxProbeFailed', [{ series: `probe_success{${sel}}`, values: '1x10' }], minutes(8)),
      ]);
    }, TIMEOUT_MS);

    test('BlackboxSslCertificateExpiringSoon fires 14 days ahead, and stays quiet for a certificate valid for 30 days', () => {
      // GIVEN a certificate expiring 7 days and 10 minutes after the start; one 30 days after
      const sevenDays = 7 * 86400 + 600;
      // WHEN evaluated at 15m
      // THEN
      expectRulesToPass(prometheus, [
        firesWith('BlackboxSslCertificateExpiringSoon', [{ series: `probe_ssl_earliest_cert_expiry{${sel}}`, values: `${sevenDays}x20` }], minutes(15), [{
          labels: { ...target, severity: 'warning' },
          annotations: { summary: 'A TLS certificate expires soon.', description: 'The certificate of https://shop.example.com/health expires in 6d 23h 55m 0s.' },
        }]),
        quiet('BlackboxSslCertificateExpiringSoon', [{ series: `probe_ssl_earliest_cert_expiry{${sel}}`, values: `${30 * 86400}x20` }], minutes(15)),
      ]);
    }, TIMEOUT_MS);
  });
});
