import { execFileSync } from 'child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative, resolve } from 'path';
import * as ts from 'typescript';
import { parseAllDocuments } from 'yaml';

// What a user gets from `npm install cdk8s-prometheus-thanos`: the packed
// tarball (built by `prepack`), installed into a fresh cdk8s app next to the
// peer dependencies, used from plain JavaScript and from TypeScript.

const ROOT = resolve(__dirname, '..');
const PEERS = ['cdk8s', 'constructs', 'cdk8s-plus-27'];
const TIMEOUT = 120_000;

/** Runs a command; on failure the error carries its output. */
function run(cmd: string, args: string[], cwd: string): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: 'pipe', maxBuffer: 64 * 1024 * 1024 });
  } catch (e: any) {
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd} (exit ${e.status}):\n${e.stdout ?? ''}\n${e.stderr ?? ''}`, { cause: e });
  }
}

function installedVersion(pkg: string): string {
  return JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version;
}

/** Every installed package directory under `dir`'s node_modules trees, with its package name. */
function installedPackages(dir: string): Array<{ name: string; path: string }> {
  const found: Array<{ name: string; path: string }> = [];
  const visit = (nodeModules: string) => {
    if (!existsSync(nodeModules)) return;
    for (const entry of readdirSync(nodeModules)) {
      if (entry.startsWith('.')) continue;
      const dirs = entry.startsWith('@') ? readdirSync(join(nodeModules, entry)).map(e => join(nodeModules, entry, e)) : [join(nodeModules, entry)];
      for (const pkgDir of dirs) {
        if (lstatSync(pkgDir).isSymbolicLink() || !existsSync(join(pkgDir, 'package.json'))) continue;
        found.push({ name: JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).name, path: relative(dir, pkgDir) });
        visit(join(pkgDir, 'node_modules'));
      }
    }
  };
  visit(join(dir, 'node_modules'));
  return found;
}

/** Source files of lib/ (without .d.ts), relative to lib/, without extension. */
function libModules(): string[] {
  const out: string[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(relative(join(ROOT, 'lib'), path).replace(/\.ts$/, ''));
    }
  };
  visit(join(ROOT, 'lib'));
  return out.sort();
}

describe('the npm package', () => {
  let tmp: string;
  let tarball: string;
  let entries: string[];
  let app: string;
  let modules: string[];

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'cdk8s-prometheus-thanos-pack-'));
    // The sources as `prepack` compiles them (read right before, in case lib/ changes meanwhile).
    modules = libModules();
    // `prepack` builds lib/ into build/ first.
    run('npm', ['pack', '--pack-destination', tmp, '--no-fund', '--no-audit'], ROOT);
    const tgz = readdirSync(tmp).filter(f => f.endsWith('.tgz'));
    if (tgz.length !== 1) throw new Error(`npm pack left ${JSON.stringify(tgz)} in ${tmp}`);
    tarball = join(tmp, tgz[0]);
    entries = run('tar', ['-tzf', tarball], tmp).split('\n').filter(Boolean).map(e => e.replace(/^package\//, ''));

    app = join(tmp, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({
      name: 'scratch-cdk8s-app',
      version: '0.0.0',
      private: true,
      dependencies: {
        'cdk8s-prometheus-thanos': `file:${tarball}`,
        ...Object.fromEntries(PEERS.map(p => [p, installedVersion(p)])),
      },
    }, null, 2));
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], app);
  }, TIMEOUT);

  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('is built to build/, not dist/', () => {
    // GIVEN the build configuration `prepack` uses
    // WHEN resolved
    const config = JSON.parse(run('npx', ['tsc', '-p', 'tsconfig.build.json', '--showConfig'], ROOT));
    // THEN output goes to build/
    expect(resolve(ROOT, config.compilerOptions.outDir)).toBe(join(ROOT, 'build'));
    // AND the tarball has the entry points package.json names
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.main).toBe('build/lib/index.js');
    expect(pkg.types).toBe('build/lib/index.d.ts');
    expect(entries).toEqual(expect.arrayContaining(['package.json', 'build/lib/index.js', 'build/lib/index.d.ts']));
  });

  test('holds compiled JavaScript and declarations only', () => {
    // GIVEN the tarball's file list
    // WHEN looking for sources, tests and synth output
    const sources = entries.filter(e => e.endsWith('.ts') && !e.endsWith('.d.ts'));
    const stray = entries.filter(e => /^(test|dist|examples|scripts|lib|imports|node_modules|\.tools)\//.test(e));
    const maps = entries.filter(e => e.endsWith('.map'));
    // THEN there are none
    expect(sources).toEqual([]);
    expect(stray).toEqual([]);
    expect(maps).toEqual([]);
  });

  test('ships the flag data the components check their flags against at synth time (lib/images/flags/*.json)', () => {
    // GIVEN the data files of lib/images/flags/
    const data = readdirSync(join(ROOT, 'lib', 'images', 'flags')).filter(f => f.endsWith('.json')).sort();
    // WHEN listing the JSON files of the tarball
    const shipped = entries.filter(e => e.endsWith('.json') && e !== 'package.json').sort();
    // THEN each data file ships next to the compiled lib that requires it, and nothing else does
    expect(data.length).toBeGreaterThan(0);
    expect(shipped).toEqual(data.map(f => `build/lib/images/flags/${f}`));
  });

  test('has exactly one .js and one .d.ts per lib/ module: none missing, none stale', () => {
    // GIVEN the modules of lib/ when packed
    // WHEN listing the compiled lib in the tarball
    const js = entries.filter(e => /^build\/lib\/.*\.js$/.test(e)).map(e => e.slice('build/lib/'.length, -'.js'.length)).sort();
    const dts = entries.filter(e => /^build\/lib\/.*\.d\.ts$/.test(e)).map(e => e.slice('build/lib/'.length, -'.d.ts'.length)).sort();
    // THEN they match one to one (a file left in build/ from a deleted module would ship)
    expect(js).toEqual(modules);
    expect(dts).toEqual(modules);
    expect(entries).toEqual(expect.arrayContaining(['build/imports/k8s.js', 'build/imports/k8s.d.ts']));
  });

  test('synthesizes a MonitoringChart in a plain-JavaScript cdk8s app', () => {
    // GIVEN the scratch app with the package installed
    writeFileSync(join(app, 'main.js'), [
      "const { App } = require('cdk8s');",
      "const { MonitoringChart } = require('cdk8s-prometheus-thanos');",
      'const app = new App();',
      "new MonitoringChart(app, 'monitoring', { namespace: 'monitoring' });",
      'app.synth();',
    ].join('\n'));
    // WHEN the user runs it
    run(process.execPath, ['main.js'], app);
    // THEN dist/ holds the chart with a StatefulSet
    const file = join(app, 'dist', 'monitoring.k8s.yaml');
    expect(existsSync(file)).toBe(true);
    const docs = parseAllDocuments(readFileSync(file, 'utf8')).map(d => d.toJS());
    expect(docs.filter(d => d.kind === 'StatefulSet').map(d => d.metadata.name)).toContain('prometheus');
    // AND every namespaced object is in the chart's namespace, or the node exporter's own
    expect(docs.filter(d => d.kind !== 'Namespace' && !d.kind.startsWith('Cluster')).map(d => d.metadata.namespace)
      .filter(ns => ns !== 'monitoring' && ns !== 'monitoring-node-exporter')).toEqual([]);
  });

  test('exposes the testing entry point to JavaScript and to TypeScript', () => {
    // GIVEN a user's test that imports the helpers through the package's `exports`
    writeFileSync(join(app, 'helpers.js'), [
      "const { App } = require('cdk8s');",
      "const testing = require('cdk8s-prometheus-thanos/testing');",
      "const main = require('cdk8s-prometheus-thanos');",
      "const objects = testing.synthObjects(new main.MonitoringChart(new App(), 'monitoring', { namespace: 'monitoring' }));",
      "const peers = testing.flagValues(testing.containerArgs(testing.findObject(objects, 'StatefulSet', 'alertmanager'), 'alertmanager'), '--cluster.peer');",
      'const leaks = Object.keys(main).filter(k => ["runRuleTests", "synthObjects", "findObject", "containerArgs", "flagValues"].includes(k));',
      'console.log(JSON.stringify({ testing: Object.keys(testing).sort(), leaks, peers }));',
    ].join('\n'));
    // WHEN it runs
    const loaded = JSON.parse(run(process.execPath, ['helpers.js'], app));
    // THEN the helpers are there, and only there, and read the synthesized chart
    expect(loaded.testing).toEqual(expect.arrayContaining([
      'runRuleTests', 'checkPolicies', 'synthObjects', 'findObject', 'findObjects', 'findContainer', 'containerArgs', 'flagValues',
    ]));
    expect(loaded.leaks).toEqual([]);
    expect(loaded.peers).toEqual([0, 1, 2].map(i => `alertmanager-${i}.alertmanager-headless.monitoring.svc:9094`));
    // AND a TypeScript user resolves its declarations (Node10 resolution, through typesVersions)
    const file = join(app, 'helpers-types.ts');
    writeFileSync(file, [
      "import { Chart } from 'cdk8s';",
      "import { containerArgs, findObject, flagValues, runRuleTests, RuleTestResult, SynthesizedObject, synthObjects } from 'cdk8s-prometheus-thanos/testing';",
      'export const run: (groups: []) => RuleTestResult = groups => runRuleTests(groups);',
      "export const peers = (chart: Chart): string[] => flagValues(containerArgs(findObject(synthObjects(chart), 'StatefulSet', 'alertmanager'), 'alertmanager'), '--cluster.peer');",
      "export const kind = (o: SynthesizedObject): string => o.kind;",
    ].join('\n'));
    const program = ts.createProgram([file], {
      strict: true, noEmit: true, skipLibCheck: true, types: [],
      target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10,
    });
    expect(ts.getPreEmitDiagnostics(program).map(d => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
  });

  test('shares one copy of each peer dependency with the app', () => {
    // GIVEN the scratch app's node_modules tree
    const packages = installedPackages(app);
    // WHEN counting copies of the peers
    // THEN each is installed once, at the top, in the version asked for
    for (const peer of PEERS) {
      expect(packages.filter(p => p.name === peer).map(p => p.path)).toEqual([join('node_modules', peer)]);
      expect(JSON.parse(readFileSync(join(app, 'node_modules', peer, 'package.json'), 'utf8')).version).toBe(installedVersion(peer));
    }
    expect(existsSync(join(app, 'node_modules', 'cdk8s-prometheus-thanos', 'node_modules', 'cdk8s'))).toBe(false);
    expect(existsSync(join(app, 'node_modules', 'cdk8s-prometheus-thanos', 'node_modules', 'constructs'))).toBe(false);
  });

  test('type-checks for a TypeScript user through build/lib/index.d.ts', () => {
    // GIVEN a strict TypeScript app that uses the package, once correctly and once with a misspelt prop
    const good = join(app, 'good.ts');
    const bad = join(app, 'bad.ts');
    writeFileSync(good, [
      "import { App } from 'cdk8s';",
      "import { MonitoringChart, Prometheus } from 'cdk8s-prometheus-thanos';",
      "const chart = new MonitoringChart(new App(), 'monitoring', { namespace: 'monitoring', alertmanager: { replicas: 3 } });",
      'const p: Prometheus | undefined = chart.prometheus;',
      'export const replicas: number | undefined = p?.replicas;',
    ].join('\n'));
    writeFileSync(bad, [
      "import { App } from 'cdk8s';",
      "import { MonitoringChart } from 'cdk8s-prometheus-thanos';",
      "new MonitoringChart(new App(), 'monitoring', { namespace: 'monitoring', alertmanager: { replica: 3 } });",
    ].join('\n'));
    const options: ts.CompilerOptions = {
      strict: true, noEmit: true, skipLibCheck: true, types: [],
      target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10,
    };
    // WHEN type-checked together (one program, so declarations are parsed once)
    const program = ts.createProgram([good, bad], options);
    const errors = ts.getPreEmitDiagnostics(program).map(d => ({
      file: d.file ? relative(app, d.file.fileName) : undefined,
      message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    }));
    // THEN the package's types resolve from the tarball: the good file is clean, the misspelling is caught
    expect(program.getSourceFiles().map(f => relative(app, f.fileName))).toContain(join('node_modules', 'cdk8s-prometheus-thanos', 'build', 'lib', 'index.d.ts'));
    expect(errors.filter(e => e.file !== 'bad.ts')).toEqual([]);
    expect(errors).toEqual([{ file: 'bad.ts', message: expect.stringContaining("'replica' does not exist") }]);
  });
});
