import { spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import * as ts from 'typescript';
import { parseAllDocuments } from 'yaml';
import { tempDir } from '../support/daemon';
import { runRuleTests } from '../../lib/testing';
import { runTool, tool } from '../support/tools';

const ROOT = resolve(__dirname, '..', '..');
const DIR = join(ROOT, 'build', 'readme-examples'); // git-ignored, and 'cdk8s' resolves from node_modules

/** A README code block tagged `<!-- tag … -->`, importing the library from this checkout instead of npm. */
function readmeExample(tag: string): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const match = new RegExp(`<!-- ${tag}[^>]*-->\\s*\`\`\`ts\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!match) throw new Error(`README.md has no <!-- ${tag} --> \`\`\`ts block`);
  return match[1].replace(/from 'cdk8s-prometheus-thanos(\/testing)?'/g, (_, entry = '') => `from '${join(ROOT, 'lib')}${entry}'`);
}

/** Runs an example as `cdk8s synth` would, returning the objects of each file it wrote. */
function synthesize(file: string): Record<string, any[]> {
  const outdir = mkdtempSync(join(tmpdir(), 'readme-synth-'));
  try {
    const result = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), file], {
      env: { ...process.env, CDK8S_OUTDIR: outdir }, encoding: 'utf8', timeout: 30_000,
    });
    if (result.status !== 0) throw new Error(`${file} failed:\n${result.stderr}`);
    return Object.fromEntries(readdirSync(outdir).map(f => [f, parseAllDocuments(readFileSync(join(outdir, f), 'utf8')).map(d => d.toJS())]));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const EXAMPLES = { 'usage-example': join(DIR, 'usage.ts'), 'alerting-example': join(DIR, 'alerting.ts'), 'stacks-example': join(DIR, 'stacks.ts'),
  // A user's jest test of a chart: compiled only (it imports its globals from @jest/globals).
  'testing-example': join(DIR, 'monitoring.test.ts') };

describe('README examples', () => {
  beforeAll(() => {
    mkdirSync(DIR, { recursive: true });
    for (const [tag, file] of Object.entries(EXAMPLES)) writeFileSync(file, readmeExample(tag));
  });
  afterAll(() => rmSync(DIR, { recursive: true, force: true }));

  test('compile under strict TypeScript', () => {
    // GIVEN the examples as a user would write them
    const options: ts.CompilerOptions = {
      strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10, esModuleInterop: true, skipLibCheck: true, types: ['node'],
      // The library's sources come along (a user compiles against build/*.d.ts instead), with their JSON data.
      resolveJsonModule: true,
    };
    // WHEN they are type-checked
    const program = ts.createProgram(Object.values(EXAMPLES), options);
    const diagnostics = ts.getPreEmitDiagnostics(program)
      .map(d => `${d.file?.fileName}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    // THEN there are no errors
    expect(diagnostics).toEqual([]);
  }, 60_000);

  test('the usage example synthesizes the stack it describes', () => {
    // GIVEN / WHEN
    const files = synthesize(EXAMPLES['usage-example']);
    // THEN it writes one manifest file with the whole stack
    expect(Object.keys(files)).toEqual(['monitoring.k8s.yaml']);
    const kinds = new Set(files['monitoring.k8s.yaml'].map(o => `${o.kind}/${o.metadata.name}`));
    for (const expected of ['StatefulSet/prometheus', 'StatefulSet/alertmanager', 'StatefulSet/pushgateway', 'Deployment/querier', 'Ingress/ingress']) {
      expect(kinds).toContain(expected);
    }
  }, 60_000);

  test('the stacks example keeps tenants apart and wires the central Querier to both sides', () => {
    // GIVEN / WHEN
    const files = synthesize(EXAMPLES['stacks-example']);
    // THEN one file per chart
    expect(Object.keys(files).sort()).toEqual(['central.k8s.yaml', 'team-a.k8s.yaml', 'team-b.k8s.yaml']);
    const peers = (objects: any[]) => objects.filter(o => o.kind === 'NetworkPolicy').flatMap(p => [...p.spec.ingress ?? [], ...p.spec.egress ?? []])
      .flatMap((r: any) => [...r.from ?? [], ...r.to ?? []]).map((p: any) => p.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name']).filter(Boolean);
    // AND no team names the other: besides its own namespaces, each names only the central layer
    for (const team of ['team-a', 'team-b']) {
      const others = [...new Set(peers(files[`${team}.k8s.yaml`]))].filter(ns => ns !== team && !ns.startsWith(`${team}-`));
      expect(others).toEqual(['monitoring-central']);
    }
    // AND team-b runs two shards
    expect(files['team-b.k8s.yaml'].filter(o => o.kind === 'StatefulSet').map(o => o.metadata.name)).toContain('prometheus-shard-1');
  }, 60_000);

  describe('the alerting pipeline example', () => {
    let objects: any[];
    const configMap = (name: string) => objects.find(o => o.kind === 'ConfigMap' && o.metadata.name === name).data;
    beforeAll(() => {
      objects = synthesize(EXAMPLES['alerting-example'])['alerting.k8s.yaml'];
    }, 60_000);

    test("the rule's own tests pass with the real promtool", () => {
      // GIVEN the example's Prometheus, built in this process
      process.env.CDK8S_OUTDIR = tempDir('readme-alerting-synth');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { prometheus } = require(EXAMPLES['alerting-example']);
      // WHEN its rule tests (and the default rules' tests) run
      const result = runRuleTests(prometheus, [], { promtool: tool('promtool') });
      // THEN they pass
      expect(result.output).toContain('SUCCESS');
      expect(result.passed).toBe(true);
    }, 30_000);

    test('renders a rule file that promtool accepts', () => {
      // GIVEN the rendered rule file
      const dir = tempDir('readme-rules');
      writeFileSync(join(dir, 'rules.yaml'), configMap('prometheus-rules')['rules.yaml']);
      // WHEN promtool checks it
      const result = runTool('promtool', ['check', 'rules', join(dir, 'rules.yaml')], { timeoutMs: 20_000 });
      // THEN it is valid and holds the example's alert
      expect(result.stdout + result.stderr).toContain('SUCCESS');
      expect(result.code).toBe(0);
      expect(configMap('prometheus-rules')['rules.yaml']).toContain('alert: CheckoutErrorsHigh');
    }, 30_000);

    test('routes pages to on-call in an alertmanager.yml that amtool accepts', () => {
      // GIVEN the rendered config, with the mounted Secrets' files where the pod would have them
      const dir = tempDir('readme-am');
      const config = configMap('alertmanager-config')['alertmanager.yml'] as string;
      const local = config.replace(/\/etc\/alertmanager\/secrets/g, join(dir, 'secrets'));
      for (const [secret, key] of [['slack', 'webhook-url'], ['pagerduty', 'routing-key']]) {
        mkdirSync(join(dir, 'secrets', secret), { recursive: true });
        writeFileSync(join(dir, 'secrets', secret, key), key === 'webhook-url' ? 'https://hooks.slack.com/services/x' : 'key');
      }
      writeFileSync(join(dir, 'alertmanager.yml'), local);
      // WHEN amtool checks it, and asks which receiver a paging alert reaches
      const check = runTool('amtool', ['check-config', join(dir, 'alertmanager.yml')], { timeoutMs: 20_000 });
      const route = runTool('amtool', ['config', 'routes', 'test', `--config.file=${join(dir, 'alertmanager.yml')}`, 'severity=page', 'alertname=CheckoutErrorsHigh'], { timeoutMs: 20_000 });
      // THEN the config is valid and the page goes to on-call
      expect(check.stdout + check.stderr).toContain('SUCCESS');
      expect(check.code).toBe(0);
      expect(route.stdout.trim()).toBe('on-call');
    }, 30_000);

    test('mounts the Secrets the receivers read', () => {
      // GIVEN / WHEN the Alertmanager pod
      const sts = objects.find(o => o.kind === 'StatefulSet' && o.metadata.name === 'alertmanager');
      // THEN both Secrets are volumes
      const secrets = sts.spec.template.spec.volumes.filter((v: any) => v.secret).map((v: any) => v.secret.secretName);
      expect(secrets.sort()).toEqual(['pagerduty', 'slack']);
    });
  });
});
