import { readFileSync } from 'fs';
import { join } from 'path';
import { Testing } from 'cdk8s';
import { EXAMPLES } from '../../examples';
import { DefaultImages } from '../../lib/images/default-images';
import { Manifest, testApp } from '../support/synth';

// lib/images/flags/*.json: the flags each supported release of each binary
// accepts, extracted from upstream source by scripts/flags/generate.mjs (see
// lib/images/flags/README.md). These tests check the data, then that every
// flag the examples render for the default images exists in the release the
// image runs.

type FlagList = string[] | null;
interface FlagFile {
  binary: string;
  image: string;
  source: {
    repo: string;
    entry: string;
    files: string[];
    tags: Record<string, { tag: string; commit: string; files: string[]; requested?: string }>;
  };
  versions: Record<string, Record<string, FlagList>>;
  booleans: Record<string, Record<string, string[]>>;
}

const DIR = join(__dirname, '..', '..', 'lib', 'images', 'flags');
const load = (name: string): FlagFile => JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8'));

const THANOS = load('thanos');
const PROMETHEUS = load('prometheus');
const ALERTMANAGER = load('alertmanager');
const PUSHGATEWAY = load('pushgateway');
const RELOADER = load('prometheus-config-reloader');

const THANOS_COMMANDS = ['global', 'sidecar', 'query', 'store', 'compact', 'rule', 'query-frontend'];

/** Expected versions and the keys each version must have. */
const EXPECTED: Array<[FlagFile, string[], string[]]> = [
  [THANOS, ['v0.31.0', 'v0.32.0', 'v0.37.0', 'v0.38.0', 'v0.42.4'], THANOS_COMMANDS],
  [PROMETHEUS, ['v2.53.0', 'v3.0.0', 'v3.5.0', 'v3.5.5', 'v3.14.0'], ['flags', 'features', 'featuresNoop']],
  [ALERTMANAGER, ['v0.27.0', 'v0.28.0', 'v0.30.0', 'v0.34.0'], ['flags', 'features']],
  [PUSHGATEWAY, ['v1.9.0', 'v1.11.3'], ['flags']],
  [RELOADER, ['v0.75.0', 'v0.93.0'], ['flags']],
];

/** The image repository each data file describes, and how to find a container's flag list in it. */
const BY_REPOSITORY: Record<string, FlagFile> = Object.fromEntries([THANOS, PROMETHEUS, ALERTMANAGER, PUSHGATEWAY, RELOADER].map(f => [f.image, f]));

function flags(file: FlagFile, version: string, key: string): string[] {
  const v = file.versions[version];
  if (!v) throw new Error(`${file.binary}.json has no version ${version}`);
  const list = v[key];
  if (!list) throw new Error(`${file.binary}.json ${version} has no '${key}'`);
  return list;
}

describe('flag data (lib/images/flags)', () => {
  describe.each(EXPECTED)('%#: versions and keys', (file, versions, keys) => {
    test(`${file.binary}: has exactly the expected versions, each with its keys`, () => {
      expect(Object.keys(file.versions)).toEqual(versions);
      for (const v of versions) {
        expect(Object.keys(file.versions[v]).sort()).toEqual([...keys].sort());
        expect(Object.keys(file.booleans[v]).sort()).toEqual(keys.filter(k => !k.startsWith('features')).sort());
      }
    });

    test(`${file.binary}: lists are sorted, deduplicated flag names without leading dashes; booleans are flags`, () => {
      for (const [v, entry] of Object.entries(file.versions)) {
        for (const [key, list] of Object.entries(entry)) {
          expect(list).not.toBeNull();
          const names = list as string[];
          if (key !== 'featuresNoop') expect(names.length).toBeGreaterThan(0);
          expect([...new Set(names)].sort()).toEqual(names);
          for (const n of names) expect(n).toMatch(/^[a-z0-9][A-Za-z0-9._-]*$/);
          if (!key.startsWith('features')) {
            for (const b of file.booleans[v][key]) expect(names).toContain(b);
          }
        }
      }
    });

    test(`${file.binary}: every version records the tag, commit and files it was read from`, () => {
      expect(file.source.repo).toMatch(/^github\.com\/[^/]+\/[^/]+$/);
      for (const v of versions) {
        const t = file.source.tags[v];
        expect(t.commit).toMatch(/^[0-9a-f]{40}$/);
        expect(t.tag).toBe(t.requested ? t.tag : v);
        expect(t.files.length).toBeGreaterThan(0);
      }
    });
  });

  test('every default image tag has flag data', () => {
    const defaults = [DefaultImages.THANOS, DefaultImages.PROMETHEUS, DefaultImages.ALERTMANAGER, DefaultImages.PUSHGATEWAY, DefaultImages.CONFIG_RELOADER];
    for (const image of defaults) {
      const file = BY_REPOSITORY[image.repository];
      expect(file).toBeDefined();
      expect(Object.keys(file.versions)).toContain(image.tag);
    }
  });

  describe('Thanos', () => {
    test('global flags: logging and the tracing path-or-content pair, in every version', () => {
      for (const v of Object.keys(THANOS.versions)) {
        expect(flags(THANOS, v, 'global')).toEqual(expect.arrayContaining(['log.level', 'log.format', 'tracing.config', 'tracing.config-file']));
      }
    });

    test('query: --store and --endpoint until v0.37, --endpoint.sd-config[-file] from v0.38 (and no --store)', () => {
      for (const v of ['v0.31.0', 'v0.32.0', 'v0.37.0']) {
        const q = flags(THANOS, v, 'query');
        expect(q).toEqual(expect.arrayContaining(['store', 'store-strict', 'endpoint', 'endpoint-strict', 'endpoint-group']));
        expect(q).not.toContain('endpoint.sd-config');
        expect(q).not.toContain('endpoint.sd-config-file');
      }
      for (const v of ['v0.38.0', 'v0.42.4']) {
        const q = flags(THANOS, v, 'query');
        expect(q).toEqual(expect.arrayContaining(['endpoint.sd-config', 'endpoint.sd-config-file', 'endpoint.sd-config-reload-interval', 'endpoint']));
        expect(q).not.toContain('store');
        expect(q).not.toContain('store-strict');
      }
    });

    test('helpers resolved: objstore path-or-content, gRPC/HTTP server flags, store limits', () => {
      for (const v of Object.keys(THANOS.versions)) {
        for (const cmd of ['sidecar', 'store', 'compact', 'rule']) {
          expect(flags(THANOS, v, cmd)).toEqual(expect.arrayContaining(['objstore.config', 'objstore.config-file', 'http-address', 'http.config']));
        }
        for (const cmd of ['sidecar', 'store', 'query', 'rule']) {
          expect(flags(THANOS, v, cmd)).toEqual(expect.arrayContaining(['grpc-address', 'grpc-grace-period', 'grpc-server-tls-cert', 'grpc-server-tls-key', 'grpc-server-tls-client-ca']));
        }
        expect(flags(THANOS, v, 'sidecar')).toEqual(expect.arrayContaining(['store.limits.request-series', 'prometheus.url', 'tsdb.path', 'reloader.config-file']));
        expect(flags(THANOS, v, 'query-frontend')).toEqual(expect.arrayContaining(['query-frontend.downstream-url', 'query-range.response-cache-config-file']));
        expect(flags(THANOS, v, 'query-frontend')).not.toContain('grpc-address');
      }
      expect(flags(THANOS, 'v0.31.0', 'query')).not.toContain('grpc-server-tls-min-version');
      expect(flags(THANOS, 'v0.42.4', 'query')).toContain('grpc-server-tls-min-version');
    });

    test('booleans: kingpin also takes --no-<flag>', () => {
      expect(THANOS.booleans['v0.42.4'].query).toContain('query.auto-downsampling');
      expect(THANOS.booleans['v0.42.4'].compact).toContain('wait');
      expect(THANOS.booleans['v0.42.4'].query).not.toContain('query.timeout');
    });
  });

  describe('Prometheus', () => {
    test('--storage.tsdb.retention.time everywhere; the old --storage.tsdb.retention only in 2.x', () => {
      for (const v of Object.keys(PROMETHEUS.versions)) expect(flags(PROMETHEUS, v, 'flags')).toContain('storage.tsdb.retention.time');
      expect(flags(PROMETHEUS, 'v2.53.0', 'flags')).toContain('storage.tsdb.retention');
      expect(flags(PROMETHEUS, 'v3.0.0', 'flags')).not.toContain('storage.tsdb.retention');
    });

    test('flags from prometheus/common and exporter-toolkit-free web config are present', () => {
      for (const v of Object.keys(PROMETHEUS.versions)) {
        expect(flags(PROMETHEUS, v, 'flags')).toEqual(expect.arrayContaining(['log.level', 'log.format', 'web.config.file', 'web.listen-address', 'enable-feature', 'storage.tsdb.path', 'storage.agent.path']));
      }
    });

    test('--enable-feature names per version', () => {
      expect(flags(PROMETHEUS, 'v2.53.0', 'features')).toEqual(expect.arrayContaining(['agent', 'native-histograms', 'exemplar-storage', 'promql-at-modifier']));
      expect(flags(PROMETHEUS, 'v2.53.0', 'featuresNoop')).toEqual(['promql-at-modifier', 'promql-negative-offset']);
      expect(flags(PROMETHEUS, 'v3.0.0', 'features')).not.toContain('agent');
      expect(flags(PROMETHEUS, 'v3.0.0', 'flags')).toContain('agent');
      expect(flags(PROMETHEUS, 'v3.5.5', 'features')).toEqual(expect.arrayContaining(['native-histograms', 'promql-duration-expr', 'use-uncached-io']));
      for (const v of Object.keys(PROMETHEUS.versions)) {
        for (const noop of flags(PROMETHEUS, v, 'featuresNoop')) expect(flags(PROMETHEUS, v, 'features')).toContain(noop);
      }
    });
  });

  describe('Alertmanager', () => {
    test('--cluster.peer-name only from v0.30.0 (checked in cmd/alertmanager/main.go)', () => {
      expect(flags(ALERTMANAGER, 'v0.27.0', 'flags')).not.toContain('cluster.peer-name');
      expect(flags(ALERTMANAGER, 'v0.28.0', 'flags')).not.toContain('cluster.peer-name');
      expect(flags(ALERTMANAGER, 'v0.30.0', 'flags')).toContain('cluster.peer-name');
      expect(flags(ALERTMANAGER, 'v0.34.0', 'flags')).toContain('cluster.peer-name');
    });

    test('cluster and web flags (exporter-toolkit) in every version', () => {
      for (const v of Object.keys(ALERTMANAGER.versions)) {
        expect(flags(ALERTMANAGER, v, 'flags')).toEqual(expect.arrayContaining(['cluster.listen-address', 'cluster.advertise-address', 'cluster.peer', 'cluster.reconnect-timeout', 'web.listen-address', 'web.config.file', 'log.level']));
      }
    });
  });

  test('Pushgateway: --push.enable-utf8-names is newer than v1.9.0', () => {
    expect(flags(PUSHGATEWAY, 'v1.9.0', 'flags')).not.toContain('push.enable-utf8-names');
    expect(flags(PUSHGATEWAY, 'v1.11.3', 'flags')).toContain('push.enable-utf8-names');
    expect(flags(PUSHGATEWAY, 'v1.9.0', 'flags')).toEqual(expect.arrayContaining(['web.listen-address', 'persistence.file', 'persistence.interval']));
  });

  test('prometheus-config-reloader: the watch flags', () => {
    for (const v of Object.keys(RELOADER.versions)) {
      expect(flags(RELOADER, v, 'flags')).toEqual(expect.arrayContaining(['config-file', 'config-envsubst-file', 'watched-dir', 'reload-url', 'listen-address', 'web-config-file']));
    }
  });
});

// ---- what the examples render ----

interface RenderedContainer {
  example: string;
  workload: string;
  container: string;
  image: string;
  args: string[];
}

interface PodSpecLike { initContainers?: ContainerLike[]; containers?: ContainerLike[] }
interface ContainerLike { name: string; image: string; command?: string[]; args?: string[] }

function podSpec(m: Manifest): PodSpecLike | undefined {
  if (m.kind === 'Pod') return m.spec;
  if (m.kind === 'CronJob') return m.spec?.jobTemplate?.spec?.template?.spec;
  return m.spec?.template?.spec;
}

function renderedContainers(): RenderedContainer[] {
  const out: RenderedContainer[] = [];
  for (const [name, build] of Object.entries(EXAMPLES)) {
    const manifests = Testing.synth(build(testApp())) as Manifest[];
    for (const m of manifests) {
      const spec = podSpec(m);
      if (!spec) continue;
      for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
        out.push({ example: name, workload: `${m.kind}/${m.metadata.name}`, container: c.name, image: c.image, args: [...(c.command ?? []), ...(c.args ?? [])] });
      }
    }
  }
  return out;
}

/** repository and tag of an image reference (digest dropped). */
function splitImage(ref: string): { repository: string; tag: string } {
  const [nameAndTag] = ref.split('@');
  const colon = nameAndTag.lastIndexOf(':');
  return { repository: nameAndTag.slice(0, colon), tag: nameAndTag.slice(colon + 1) };
}

/** The flags a container's args use, and the list (and booleans) they must be in. */
function check(c: RenderedContainer, file: FlagFile): string[] {
  const { tag } = splitImage(c.image);
  const version = file.versions[tag];
  if (!version) return [`${c.example} ${c.workload}/${c.container}: ${c.image}: no flag data for ${tag} in ${file.binary}.json`];
  let args = c.args;
  let allowed: string[];
  let booleans: string[];
  if (file === THANOS) {
    const sub = args[0];
    if (!sub || sub.startsWith('-') || !(sub in version) || sub === 'global') {
      return [`${c.example} ${c.workload}/${c.container}: Thanos args[0] '${sub}' is not a subcommand with flag data`];
    }
    args = args.slice(1);
    allowed = [...(version.global ?? []), ...(version[sub] ?? [])];
    booleans = [...(file.booleans[tag].global ?? []), ...(file.booleans[tag][sub] ?? [])];
  } else {
    allowed = version.flags ?? [];
    booleans = file.booleans[tag].flags ?? [];
  }
  const problems: string[] = [];
  for (const arg of args) {
    if (!arg.startsWith('--')) {
      problems.push(`${c.example} ${c.workload}/${c.container} (${c.image}): '${arg}' is not a --flag`);
      continue;
    }
    const name = arg.slice(2).split('=')[0];
    const ok = allowed.includes(name) || (name.startsWith('no-') && booleans.includes(name.slice(3)));
    if (!ok) problems.push(`${c.example} ${c.workload}/${c.container} (${c.image}): --${name} is not a flag of ${file.binary}${file === THANOS ? ` ${c.args[0]}` : ''} ${tag}`);
  }
  return problems;
}

describe('flags the examples render', () => {
  const containers = renderedContainers();
  const known = containers.filter(c => splitImage(c.image).repository in BY_REPOSITORY);

  test('the examples run every binary the data covers', () => {
    const repositories = new Set(known.map(c => splitImage(c.image).repository));
    expect([...repositories].sort()).toEqual(Object.keys(BY_REPOSITORY).sort());
    // Thanos: the subcommands the library renders today.
    const subs = new Set(known.filter(c => splitImage(c.image).repository === THANOS.image).map(c => c.args[0]));
    expect([...subs].sort()).toEqual(expect.arrayContaining(['compact', 'query', 'sidecar', 'store']));
  });

  test('every container of a covered image renders only flags its release defines', () => {
    for (const image of Object.keys(BY_REPOSITORY)) {
      const flagArgs = known.filter(c => splitImage(c.image).repository === image).flatMap(c => c.args.filter(a => a.startsWith('--')));
      expect(flagArgs.length).toBeGreaterThan(0);
    }
    const problems = known.flatMap(c => check(c, BY_REPOSITORY[splitImage(c.image).repository]));
    expect(problems).toEqual([]);
  });

  test('the check itself: a removed flag, an unknown tag and a non-flag are reported; --no-<boolean> passes', () => {
    const query = (image: string, ...args: string[]): RenderedContainer => ({ example: 'x', workload: 'Deployment/q', container: 'query', image, args: ['query', ...args] });
    expect(check(query('quay.io/thanos/thanos:v0.42.4', '--store=a:10901', '--no-query.auto-downsampling', '--log.level=info', 'stray'), THANOS)).toEqual([
      "x Deployment/q/query (quay.io/thanos/thanos:v0.42.4): --store is not a flag of thanos query v0.42.4",
      "x Deployment/q/query (quay.io/thanos/thanos:v0.42.4): 'stray' is not a --flag",
    ]);
    expect(check(query('quay.io/thanos/thanos:v0.37.0', '--store=a:10901'), THANOS)).toEqual([]);
    expect(check(query('quay.io/thanos/thanos:v0.99.0', '--store=a:10901'), THANOS)).toEqual(['x Deployment/q/query: quay.io/thanos/thanos:v0.99.0: no flag data for v0.99.0 in thanos.json']);
    const am = (tag: string): RenderedContainer => ({ example: 'x', workload: 'StatefulSet/am', container: 'alertmanager', image: `quay.io/prometheus/alertmanager:${tag}`, args: ['--cluster.peer-name=$(POD_NAME)'] });
    expect(check(am('v0.28.0'), ALERTMANAGER)).toEqual(['x StatefulSet/am/alertmanager (quay.io/prometheus/alertmanager:v0.28.0): --cluster.peer-name is not a flag of alertmanager v0.28.0']);
    expect(check(am('v0.34.0'), ALERTMANAGER)).toEqual([]);
  });

  test('Prometheus --enable-feature values, if any, are features of the release', () => {
    const problems: string[] = [];
    for (const c of known.filter(x => splitImage(x.image).repository === PROMETHEUS.image)) {
      const { tag } = splitImage(c.image);
      for (const arg of c.args.filter(a => a.startsWith('--enable-feature='))) {
        for (const f of arg.slice('--enable-feature='.length).split(',')) {
          if (!flags(PROMETHEUS, tag, 'features').includes(f)) problems.push(`${c.example} ${c.workload}: feature '${f}' unknown to Prometheus ${tag}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test('Alertmanager --enable-feature values, if any, are features of the release (unknown ones are fatal)', () => {
    const problems: string[] = [];
    for (const c of known.filter(x => splitImage(x.image).repository === ALERTMANAGER.image)) {
      const { tag } = splitImage(c.image);
      for (const arg of c.args.filter(a => a.startsWith('--enable-feature='))) {
        for (const f of arg.slice('--enable-feature='.length).split(',')) {
          if (!flags(ALERTMANAGER, tag, 'features').includes(f)) problems.push(`${c.example} ${c.workload}: feature '${f}' unknown to Alertmanager ${tag}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
