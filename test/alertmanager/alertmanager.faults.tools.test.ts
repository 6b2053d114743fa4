// Faults in a real 3-replica Alertmanager cluster started from the rendered args
// (test/support/alertmanager-cluster.ts; install the binaries: `npm run tools`):
// a replica goes away, alerts keep being notified exactly once, and it rejoins.
//
// NETWORK: only loopback. Every rendered address (listen, advertise, and each
// `*.alertmanager-headless.monitoring.svc:9094` peer) is rewritten to 127.0.0.1:<free port>
// before a daemon starts; the webhook receiver is on 127.0.0.1.
import { alert, AlertmanagerCluster, clusterLogs, http, notificationsFor, postJson, startAlertmanagerCluster } from '../support/alertmanager-cluster';
import { waitFor } from '../support/daemon';

const TIMEOUT_MS = 45_000;
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

describe('a 3-replica Alertmanager cluster losing and regaining a replica', () => {
  let cluster: AlertmanagerCluster;
  let silenceWhileDown: string;

  const withLogs = (e: Error) => {
    throw new Error(`${e.message}\n${clusterLogs(cluster)}`);
  };

  beforeAll(async () => {
    cluster = await startAlertmanagerCluster();
    await Promise.all(cluster.nodes.map(n => cluster.waitForPeers(n.index, 3, 20_000))).catch(withLogs);
  }, TIMEOUT_MS);

  afterAll(async () => {
    await cluster?.close();
  }, TIMEOUT_MS);

  test('with replica 2 stopped, an alert posted to both survivors is notified exactly once', async () => {
    // GIVEN replica 2 stopped gracefully (SIGTERM), and the survivors noticed it left
    await cluster.stop(2);
    expect(cluster.nodes[2].daemon!.running()).toBe(false);
    await Promise.all([0, 1].map(i => cluster.waitForPeers(i, 2, 10_000))).catch(withLogs);

    // WHEN the alert is posted to replicas 0 and 1, as Prometheus posts to every address it has
    const body = [alert('SurvivorDedup')];
    await Promise.all([0, 1].map(i => postJson(`${cluster.nodes[i].base}/api/v2/alerts`, body)));

    // THEN the webhook receives it (group_wait is 1s)
    await waitFor(async () => notificationsFor(cluster.webhook, 'SurvivorDedup').length > 0, 15_000, 100, 'a notification')
      .catch(withLogs);
    // AND only once: replica 1's turn (1 × the 2s peer timeout) has passed, and it found
    // replica 0's entry in the gossiped notification log
    await sleep(4_000);
    expect(notificationsFor(cluster.webhook, 'SurvivorDedup')).toHaveLength(1);

    // AND (for the next test) a silence is created while replica 2 is down
    const now = Date.now();
    ({ silenceID: silenceWhileDown } = await postJson(`${cluster.nodes[0].base}/api/v2/silences`, {
      matchers: [{ name: 'alertname', value: 'CreatedWhileDown', isRegex: false, isEqual: true }],
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now + 3_600_000).toISOString(),
      createdBy: 'alertmanager.faults.tools.test',
      comment: 'replica 2 must catch up on this',
    }));
  }, TIMEOUT_MS);

  test('replica 2 restarted with the same args and storage dir rejoins and catches up', async () => {
    // GIVEN replica 2 is down (previous test) and replica 0 sees 2 peers
    expect(cluster.nodes[2].daemon!.running()).toBe(false);
    expect((await cluster.status(0)).cluster.peers).toHaveLength(2);

    // WHEN it is started again with the same args and storage dir
    await cluster.start(2);

    // THEN replica 0 shows 3 peers again, and replica 2 itself settles with 3 peers
    await cluster.waitForPeers(0, 3, 15_000).catch(withLogs);
    await cluster.waitForPeers(2, 3, 15_000).catch(withLogs);
    const peers = (await cluster.status(0)).cluster.peers.map((p: any) => p.name).sort();
    expect(peers).toEqual(['alertmanager-0', 'alertmanager-1', 'alertmanager-2']);
    // AND it got the silence created while it was down from its peers (state push/pull on join)
    expect(silenceWhileDown).toEqual(expect.any(String));
    await waitFor(async () => {
      const res = await http(`${cluster.nodes[2].base}/api/v2/silence/${silenceWhileDown}`);
      return res.status === 200 && res.json().status.state === 'active';
    }, 10_000, 200, `silence ${silenceWhileDown} on alertmanager-2`).catch(withLogs);
    // AND its return caused no second notification of the alert
    expect(notificationsFor(cluster.webhook, 'SurvivorDedup')).toHaveLength(1);
  }, TIMEOUT_MS);
});
