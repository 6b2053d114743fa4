import { spawnSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { EXAMPLES } from '../../examples';
import { testApp } from '../support/synth';

// `cdk8s synth` runs examples/main.ts with CDK8S_OUTDIR set: beside each
// <chart>.k8s.yaml it writes <chart>.prerequisites.md, and the YAML stays what
// the examples synthesize.

const ROOT = resolve(__dirname, '..', '..');

describe('examples/main.ts', () => {
  let outdir: string;
  let files: string[];
  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'examples-main-'));
    const result = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'examples', 'main.ts')], {
      cwd: ROOT, env: { ...process.env, CDK8S_OUTDIR: outdir }, encoding: 'utf8', timeout: 60_000,
    });
    if (result.status !== 0) throw new Error(`examples/main.ts failed:\n${result.stderr}`);
    files = readdirSync(outdir).sort();
  }, 90_000);
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  test('writes a prerequisites list beside each chart\'s YAML, and nothing else', () => {
    // GIVEN / WHEN the files of the synth
    const yaml = files.filter(f => f.endsWith('.k8s.yaml'));
    // THEN each YAML has its list, and there is nothing more
    expect(yaml.length).toBeGreaterThanOrEqual(Object.keys(EXAMPLES).length);
    expect(files).toEqual([...yaml, ...yaml.map(f => f.replace(/\.k8s\.yaml$/, '.prerequisites.md'))].sort());
  });

  test('leaves the YAML as the examples synthesize it', () => {
    // GIVEN each example synthesized in memory
    for (const [name, build] of Object.entries(EXAMPLES)) {
      const objects = Testing.synth(build(testApp()));
      // WHEN its file is read
      const written = parseAllDocuments(readFileSync(join(outdir, `${name}.k8s.yaml`), 'utf8')).map(d => d.toJS());
      // THEN it holds the same objects
      expect(written).toEqual(objects);
    }
  });

  test('the article\'s list names the WeChat Secret its Alertmanager pods wait for', () => {
    // GIVEN / WHEN the article's list
    const markdown = readFileSync(join(outdir, 'article.prerequisites.md'), 'utf8');
    // THEN
    expect(markdown).toContain('# Before you apply article.k8s.yaml');
    expect(markdown).toContain('| Secret | `wechat` | `monitoring` | `api-secret` | `alertmanager` |');
  });

  test('the README shows the article\'s list as it is written', () => {
    // GIVEN the table rows of the article's list
    const rows = readFileSync(join(outdir, 'article.prerequisites.md'), 'utf8').split('\n').filter(l => l.startsWith('|'));
    // WHEN the README is searched for them
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n');
    // THEN each is in its "Before you apply" section
    const section = readme.slice(readme.indexOf('## Before you apply'));
    expect(rows.filter(r => !section.includes(r))).toEqual([]);
  });
});
