import { spawnSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { EXAMPLES } from '../../examples';

const ROOT = resolve(__dirname, '..', '..');

// `npm run diagram` is scripts/diagram.mjs: topology(chart).toDot() of every
// example, rendered by Graphviz in WebAssembly (@viz-js/viz). The README shows
// docs/article.topology.svg, which must be what the script writes today.
describe('npm run diagram', () => {
  let outdir: string;
  let docs: string;
  let result: ReturnType<typeof spawnSync>;

  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'diagram-out-'));
    docs = mkdtempSync(join(tmpdir(), 'diagram-docs-'));
    result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'diagram.mjs'), '--outdir', outdir, '--docs', docs], { encoding: 'utf8', timeout: 60_000 });
  }, 90_000);
  afterAll(() => {
    rmSync(outdir, { recursive: true, force: true });
    rmSync(docs, { recursive: true, force: true });
  });

  test('writes <example>.topology.svg for every example, and the article\'s for the README', () => {
    // GIVEN / WHEN the script ran
    // THEN
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(readdirSync(outdir).sort()).toEqual(Object.keys(EXAMPLES).map(name => `${name}.topology.svg`).sort());
    expect(readdirSync(docs)).toEqual(['article.topology.svg']);
    for (const file of readdirSync(outdir)) expect(readFileSync(join(outdir, file), 'utf8')).toMatch(/^<\?xml[\s\S]*<svg [\s\S]*<\/svg>\n$/);
  });

  test('docs/article.topology.svg is current: regenerating gives the same bytes (else run `npm run diagram`)', () => {
    // GIVEN the committed picture and the one just generated
    const committed = readFileSync(join(ROOT, 'docs', 'article.topology.svg'), 'utf8');
    const generated = readFileSync(join(docs, 'article.topology.svg'), 'utf8');
    // WHEN / THEN
    expect(generated).toEqual(readFileSync(join(outdir, 'article.topology.svg'), 'utf8'));
    expect(committed === generated).toBe(true);
  });
});
