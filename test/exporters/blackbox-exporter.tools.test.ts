// The BlackboxExporter's rendered config and container args, run by the real
// blackbox_exporter (Debian's prometheus-blackbox-exporter; install it: `npm run tools`):
// `--config.check` accepts the rendered modules, probes of a local HTTP server with the
// rendered modules succeed (and fail when they must), and a real Prometheus running the
// rendered probe job, relabeling as rendered, records probe_success 1.
//
// NETWORK: only loopback. The rendered `--web.listen-address=:9115` (all interfaces) is
// rewritten to 127.0.0.1:<free port> and `--config.file` to the rendered file in a temp
// dir; the probed targets are a local server started by the test; the exporter address
// of the probe job (`blackbox-exporter.monitoring.svc:9115`) is rewritten to the local
// exporter before Prometheus starts, and nothing else is contacted.
import { createServer, Server } from 'http';
import { AddressInfo } from 'net';
import { join } from 'path';
import { writeFileSync } from 'fs';
import { Duration } from 'cdk8s';
import { parse, stringify } from 'yaml';
import { BlackboxExporter, BlackboxModule, Prometheus } from '../../lib';
import { Daemon, freePort, startDaemon, tempDir, waitFor } from '../support/daemon';
import { sampleValue } from '../support/pipeline';
import { assertNoSvc } from '../support/prometheus-pod';
import { container, find, flagValues, givenChart, synth } from '../support/synth';
import { runTool, tool } from '../support/tools';

const TIMEOUT_MS = 45_000;

async function http(url: string, init: RequestInit = {}): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(5_000) });
  return { status: res.status, text: await res.text() };
}

/** A local HTTP server: `/health` answers 200 "ok", `/broken` 500 "down". */
function startTarget(): Promise<Server> {
  return new Promise(resolve => {
    const server = createServer((req, res) => {
      const ok = req.url === '/health';
      res.writeHead(ok ? 200 : 500, { 'Content-Type': 'text/plain' });
      res.end(ok ? 'status: ok\n' : 'status: down\n');
    });
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

describe('a blackbox exporter started with the rendered config and args', () => {
  // GIVEN a stack whose Prometheus probes through its exporter, with every kind of module
  const { chart } = givenChart();
  const exporter = new BlackboxExporter(chart, 'blackbox-exporter', {
    modules: [
      BlackboxModule.tcp({ queryResponse: [{ send: 'GET /health HTTP/1.0\r\n\r\n' }, { expect: '^HTTP/1.[01] 200' }] }),
      BlackboxModule.dns({ queryName: 'kubernetes.default.svc.cluster.local', queryType: 'A', validRcodes: ['NOERROR'] }),
      BlackboxModule.grpc({ service: 'thanos', tls: true, insecureSkipVerify: true }),
      BlackboxModule.icmp({ preferredIpProtocol: 'ip4', payloadSize: 16 }),
    ],
  });
  const prometheus = new Prometheus(chart, 'prometheus');
  let server: Server;
  let targetBase: string;
  let base: string;
  let configFile: string;
  let rendered: string[];
  let args: string[];
  let daemon: Daemon | undefined;
  let promDaemon: Daemon | undefined;

  beforeAll(async () => {
    server = await startTarget();
    targetBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // The probes of the test: the HTTP module checks the body too.
    prometheus.probe([`${targetBase}/health`], BlackboxModule.http({ failIfBodyNotMatchesRegexp: ['status: ok'], validStatusCodes: [200] }),
      { scrapeInterval: Duration.seconds(1) });
    const manifests = synth(chart);
    const c = container(find(manifests, 'Deployment', 'blackbox-exporter'), 'blackbox-exporter');
    rendered = c.args;
    const dir = tempDir('blackbox');
    configFile = join(dir, 'blackbox.yml');
    writeFileSync(configFile, find(manifests, 'ConfigMap', 'blackbox-exporter-config').data['blackbox.yml']);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    args = rendered.map(arg => {
      if (arg.startsWith('--config.file=')) return `--config.file=${configFile}`;
      if (arg.startsWith('--web.listen-address=')) return `--web.listen-address=127.0.0.1:${port}`;
      return arg;
    });
    daemon = await startDaemon({ name: 'blackbox-exporter', command: tool('blackbox-exporter'), args, readyUrl: `${base}${c.readinessProbe.httpGet.path}` });
  }, TIMEOUT_MS);

  afterAll(async () => {
    await promDaemon?.stop();
    await daemon?.stop();
    await new Promise(resolve => server?.close(resolve));
  }, TIMEOUT_MS);

  test('the test changes only the config path and the listen address', () => {
    // GIVEN / WHEN the rendered args and the test's
    // THEN
    expect(flagValues(rendered, '--config.file')).toEqual(['/etc/blackbox-exporter/blackbox.yml']);
    expect(flagValues(rendered, '--web.listen-address')).toEqual([':9115']);
    expect(rendered.filter(a => !a.startsWith('--config.file=') && !a.startsWith('--web.listen-address='))).toEqual(['--config.enable-auto-reload']);
    expect(args).toHaveLength(rendered.length);
  });

  test('--config.check accepts the rendered modules, and refuses a broken file (control)', () => {
    // GIVEN the rendered file, with every prober, and a broken copy
    expect(Object.keys(parse(exporter.renderConfig()).modules).sort()).toEqual(['dns', 'grpc', 'http_2xx', 'icmp', 'tcp_connect']);
    const broken = join(tempDir('blackbox-broken'), 'blackbox.yml');
    writeFileSync(broken, exporter.renderConfig().replace('query_type: A', 'query_type: NOPE'));
    // WHEN each is checked
    const ok = runTool('blackbox-exporter', ['--config.check', `--config.file=${configFile}`], { timeoutMs: 10_000 });
    const bad = runTool('blackbox-exporter', ['--config.check', `--config.file=${broken}`], { timeoutMs: 10_000 });
    // THEN
    expect({ code: ok.code, out: ok.stdout + ok.stderr }).toMatchObject({ code: 0, out: expect.stringContaining('Config file is ok') });
    expect(bad.code).not.toBe(0);
    expect(bad.stdout + bad.stderr).toContain("query type 'NOPE' is not valid");
  });

  test('the rendered http module probing the local server succeeds, and fails on a 500 (control)', async () => {
    // GIVEN the running exporter and the local server
    const probe = (target: string) => http(`${base}/probe?module=http_2xx&target=${encodeURIComponent(target)}`);
    // WHEN the module probes /health, and /broken
    const good = await probe(`${targetBase}/health`);
    const bad = await probe(`${targetBase}/broken`);
    // THEN
    expect(good.status).toBe(200);
    expect(sampleValue(good.text, 'probe_success', {})).toBe(1);
    expect(sampleValue(good.text, 'probe_http_status_code', {})).toBe(200);
    expect(sampleValue(bad.text, 'probe_success', {})).toBe(0);
  }, TIMEOUT_MS);

  test('the rendered tcp module holds its conversation with the local server', async () => {
    // GIVEN / WHEN
    const res = await http(`${base}/probe?module=tcp_connect&target=${encodeURIComponent(targetBase.replace('http://', ''))}`);
    // THEN
    expect(sampleValue(res.text, 'probe_success', {})).toBe(1);
  }, TIMEOUT_MS);

  test('a real Prometheus running the rendered probe job records probe_success 1 for the target, as instance', async () => {
    // GIVEN the rendered job, with the exporter's Service address rewritten to the local exporter
    const job = parse(prometheus.renderConfig()).scrape_configs.find((j: any) => j.job_name === 'blackbox-http_2xx');
    expect(job.relabel_configs.map((r: any) => r.target_label)).toEqual(['__param_target', 'instance', '__address__']);
    const address = job.relabel_configs[2];
    expect(address.replacement).toBe('blackbox-exporter.monitoring.svc:9115');
    address.replacement = base.replace('http://', '');
    const text = stringify({ scrape_configs: [job] });
    assertNoSvc('the probe job', text);
    const dir = tempDir('prometheus-probe');
    writeFileSync(join(dir, 'prometheus.yml'), text);
    const port = await freePort();
    const promBase = `http://127.0.0.1:${port}`;
    promDaemon = await startDaemon({
      name: 'prometheus',
      command: tool('prometheus'),
      args: [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
      cwd: dir,
      readyUrl: `${promBase}/-/ready`,
    });
    // WHEN it has scraped a few times
    let result: any[] = [];
    await waitFor(async () => {
      const res = await http(`${promBase}/api/v1/query?query=${encodeURIComponent('probe_success')}`);
      result = JSON.parse(res.text).data.result;
      return result.length > 0;
    }, 20_000, 500, 'a probe_success sample');
    // THEN the probe succeeded, labelled with the probed URL and the job
    expect(result.map(r => ({ ...r.metric, value: r.value[1] }))).toEqual([{
      __name__: 'probe_success', instance: `${targetBase}/health`, job: 'blackbox-http_2xx', value: '1',
    }]);
  }, TIMEOUT_MS);
});
