// The README's GitOps example, as a user runs it: it compiles, writes dist/<chart>/, and the
// real kustomize builds that folder into the objects of the chart's single-file form.
import { spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { join, resolve } from 'path';
import { Testing } from 'cdk8s';
import * as ts from 'typescript';
import { parseAllDocuments } from 'yaml';
import { MonitoringChart } from '../../lib';
import { tempDir } from '../support/daemon';
import { Manifest, testApp } from '../support/synth';
import { runTool } from '../support/tools';

const ROOT = resolve(__dirname, '..', '..');
const TAG = 'gitops-example';

/** The README block tagged `<!-- gitops-example … -->`, importing the library from this checkout. */
function readmeExample(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const match = new RegExp(`<!-- ${TAG}[^>]*-->\\s*\`\`\`ts\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!match) throw new Error(`README.md has no <!-- ${TAG} --> \`\`\`ts block`);
  return match[1].replace(/from 'cdk8s-prometheus-thanos'/g, `from '${join(ROOT, 'lib')}'`);
}

const byKey = (objects: Manifest[]) => Object.fromEntries(objects.map(o => [`${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, o]));

describe('README: GitOps output', () => {
  // Under build/ (git-ignored) so that 'cdk8s' resolves from the project's node_modules.
  let dir: string;
  let file: string;
  beforeAll(() => {
    mkdirSync(join(ROOT, 'build'), { recursive: true });
    dir = mkdtempSync(join(ROOT, 'build', 'gitops-readme-'));
    file = join(dir, 'gitops.ts');
    writeFileSync(file, readmeExample());
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('the example compiles under strict TypeScript', () => {
    // GIVEN the example as a user would write it WHEN type-checked THEN no errors
    const program = ts.createProgram([file], {
      strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10, esModuleInterop: true, skipLibCheck: true, types: ['node'],
      // The library's sources come along (a user compiles against build/*.d.ts instead), with their JSON data.
      resolveJsonModule: true,
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map(d => `${d.file?.fileName}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(diagnostics).toEqual([]);
  }, 30_000);

  test('the example writes dist/monitoring/, which kustomize builds into the chart\'s objects', () => {
    // GIVEN the example run as `cdk8s synth` runs an app
    const outdir = tempDir('gitops-readme-dist');
    const result = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), file], {
      env: { ...process.env, CDK8S_OUTDIR: outdir }, encoding: 'utf8', timeout: 20_000,
    });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    // THEN one folder, with the files the README names
    expect(readdirSync(outdir)).toEqual(['monitoring']);
    expect(readdirSync(join(outdir, 'monitoring'))).toEqual(expect.arrayContaining(['kustomization.yaml', 'namespace.yaml', 'prometheus.yaml']));
    // AND kustomize builds it into the objects of the same chart's single-file form
    const built = runTool('kustomize', ['build', join(outdir, 'monitoring')], { timeoutMs: 20_000 });
    expect(built.code).toBe(0);
    const kustomized = parseAllDocuments(built.stdout, { version: '1.1' }).map(d => d.toJS() as Manifest);
    const singleFile = Testing.synth(new MonitoringChart(testApp(), 'monitoring', { namespace: 'monitoring' })) as Manifest[];
    expect(kustomized).toHaveLength(singleFile.length);
    expect(byKey(kustomized)).toEqual(byKey(singleFile));
  }, 30_000);
});
