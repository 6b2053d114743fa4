// The rendered Prometheus config, rules and container args, checked by the real
// promtool and run by the real prometheus binary (install them: `npm run tools`).
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { Chart, Testing } from 'cdk8s';
import { parse, stringify } from 'yaml';
import { Prometheus } from '../../lib';
import { Daemon, tempDir } from '../support/daemon';
import { LivePrometheus, prometheusPodFilesystem, startRenderedPrometheus } from '../support/prometheus-pod';
import { container, flagValues, givenChart, synth } from '../support/synth';
import { runTool } from '../support/tools';
import { testApp } from '../support/synth';

const TIMEOUT_MS = 30_000;

/** The chart under test: default Prometheus with one recording and one alerting rule. */
function synthPrometheus() {
  const app = testApp();
  const chart = new Chart(app, 'test', { namespace: 'monitoring' });
  const prom = new Prometheus(chart, 'prometheus', {
    // Only the rules below, so the counts promtool reports are this test's own.
    defaultRules: false,
    ruleGroups: [{
      name: 'example',
      rules: [
        { record: 'job:up:sum', expr: 'sum by (job) (up)' },
        { alert: 'AlwaysFiring', expr: 'vector(1)' },
      ],
    }],
  });
  return { prom, manifests: Testing.synth(chart) as any[] };
}

describe('Prometheus with the real tools', () => {
  test('promtool check config accepts the rendered prometheus.yml and its rule files', () => {
    // GIVEN the rendered config and rules, placed where the container would see them
    const { manifests } = synthPrometheus();
    const { configFile } = prometheusPodFilesystem(manifests);

    // WHEN promtool checks the config (it also loads every file the rule_files globs match)
    const result = runTool('promtool', ['check', 'config', '--lint=all', '--lint-fatal', configFile], { timeoutMs: 20_000 });

    // THEN it is valid, and the glob matched the rules ConfigMap's file (an empty match would pass silently)
    expect(result.stdout + result.stderr).toContain('SUCCESS: 1 rule files found');
    expect(result.stdout).toContain('SUCCESS: 2 rules found');
    expect(result.code).toBe(0);
  }, TIMEOUT_MS);

  test('promtool check rules accepts the rendered rule file', () => {
    // GIVEN the rendered rule file
    const { prom } = synthPrometheus();
    const file = join(tempDir('prometheus-rules'), 'rules.yaml');
    writeFileSync(file, prom.renderRules());

    // WHEN promtool checks it with every linter
    const result = runTool('promtool', ['check', 'rules', '--lint=all', '--lint-fatal', file], { timeoutMs: 20_000 });

    // THEN both rules are valid
    expect(result.stdout + result.stderr).toContain('SUCCESS: 2 rules found');
    expect(result.code).toBe(0);
  }, TIMEOUT_MS);

  describe('a live prometheus started with the rendered args', () => {
    let daemon: Daemon;
    let base: string;
    let configFile: string;

    const getJson = async (path: string) => {
      const res = await fetch(`${base}${path}`);
      expect(res.status).toBe(200);
      return res.json() as Promise<any>;
    };
    const loadedConfig = async () => parse((await getJson('/api/v1/status/config')).data.yaml);

    beforeAll(async () => {
      const { manifests } = synthPrometheus();
      ({ daemon, base, configFile } = await startRenderedPrometheus(manifests));
    }, TIMEOUT_MS);

    afterAll(async () => {
      await daemon?.stop();
    }, TIMEOUT_MS);

    test('becomes ready and loads the rule group', async () => {
      // GIVEN the running server (started in beforeAll)
      // WHEN its readiness and rules are queried
      const ready = await fetch(`${base}/-/ready`);
      const rules = await getJson('/api/v1/rules');

      // THEN it is ready, with the rule group from the rules ConfigMap
      expect(ready.status).toBe(200);
      expect(rules.data.groups.map((g: any) => [g.name, g.rules.map((r: any) => r.name)])).toEqual([
        ['example', ['job:up:sum', 'AlwaysFiring']],
      ]);
    }, TIMEOUT_MS);

    test('expands ${POD_NAME} in the replica external label', async () => {
      // GIVEN POD_NAME=prometheus-0 in the environment, as the downward API sets it
      // WHEN the loaded config is read back
      const config = await loadedConfig();

      // THEN the replica label holds the pod name, not the placeholder
      expect(config.global.external_labels).toEqual({ replica: 'prometheus-0' });
    }, TIMEOUT_MS);

    test('reloads a changed config on POST /-/reload (--web.enable-lifecycle)', async () => {
      // GIVEN a config file with one more scrape job, as after a ConfigMap update
      const config = parse(readFileSync(configFile, 'utf8'));
      config.scrape_configs.push({ job_name: 'added-by-reload', static_configs: [{ targets: [new URL(base).host] }] });
      writeFileSync(configFile, stringify(config));

      // WHEN the config watch sidecar would POST /-/reload
      const res = await fetch(`${base}/-/reload`, { method: 'POST' });

      // THEN the reload succeeds (a failure shows the body, which names the error) and the new job is in the running config
      expect({ status: res.status, body: await res.text() }).toMatchObject({ status: 200 });
      const jobs = (await loadedConfig()).scrape_configs.map((j: any) => j.job_name);
      expect(jobs).toContain('added-by-reload');
    }, TIMEOUT_MS);
  });
});

describe('a live prometheus behind a route prefix', () => {
  let live: LivePrometheus;
  /** A URL the pod's sidecars call (127.0.0.1:9090), pointed at the live server's port. */
  const onLivePort = (url: string) => url.replace('127.0.0.1:9090', new URL(live.base).host);

  beforeAll(async () => {
    const { chart } = givenChart();
    new Prometheus(chart, 'prometheus', { routePrefix: '/prometheus', defaultRules: false });
    live = await startRenderedPrometheus(synth(chart));
  }, TIMEOUT_MS);

  afterAll(async () => {
    await live?.daemon.stop();
  }, TIMEOUT_MS);

  test('serves the API where the Thanos sidecar looks for it', async () => {
    // GIVEN the sidecar's rendered --prometheus.url
    const url = flagValues(container(live.pod.sts, 'thanos-sidecar').args, '--prometheus.url')[0];
    // WHEN the sidecar would read the external labels from it
    const res = await fetch(`${onLivePort(url)}/api/v1/status/config`);
    // THEN Prometheus answers there
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).data.yaml).toContain('replica: prometheus-0');
  }, TIMEOUT_MS);

  test('reloads on the URL the config watch sidecar POSTs to', async () => {
    // GIVEN the reloader's rendered --reload-url
    const url = flagValues(live.pod.reloader.args, '--reload-url')[0];
    // WHEN it POSTs
    const res = await fetch(onLivePort(url), { method: 'POST' });
    // THEN the reload succeeds
    expect(res.status).toBe(200);
  }, TIMEOUT_MS);

  test('answers a trailing-slash lifecycle path only with a redirect to the exact path the Ingress blocks', async () => {
    // GIVEN the reload path the Ingress routes to a blackhole (Exact match)
    const url = onLivePort(flagValues(live.pod.reloader.args, '--reload-url')[0]);
    // WHEN a client tries to slip past the Exact match with a trailing slash
    const res = await fetch(`${url}/`, { method: 'POST', redirect: 'manual' });
    // THEN Prometheus does not reload but redirects to the exact, blocked path
    expect(res.status).toBeGreaterThanOrEqual(300);
    expect(res.status).toBeLessThan(400);
    expect(new URL(res.headers.get('location')!, url).pathname).toBe('/prometheus/-/reload');
  }, TIMEOUT_MS);
});
