// The GitOps form of every example through the real `kustomize build`: it must
// yield exactly the objects of cdk8s' single-file form, no more, no fewer.
import { readdirSync } from 'fs';
import { join } from 'path';
import { App, Chart } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { EXAMPLES } from '../../examples';
import { GitOpsOutput, KustomizeApp } from '../../lib';
import { tempDir } from '../support/daemon';
import { Manifest } from '../support/synth';
import { runTool } from '../support/tools';

/** Every document of a multi-document YAML text, as cdk8s reads and writes YAML (1.1). */
function parseDocs(text: string): Manifest[] {
  return parseAllDocuments(text, { version: '1.1' }).map(d => {
    if (d.errors.length > 0) throw new Error(`invalid YAML: ${d.errors.map(e => e.message).join('; ')}`);
    return d.toJS();
  }).filter(d => d !== null);
}

/** The objects keyed by kind/namespace/name; fails on a key seen twice (kustomize would refuse it anyway). */
function byKey(objects: Manifest[]): Record<string, Manifest> {
  const out: Record<string, Manifest> = {};
  for (const o of objects) {
    const key = `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    if (key in out) throw new Error(`two objects ${key}`);
    out[key] = o;
  }
  return out;
}

function kustomizeBuild(dir: string): Manifest[] {
  const result = runTool('kustomize', ['build', dir], { timeoutMs: 20_000 });
  if (result.code !== 0) throw new Error(`kustomize build ${dir} exited ${result.code}: ${result.stderr}`);
  return parseDocs(result.stdout);
}

describe.each(Object.entries(EXAMPLES))('example %s in GitOps form, through the real kustomize', (name, build) => {
  test('KustomizeApp.synth(): kustomize build dist/<chart> yields exactly the single-file objects', () => {
    // GIVEN the example in a KustomizeApp, and cdk8s' single-file form of the same app
    const outdir = tempDir(`gitops-${name}`);
    const app = new KustomizeApp({ outdir });
    build(app);
    const singleFile = parseDocs(app.synthYaml());
    expect(singleFile.length).toBeGreaterThan(0);

    // WHEN the app is synthesized and kustomize builds the chart's folder
    app.synth();
    expect(readdirSync(outdir)).toEqual([name]);
    const kustomized = kustomizeBuild(join(outdir, name));

    // THEN the same objects, field for field, and as many
    expect(kustomized).toHaveLength(singleFile.length);
    expect(byKey(kustomized)).toEqual(byKey(singleFile));
  }, 30_000);

  test('GitOpsOutput.writeChart: the same, for one chart of a plain cdk8s App', () => {
    // GIVEN the example's chart in the project's usual app
    const app = new App({ outdir: tempDir(`gitops-app-${name}`) });
    const chart: Chart = build(app);
    const singleFile = parseDocs(app.synthYaml());

    // WHEN the chart alone is written in GitOps form
    const dir = join(tempDir(`gitops-chart-${name}`), 'out');
    GitOpsOutput.writeChart(chart, dir);

    // THEN kustomize yields its single-file objects
    const kustomized = kustomizeBuild(dir);
    expect(kustomized).toHaveLength(singleFile.length);
    expect(byKey(kustomized)).toEqual(byKey(singleFile));
  }, 30_000);
});
