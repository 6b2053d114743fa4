// The rendered Prometheus config, rules and container args, checked by the real
// promtool and run by the real prometheus binary (install them: `npm run tools`).
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { Chart, Testing } from 'cdk8s';
import { parse, stringify } from 'yaml';
import { Prometheus } from '../lib';
import { Daemon, freePort, startDaemon, tempDir } from './support/daemon';
import { runTool, tool } from './support/tools';

const TIMEOUT_MS = 30_000;

/** The chart under test: default Prometheus with one recording and one alerting rule. */
function synthPrometheus() {
  const app = Testing.app();
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

/**
 * Recreates the prometheus container's filesystem under a temp dir: every ConfigMap
 * volume's files at its mountPath, other volumes as empty dirs. The rendered files
 * hold absolute container paths (`rule_files: [/etc/prometheus/rules/*.yaml]`, the
 * `--config.file` arg) that do not exist outside the pod, so they are rewritten with
 * `inPod()`, which prefixes the temp dir: what stays checked is that the args, the
 * mounts, the ConfigMap keys and the rule_files glob agree with each other.
 */
function podFilesystem(manifests: any[]) {
  const root = tempDir('prometheus-pod');
  const inPod = (path: string) => join(root, path);
  const sts = manifests.find(m => m.kind === 'StatefulSet');
  const container = sts.spec.template.spec.containers.find((c: any) => c.name === 'prometheus');
  for (const mount of container.volumeMounts) {
    const volume = sts.spec.template.spec.volumes?.find((v: any) => v.name === mount.name);
    mkdirSync(inPod(mount.mountPath), { recursive: true });
    if (!volume?.configMap) continue;
    const cm = manifests.find(m => m.kind === 'ConfigMap' && m.metadata.name === volume.configMap.name);
    for (const [file, content] of Object.entries<string>(cm.data)) writeFileSync(join(inPod(mount.mountPath), file), content);
  }
  const argValue = (flag: string) => container.args.find((a: string) => a.startsWith(`${flag}=`))?.slice(flag.length + 1);
  const configFile = inPod(argValue('--config.file'));
  // Point rule_files at the recreated rules dir.
  const config = parse(readFileSync(configFile, 'utf8'));
  config.rule_files = config.rule_files.map(inPod);
  writeFileSync(configFile, stringify(config));
  return { root, inPod, container, configFile };
}

describe('Prometheus with the real tools', () => {
  test('promtool check config accepts the rendered prometheus.yml and its rule files', () => {
    // GIVEN the rendered config and rules, placed where the container would see them
    const { manifests } = synthPrometheus();
    const { configFile } = podFilesystem(manifests);

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
      const pod = podFilesystem(manifests);
      configFile = pod.configFile;
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      // Only paths and the listen address change; every other rendered flag is passed as is.
      const args = (pod.container.args as string[]).map(arg => {
        const [flag, value] = [arg.split('=')[0], arg.slice(arg.indexOf('=') + 1)];
        if (flag === '--config.file' || flag === '--storage.tsdb.path') return `${flag}=${pod.inPod(value)}`;
        if (flag === '--web.listen-address') return `${flag}=127.0.0.1:${port}`;
        return arg;
      });
      daemon = await startDaemon({
        name: 'prometheus',
        command: tool('prometheus'),
        args,
        cwd: pod.root,
        env: {
          // What the pod's downward API sets.
          POD_NAME: 'prometheus-0',
          // Kubernetes service discovery must not reach a real cluster when the tests run inside one.
          KUBERNETES_SERVICE_HOST: undefined,
          KUBERNETES_SERVICE_PORT: undefined,
        },
        readyUrl: `${base}/-/ready`,
      });
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
