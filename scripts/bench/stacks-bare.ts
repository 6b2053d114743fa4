// The floor for stacks-app.ts: a bare cdk8s app writing the same charts and objects
// (read from the JSON stacks-app.ts wrote), so only the library's own work differs.
//   tsx scripts/bench/stacks-bare.ts <objects.json> <outdir>
import { readdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';
import { ApiObject, App, Chart } from 'cdk8s';

const charts: Array<{ id: string; namespace: string; objects: Array<{ apiVersion: string; kind: string; metadata: object }> }> =
  JSON.parse(readFileSync(process.argv[2], 'utf8'));
const outdir = process.argv[3];
const start = process.hrtime.bigint();
const app = new App({ outdir });
for (const c of charts) {
  const chart = new Chart(app, c.id, { namespace: c.namespace });
  c.objects.forEach((o, i) => new ApiObject(chart, `o${i}`, o));
}
app.synth();
const ms = Number(process.hrtime.bigint() - start) / 1e6;
const files = readdirSync(outdir).map(f => join(outdir, f));
const bytes = files.reduce((sum, f) => sum + statSync(f).size, 0);
const objects = files.reduce((sum, f) => sum + (readFileSync(f, 'utf8').match(/^kind: /gm) ?? []).length, 0);
console.log(JSON.stringify({ stacks: charts.length, objects, bytes, ms, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
