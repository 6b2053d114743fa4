#!/usr/bin/env node
// Measures what `cdk8s synth` of the examples costs against a bare cdk8s app,
// and the TypeScript runners against each other. Wall time of whole processes,
// median of RUNS runs, output to a temp folder (dist/ is left alone).
//
//   npm run bench            (RUNS=9 npm run bench for more samples)
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
try {
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
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
