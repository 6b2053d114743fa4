import { execFileSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { Construct } from 'constructs';
import * as ts from 'typescript';

// API.md, the API reference, is generated from the TSDoc (`npm run docs:api`,
// scripts/api-docs.mjs). These tests regenerate it once and check that the
// committed file is the generated one, and that the generated one documents the
// whole public API: every export, and every prop of the props and options types
// with its description and, when optional, its default.

const ROOT = resolve(__dirname, '..');
const STALE = 'API.md is stale: run npm run docs:api';

/** The entry points and the anchor prefix of their section in API.md. */
const ENTRY_POINTS = [
  { file: join(ROOT, 'lib', 'index.ts'), prefix: '' },
  { file: join(ROOT, 'lib', 'testing', 'index.ts'), prefix: 'testing.' },
];

/**
 * Props (`Interface.prop`, where the prop is declared) whose TSDoc has a `@default`
 * but no description yet. The list only shrinks: a new prop without a description
 * fails the test.
 */
const UNDESCRIBED = new Set([
  'AlertmanagerProps.image', 'AlertmanagerProps.resources', 'BlackboxProbeOptions.scrapeInterval',
  'NodeJobOptions.scrapeInterval', 'DingTalkBridgeOptions.sendResolved', 'DingTalkBridgeOptions.timeout',
  'MonitoringIngressProps.ingressClassName', 'Toggle.enabled', 'MonitoringChartProps.prometheus',
  'MonitoringChartProps.querier', 'MonitoringChartProps.alertmanager', 'MonitoringChartProps.pushgateway',
  'PrometheusConfigOptions.scrapeInterval', 'PrometheusConfigOptions.scrapeTimeout',
  'PrometheusConfigOptions.evaluationInterval', 'PrometheusPodOptions.resources', 'PrometheusProps.image',
  'ThanosSidecarOptions.image', 'PushgatewayProps.image', 'PushgatewayProps.persistence', 'PushgatewayProps.resources',
  'RunRuleTestsOptions.timeout', 'BucketComponentProps.image', 'BucketComponentProps.resources',
  'ThanosCompactorProps.retention', 'ThanosCompactorProps.resources', 'ThanosQuerierProps.replicas',
  'ThanosQuerierProps.image', 'ThanosQuerierProps.logLevel', 'ThanosQuerierProps.resources',
  'ThanosStoreGatewayProps.resources', 'S3StorageProps.region', 'S3StorageProps.bucketLookup', 'S3StorageProps.credentials',
  'GcsStorageProps.credentials', 'AzureStorageProps.credentials', 'AzureWorkloadIdentityOptions.authorityHost',
]);

interface Row { owner: string; cells: Record<string, string> }

/** What API.md shows: the anchors (with their `##` section) and the rows of its props tables. */
function parse(md: string): { anchors: Map<string, string>; rows: Map<string, Row>; links: string[] } {
  const anchors = new Map<string, string>();
  const rows = new Map<string, Row>();
  let section = '';
  let header: string[] = [];
  const cellsOf = (line: string) => line.split(/(?<!\\)\|/).slice(1, -1).map(c => c.trim());
  for (const line of md.split('\n')) {
    if (line.startsWith('## ')) section = line.slice(3);
    if (/^\| (Property|Enumeration Member) \|/.test(line)) header = cellsOf(line);
    const anchor = line.match(/^<a id="([^"]+)"><\/a>$/);
    if (anchor) anchors.set(anchor[1], section);
    const row = line.match(/^\| <a id="([^"]+)"><\/a> /);
    if (row) {
      const cells = cellsOf(line);
      anchors.set(row[1], section);
      rows.set(row[1], { owner: row[1].slice(0, row[1].lastIndexOf('.')), cells: Object.fromEntries(header.map((h, i) => [h, cells[i]])) });
    }
  }
  const links = [...md.matchAll(/\]\(#([^)]+)\)/g)].map(m => m[1]);
  return { anchors, rows, links };
}

/** The anchor of an export: its name, or its name and kind when a constant and a type share it. */
function exportAnchor(anchors: Map<string, string>, id: string): string | undefined {
  return anchors.has(id) ? id : [...anchors.keys()].find(a => a.startsWith(`${id}-`) && !a.slice(id.length + 1).includes('.'));
}

describe('API.md', () => {
  let committed = '';
  let generated = '';

  beforeAll(() => {
    // GIVEN API.md generated afresh from the sources (typedoc runs once for all the tests)
    const dir = mkdtempSync(join(tmpdir(), 'api-docs-'));
    try {
      execFileSync(process.execPath, [join(ROOT, 'scripts', 'api-docs.mjs'), join(dir, 'API.md')], {
        cwd: ROOT, encoding: 'utf8', stdio: 'pipe', timeout: 55_000,
      });
      generated = readFileSync(join(dir, 'API.md'), 'utf8');
    } catch (e: any) {
      throw new Error(`scripts/api-docs.mjs failed (exit ${e.status}):\n${e.stdout ?? ''}\n${e.stderr ?? ''}`, { cause: e });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    committed = existsSync(join(ROOT, 'API.md')) ? readFileSync(join(ROOT, 'API.md'), 'utf8') : '';
  }, 60_000);

  test('is the generated one', () => {
    // WHEN the committed API.md is compared with the generated one
    if (committed === generated) return;
    const lines = [committed.split('\n'), generated.split('\n')];
    const first = lines[1].findIndex((line, i) => line !== lines[0][i]);
    // THEN they are equal
    throw new Error(`${STALE}\nfirst difference, line ${first + 1}:\n- ${lines[0][first] ?? '(end of file)'}\n+ ${lines[1][first] ?? '(end of file)'}`);
  });

  test('is reproducible: no absolute path, no date', () => {
    expect(generated).not.toContain(ROOT);
    expect(generated).not.toMatch(/\b20\d\d-\d\d-\d\d\b/);
  });

  describe('documents the whole public API', () => {
    const program = ts.createProgram(ENTRY_POINTS.map(e => e.file), { types: [], skipLibCheck: true, noEmit: true });
    const checker = program.getTypeChecker();
    /** The exports of each entry point, aliases resolved. */
    const exportsOf = (file: string) => checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(file)!)!)
      .map(e => ({ name: e.name, symbol: e.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(e) : e }));
    const doc = () => parse(generated);

    test.each(ENTRY_POINTS.map(e => [e.file.slice(ROOT.length + 1), e] as const))('every export of %s has its entry', (_f, entry) => {
      // GIVEN the exports of the entry point (types included)
      const names = exportsOf(entry.file).map(e => e.name);
      expect(names.length).toBeGreaterThan(entry.prefix ? 3 : 100);
      // WHEN API.md is searched for their anchors
      const { anchors } = doc();
      const missing = names.filter(name => !exportAnchor(anchors, `${entry.prefix}${name}`));
      // THEN none is missing
      expect(missing).toEqual([]);
    });

    test('every runtime export has its entry, and constructs are under Constructs', () => {
      // GIVEN what lib/index.ts exports at run time
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const lib: Record<string, unknown> = require('../lib/index');
      const { anchors } = doc();
      // WHEN each is looked up
      const missing = Object.keys(lib).filter(name => !exportAnchor(anchors, name));
      const constructs = Object.entries(lib)
        .filter(([, value]) => typeof value === 'function' && value.prototype instanceof Construct)
        .map(([name]) => name);
      // THEN each has an entry, each construct in the Constructs section and only they are there
      expect(missing).toEqual([]);
      expect(constructs).toEqual(expect.arrayContaining(['Prometheus', 'ThanosQuerier', 'Alertmanager', 'MonitoringChart']));
      expect(constructs.filter(name => anchors.get(name) !== 'Constructs')).toEqual([]);
      expect([...anchors].filter(([a, s]) => s === 'Constructs' && !a.includes('.')).map(([a]) => a).sort())
        .toEqual([...constructs].sort());
    });

    test('every prop of every *Props and *Options interface has a row with its description and default', () => {
      // GIVEN the props of the exported props and options interfaces, inherited ones included
      const props = ENTRY_POINTS.flatMap(entry => exportsOf(entry.file)
        .filter(e => e.symbol.flags & ts.SymbolFlags.Interface && /(Props|Options)$/.test(e.name))
        .flatMap(e => checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(e.symbol)).map(p => {
          const declaration = p.declarations?.[0];
          const owner = declaration && ts.isInterfaceDeclaration(declaration.parent) ? declaration.parent.name.text : e.name;
          return { id: `${entry.prefix}${e.name}.${p.name}`, declared: `${owner}.${p.name}`, optional: !!(p.flags & ts.SymbolFlags.Optional) };
        })));
      expect(props.length).toBeGreaterThan(300);
      const { anchors, rows } = doc();
      // A re-export (`cdk8s-prometheus-thanos/testing` re-exports PolicyOptions) has its table where it is defined.
      for (const p of props) {
        const [owner] = p.id.split('.').slice(-2);
        if (p.id.startsWith('testing.') && anchors.get(`testing.${owner}`) === 'Re-exports') p.id = p.id.slice('testing.'.length);
      }
      // WHEN each is looked up in its interface's table
      const missing = props.filter(p => !rows.has(p.id)).map(p => p.id);
      const undescribed = props
        .filter(p => rows.has(p.id) && [undefined, '-', ''].includes(rows.get(p.id)!.cells.Description) && !UNDESCRIBED.has(p.declared))
        .map(p => `${p.declared} (no description in its TSDoc)`);
      const noDefault = props
        .filter(p => p.optional && rows.has(p.id) && [undefined, '-', ''].includes(rows.get(p.id)!.cells['Default value']))
        .map(p => `${p.declared} (optional, no @default)`);
      // THEN each has a row, a description and, when optional, a default
      expect(missing).toEqual([]);
      expect([...UNDESCRIBED].filter(d => !props.some(p => p.declared === d))).toEqual([]);
      expect([...new Set([...undescribed, ...noDefault])]).toEqual([]);
    });

    test('has no @internal member', () => {
      // GIVEN the members tagged @internal of the exported classes and interfaces
      const internal = ENTRY_POINTS.flatMap(entry => exportsOf(entry.file)
        .filter(e => e.symbol.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Interface))
        .flatMap(e => checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(e.symbol))
          .filter(p => p.declarations?.some(d => ts.getJSDocTags(d).some(t => t.tagName.text === 'internal')))
          .map(p => `${entry.prefix}${e.name}.${p.name}`)));
      expect(internal.length).toBeGreaterThan(0);
      // WHEN API.md is searched for them
      const { anchors } = doc();
      // THEN none is there
      expect(internal.filter(id => anchors.has(id))).toEqual([]);
    });

    test('every link within the file has its anchor', () => {
      // GIVEN the links to anchors of API.md
      const { anchors, links } = doc();
      expect(links.length).toBeGreaterThan(100);
      // THEN each anchor exists
      expect([...new Set(links.filter(l => !anchors.has(l)))]).toEqual([]);
    });
  });
});
