// The Alertmanager construct's rendered container args, run by three real alertmanager
// processes forming a gossip cluster (install the binaries: `npm run tools`).
//
// NETWORK: only loopback. test/support/alertmanager-cluster.ts rewrites every rendered
// address (listen, advertise, and each `*.alertmanager-headless.monitoring.svc:9094`
// peer) to 127.0.0.1:<free port> before a daemon starts; the webhook receiver is on 127.0.0.1.
import { writeFileSync } from 'fs';
import { join } from 'path';
import {
  alert, AlertmanagerCluster, alertmanagerCommand, clusterLogs, clusterProps, getJson, http, localArgs, notificationsFor,
  passThrough, postJson, renderAlertmanager, SPEED_FLAGS, startAlertmanagerCluster,
} from '../support/alertmanager-cluster';
import { freePort, startDaemon, tempDir, waitFor } from '../support/daemon';
import { flagValues } from '../support/synth';

const TIMEOUT_MS = 45_000;
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

describe('a 3-replica Alertmanager cluster started with the rendered args', () => {
  let cluster: AlertmanagerCluster;

  beforeAll(async () => {
    cluster = await startAlertmanagerCluster();
  }, TIMEOUT_MS);

  afterAll(async () => {
    await cluster?.close();
  }, TIMEOUT_MS);

  test('renders gossip flags that the local run changes only in paths and addresses', () => {
    // GIVEN the rendered alertmanager container
    const { args, container } = cluster.rendered;

    // WHEN its cluster flags are read
    // THEN it gossips on the mesh port, advertises the pod IP and name (which the kubelet can
    // substitute: both are declared env vars) and joins every replica by its stable DNS name
    expect(flagValues(args, '--cluster.listen-address')).toEqual(['0.0.0.0:9094']);
    expect(flagValues(args, '--cluster.advertise-address')).toEqual(['$(POD_IP):9094']);
    expect(flagValues(args, '--cluster.peer-name')).toEqual(['$(POD_NAME)']);
    expect(flagValues(args, '--cluster.peer')).toEqual([0, 1, 2].map(i => `alertmanager-${i}.alertmanager-headless.monitoring.svc:9094`));
    expect(container.env).toEqual(expect.arrayContaining([
      { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ]));
    expect(container.ports.filter((p: any) => p.name.startsWith('mesh-')).map((p: any) => p.containerPort)).toEqual([9094, 9094]);

    // AND every node runs with the other rendered flags unchanged, in order, plus only the
    // documented speed flags (so the cluster below proves the rendered flags work)
    for (const node of cluster.nodes) {
      expect(passThrough(node.args.slice(0, args.length))).toEqual(passThrough(args));
      expect(node.args.slice(args.length)).toEqual(SPEED_FLAGS);
      expect(node.args.join(' ')).not.toContain('.svc');
    }
    expect(passThrough(args)).toEqual(expect.arrayContaining(['--data.retention=120h', '--web.route-prefix=/', '--cluster.reconnect-timeout=5m']));
  });

  test('every replica reports cluster status ready with 3 peers', async () => {
    // GIVEN the three started replicas
    // WHEN each one's /api/v2/status is polled until it settles
    await Promise.all(cluster.nodes.map(n => cluster.waitForPeers(n.index, 3, 20_000)))
      .catch(e => { throw new Error(`${e.message}\n${clusterLogs(cluster)}`); });

    // THEN each one sees all three by their peer names at their advertised (local) addresses
    for (const node of cluster.nodes) {
      const status = await cluster.status(node.index);
      expect(status.cluster.status).toBe('ready');
      expect(status.cluster.name).toBe(node.name);
      expect(status.cluster.peers.map((p: any) => [p.name, p.address]).sort()).toEqual(
        cluster.nodes.map(n => [n.name, `127.0.0.1:${n.clusterPort}`]));
    }
  }, TIMEOUT_MS);

  test('a silence created on replica 0 appears on replicas 1 and 2', async () => {
    // GIVEN a settled cluster
    await cluster.waitForPeers(0, 3, 20_000);

    // WHEN a silence is created through replica 0's API
    const now = Date.now();
    const { silenceID } = await postJson(`${cluster.nodes[0].base}/api/v2/silences`, {
      matchers: [{ name: 'alertname', value: 'SilencedByClusterTest', isRegex: false, isEqual: true }],
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now + 3_600_000).toISOString(),
      createdBy: 'alertmanager.cluster.tools.test',
      comment: 'replicated by gossip',
    });
    expect(silenceID).toEqual(expect.any(String));

    // THEN replicas 1 and 2 serve it, active, through gossip alone
    for (const node of cluster.nodes.slice(1)) {
      await waitFor(async () => {
        const res = await http(`${node.base}/api/v2/silence/${silenceID}`);
        return res.status === 200 && res.json().status.state === 'active';
      }, 10_000, 200, `silence ${silenceID} on ${node.name}`);
    }
  }, TIMEOUT_MS);

  test('the same alert posted to all three replicas is notified exactly once', async () => {
    // GIVEN a settled cluster and no notification yet
    await cluster.waitForPeers(0, 3, 20_000);
    expect(notificationsFor(cluster.webhook, 'ClusterDedup')).toHaveLength(0);

    // WHEN the alert is posted to every replica, as each Prometheus does
    const body = [alert('ClusterDedup')];
    await Promise.all(cluster.nodes.map(n => postJson(`${n.base}/api/v2/alerts`, body)));

    // THEN one notification arrives (group_wait is 1s)
    await waitFor(async () => notificationsFor(cluster.webhook, 'ClusterDedup').length > 0, 15_000, 100, 'a notification')
      .catch(e => { throw new Error(`${e.message}\n${clusterLogs(cluster)}`); });
    // AND no second one once every replica's turn has passed (replica i waits i × the 2s
    // peer timeout, then finds replica 0's entry in the gossiped notification log)
    await sleep(6_000);
    const notifications = notificationsFor(cluster.webhook, 'ClusterDedup');
    expect(notifications).toHaveLength(1);
    expect(notifications[0].alerts.map((a: any) => [a.status, a.labels.alertname])).toEqual([['firing', 'ClusterDedup']]);
  }, TIMEOUT_MS);
});

describe('a single-replica Alertmanager under route prefix /alertmanager', () => {
  test('starts with gossip disabled and serves under the prefix', async () => {
    // GIVEN replicas: 1 and routePrefix '/alertmanager', rendered (the webhook is never called: no alert is sent)
    const rendered = renderAlertmanager({ ...clusterProps('http://127.0.0.1:9/'), replicas: 1, routePrefix: '/alertmanager' });
    expect(flagValues(rendered.args, '--cluster.listen-address')).toEqual(['']);
    expect(flagValues(rendered.args, '--cluster.peer')).toEqual([]);
    expect(flagValues(rendered.args, '--web.route-prefix')).toEqual(['/alertmanager']);
    expect(rendered.readinessPath).toBe('/alertmanager/-/ready');
    const root = tempDir('alertmanager-single');
    const configFile = join(root, 'alertmanager.yml');
    writeFileSync(configFile, rendered.configYaml);
    const node = { webPort: await freePort(), clusterPort: 0 };
    const args = localArgs(rendered.args, 0, [node], { configFile, storageDir: tempDir('alertmanager-single-data') });
    expect(passThrough(args)).toEqual(passThrough(rendered.args));
    expect(args).toContain('--cluster.listen-address=');
    const base = `http://127.0.0.1:${node.webPort}`;

    // WHEN it is started with those args, ready once the rendered readiness path answers 200
    const daemon = await startDaemon({
      name: 'alertmanager-single', ...alertmanagerCommand(args), cwd: root, readyUrl: `${base}${rendered.readinessPath}`,
    });
    try {
      // THEN the API is under the prefix, not at the root, and gossip is off
      const status = await getJson(`${base}/alertmanager/api/v2/status`);
      expect(status.cluster.status).toBe('disabled');
      expect((await http(`${base}/api/v2/status`)).status).toBe(404);
      expect(daemon.running()).toBe(true);
    } finally {
      await daemon.stop();
    }
  }, TIMEOUT_MS);
});
