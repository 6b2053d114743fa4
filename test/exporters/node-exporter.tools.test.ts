// The NodeExporter's rendered container args, run by the real node_exporter (Debian's
// prometheus-node-exporter; install it: `npm run tools`): it accepts every rendered flag,
// answers its probe path, serves node_ series from the enabled collectors and none from
// the disabled ones, and reports no filesystem under the excluded container mounts.
//
// NETWORK: only loopback. The rendered `--web.listen-address=[$(POD_IP)]:9100` is
// rewritten to 127.0.0.1:<free port>, and the host paths the pod mounts under /host
// (`--path.procfs=/host/proc`, `--path.sysfs=/host/sys`, `--path.rootfs=/host/root`,
// `--path.udev.data=/host/root/run/udev/data`) to this machine's /proc, /sys, / and
// /run/udev/data, which is what they are in the pod. It reads them and contacts nothing.
import { NodeExporter } from '../../lib';
import { Daemon, freePort, startDaemon } from '../support/daemon';
import { sampleValue } from '../support/pipeline';
import { container, find, flagValues, givenChart, synth } from '../support/synth';
import { tool } from '../support/tools';

const TIMEOUT_MS = 45_000;

/** Where each host path the pod mounts is on the host itself. */
const HOST_PATHS: Record<string, string> = {
  '--path.procfs': '/proc',
  '--path.sysfs': '/sys',
  '--path.rootfs': '/',
  '--path.udev.data': '/run/udev/data',
};

async function http(url: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  return { status: res.status, text: await res.text() };
}

describe('a node exporter started with the rendered args', () => {
  // GIVEN the rendered container
  const { chart } = givenChart();
  new NodeExporter(chart, 'node-exporter');
  const c = container(find(synth(chart), 'DaemonSet', 'node-exporter'), 'node-exporter');
  const rendered: string[] = c.args;
  const flagOf = (arg: string) => arg.slice(0, arg.includes('=') ? arg.indexOf('=') : undefined);
  let base: string;
  let args: string[];
  let daemon: Daemon | undefined;
  let metrics: string;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    args = rendered.map(arg => {
      const flag = flagOf(arg);
      if (flag === '--web.listen-address') return `${flag}=127.0.0.1:${port}`;
      if (flag in HOST_PATHS) return `${flag}=${HOST_PATHS[flag]}`;
      return arg;
    });
    daemon = await startDaemon({ name: 'node-exporter', command: tool('node-exporter'), args, readyUrl: `${base}${c.readinessProbe.httpGet.path}` });
    const res = await http(`${base}/metrics`);
    expect(res.status).toBe(200);
    metrics = res.text;
  }, TIMEOUT_MS);

  afterAll(async () => {
    await daemon?.stop();
  }, TIMEOUT_MS);

  test('the test changes only the listen address and the host paths, to what they are in the pod', () => {
    // GIVEN / WHEN the rendered args and the test's
    // THEN the rendered ones read the mounts under /host and listen on the pod's IP
    expect(flagValues(rendered, '--web.listen-address')).toEqual(['[$(POD_IP)]:9100']);
    expect(Object.keys(HOST_PATHS).map(f => flagValues(rendered, f)[0])).toEqual(['/host/proc', '/host/sys', '/host/root', '/host/root/run/udev/data']);
    const rewritten = ['--web.listen-address', ...Object.keys(HOST_PATHS)];
    const others = (list: string[]) => list.filter(a => !rewritten.includes(flagOf(a)));
    expect(others(args)).toEqual(others(rendered));
    expect(others(rendered).map(flagOf)).toEqual([
      '--no-collector.wifi', '--no-collector.hwmon', '--no-collector.btrfs',
      '--collector.filesystem.mount-points-exclude', '--collector.netclass.ignored-devices', '--collector.netdev.device-exclude',
    ]);
    expect(args).toHaveLength(rendered.length);
  });

  test('answers /metrics with node_ series of the host: CPU, memory, load, filesystems, network', () => {
    // GIVEN the running exporter
    // WHEN its metrics are read (in beforeAll)
    // THEN
    for (const metric of ['node_cpu_seconds_total', 'node_memory_MemTotal_bytes', 'node_load1', 'node_network_receive_bytes_total', 'node_uname_info']) {
      expect({ metric, found: new RegExp(`^${metric}[{ ]`, 'm').test(metrics) }).toEqual({ metric, found: true });
    }
    expect(sampleValue(metrics, 'node_memory_MemTotal_bytes', {})).toBeGreaterThan(0);
    expect(sampleValue(metrics, 'node_scrape_collector_success', { collector: 'filesystem' })).toBe(1);
    expect(sampleValue(metrics, 'node_scrape_collector_success', { collector: 'cpu' })).toBe(1);
    expect(metrics).toMatch(/^node_exporter_build_info\{.*version="1\.11\.\d+"/m);
  });

  test('the disabled collectors do not run', () => {
    // GIVEN / WHEN the collectors that reported
    const collectors = [...metrics.matchAll(/^node_scrape_collector_success\{collector="([^"]+)"\}/gm)].map(m => m[1]);
    // THEN wifi, hwmon and btrfs are not among them
    expect(collectors.length).toBeGreaterThan(10);
    expect(collectors.filter(x => ['wifi', 'hwmon', 'btrfs'].includes(x))).toEqual([]);
  });

  test('no filesystem series comes from the excluded mounts (/proc, /sys, /dev, container and pod mounts)', () => {
    // GIVEN the mount points the filesystem collector reported
    const mountpoints = [...new Set([...metrics.matchAll(/^node_filesystem_size_bytes\{[^}]*mountpoint="([^"]*)"/gm)].map(m => m[1]))];
    const excluded = new RegExp(flagValues(rendered, '--collector.filesystem.mount-points-exclude')[0]);
    // WHEN / THEN none of them matches the exclude pattern
    expect(mountpoints.filter(m => excluded.test(m))).toEqual([]);
    expect(mountpoints.some(m => /^\/(proc|sys|dev)(\/|$)/.test(m))).toBe(false);
  });
});
