import { readFileSync } from 'fs';
import { join } from 'path';
import { Duration, Size } from 'cdk8s';
import {
  Alertmanager, ContainerImage, DefaultImages, MonitoringChart, ObjectStorage, Prometheus, QueryFrontendCache, SecretFile, ThanosQuerier, ThanosQueryFrontend, ThanosRuler,
} from '../../lib';
import { givenChart, Manifest, synth, testApp } from '../support/synth';

// Every flag the Ruler and the Query Frontend render must exist in the Thanos
// release the default image runs: lib/images/flags/thanos.json, extracted from
// the upstream source at v0.42.4 (`rule` and `query-frontend`, plus the global
// flags), and the reloader's in prometheus-config-reloader.json.

interface FlagFile {
  versions: Record<string, Record<string, string[]>>;
  booleans: Record<string, Record<string, string[]>>;
}
const load = (name: string): FlagFile => JSON.parse(readFileSync(join(__dirname, '..', '..', 'lib', 'images', 'flags', `${name}.json`), 'utf8'));
const THANOS = load('thanos');
const RELOADER = load('prometheus-config-reloader');

/** The flags of `args` that `allowed` lacks; `--no-x` must be a boolean `x`, and a flag without `=` a boolean. */
function unknownFlags(args: string[], allowed: string[], booleans: string[]): string[] {
  return args.filter(a => a.startsWith('--')).flatMap(a => {
    const [name, value] = [a.slice(2).split('=')[0], a.includes('=') ? a.slice(a.indexOf('=') + 1) : undefined];
    if (name.startsWith('no-') && booleans.includes(name.slice(3)) && value === undefined) return [];
    if (!allowed.includes(name)) return [a];
    return value === undefined && !booleans.includes(name) ? [`${a} (not a boolean: needs a value)`] : [];
  });
}

function thanosContainers(manifests: Manifest[]): Array<{ where: string; image: string; args: string[] }> {
  return manifests.filter(m => m.spec?.template?.spec?.containers).flatMap(m => m.spec.template.spec.containers
    .map((c: any) => ({ where: `${m.kind}/${m.metadata.name}/${c.name}`, image: c.image, args: c.args ?? [] })));
}

/** Stacks covering every flag the two components can render. */
const STACKS: Array<[string, () => Manifest[]]> = [
  ['a Ruler with everything and a Query Frontend with each cache', () => {
    const { chart } = givenChart();
    const prometheus = new Prometheus(chart, 'prometheus');
    const querier = new ThanosQuerier(chart, 'querier', { stores: [prometheus], routePrefix: '/thanos' });
    new ThanosRuler(chart, 'ruler', {
      queriers: [querier], alertmanagers: [new Alertmanager(chart, 'alertmanager')], objectStorage: ObjectStorage.fromSecret('objstore'),
      ruleGroups: [{ name: 'g', rules: [{ record: 'x:up:sum', expr: 'sum(up)' }] }], externalLabels: { cluster: 'eu' },
      evaluationInterval: Duration.seconds(30), retention: Duration.days(3), alertQueryUrl: 'https://thanos.example.com', logLevel: 'debug',
    });
    new ThanosQueryFrontend(chart, 'frontend', { querier, logQueriesLongerThan: Duration.seconds(5), splitInterval: Duration.hours(6) });
    new ThanosQueryFrontend(chart, 'memcached', { querier, cache: QueryFrontendCache.memcached({ addresses: ['memcached.cache.svc:11211'], maxItemSize: Size.mebibytes(2) }) });
    new ThanosQueryFrontend(chart, 'redis', { querier, cache: QueryFrontendCache.redis({ address: 'redis.cache.svc:6379', passwordFile: SecretFile.fromSecret('redis', 'pw') }) });
    return synth(chart);
  }],
  ['a MonitoringChart with both', () => synth(new MonitoringChart(testApp(), 'mon', {
    namespace: 'monitoring', ruler: { ruleGroups: [{ name: 'g', rules: [{ alert: 'A', expr: 'up == 0' }] }] }, queryFrontend: {},
  }))],
];

describe('every flag of the Ruler and the Query Frontend exists in the default images', () => {
  test('the flag data has v0.42.4 `rule` and `query-frontend`, and the default image is v0.42.4', () => {
    expect(DefaultImages.THANOS.reference).toBe('quay.io/thanos/thanos:v0.42.4');
    expect(THANOS.versions['v0.42.4'].rule.length).toBeGreaterThan(50);
    expect(THANOS.versions['v0.42.4']['query-frontend'].length).toBeGreaterThan(30);
  });

  test.each(STACKS)('%s', (_name, build) => {
    // GIVEN the containers of the stack
    const containers = thanosContainers(build());
    const rule = containers.filter(c => c.args[0] === 'rule');
    const frontend = containers.filter(c => c.args[0] === 'query-frontend');
    const reloaders = containers.filter(c => c.where === 'StatefulSet/ruler/config-reloader');
    expect(reloaders).toHaveLength(1);
    expect(rule.length).toBeGreaterThan(0);
    expect(frontend.length).toBeGreaterThan(0);
    // WHEN each flag is looked up in the release its image runs
    const v = THANOS.versions['v0.42.4'];
    const b = THANOS.booleans['v0.42.4'];
    const missing = [
      ...rule.flatMap(c => unknownFlags(c.args.slice(1), [...v.global, ...v.rule], [...b.global, ...b.rule]).map(f => `${c.where}: ${f}`)),
      ...frontend.flatMap(c => unknownFlags(c.args.slice(1), [...v.global, ...v['query-frontend']], [...b.global, ...b['query-frontend']]).map(f => `${c.where}: ${f}`)),
      ...reloaders.flatMap(c => unknownFlags(c.args, RELOADER.versions['v0.93.0'].flags, RELOADER.booleans['v0.93.0'].flags).map(f => `${c.where}: ${f}`)),
    ];
    // THEN every one is there
    for (const c of [...rule, ...frontend]) expect(c.image).toBe(DefaultImages.THANOS.reference);
    expect(missing).toEqual([]);
  });

  test.each(Object.keys(THANOS.versions))('every release of the flag data, %s, takes what they render (checked at synth)', version => {
    // GIVEN a Ruler with everything and a Query Frontend on that release
    const { chart } = givenChart();
    const image = ContainerImage.of('quay.io/thanos/thanos', version);
    const querier = new ThanosQuerier(chart, 'querier', { stores: [new Prometheus(chart, 'prometheus')], image });
    new ThanosRuler(chart, 'ruler', {
      queriers: [querier], alertmanagers: [new Alertmanager(chart, 'alertmanager')], objectStorage: ObjectStorage.fromSecret('objstore'),
      ruleGroups: [{ name: 'g', rules: [{ record: 'x:up:sum', expr: 'sum(up)' }] }], image,
    });
    new ThanosQueryFrontend(chart, 'frontend', { querier, logQueriesLongerThan: Duration.seconds(5), image });
    // WHEN synthesized (each flag is checked against the release's list) THEN nothing is refused
    const containers = thanosContainers(synth(chart)).filter(c => ['rule', 'query-frontend'].includes(c.args[0]));
    expect(containers.map(c => c.image)).toEqual([`quay.io/thanos/thanos:${version}`, `quay.io/thanos/thanos:${version}`]);
    const v = THANOS.versions[version];
    for (const c of containers) expect(unknownFlags(c.args.slice(1), [...v.global, ...v[c.args[0]]], [...THANOS.booleans[version].global, ...THANOS.booleans[version][c.args[0]]])).toEqual([]);
  });

  test('a release that lacks a rendered flag fails synth, naming the image', () => {
    // GIVEN a custom build that says it runs a release older than the oldest supported
    const { chart } = givenChart();
    const querier = new ThanosQuerier(chart, 'querier', { stores: [new Prometheus(chart, 'prometheus')] });
    // WHEN / THEN
    expect(() => new ThanosQueryFrontend(chart, 'frontend', { querier, image: ContainerImage.of('registry.example.com/thanos', 'main-1234', { version: 'v0.30.0' }) }))
      .toThrow("test/frontend: invalid 'image': Thanos v0.30.0 is older than the oldest supported v0.31.0");
  });

  test('the check finds a flag of another subcommand (query-frontend has no --grpc-address)', () => {
    const v = THANOS.versions['v0.42.4'];
    expect(unknownFlags(['--grpc-address=0.0.0.0:10901'], [...v.global, ...v['query-frontend']], [])).toEqual(['--grpc-address=0.0.0.0:10901']);
    expect(unknownFlags(['--grpc-address=0.0.0.0:10901'], [...v.global, ...v.rule], [])).toEqual([]);
  });
});
