// A real Alertmanager gossip cluster started from the args the Alertmanager construct
// renders, shared by alertmanager.cluster.tools.test.ts and alertmanager.faults.tools.test.ts.
//
// NETWORK: everything runs on 127.0.0.1. The rendered args name per-pod cluster DNS
// names (`alertmanager-<i>.alertmanager-headless.monitoring.svc:9094`) and pod-IP
// placeholders; they are ALL rewritten to 127.0.0.1:<free port> before any daemon
// starts (see `localArgs`, which throws on a peer it cannot map), so no daemon ever
// resolves or contacts a `*.svc` name. The webhook receiver is on 127.0.0.1 too.
import { existsSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';
import { Duration } from 'cdk8s';
import { Alertmanager, AlertmanagerProps } from '../../lib';
import { Daemon, freePort, startDaemon, tempDir, waitFor } from './daemon';
import { container, find, givenChart, Manifest, synth } from './synth';
import { tool, TOOLS_BIN } from './tools';
import { startWebhookReceiver, WebhookPayload, WebhookReceiver } from './webhook';

/** The GIVEN of the cluster tests: 3 replicas, everything routed to one webhook, fast group timers. */
export function clusterProps(webhookUrl: string, replicas = 3): AlertmanagerProps {
  return {
    replicas,
    config: {
      route: { receiver: 'hook', groupWait: Duration.seconds(1), groupInterval: Duration.seconds(1), repeatInterval: Duration.hours(1) },
      receivers: [{ name: 'hook', webhookConfigs: [{ url: webhookUrl }] }],
    },
  };
}

/** What the construct renders for the alertmanager container. */
export interface RenderedAlertmanager {
  readonly statefulSet: Manifest;
  readonly container: any;
  readonly args: string[];
  /** Content of the config ConfigMap's `alertmanager.yml`. */
  readonly configYaml: string;
  /** Path of the rendered readiness probe, e.g. `/-/ready`. */
  readonly readinessPath: string;
}

/** Synthesizes `new Alertmanager(chart, 'alertmanager', props)` in namespace `monitoring`. */
export function renderAlertmanager(props: AlertmanagerProps): RenderedAlertmanager {
  const { chart } = givenChart('monitoring');
  new Alertmanager(chart, 'alertmanager', props);
  const manifests = synth(chart);
  const statefulSet = find(manifests, 'StatefulSet', 'alertmanager');
  const c = container(statefulSet, 'alertmanager');
  const configMapName = statefulSet.spec.template.spec.volumes.find((v: { name?: string }) => v.name === 'config').configMap.name;
  return {
    statefulSet,
    container: c,
    args: c.args,
    configYaml: find(manifests, 'ConfigMap', configMapName).data['alertmanager.yml'],
    readinessPath: c.readinessProbe.httpGet.path,
  };
}

/** Where one local node listens. */
export interface NodeAddress {
  readonly webPort: number;
  readonly clusterPort: number;
}

/**
 * The only flags changed for a local run: file paths that exist only in the pod, and
 * addresses that must be loopback and distinct per process (three pods share one host here).
 * Every other rendered flag is passed through unchanged.
 */
export const REWRITTEN_FLAGS = [
  '--config.file',
  '--storage.path',
  '--web.listen-address',
  '--cluster.listen-address',
  '--cluster.advertise-address',
  '--cluster.peer-name',
  '--cluster.peer',
] as const;

/**
 * Appended (not rendered), for a bounded test time only:
 * - `--cluster.peer-timeout=2s` (default 15s): replica i waits i × peer-timeout before it
 *   notifies, so that it can see in the gossiped notification log that replica 0 already
 *   did. With 15s, proving "exactly one notification" would need a 30+ s wait for replica
 *   2's turn; with 2s, every replica's turn has passed ~5 s after the first notification,
 *   so the "no second notification" wait is short and still able to fail.
 * - `--cluster.gossip-interval=50ms` (default 200ms): Alertmanager waits for the cluster
 *   to "settle" before it reports `ready` and sends notifications, polling every
 *   10 × gossip-interval until the peer count is stable for several polls, which takes
 *   ~10 s with the default. 50ms makes it ~2.5 s, and gossip (silences, the notification
 *   log) still propagates well within the 2s peer timeout.
 * The rendered flags are unaffected: a cluster in Kubernetes just settles more slowly.
 */
export const SPEED_FLAGS = ['--cluster.peer-timeout=2s', '--cluster.gossip-interval=50ms'];

const flagOf = (arg: string) => (arg.includes('=') ? arg.slice(0, arg.indexOf('=')) : arg);
const valueOf = (arg: string) => arg.slice(arg.indexOf('=') + 1);

/** The args that are not rewritten, in order: what must be identical before and after. */
export function passThrough(args: string[]): string[] {
  return args.filter(a => !(REWRITTEN_FLAGS as readonly string[]).includes(flagOf(a)));
}

/**
 * The rendered args of replica `i`, made runnable on this host: paths into temp dirs,
 * every address and peer to 127.0.0.1 (see the NETWORK note at the top), `$(POD_NAME)`
 * to the StatefulSet pod name as the kubelet would substitute it. Throws on a rendered
 * value it does not expect, so a change in the construct is noticed instead of being
 * silently papered over.
 */
export function localArgs(rendered: string[], i: number, nodes: NodeAddress[], paths: { configFile: string; storageDir: string }): string[] {
  const self = nodes[i];
  const out = rendered.map(arg => {
    const flag = flagOf(arg);
    const value = valueOf(arg);
    switch (flag) {
      case '--config.file': return `${flag}=${paths.configFile}`;
      case '--storage.path': return `${flag}=${paths.storageDir}`;
      case '--web.listen-address': return `${flag}=127.0.0.1:${self.webPort}`;
      case '--cluster.listen-address':
        // Empty disables gossip (a single replica); keep that as rendered.
        return value === '' ? arg : `${flag}=127.0.0.1:${self.clusterPort}`;
      case '--cluster.advertise-address':
        if (value !== '$(POD_IP):9094') throw new Error(`unexpected rendered ${arg}`);
        // The kubelet substitutes the pod IP; here every "pod" is 127.0.0.1 on its own port.
        return `${flag}=127.0.0.1:${self.clusterPort}`;
      case '--cluster.peer-name':
        if (value !== '$(POD_NAME)') throw new Error(`unexpected rendered ${arg}`);
        return `${flag}=alertmanager-${i}`;
      case '--cluster.peer': {
        const m = /^alertmanager-(\d+)\.alertmanager-headless\.monitoring\.svc:9094$/.exec(value);
        const peer = m ? nodes[Number(m[1])] : undefined;
        // Never hand a *.svc name to a daemon.
        if (!peer) throw new Error(`cannot map rendered ${arg} to a local node`);
        return `${flag}=127.0.0.1:${peer.clusterPort}`;
      }
      default: return arg;
    }
  });
  if (out.some(a => a.includes('.svc'))) throw new Error(`a *.svc address survived the rewrite: ${out.join(' ')}`);
  // Absent, Alertmanager would gossip on its default 0.0.0.0:9094: never run that here.
  const listen = out.find(a => flagOf(a) === '--cluster.listen-address');
  if (listen === undefined) throw new Error('--cluster.listen-address is not rendered');
  // Without gossip (`--cluster.listen-address=`) the speed flags have nothing to speed up.
  return valueOf(listen) === '' ? out : [...out, ...SPEED_FLAGS];
}

const SYSTEM_ASSETS = '/usr/share/prometheus/alertmanager';

/**
 * How to run alertmanager with `args`. Debian's build (what scripts/install-tools.sh
 * unpacks into .tools/root) does not embed its notification templates: it reads them
 * from the hard-coded SYSTEM_ASSETS dir and exits at config load when
 * `default.tmpl` is missing there ("failed to parse templates"), with no flag to point
 * it elsewhere. When the binary comes from .tools and the host lacks that dir, it is
 * started in a private mount namespace (`unshare --map-root-user --mount`, no root
 * needed, nothing visible outside the process) where a read-only overlay adds
 * .tools/root/usr/share on top of /usr/share. `exec` keeps one process, so the pid the
 * daemon helper signals is alertmanager's own. The network namespace is unchanged.
 */
export function alertmanagerCommand(args: string[]): { command: string; args: string[] } {
  const binary = tool('alertmanager');
  if (dirname(binary) !== TOOLS_BIN || existsSync(join(SYSTEM_ASSETS, 'default.tmpl'))) return { command: binary, args };
  const share = join(TOOLS_BIN, '..', 'share');
  if (!existsSync(join(share, 'prometheus', 'alertmanager', 'default.tmpl'))) {
    throw new Error(`${share}/prometheus/alertmanager/default.tmpl is missing: re-run \`npm run tools\``);
  }
  const script = 'mount -t overlay overlay -o "lowerdir=$1:/usr/share" /usr/share && shift && exec "$@"';
  return { command: '/usr/bin/unshare', args: ['--map-root-user', '--mount', '/bin/sh', '-c', script, 'sh', share, binary, ...args] };
}

/** fetch with a bound, so a hung daemon fails the test instead of hanging it. */
export async function http(url: string, init: RequestInit = {}): Promise<{ status: number; text: string; json: () => any }> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(3_000) });
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) };
}

export async function getJson(url: string): Promise<any> {
  const res = await http(url);
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${res.text}`);
  return res.json();
}

export async function postJson(url: string, body: unknown): Promise<any> {
  const res = await http(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 200) throw new Error(`POST ${url}: ${res.status} ${res.text}`);
  return res.text ? res.json() : undefined;
}

/** One local replica. */
export interface AlertmanagerNode extends NodeAddress {
  readonly index: number;
  readonly name: string;
  /** e.g. `http://127.0.0.1:12345` (the rendered route prefix is `/`). */
  readonly base: string;
  readonly storageDir: string;
  readonly args: string[];
  daemon?: Daemon;
}

/** What Alertmanager's `/api/v2/status` answers (the fields the tests read). */
export interface AlertmanagerStatus {
  readonly cluster: {
    readonly name: string;
    readonly status: 'ready' | 'settling' | 'disabled';
    readonly peers: Array<{ readonly name: string; readonly address: string }>;
  };
}

export interface AlertmanagerCluster {
  readonly webhook: WebhookReceiver;
  readonly rendered: RenderedAlertmanager;
  readonly nodes: AlertmanagerNode[];
  /** (Re)starts node i with its args and storage dir; resolves when its readiness path answers 200. */
  start(i: number): Promise<void>;
  /** Graceful stop (SIGTERM). */
  stop(i: number): Promise<void>;
  /** `/api/v2/status` of node i. */
  status(i: number): Promise<AlertmanagerStatus>;
  /** Waits until node i reports cluster status `ready` with `peers` peers. */
  waitForPeers(i: number, peers: number, timeoutMs: number): Promise<void>;
  /** Stops every node and the webhook receiver. */
  close(): Promise<void>;
}

/**
 * Starts a webhook receiver, renders `new Alertmanager(chart, 'alertmanager', clusterProps(url))`
 * and starts one real alertmanager per replica with `localArgs`.
 */
export async function startAlertmanagerCluster(): Promise<AlertmanagerCluster> {
  const webhook = await startWebhookReceiver();
  const rendered = renderAlertmanager(clusterProps(webhook.url));
  const replicas = rendered.statefulSet.spec.replicas as number;
  const root = tempDir('alertmanager-cluster');
  const configFile = join(root, 'alertmanager.yml');
  writeFileSync(configFile, rendered.configYaml);
  const addresses: NodeAddress[] = [];
  for (let i = 0; i < replicas; i++) addresses.push({ webPort: await freePort(), clusterPort: await freePort() });
  const nodes: AlertmanagerNode[] = addresses.map((a, i) => {
    const storageDir = tempDir(`alertmanager-${i}-data`);
    return {
      ...a,
      index: i,
      name: `alertmanager-${i}`,
      base: `http://127.0.0.1:${a.webPort}`,
      storageDir,
      args: localArgs(rendered.args, i, addresses, { configFile, storageDir }),
    };
  });

  const start = async (i: number) => {
    const node = nodes[i];
    node.daemon = await startDaemon({
      name: node.name,
      ...alertmanagerCommand(node.args),
      cwd: root,
      readyUrl: `${node.base}${rendered.readinessPath}`,
      timeoutMs: 20_000,
    });
  };
  const status = async (i: number): Promise<AlertmanagerStatus> => getJson(`${nodes[i].base}/api/v2/status`);
  try {
    await Promise.all(nodes.map((_, i) => start(i)));
  } catch (e) {
    for (const n of nodes) await n.daemon?.stop();
    await webhook.close();
    throw e;
  }
  return {
    webhook,
    rendered,
    nodes,
    start,
    stop: async i => nodes[i].daemon?.stop(),
    status,
    waitForPeers: (i, peers, timeoutMs) => waitFor(async () => {
      const s = await status(i);
      return s.cluster.status === 'ready' && s.cluster.peers.length === peers;
    }, timeoutMs, 200, `${nodes[i].name} to report cluster status ready with ${peers} peers`),
    close: async () => {
      // One at a time: replicas stopped together each wait on the others' gossip and
      // take the daemon helper's full 5s grace (then SIGKILL); in turn, ~0.1s each.
      for (const n of [...nodes].reverse()) await n.daemon?.stop();
      await webhook.close();
    },
  };
}

/** An alert as Prometheus posts it to `/api/v2/alerts`. */
export function alert(alertname: string): object {
  return {
    labels: { alertname, severity: 'critical' },
    annotations: { summary: `test alert ${alertname}` },
    startsAt: new Date().toISOString(),
  };
}

/** Notifications (webhook bodies) that carry an alert named `alertname`. */
export function notificationsFor(webhook: WebhookReceiver, alertname: string): WebhookPayload[] {
  return webhook.received.filter(body => (body.alerts ?? []).some(a => a.labels?.alertname === alertname));
}

/** Logs of every node, for failure messages. */
export function clusterLogs(cluster: AlertmanagerCluster): string {
  return cluster.nodes.map(n => `----- ${n.name} -----\n${n.daemon?.logs().slice(-4000) ?? '(not started)'}`).join('\n');
}
