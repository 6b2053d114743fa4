#!/usr/bin/env node
// Draws the topology of every example: topology(chart).toDot(), laid out and
// rendered to SVG by Graphviz compiled to WebAssembly (@viz-js/viz), into
// dist/<example>.topology.svg; the article's is also copied to
// docs/article.topology.svg, the README's picture. The output is deterministic
// (same chart, same DOT, same Graphviz build: same bytes), so
// test/topology/diagram.test.ts can check that the committed picture is current.
//
//   npm run diagram                                  (node scripts/diagram.mjs)
//   node scripts/diagram.mjs --outdir DIR --docs DIR (where to write, e.g. a temp folder)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { instance } from '@viz-js/viz';
import { require as tsRequire } from 'tsx/cjs/api';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The example whose diagram is the README's. */
const README_EXAMPLE = 'article';

const { values } = parseArgs({
  options: { outdir: { type: 'string', default: join(ROOT, 'dist') }, docs: { type: 'string', default: join(ROOT, 'docs') } },
});

const { App } = tsRequire('cdk8s', import.meta.url);
const { EXAMPLES } = tsRequire('../examples/index.ts', import.meta.url);
const { topology } = tsRequire('../lib/topology/topology.ts', import.meta.url);

const viz = await instance();
mkdirSync(values.outdir, { recursive: true });
mkdirSync(values.docs, { recursive: true });
for (const [name, build] of Object.entries(EXAMPLES)) {
  // One App per example, as the whole-example tests synthesize them: nothing of another example in the graph.
  const chart = build(new App({ outdir: values.outdir }));
  const svg = viz.renderString(topology(chart).toDot(), { format: 'svg', engine: 'dot' });
  const file = join(values.outdir, `${name}.topology.svg`);
  writeFileSync(file, svg);
  console.log(`${file} (Graphviz ${viz.graphvizVersion})`);
  if (name === README_EXAMPLE) {
    const docs = join(values.docs, `${name}.topology.svg`);
    writeFileSync(docs, svg);
    console.log(docs);
  }
}
