#!/usr/bin/env node
// Measures what `cdk8s synth` of the examples costs against a bare cdk8s app,
// and the TypeScript runners against each other (wall time of whole processes),
// then how synth scales with the number of stacks in one App: 1, 10, 50 and 100
// MonitoringCharts against a bare cdk8s app that writes the same charts and
// objects (in-process build + synth time, peak RSS, objects, bytes). Medians of
// RUNS runs, output to a temp folder (dist/ is left alone).
//
//   npm run bench            (RUNS=9 npm run bench for more samples; SCALING_ONLY=1 for the second part)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RUNS = Number(process.env.RUNS ?? 5);
const outdir = mkdtempSync(join(tmpdir(), 'bench-synth-'));
const bin = name => join('node_modules', '.bin', name);

const cases = [
  ['bare cdk8s app (tsx)', 'node', [bin('tsx'), 'scripts/bench/bare-app.ts']],
  ['examples (tsx)', 'node', [bin('tsx'), 'examples/main.ts']],
  ['examples (ts-node, transpile-only)', 'node', ['-r', 'ts-node/register/transpile-only', 'examples/main.ts']],
  ['examples (ts-node, type-checking)', 'node', ['-r', 'ts-node/register', 'examples/main.ts']],
  ['cdk8s synth CLI (bare app, tsx)', 'node', [bin('cdk8s'), 'synth', '--check-upgrade=false', '-o', outdir, '--app', 'npx tsx scripts/bench/bare-app.ts']],
  ['cdk8s synth CLI (examples, tsx)', 'node', [bin('cdk8s'), 'synth', '--check-upgrade=false', '-o', outdir]],
];

function time(command, args) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { env: { ...process.env, CDK8S_OUTDIR: outdir }, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** Runs a scaling script `RUNS` times (+1 warm-up) and returns the run with the median time. */
function scalingRun(script, args) {
  const runs = [];
  for (let i = 0; i <= RUNS; i++) {
    const out = join(outdir, `scale-${i}`);
    rmSync(out, { recursive: true, force: true });
    const result = spawnSync('node', [bin('tsx'), script, ...args(out)], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${script} failed:\n${result.stderr}`);
    if (i > 0) runs.push(JSON.parse(result.stdout.trim().split('\n').pop()));
  }
  runs.sort((a, b) => a.ms - b.ms);
  return { ...runs[Math.floor(runs.length / 2)], maxRssMb: Math.max(...runs.map(r => r.maxRssMb)) };
}

function scaling() {
  console.log(`\nscaling: N MonitoringCharts in one App against a bare cdk8s app writing the same objects (median of ${RUNS})`);
  console.log('| stacks | objects | MB | library ms | ms per stack | bare app ms | library / bare | peak RSS MB (library / bare) |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const perStack = {};
  for (const stacks of [1, 10, 50, 100]) {
    const objects = join(outdir, `objects-${stacks}.json`);
    // The library run also writes the objects of its charts, for the bare app.
    spawnSync('node', [bin('tsx'), 'scripts/bench/stacks-app.ts', String(stacks), join(outdir, 'fixture'), objects], { encoding: 'utf8' });
    const lib = scalingRun('scripts/bench/stacks-app.ts', out => [String(stacks), out]);
    const bare = scalingRun('scripts/bench/stacks-bare.ts', out => [objects, out]);
    perStack[stacks] = lib.ms / stacks;
    console.log(`| ${stacks} | ${lib.objects} | ${(lib.bytes / 1e6).toFixed(2)} | ${lib.ms.toFixed(0)} | ${perStack[stacks].toFixed(1)} | ${bare.ms.toFixed(0)} | `
      + `${(lib.ms / bare.ms).toFixed(2)} | ${lib.maxRssMb.toFixed(0)} / ${bare.maxRssMb.toFixed(0)} |`);
  }
  console.log(`time per stack at 100 stacks / at 10: ${(perStack[100] / perStack[10]).toFixed(2)}`);
}

try {
  if (process.env.SCALING_ONLY) {
    scaling();
    process.exit(0);
  }
  console.log(`runs per case: ${RUNS} (+1 warm-up)`);
  const results = {};
  for (const [name, command, args] of cases) {
    time(command, args); // warm-up: file system and compile caches
    const samples = Array.from({ length: RUNS }, () => time(command, args));
    results[name] = median(samples);
    console.log(`${name.padEnd(40)} median ${results[name].toFixed(0).padStart(6)} ms  (min ${Math.min(...samples).toFixed(0)}, max ${Math.max(...samples).toFixed(0)})`);
  }
  const overhead = results['examples (tsx)'] - results['bare cdk8s app (tsx)'];
  const cli = results['cdk8s synth CLI (examples, tsx)'] / results['cdk8s synth CLI (bare app, tsx)'];
  console.log(`library overhead over a bare app: ${overhead.toFixed(0)} ms (app alone), cdk8s synth ${cli.toFixed(2)}x a bare app's`);
  scaling();
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
