// The Pushgateway construct's rendered container args, run by the real pushgateway
// (install it: `npm run tools`): pushed groups survive a graceful restart and a crash.
//
// NETWORK: only loopback: the rendered `--web.listen-address=:9091` (all interfaces) is
// rewritten to 127.0.0.1:<free port> before the daemon starts; it contacts nothing.
import { join } from 'path';
import { Pushgateway } from '../../lib';
import { Daemon, freePort, startDaemon, tempDir } from '../support/daemon';
import { container, find, flagValues, givenChart, synth } from '../support/synth';
import { tool } from '../support/tools';

const TIMEOUT_MS = 45_000;
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/**
 * Written to disk this often in the test instead of the rendered 5m: the crash test must
 * wait longer than one interval before `kill -9`, which at 5m would take minutes.
 */
const TEST_PERSISTENCE_INTERVAL = '1s';

/** fetch with a bound, so a hung daemon fails the test instead of hanging it. */
async function http(url: string, init: RequestInit = {}): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(3_000) });
  return { status: res.status, text: await res.text() };
}

describe('a pushgateway started with the rendered args', () => {
  // GIVEN (shared by the tests, which run in order on one persistence file)
  const { chart } = givenChart();
  new Pushgateway(chart, 'pushgateway');
  const pushgateway = container(find(synth(chart), 'StatefulSet', 'pushgateway'), 'pushgateway');
  const rendered: string[] = pushgateway.args;
  const persistenceFile = join(tempDir('pushgateway-data'), 'pushgateway.db');
  let base: string;
  let args: string[];
  let daemon: Daemon | undefined;

  const start = async (withArgs = args) => {
    daemon = await startDaemon({
      name: 'pushgateway',
      command: tool('pushgateway'),
      args: withArgs,
      readyUrl: `${base}${pushgateway.readinessProbe.httpGet.path}`,
    });
  };
  const metrics = async () => {
    const res = await http(`${base}/metrics`);
    expect(res.status).toBe(200);
    return res.text;
  };
  const push = async (group: string, body: string) => {
    const res = await http(`${base}/metrics/${group}`, { method: 'PUT', body });
    expect({ status: res.status, body: res.text }).toMatchObject({ status: 200 });
  };
  // A sample line of the pushed metric, with the grouping labels the gateway adds.
  const SOME_METRIC = /^some_metric\{instance="",job="batch"\} 42$/m;
  const OTHER_METRIC = /^other_metric\{instance="",job="nightly"\} 7$/m;
  const LOST_METRIC = /^lost_metric\{instance="",job="lastsecond"\} 1$/m;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // Only the persistence file (a path in the pod), the listen address and the interval change.
    args = rendered.map(arg => {
      const flag = arg.slice(0, arg.indexOf('='));
      if (flag === '--persistence.file') return `${flag}=${persistenceFile}`;
      if (flag === '--web.listen-address') return `${flag}=127.0.0.1:${port}`;
      if (flag === '--persistence.interval') return `${flag}=${TEST_PERSISTENCE_INTERVAL}`;
      return arg;
    });
  });

  afterAll(async () => {
    await daemon?.stop();
  }, TIMEOUT_MS);

  test('renders persistence on the data volume every 5m; the test changes only paths, address and interval', () => {
    // GIVEN the rendered container
    // WHEN its args are read
    // THEN groups are persisted to a file on the data volume, every 5 minutes
    expect(flagValues(rendered, '--persistence.interval')).toEqual(['5m']);
    expect(flagValues(rendered, '--persistence.file')).toEqual(['/data/pushgateway.db']);
    expect(pushgateway.volumeMounts).toEqual([{ name: 'data', mountPath: '/data' }]);
    expect(flagValues(rendered, '--web.listen-address')).toEqual([':9091']);
    // AND every other rendered flag is passed to the daemon unchanged
    const rewritten = ['--persistence.file=', '--web.listen-address=', '--persistence.interval='];
    const others = (a: string[]) => a.filter(x => !rewritten.some(f => x.startsWith(f)));
    expect(others(args)).toEqual(others(rendered));
    expect(others(rendered)).toEqual(['--web.route-prefix=/']);
    expect(args).toHaveLength(rendered.length);
  });

  test('a pushed group survives a graceful restart', async () => {
    // GIVEN a running gateway with a pushed group
    await start();
    await push('job/batch', 'some_metric 42\n');
    expect(await metrics()).toMatch(SOME_METRIC);

    // WHEN it is stopped gracefully (SIGTERM, what the kubelet sends) and started again with the same args
    await daemon!.stop();
    expect(daemon!.running()).toBe(false);
    await start();

    // THEN the group is served again
    expect(await metrics()).toMatch(SOME_METRIC);
  }, TIMEOUT_MS);

  test('groups persisted before a crash (kill -9) survive it', async () => {
    // GIVEN a running gateway (from the previous test) and a second pushed group
    expect(daemon?.running()).toBe(true);
    await push('job/nightly', 'other_metric 7\n');
    expect(await metrics()).toMatch(OTHER_METRIC);
    // AND more than one persistence interval (1s) has passed, so it is on disk
    await sleep(2_500);

    // WHEN the process is killed without a chance to flush, and started again
    await daemon!.kill9();
    expect(daemon!.running()).toBe(false);
    await start();

    // THEN both groups are served
    const text = await metrics();
    expect(text).toMatch(SOME_METRIC);
    expect(text).toMatch(OTHER_METRIC);
  }, TIMEOUT_MS);

  test('with the rendered 5m interval, a group pushed right before a crash is lost (control)', async () => {
    // GIVEN the gateway restarted with the rendered interval (5m) itself, and a group pushed just now
    await daemon!.stop();
    await start(args.map(a => (a.startsWith('--persistence.interval=') ? rendered.find(r => r.startsWith('--persistence.interval='))! : a)));
    expect(daemon!.running()).toBe(true);
    await push('job/lastsecond', 'lost_metric 1\n');
    expect(await metrics()).toMatch(LOST_METRIC);

    // WHEN the process is killed well within the 5m before its next write, and started again
    await daemon!.kill9();
    await start(args);

    // THEN that group is gone while the earlier ones, on disk, are served: what survived the
    // previous crash came from the periodic write (the 1s one there), and the rendered 5m
    // means a crash loses up to 5 minutes of pushes
    const text = await metrics();
    expect(text).not.toMatch(LOST_METRIC);
    expect(text).toMatch(SOME_METRIC);
    expect(text).toMatch(OTHER_METRIC);
  }, TIMEOUT_MS);
});
