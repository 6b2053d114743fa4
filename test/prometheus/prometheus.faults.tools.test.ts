// A broken config pushed to a running Prometheus (started by the real binary with the
// rendered args) through the same reload call the rendered config-reloader sidecar makes:
// the reload is refused, Prometheus keeps serving the last good config, and recovers
// once the config is fixed. Install the binaries: `npm run tools`.
//
// NETWORK: only loopback. Before the daemon starts, every static scrape target in the
// rendered prometheus.yml (`prometheus-<i>.prometheus-headless.monitoring.svc:<port>`) is
// rewritten to 127.0.0.1 (the `prometheus` job to this Prometheus itself, others to a
// free port nobody listens on), the listen address becomes 127.0.0.1:<free port>, and
// the Kubernetes service discovery jobs get no in-cluster API server (its env vars are
// unset), so no `*.svc` name is ever resolved or contacted.
import { readFileSync, writeFileSync } from 'fs';
import { dirname } from 'path';
import { parse, stringify } from 'yaml';
import { Prometheus } from '../../lib';
import { Daemon } from '../support/daemon';
import { LivePrometheus, startRenderedPrometheus } from '../support/prometheus-pod';
import { find, flagValues, givenChart, Manifest, synth } from '../support/synth';

const TIMEOUT_MS = 45_000;

/** The default Prometheus with one rule group, synthesized. */
function synthPrometheus(): Manifest[] {
  const { chart } = givenChart();
  new Prometheus(chart, 'prometheus', {
    ruleGroups: [{ name: 'example', rules: [{ record: 'job:up:sum', expr: 'sum by (job) (up)' }] }],
  });
  return synth(chart);
}

/** fetch with a bound, so a hung daemon fails the test instead of hanging it. */
async function http(url: string, init: RequestInit = {}): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(5_000) });
  return { status: res.status, text: await res.text() };
}

describe('a running Prometheus given a broken config', () => {
  const manifests = synthPrometheus();
  let pod: LivePrometheus['pod'];
  let rendered: string[];
  let reloadUrl: string;
  let configFile: string;
  let base: string;
  let args: string[];
  /** The config file as Prometheus loaded it at start: the last good config. */
  let goodConfig: any;
  let daemon: Daemon;

  const reload = () => http(`${base}${new URL(reloadUrl).pathname}`, { method: 'POST' });
  const lastReloadSuccessful = async () => {
    const res = await http(`${base}/metrics`);
    const m = /^prometheus_config_last_reload_successful (\S+)$/m.exec(res.text);
    if (!m) throw new Error('prometheus_config_last_reload_successful is not on /metrics');
    return Number(m[1]);
  };
  const loadedJobs = async (): Promise<string[]> => {
    const res = await http(`${base}/api/v1/status/config`);
    expect(res.status).toBe(200);
    return parse(JSON.parse(res.text).data.yaml).scrape_configs.map((j: any) => j.job_name);
  };

  beforeAll(async () => {
    ({ daemon, base, args, configFile, pod } = await startRenderedPrometheus(manifests));
    rendered = pod.prom.args;
    reloadUrl = flagValues(pod.reloader.args, '--reload-url')[0];
    goodConfig = parse(readFileSync(configFile, 'utf8'));
  }, TIMEOUT_MS);

  afterAll(async () => {
    await daemon?.stop();
  }, TIMEOUT_MS);

  test('the reloader sidecar is rendered to POST /-/reload on this container and to watch its config', () => {
    // GIVEN the rendered pod
    // WHEN the reloader's and Prometheus' args are compared
    // THEN the reloader calls the lifecycle endpoint over loopback on the web port Prometheus listens on (all interfaces)
    expect(reloadUrl).toBe('http://127.0.0.1:9090/-/reload');
    expect(pod.prom.ports).toContainEqual({ name: 'web', containerPort: Number(new URL(reloadUrl).port) });
    expect(flagValues(rendered, '--web.listen-address')).toEqual([`:${new URL(reloadUrl).port}`]);
    expect(rendered).toContain('--web.enable-lifecycle');
    // AND it watches the directories of the config file and of the rule files
    const watched = flagValues(pod.reloader.args, '--watched-dir');
    expect(watched).toContain(dirname(flagValues(rendered, '--config.file')[0]));
    expect(watched).toContain(dirname(parse(find(manifests, 'ConfigMap', 'prometheus-config').data['prometheus.yml']).rule_files[0]));
    // AND the daemon runs with every other rendered flag unchanged
    const rewritten = ['--config.file=', '--storage.tsdb.path=', '--web.listen-address='];
    const others = (a: string[]) => a.filter(x => !rewritten.some(f => x.startsWith(f)));
    expect(others(args)).toEqual(others(rendered));
    expect(args).toHaveLength(rendered.length);
  });

  test('starts with the rendered config loaded', async () => {
    // GIVEN the started daemon
    // WHEN its loaded config and reload status are read
    // THEN the rendered jobs are loaded and the (initial) load counts as successful
    expect(await loadedJobs()).toEqual(goodConfig.scrape_configs.map((j: any) => j.job_name));
    expect(await loadedJobs()).toContain('prometheus');
    expect(await lastReloadSuccessful()).toBe(1);
  }, TIMEOUT_MS);

  test.each([
    ['an unknown field', (c: any) => ({ ...c, scrape_configs: [...c.scrape_configs, { job_name: 'never-loaded', scrape_intervall: '10s' }] }), /not found in type/],
    ['invalid YAML', (c: any) => `${stringify({ ...c, scrape_configs: [...c.scrape_configs, { job_name: 'never-loaded' }] })}\n  : [unclosed\n`, /yaml: line \d+:/],
  ])('a reload of a config with %s is refused and the last good config keeps running', async (_, broken, why) => {
    // GIVEN the config file replaced with a broken one, as a bad ConfigMap update does
    const content = broken(goodConfig);
    writeFileSync(configFile, typeof content === 'string' ? content : stringify(content));

    // WHEN the sidecar's reload call is made
    const res = await reload();

    // THEN it fails, naming the error
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.text).toMatch(why);
    // AND Prometheus keeps serving, reports the failed reload, and runs the last good config
    expect((await http(`${base}/-/ready`)).status).toBe(200);
    expect(daemon.running()).toBe(true);
    expect(await lastReloadSuccessful()).toBe(0);
    const jobs = await loadedJobs();
    expect(jobs).toContain('prometheus');
    expect(jobs).not.toContain('never-loaded');
  }, TIMEOUT_MS);

  test('a fixed config with an extra job reloads and clears the failure', async () => {
    // GIVEN a failed reload before (previous tests) and now a good config with one more job
    expect(await lastReloadSuccessful()).toBe(0);
    const fixed = { ...goodConfig, scrape_configs: [...goodConfig.scrape_configs, { job_name: 'added-after-fix', static_configs: [{ targets: [new URL(base).host] }] }] };
    writeFileSync(configFile, stringify(fixed));

    // WHEN the sidecar's reload call is made
    const res = await reload();

    // THEN it succeeds, the failure metric is back to 1 and the new job runs
    expect({ status: res.status, body: res.text }).toMatchObject({ status: 200 });
    expect(await lastReloadSuccessful()).toBe(1);
    expect(await loadedJobs()).toEqual([...goodConfig.scrape_configs.map((j: any) => j.job_name), 'added-after-fix']);
  }, TIMEOUT_MS);
});
