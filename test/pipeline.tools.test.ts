// The wiring of one chart, end to end with the real binaries (install them: `npm run tools`):
// a batch job pushes to the Pushgateway, BOTH Prometheus replicas scrape it (honor_labels)
// and fire an alert, each sends it to EVERY Alertmanager pod, the alerts arrive without the
// replica label, and the Alertmanager cluster notifies the webhook exactly once.
//
// NETWORK: only loopback. Every rendered address is rewritten to 127.0.0.1 before a daemon
// starts: the Alertmanager args by test/support/alertmanager-cluster.ts, the Pushgateway
// listen address and every Prometheus target by test/support/pipeline.ts, which maps each
// rendered `*.svc` target BY MEANING to the local process playing that pod or Service,
// throws on a target it cannot map, and on any `.svc` left in a config or args. The webhook
// receiver is on 127.0.0.1. Kubernetes service discovery finds no API server.
import { Duration } from 'cdk8s';
import { Alertmanager, Prometheus, Pushgateway } from '../lib';
import { serviceHost } from '../lib/private/identity';
import { THANOS_HTTP_PORT } from '../lib/prometheus/thanos-sidecar';
import { CONFIG_RELOADER_PORT } from '../lib/pod/config-reloader';
import {
  AlertmanagerCluster, clusterLogs, clusterProps, getJson, http, notificationsFor, startAlertmanagerCluster,
} from './support/alertmanager-cluster';
import { freePort, waitFor } from './support/daemon';
import { LivePushgateway, mapByAddress, sampleValue, startRenderedPushgateway, withoutTargets } from './support/pipeline';
import { LivePrometheus, startRenderedPrometheus } from './support/prometheus-pod';
import { container, find, givenChart, Manifest, synth } from './support/synth';

const TIMEOUT_MS = 45_000;
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

const ALERT = 'BatchJobFailed';
const BATCH_JOB = 'nightly-backup';
/** An external label besides the replica label: it must reach the Alertmanagers. */
const EXTERNAL_LABELS = { cluster: 'loopback-test' };
/** What each Alertmanager must hold: the rule's labels, the series' labels, the external labels minus `replica`. */
const EXPECTED_ALERT_LABELS = { alertname: ALERT, job: BATCH_JOB, severity: 'page', ...EXTERNAL_LABELS };
/**
 * After the first notification, how long to wait for a (wrong) second one: replica i of
 * the cluster notifies only after i × peer-timeout (2s, SPEED_FLAGS) and only if the
 * gossiped notification log lacks replica 0's entry, so replica 2's turn is ~4s after the first.
 */
const QUIET_MS = 6_000;

describe('a batch job failure pushed to the Pushgateway, through both Prometheus replicas and every Alertmanager, to the webhook', () => {
  let cluster: AlertmanagerCluster;
  let manifests: Manifest[];
  let prom: Prometheus;
  let am: Alertmanager;
  let pgw: Pushgateway;
  let pushgateway: LivePushgateway;
  let replicas: LivePrometheus[] = [];
  /** rendered target -> local address */
  let localAddress: Map<string, string>;
  /** The local stand-ins of the Thanos sidecars: ports nobody listens on. */
  let sidecarAddresses: string[];
  let promReloaderAddresses: string[];
  let amReloaderAddresses: string[];

  const logs = () => [
    clusterLogs(cluster),
    ...replicas.map(r => `----- ${r.podName} -----\n${r.daemon.logs().slice(-4000)}`),
    `----- pushgateway -----\n${pushgateway?.daemon.logs().slice(-2000)}`,
  ].join('\n');
  const withLogs = <T>(p: Promise<T>) => p.catch(e => { throw new Error(`${e.message}\n${logs()}`); });
  const query = async (r: LivePrometheus, promql: string) =>
    (await getJson(`${r.base}/api/v1/query?query=${encodeURIComponent(promql)}`)).data.result as any[];
  const amUrl = (webPort: number) => `http://127.0.0.1:${webPort}/api/v2/alerts`;

  beforeAll(async () => {
    // GIVEN a webhook receiver and a 3-replica Alertmanager cluster routing to it (1s group timers)
    cluster = await startAlertmanagerCluster();

    // AND one chart wiring the Alertmanager and a Pushgateway into a 2-replica Prometheus
    const { chart } = givenChart('monitoring');
    am = new Alertmanager(chart, 'alertmanager', clusterProps(cluster.webhook.url));
    pgw = new Pushgateway(chart, 'pushgateway', { persistence: { enabled: false } });
    prom = new Prometheus(chart, 'prometheus', {
      replicas: 2,
      alertmanagers: [am],
      pushgateways: [pgw],
      externalLabels: EXTERNAL_LABELS,
      scrapeInterval: Duration.seconds(1),
      // Must be set too: the 10s default is longer than the 1s interval, which the construct rejects.
      scrapeTimeout: Duration.seconds(1),
      evaluationInterval: Duration.seconds(1),
      defaultRules: false,
      ruleGroups: [{ name: 'batch', rules: [{ alert: ALERT, expr: 'batch_job_failed > 0', labels: { severity: 'page' } }] }],
    });
    manifests = synth(chart);

    // Each rendered target, mapped by meaning to the local process that plays it.
    const pgwPort = await freePort();
    const promPorts = [await freePort(), await freePort()];
    // Nobody listens there (the Thanos sidecars and config reloaders do not run here); one each, so all stay distinct targets.
    sidecarAddresses = [`127.0.0.1:${await freePort()}`, `127.0.0.1:${await freePort()}`];
    promReloaderAddresses = [`127.0.0.1:${await freePort()}`, `127.0.0.1:${await freePort()}`];
    amReloaderAddresses = await Promise.all(am.alertmanagerAddresses.map(async () => `127.0.0.1:${await freePort()}`));
    const podHost = (i: number) => `${prom.identity.name}-${i}.${serviceHost(prom.headlessServiceName, prom.identity.namespace)}`;
    localAddress = new Map<string, string>([
      [pgw.pushgatewayAddress, `127.0.0.1:${pgwPort}`],
      ...am.alertmanagerAddresses.map((a, i): [string, string] => [a, `127.0.0.1:${cluster.nodes[i].webPort}`]),
      ...promPorts.map((port, i): [string, string] => [`${podHost(i)}:${prom.webPort.port}`, `127.0.0.1:${port}`]),
      ...sidecarAddresses.map((a, i): [string, string] => [`${podHost(i)}:${THANOS_HTTP_PORT.port}`, a]),
      ...promReloaderAddresses.map((a, i): [string, string] => [`${podHost(i)}:${CONFIG_RELOADER_PORT.port}`, a]),
      ...am.alertmanagerAddresses.map((a, i): [string, string] => [a.replace(/:\d+$/, `:${CONFIG_RELOADER_PORT.port}`), amReloaderAddresses[i]]),
    ]);
    const mapTarget = mapByAddress(localAddress);

    pushgateway = await startRenderedPushgateway(manifests, pgwPort);
    replicas = await Promise.all(promPorts.map((port, i) => startRenderedPrometheus(manifests, { podName: `prometheus-${i}`, port, mapTarget })));
  }, TIMEOUT_MS);

  afterAll(async () => {
    await Promise.all([...replicas.map(r => r.daemon.stop()), pushgateway?.daemon.stop()]);
    await cluster?.close();
  }, TIMEOUT_MS);

  test('the daemons run what the chart renders; only static targets and listen addresses change', () => {
    // GIVEN the chart's rendered Alertmanager, and what the cluster support started
    // THEN the running Alertmanagers are exactly this chart's (same container, same config)
    const sts = find(manifests, 'StatefulSet', 'alertmanager');
    expect(container(sts, 'alertmanager')).toEqual(cluster.rendered.container);
    const cmName = sts.spec.template.spec.volumes.find((v: any) => v.name === 'config').configMap.name;
    expect(find(manifests, 'ConfigMap', cmName).data['alertmanager.yml']).toEqual(cluster.rendered.configYaml);

    // AND the Pushgateway runs its rendered args with only the listen address changed
    expect(pushgateway.rendered).toEqual(['--web.listen-address=:9091', '--web.route-prefix=/']);
    expect(pushgateway.args).toEqual([`--web.listen-address=${pushgateway.address}`, ...pushgateway.rendered.slice(1)]);

    for (const r of replicas) {
      // AND each Prometheus replica's config equals the rendered one except for the static targets
      expect(withoutTargets(r.config)).toEqual(withoutTargets(r.renderedConfig));
      expect(JSON.stringify(r.config)).not.toContain('.svc');
      // AND the Alertmanagers are every pod, each mapped to its local node, with the rendered
      // api_version and path prefix (none: the route prefix is `/`), and the replica label dropped
      expect(r.renderedConfig.alerting).toEqual({
        alert_relabel_configs: [{ regex: 'replica', action: 'labeldrop' }],
        alertmanagers: [{ api_version: 'v2', static_configs: [{ targets: am.alertmanagerAddresses }] }],
      });
      expect(r.config.alerting.alertmanagers[0].static_configs[0].targets).toEqual(cluster.nodes.map(n => `127.0.0.1:${n.webPort}`));
      // AND the pushgateway job scrapes the one local Pushgateway with honor_labels
      const job = r.config.scrape_configs.find((j: any) => j.job_name === 'pushgateway');
      expect(job).toMatchObject({ honor_labels: true, metrics_path: '/metrics', static_configs: [{ targets: [pushgateway.address] }] });
      // AND the external labels are the given ones plus the per-pod replica label
      expect(r.renderedConfig.global.external_labels).toEqual({ ...EXTERNAL_LABELS, replica: '${POD_NAME}' });
    }
  });

  test("the two replicas' external labels differ: replica is each pod's own name", async () => {
    // GIVEN both replicas, started as pods prometheus-0 and prometheus-1
    for (const [i, r] of replicas.entries()) {
      // WHEN the loaded config is read back
      const loaded = (await getJson(`${r.base}/api/v1/status/config`)).data.yaml as string;
      // THEN ${POD_NAME} was expanded to the pod's name, next to the given external labels
      expect(loaded).toMatch(new RegExp(`^ {4}replica: prometheus-${i}$`, 'm'));
      expect(loaded).toMatch(/^ {4}cluster: loopback-test$/m);
      expect(loaded).not.toContain('${POD_NAME}');
    }
  }, TIMEOUT_MS);

  test('every mapped scrape target is up, except the Thanos sidecars and config reloaders that do not run here', async () => {
    // GIVEN both replicas scraping every 1s
    // WHEN each one's targets have been scraped (the first scrape comes ~5s after start:
    // Prometheus passes discovered targets to the scrape manager at most every 5s)
    // THEN its pushgateway, alertmanager and prometheus targets are up (so they reach the right local processes)
    const expected = [
      ...cluster.nodes.map(n => `127.0.0.1:${n.webPort}`).map(a => ['alertmanager', a, 1]),
      ...replicas.map(r => ['prometheus', r.base.replace('http://', ''), 1]),
      ['pushgateway', pushgateway.address, 1],
      ...sidecarAddresses.map(a => ['thanos-sidecar', a, 0]),
      ...promReloaderAddresses.map(a => ['prometheus-reloader', a, 0]),
      ...amReloaderAddresses.map(a => ['alertmanager-reloader', a, 0]),
    ];
    for (const r of replicas) {
      let last: any[] = [];
      await withLogs(waitFor(async () => {
        last = (await query(r, 'up')).map(s => [s.metric.job, s.metric.instance, Number(s.value[1])]);
        return JSON.stringify(last.sort()) === JSON.stringify([...expected].sort());
      }, 15_000, 250, `${r.podName}'s up series`).catch(e => { throw new Error(`${e.message}: ${JSON.stringify(last)}`); }));
    }
  }, TIMEOUT_MS);

  test('a pushed failure is scraped by both replicas with the pushed job label (honor_labels)', async () => {
    // GIVEN both replicas have nothing of the batch job yet, and no alert fired
    for (const r of replicas) expect(await query(r, 'batch_job_failed')).toEqual([]);
    expect(notificationsFor(cluster.webhook, ALERT)).toEqual([]);

    // WHEN a batch job pushes its failure to the Pushgateway
    const res = await http(`${pushgateway.base}/metrics/job/${BATCH_JOB}`, {
      method: 'PUT',
      body: `# TYPE batch_job_failed gauge\nbatch_job_failed{job="${BATCH_JOB}"} 1\n`,
    });
    expect({ status: res.status, body: res.text }).toEqual({ status: 200, body: '' });

    // THEN both replicas hold the series with the pushed job label, not the scrape job's
    // name (and no exported_job: the pushed labels won, they were not renamed)
    for (const r of replicas) {
      let result: any[] = [];
      await withLogs(waitFor(async () => (result = await query(r, 'batch_job_failed')).length > 0, 15_000, 250, `${r.podName} to scrape batch_job_failed`));
      expect(result.map(s => s.metric)).toEqual([{ __name__: 'batch_job_failed', job: BATCH_JOB }]);
      expect(Number(result[0].value[1])).toBe(1);
    }
  }, TIMEOUT_MS);

  test('both replicas fire BatchJobFailed', async () => {
    // GIVEN the pushed failure (previous test), evaluated every 1s
    for (const r of replicas) {
      // WHEN the replica's active alerts are read
      let alerts: any[] = [];
      await withLogs(waitFor(async () => {
        alerts = (await getJson(`${r.base}/api/v1/alerts`)).data.alerts;
        return alerts.some(a => a.labels.alertname === ALERT && a.state === 'firing');
      }, 15_000, 250, `${r.podName} to fire ${ALERT}`));
      // THEN it fires BatchJobFailed with the rule's and the series' labels (external labels are added on sending)
      expect(alerts.map(a => [a.labels, a.state])).toEqual([[{ alertname: ALERT, job: BATCH_JOB, severity: 'page' }, 'firing']]);
    }
  }, TIMEOUT_MS);

  test('each replica sends the alert to all 3 Alertmanagers, which hold one copy without the replica label', async () => {
    // GIVEN both replicas firing
    const urls = cluster.nodes.map(n => amUrl(n.webPort)).sort();
    for (const r of replicas) {
      // WHEN the Alertmanagers each replica discovered are read
      const discovered = (await getJson(`${r.base}/api/v1/alertmanagers`)).data;
      // THEN they are every pod (rendered path prefix and api version: /api/v2/alerts), not one address
      expect(discovered.activeAlertmanagers.map((a: any) => a.url).sort()).toEqual(urls);
      expect(discovered.droppedAlertmanagers).toEqual([]);
      // AND the replica itself sent notifications to each of them, without errors
      await withLogs(waitFor(async () => {
        const metrics = (await http(`${r.base}/metrics`)).text;
        return urls.every(u => (sampleValue(metrics, 'prometheus_notifications_sent_total', { alertmanager: u }) ?? 0) >= 1);
      }, 15_000, 250, `${r.podName} to send to every Alertmanager`));
      const metrics = (await http(`${r.base}/metrics`)).text;
      for (const u of urls) expect(sampleValue(metrics, 'prometheus_notifications_errors_total', { alertmanager: u })).toBe(0);
    }

    // AND every Alertmanager node (alerts are not gossiped: each got it straight from Prometheus)
    // holds exactly ONE BatchJobFailed, the two replicas' copies merged because their labels
    // are equal: no `replica` label, the other external label kept
    for (const node of cluster.nodes) {
      let mine: any[] = [];
      await withLogs(waitFor(async () => {
        mine = (await getJson(`${node.base}/api/v2/alerts`)).filter((a: any) => a.labels.alertname === ALERT);
        return mine.length > 0;
      }, 15_000, 250, `${node.name} to receive ${ALERT}`));
      expect(mine).toHaveLength(1);
      expect(mine[0].labels).toEqual(EXPECTED_ALERT_LABELS);
      expect(mine[0].labels).not.toHaveProperty('replica');
      expect(mine[0].status.state).toBe('active');
      expect(mine[0].receivers.map((x: any) => x.name)).toEqual(['hook']);
    }
  }, TIMEOUT_MS);

  test('the webhook receives exactly one notification', async () => {
    // GIVEN 3 Alertmanagers holding the alert from 2 Prometheus replicas
    // WHEN the first notification arrives
    await withLogs(waitFor(async () => notificationsFor(cluster.webhook, ALERT).length > 0, 15_000, 100, `a ${ALERT} notification`));
    // AND every other replica's turn to notify has passed
    await sleep(QUIET_MS);

    // THEN there was exactly one (6 copies of the alert, 1 notification)
    const notifications = notificationsFor(cluster.webhook, ALERT);
    expect(notifications).toHaveLength(1);
    expect(cluster.webhook.received).toHaveLength(1);
    // AND it carries the one alert, paging, of the batch job, without the replica label
    const [n] = notifications;
    expect(n.status).toBe('firing');
    expect(n.receiver).toBe('hook');
    expect(n.alerts).toHaveLength(1);
    expect(n.alerts[0].labels).toEqual(EXPECTED_ALERT_LABELS);
    expect(n.alerts[0].labels.severity).toBe('page');
    expect(n.alerts[0].labels.job).toBe(BATCH_JOB);
    expect(n.commonLabels).not.toHaveProperty('replica');
  }, TIMEOUT_MS);
});
