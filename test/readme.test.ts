import { spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import * as ts from 'typescript';
import { parseAllDocuments } from 'yaml';

const ROOT = resolve(__dirname, '..');

/** The README's usage example, importing the library from this checkout instead of npm. */
function usageExample(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const match = /<!-- usage-example[^>]*-->\s*```ts\n([\s\S]*?)```/.exec(readme);
  if (!match) throw new Error('README.md has no <!-- usage-example --> ```ts block');
  return match[1].replace(/from 'cdk8s-prometheus-thanos'/g, `from '${join(ROOT, 'lib')}'`);
}

describe('README usage example', () => {
  // build/ is git-ignored and inside the project, so 'cdk8s' resolves from node_modules.
  const dir = join(ROOT, 'build', 'readme-example');
  const file = join(dir, 'example.ts');
  beforeAll(() => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, usageExample());
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('compiles under strict TypeScript', () => {
    // GIVEN the example as a user would write it
    const options: ts.CompilerOptions = {
      strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10, esModuleInterop: true, skipLibCheck: true, types: ['node'],
    };
    // WHEN it is type-checked
    const program = ts.createProgram([file], options);
    const diagnostics = ts.getPreEmitDiagnostics(program)
      .map(d => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    // THEN there are no errors
    expect(diagnostics).toEqual([]);
  }, 60_000);

  test('synthesizes the stack it describes', () => {
    // GIVEN an empty output folder
    const outdir = mkdtempSync(join(tmpdir(), 'readme-synth-'));
    try {
      // WHEN the example runs as `cdk8s synth` would run it
      const result = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), file], {
        env: { ...process.env, CDK8S_OUTDIR: outdir }, encoding: 'utf8', timeout: 30_000,
      });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      // THEN it writes one manifest file with the whole stack
      expect(readdirSync(outdir)).toEqual(['monitoring.k8s.yaml']);
      const objects = parseAllDocuments(readFileSync(join(outdir, 'monitoring.k8s.yaml'), 'utf8')).map(d => d.toJS());
      const kinds = new Set(objects.map(o => `${o.kind}/${o.metadata.name}`));
      for (const expected of ['StatefulSet/prometheus', 'StatefulSet/alertmanager', 'StatefulSet/pushgateway', 'Deployment/querier', 'Ingress/ingress']) {
        expect(kinds).toContain(expected);
      }
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }, 60_000);
});
