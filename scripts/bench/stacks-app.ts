// N independent monitoring stacks in one App, as a platform team with N tenants writes them.
// Prints one JSON line: stacks, objects, bytes written, in-process build+synth time, peak RSS.
//   tsx scripts/bench/stacks-app.ts <stacks> <outdir> [objects.json]
import { readdirSync, readFileSync, statSync, writeFileSync } from 'fs';
import { join } from 'path';
import { App, Testing } from 'cdk8s';
import { MonitoringChart } from '../../lib';

const stacks = Number(process.argv[2]);
const outdir = process.argv[3];
const start = process.hrtime.bigint();
const app = new App({ outdir });
const charts = Array.from({ length: stacks }, (_, i) => new MonitoringChart(app, `team-${i}`, { namespace: `team-${i}` }));
app.synth();
const ms = Number(process.hrtime.bigint() - start) / 1e6;
const files = readdirSync(outdir).map(f => join(outdir, f));
const bytes = files.reduce((sum, f) => sum + statSync(f).size, 0);
const objects = files.reduce((sum, f) => sum + (readFileSync(f, 'utf8').match(/^kind: /gm) ?? []).length, 0);
// The objects of every chart, for the bare app that writes the same ones.
if (process.argv[4]) writeFileSync(process.argv[4], JSON.stringify(charts.map(c => ({ id: c.node.id, namespace: c.namespace, objects: Testing.synth(c) }))));
console.log(JSON.stringify({ stacks, objects, bytes, ms, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
