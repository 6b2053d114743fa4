import { readFileSync } from 'fs';
import { join } from 'path';
import { Chart, Testing } from 'cdk8s';
import {
  Alertmanager, AlertmanagerConfig, ContainerImage, DefaultImages, InvalidValueError, ObjectStorage, Prometheus, Pushgateway, SecretFile,
  ThanosCompactor, ThanosQuerier, ThanosStoreGateway,
} from '../../lib';
import { ALERTMANAGER_LATE_FIELDS } from '../../lib/images/versions/alertmanager-config';
import { FLAG_DATA } from '../../lib/images/versions/flag-data';
import { argProblems, BINARIES, SINCE } from '../../lib/images/versions/support';
import { Version } from '../../lib/images/versions/version';
import { container, find, givenChart, Manifest, synth, testApp } from '../support/synth';

// The version model: each component runs the release of its image (the tag,
// or ContainerImage's `version`), refuses one older than it supports, renders
// each flag in the form of that release, and checks every flag it renders
// against lib/images/flags/*.json. The boundary tests below render a whole
// stack at every release where something changes and check each rendered
// flag against the data with a checker of their own.

const REPO = {
  thanos: 'quay.io/thanos/thanos',
  prometheus: 'quay.io/prometheus/prometheus',
  alertmanager: 'quay.io/prometheus/alertmanager',
  pushgateway: 'quay.io/prometheus/pushgateway',
  reloader: 'quay.io/prometheus-operator/prometheus-config-reloader',
};
const v = (text: string) => Version.of(text);

describe('Version', () => {
  test.each([
    ['v0.42.4', 'v0.42.4'], ['3.5.5', 'v3.5.5'], ['v2.53', 'v2.53.0'], ['v3.5.5-distroless', 'v3.5.5'],
    ['0.42.4-debian-12-r3', 'v0.42.4'], ['v3.0.0-rc.0', 'v3.0.0'], ['v1.11.3+build.7', 'v1.11.3'],
  ])('parses %s as %s', (text, expected) => {
    expect(Version.parse(text)?.toString()).toBe(expected);
  });

  test.each(['latest', 'main', 'main-2024-06-01', '20240601', 'v3', 'sha256', 'v3.5.5.1', 'release-0.42'])('%s is not a version', text => {
    expect(Version.parse(text)).toBeUndefined();
  });

  test('compares by major, minor, then patch', () => {
    expect(v('v0.38.0').atLeast(v('v0.37.9'))).toBe(true);
    expect(v('v2.55.1').olderThan(v('v3.0.0'))).toBe(true);
    expect(v('v0.9.0').olderThan(v('v0.10.0'))).toBe(true);
    expect(v('3.5.5').compare(v('v3.5.5'))).toBe(0);
  });
});

describe('ContainerImage: the release it runs', () => {
  test('comes from the tag when it is a version, else from the version option, else is unknown', () => {
    expect(ContainerImage.of(REPO.thanos, 'v0.42.4').version).toBe('v0.42.4');
    expect(ContainerImage.of('docker.io/bitnami/thanos', '0.42.4-debian-12-r3').version).toBe('0.42.4-debian-12-r3');
    expect(ContainerImage.of('registry.example.com/thanos', 'fix-1234', { version: 'v0.37.0' }).version).toBe('v0.37.0');
    expect(ContainerImage.of('registry.example.com/thanos', 'v0.42.4', { version: 'v0.42.5' }).version).toBe('v0.42.5');
    expect(ContainerImage.of('registry.example.com/thanos', 'fix-1234').version).toBeUndefined();
  });

  test('the digest stays positional, or goes in the options; withDigest keeps the version', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(ContainerImage.of(REPO.thanos, 'v0.42.4', digest).reference).toBe(`${REPO.thanos}:v0.42.4@${digest}`);
    const custom = ContainerImage.of('registry.example.com/thanos', 'fix-1234', { digest, version: 'v0.37.0' });
    expect(custom.reference).toBe(`registry.example.com/thanos:fix-1234@${digest}`);
    expect(custom.digest).toBe(digest);
    expect(ContainerImage.of('registry.example.com/thanos', 'fix-1234', { version: 'v0.37.0' }).withDigest(digest).version).toBe('v0.37.0');
    expect(ContainerImage.fromReference(`registry.example.com/thanos:fix-1234@${digest}`, { version: 'v0.37.0' }).version).toBe('v0.37.0');
  });

  test('a version option that is not a version is refused by the factory', () => {
    expect(() => ContainerImage.of(REPO.thanos, 'custom', { version: 'newest' })).toThrow(InvalidValueError);
    expect(() => ContainerImage.of(REPO.thanos, 'custom', { version: 'newest' })).toThrow("ContainerImage.of: invalid 'version': 'newest'");
  });
});

describe('flag data lookup: which listed releases a release is checked against', () => {
  const refs = (binary: keyof typeof FLAG_DATA, version: string) => FLAG_DATA[binary].references(v(version)).map(String);

  test.each([
    ['thanos', 'v0.37.0', ['v0.37.0']],
    ['thanos', 'v0.35.1', ['v0.32.0', 'v0.37.0']],
    ['thanos', 'v0.40.0', ['v0.38.0', 'v0.42.4']],
    ['thanos', 'v0.43.0', ['v0.42.4']],
    ['prometheus', 'v3.5.5', ['v3.5.5']],
    ['prometheus', 'v3.5.3', ['v3.5.0', 'v3.5.5']],
    ['prometheus', 'v3.11.0', ['v3.5.5', 'v3.14.0']],
    // 3.0 removed flags by design: a 2.55 is checked against the 2.x release only.
    ['prometheus', 'v2.55.1', ['v2.53.0']],
    ['alertmanager', 'v0.29.0', ['v0.28.0', 'v0.30.0']],
    ['pushgateway', 'v1.10.0', ['v1.9.0', 'v1.11.3']],
    ['configReloader', 'v0.80.0', ['v0.75.0', 'v0.93.0']],
  ] as Array<[keyof typeof FLAG_DATA, string, string[]]>)('%s %s: %j', (binary, version, expected) => {
    expect(refs(binary, version)).toEqual(expected);
  });

  test('the oldest supported release of every binary has a list of its own, and every default image a list', () => {
    for (const b of Object.values(BINARIES)) expect(b.flags.references(b.oldest)).toEqual([b.oldest]);
    const defaults: Array<[ContainerImage, keyof typeof BINARIES]> = [
      [DefaultImages.THANOS, 'thanos'], [DefaultImages.PROMETHEUS, 'prometheus'], [DefaultImages.ALERTMANAGER, 'alertmanager'],
      [DefaultImages.PUSHGATEWAY, 'pushgateway'], [DefaultImages.CONFIG_RELOADER, 'configReloader'],
    ];
    for (const [image, binary] of defaults) {
      const version = v(image.version!);
      expect(BINARIES[binary].flags.references(version)).toEqual([version]);
      expect(version.atLeast(BINARIES[binary].oldest)).toBe(true);
    }
  });
});

describe('where the rendered flags change, the data agrees', () => {
  const has = (binary: keyof typeof BINARIES, version: string, args: string[]) => argProblems(BINARIES[binary], v(version), args).length === 0;

  test('thanos query: --endpoint.sd-config-file from v0.38.0; --endpoint before and after', () => {
    expect(SINCE.thanosEndpointSdConfig.toString()).toBe('v0.38.0');
    expect(has('thanos', 'v0.37.0', ['query', '--endpoint.sd-config-file=/x'])).toBe(false);
    expect(has('thanos', 'v0.38.0', ['query', '--endpoint.sd-config-file=/x'])).toBe(true);
    for (const release of ['v0.31.0', 'v0.32.0', 'v0.37.0', 'v0.38.0', 'v0.42.4']) {
      expect(has('thanos', release, ['query', '--endpoint=dnssrv+_grpc._tcp.p.monitoring.svc', '--store.sd-dns-interval=30s'])).toBe(true);
    }
    expect(has('thanos', 'v0.38.0', ['query', '--store=x:1'])).toBe(false);
  });

  test('alertmanager --cluster.peer-name from v0.30.0', () => {
    expect(SINCE.alertmanagerPeerName.toString()).toBe('v0.30.0');
    expect(has('alertmanager', 'v0.28.0', ['--cluster.peer-name=a'])).toBe(false);
    expect(has('alertmanager', 'v0.30.0', ['--cluster.peer-name=a'])).toBe(true);
  });

  test('prometheus: expand-external-labels is a feature of 2.x and gone in 3.0, where labels are always expanded', () => {
    expect(SINCE.prometheusExpandsExternalLabels.toString()).toBe('v3.0.0');
    expect(has('prometheus', 'v2.53.0', ['--enable-feature=expand-external-labels'])).toBe(true);
    expect(has('prometheus', 'v2.55.1', ['--enable-feature=expand-external-labels'])).toBe(true);
    expect(has('prometheus', 'v3.0.0', ['--enable-feature=expand-external-labels'])).toBe(false);
  });
});

describe('argProblems: the check every component runs at synth', () => {
  test('names each flag a release does not take; --no-<boolean> passes; the subcommand picks the list', () => {
    expect(argProblems(BINARIES.thanos, v('v0.31.0'), ['query', '--endpoint.sd-config-file=/e.yaml', '--no-query.auto-downsampling', '--log.level=info', 'stray'])).toEqual([
      'Thanos query v0.31.0 does not take --endpoint.sd-config-file (lib/images/flags/thanos.json)',
      "'stray' is not a --flag",
    ]);
    expect(argProblems(BINARIES.thanos, v('v0.42.4'), ['receive', '--log.level=info'])).toEqual(["Thanos has no flag data for the subcommand 'receive' (lib/images/flags/thanos.json)"]);
    expect(argProblems(BINARIES.thanos, v('v0.42.4'), ['compact', '--wait', '--no-wait'])).toEqual([]);
  });

  test('between listed releases a flag must be in both neighbours; above the newest, in the newest', () => {
    expect(argProblems(BINARIES.thanos, v('v0.35.0'), ['query', '--endpoint.sd-config-file=/e.yaml'])).toEqual([
      'Thanos query v0.35.0 does not take --endpoint.sd-config-file (not in both v0.32.0 and v0.37.0, the releases listed around it in lib/images/flags/thanos.json)',
    ]);
    expect(argProblems(BINARIES.thanos, v('v0.35.0'), ['query', '--endpoint=a:1'])).toEqual([]);
    expect(argProblems(BINARIES.alertmanager, v('v0.40.0'), ['--cluster.frobnicate'])).toEqual([
      'Alertmanager v0.40.0 does not take --cluster.frobnicate (not in v0.34.0, the nearest release listed in lib/images/flags/alertmanager.json)',
    ]);
  });

  test('checks the names of --enable-feature', () => {
    expect(argProblems(BINARIES.prometheus, v('v3.5.5'), ['--enable-feature=native-histograms,expand-external-labels'])).toEqual([
      "Prometheus v3.5.5 has no feature 'expand-external-labels' for --enable-feature (lib/images/flags/prometheus.json)",
    ]);
  });
});

// ---- every component at every boundary release ----

/** The releases of each binary where what the library renders changes, the oldest and the newest, and some in between. */
const BOUNDARIES = {
  thanos: ['v0.31.0', 'v0.32.0', 'v0.37.0', 'v0.38.0', 'v0.42.4', 'v0.35.1', 'v0.43.0'],
  prometheus: ['v2.53.0', 'v3.0.0', 'v3.5.0', 'v3.5.5', 'v3.14.0', 'v2.55.1', 'v3.11.0'],
  alertmanager: ['v0.27.0', 'v0.28.0', 'v0.30.0', 'v0.34.0', 'v0.29.0'],
  pushgateway: ['v1.9.0', 'v1.11.3', 'v1.10.0'],
  reloader: ['v0.75.0', 'v0.93.0', 'v0.80.0'],
};

interface Versions { thanos: string; prometheus: string; alertmanager: string; pushgateway: string; reloader: string }

/** A whole stack: Prometheus (reloader, sidecar uploading to a bucket), Querier, store gateway, compactor, a 3-replica Alertmanager, a Pushgateway. */
function stack(versions: Versions): Manifest[] {
  const { chart } = givenChart();
  const image = (repo: string, version: string) => ContainerImage.of(repo, version);
  const thanos = image(REPO.thanos, versions.thanos);
  const reloader = { image: image(REPO.reloader, versions.reloader) };
  const bucket = ObjectStorage.fromSecret('objstore');
  const alertmanager = new Alertmanager(chart, 'alertmanager', { image: image(REPO.alertmanager, versions.alertmanager), configReloader: reloader });
  const pushgateway = new Pushgateway(chart, 'pushgateway', { image: image(REPO.pushgateway, versions.pushgateway), enableAdminApi: true });
  const prometheus = new Prometheus(chart, 'prometheus', {
    image: image(REPO.prometheus, versions.prometheus), enableAdminApi: true, configReloader: reloader,
    thanos: { image: thanos, objectStorage: bucket }, alertmanagers: [alertmanager], pushgateways: [pushgateway],
  });
  const store = new ThanosStoreGateway(chart, 'store', { objectStorage: bucket, image: thanos });
  new ThanosCompactor(chart, 'compactor', { objectStorage: bucket, image: thanos });
  new ThanosQuerier(chart, 'querier', { stores: [prometheus, store], image: thanos, routePrefix: '/thanos' });
  return synth(chart);
}

interface FlagFile {
  image: string;
  versions: Record<string, Record<string, string[]>>;
  booleans: Record<string, Record<string, string[]>>;
}
const DATA: FlagFile[] = ['thanos', 'prometheus', 'alertmanager', 'pushgateway', 'prometheus-config-reloader']
  .map(name => JSON.parse(readFileSync(join(__dirname, '..', '..', 'lib', 'images', 'flags', `${name}.json`), 'utf8')));

/**
 * This test's own check of a container's args against the data (as
 * test/images/flags.test.ts does): for a listed release only, the list of
 * its binary (Thanos: its subcommand's and the global flags).
 */
function unlisted(c: { image: string; args?: string[] }): string[] {
  const colon = c.image.lastIndexOf(':');
  const [repository, tag] = [c.image.slice(0, colon), c.image.slice(colon + 1)];
  const file = DATA.find(d => d.image === repository);
  if (!file) throw new Error(`no data for ${repository}`);
  const lists = file.versions[tag];
  if (!lists) return [];
  let args = c.args ?? [];
  let keys = ['flags'];
  if (repository === REPO.thanos) {
    keys = ['global', args[0]];
    args = args.slice(1);
  }
  const flags = keys.flatMap(k => lists[k] ?? []);
  const booleans = keys.flatMap(k => file.booleans[tag][k] ?? []);
  return args.flatMap(arg => {
    const name = arg.replace(/^--/, '').split('=')[0];
    const known = arg.startsWith('--') && (flags.includes(name) || (name.startsWith('no-') && booleans.includes(name.slice(3))));
    const features = name === 'enable-feature' && lists.features ? arg.split('=')[1].split(',').filter(f => !lists.features.includes(f)) : [];
    return [...(known ? [] : [`${c.image}: ${arg}`]), ...features.map(f => `${c.image}: feature ${f}`)];
  });
}

function containers(manifests: Manifest[]): Array<{ workload: string; name: string; image: string; args?: string[] }> {
  return manifests.filter(m => m.spec?.template?.spec?.containers).flatMap(m =>
    m.spec.template.spec.containers.map((c: any) => ({ workload: `${m.kind}/${m.metadata.name}`, name: c.name, image: c.image, args: c.args })));
}

describe('every component at every boundary release renders only flags that release takes', () => {
  const newest: Versions = { thanos: 'v0.42.4', prometheus: 'v3.5.5', alertmanager: 'v0.34.0', pushgateway: 'v1.11.3', reloader: 'v0.93.0' };
  const rows = (Object.entries(BOUNDARIES) as Array<[keyof Versions, string[]]>).flatMap(([binary, releases]) => releases.map(r => [binary, r] as const));

  test.each(rows)('%s %s', (binary, release) => {
    // GIVEN the stack with this binary at the release, the others at their defaults
    // WHEN synthesized (every component checks its own flags, and throws if one is missing)
    const manifests = stack({ ...newest, [binary]: release });
    // THEN each rendered flag of a listed release is in its list, by this test's own reading of the data
    const all = containers(manifests);
    const repo = binary === 'reloader' ? REPO.reloader : REPO[binary];
    const ofBinary = all.filter(c => c.image.startsWith(`${repo}:`));
    expect(ofBinary.length).toBeGreaterThan(0);
    expect(ofBinary.every(c => c.image === `${repo}:${release}`)).toBe(true);
    expect(all.flatMap(unlisted)).toEqual([]);
  });
});

// ---- what each release gets ----

describe('the forms of each release', () => {
  const args = (manifests: Manifest[], kind: string, name: string, c: string): string[] => container(find(manifests, kind, name), c).args;
  const defaults: Versions = { thanos: 'v0.42.4', prometheus: 'v3.5.5', alertmanager: 'v0.34.0', pushgateway: 'v1.11.3', reloader: 'v0.93.0' };

  test('Thanos v0.31.0 to v0.37.x: the Querier gets an --endpoint per store (DNS SRV kept), no --endpoint.sd-config-file', () => {
    for (const thanos of ['v0.31.0', 'v0.35.1', 'v0.37.0']) {
      const q = args(stack({ ...defaults, thanos }), 'Deployment', 'querier', 'thanos-query');
      expect(q.filter(a => a.startsWith('--endpoint'))).toEqual([
        '--endpoint=dnssrv+_grpc._tcp.prometheus-headless.monitoring.svc',
        '--endpoint=dnssrv+_grpc._tcp.store-headless.monitoring.svc',
      ]);
      expect(q).toContain('--store.sd-dns-interval=30s');
    }
  });

  test('Thanos v0.38.0 and later: the endpoint config file', () => {
    for (const thanos of ['v0.38.0', 'v0.42.4', 'v0.43.0']) {
      const q = args(stack({ ...defaults, thanos }), 'Deployment', 'querier', 'thanos-query');
      expect(q.filter(a => a.startsWith('--endpoint'))).toEqual(['--endpoint.sd-config-file=/etc/thanos/endpoints/endpoints.yaml']);
    }
  });

  test('Alertmanager before v0.30.0 gets no --cluster.peer-name; from v0.30.0 it does', () => {
    for (const [alertmanager, peerName] of [['v0.27.0', false], ['v0.29.0', false], ['v0.30.0', true], ['v0.34.0', true]] as const) {
      const a = args(stack({ ...defaults, alertmanager }), 'StatefulSet', 'alertmanager', 'alertmanager');
      expect(a.includes('--cluster.peer-name=$(POD_NAME)')).toBe(peerName);
      expect(a.filter(x => x.startsWith('--cluster.peer='))).toHaveLength(3);
    }
  });

  test('Prometheus 2.53 to 2.55 expands the replica label with expand-external-labels; 3.x needs no flag', () => {
    for (const [prometheus, flag] of [['v2.53.0', true], ['v2.55.1', true], ['v3.0.0', false], ['v3.5.5', false]] as const) {
      const p = args(stack({ ...defaults, prometheus }), 'StatefulSet', 'prometheus', 'prometheus');
      expect(p.includes('--enable-feature=expand-external-labels')).toBe(flag);
    }
  });
});

describe('refused releases and images', () => {
  const build = (make: (chart: Chart) => void) => () => {
    const app = testApp();
    make(new Chart(app, 'test', { namespace: 'monitoring' }));
    app.synth();
  };

  test.each([
    ['the Querier', (c: Chart) => new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')], image: ContainerImage.of(REPO.thanos, 'v0.30.0') }),
      "test/q: invalid 'image': Thanos v0.30.0 is older than the oldest supported v0.31.0"],
    ['the sidecar', (c: Chart) => new Prometheus(c, 'p', { thanos: { image: ContainerImage.of(REPO.thanos, 'v0.30.0') } }),
      "test/p: invalid 'thanos.image': Thanos v0.30.0 is older than the oldest supported v0.31.0"],
    ['the store gateway', (c: Chart) => new ThanosStoreGateway(c, 'sg', { objectStorage: ObjectStorage.fromSecret('o'), image: ContainerImage.of(REPO.thanos, 'v0.29.0') }),
      "test/sg: invalid 'image': Thanos v0.29.0 is older than the oldest supported v0.31.0"],
    ['Prometheus 2.11.1', (c: Chart) => new Prometheus(c, 'p', { image: ContainerImage.of(REPO.prometheus, 'v2.11.1') }),
      "test/p: invalid 'image': Prometheus v2.11.1 is older than the oldest supported v2.53.0"],
    ['Alertmanager 0.26', (c: Chart) => new Alertmanager(c, 'am', { image: ContainerImage.of(REPO.alertmanager, 'v0.26.0') }),
      "test/am: invalid 'image': Alertmanager v0.26.0 is older than the oldest supported v0.27.0"],
    ['a reloader 0.70', (c: Chart) => new Alertmanager(c, 'am', { configReloader: { image: ContainerImage.of(REPO.reloader, 'v0.70.0') } }),
      "test/am: invalid 'configReloader.image': prometheus-config-reloader v0.70.0 is older than the oldest supported v0.75.0"],
    ['Pushgateway 1.8', (c: Chart) => new Pushgateway(c, 'pgw', { image: ContainerImage.of(REPO.pushgateway, 'v1.8.0') }),
      "test/pgw: invalid 'image': Pushgateway v1.8.0 is older than the oldest supported v1.9.0"],
    ['a tag that is no version', (c: Chart) => new Pushgateway(c, 'pgw', { image: ContainerImage.of('registry.example.com/pushgateway', 'main-abc123') }),
      "test/pgw: invalid 'image': the tag 'main-abc123' of 'registry.example.com/pushgateway' is not a version: say which Pushgateway release it runs, "
      + "e.g. ContainerImage.of('registry.example.com/pushgateway', 'main-abc123', { version: 'v1.11.3' })"],
  ])('%s', (_name, make, message) => {
    expect(build(make)).toThrow(message);
  });

  test('a custom build that says its version renders that release', () => {
    const { chart } = givenChart();
    const image = ContainerImage.of('registry.example.com/thanos', 'fix-1234', { version: 'v0.37.0', digest: `sha256:${'b'.repeat(64)}` });
    new ThanosQuerier(chart, 'q', { stores: [new Prometheus(chart, 'p')], image });
    const q: string[] = container(find(synth(chart), 'Deployment', 'q'), 'thanos-query').args;
    expect(q).toContain('--endpoint=dnssrv+_grpc._tcp.p-headless.monitoring.svc');
  });
});

describe('Alertmanager config fields newer than the release', () => {
  const am = (tag: string, config: AlertmanagerConfig) => () => {
    const app = testApp();
    new Alertmanager(new Chart(app, 'test', { namespace: 'monitoring' }), 'am', { image: ContainerImage.of(REPO.alertmanager, tag), config });
    return Testing.synth(app.node.findChild('test') as Chart);
  };
  const teams = { route: { receiver: 'teams' }, receivers: [{ name: 'teams', msteamsV2Configs: [{ webhookUrlFile: SecretFile.fromSecret('teams', 'url') }] }] };
  const wechat = { route: { receiver: 'w' }, receivers: [{ name: 'w', wechatConfigs: [{ corpId: 'c', agentId: '1', toParty: '2', apiSecretFile: SecretFile.fromSecret('wechat', 'secret') }] }] };

  test('msteamsv2 receivers need v0.28.0', () => {
    expect(am('v0.27.0', teams)).toThrow("test/am: invalid 'config.receivers[0].msteamsV2Configs': needs Alertmanager v0.28.0 or later, the image runs v0.27.0");
    expect(am('v0.28.0', teams)).not.toThrow();
  });

  test("WeChat's api_secret_file (the article's receiver) needs v0.31.0", () => {
    expect(am('v0.30.0', wechat)).toThrow("test/am: invalid 'config.receivers[0].wechatConfigs[0].apiSecretFile': needs Alertmanager v0.31.0 or later, the image runs v0.30.0");
    expect(am('v0.34.0', wechat)).not.toThrow();
  });

  test('the table lists each field once, from v0.28.0 on', () => {
    const keys = ALERTMANAGER_LATE_FIELDS.map(f => `${f.in}.${f.key}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const f of ALERTMANAGER_LATE_FIELDS) expect(f.since.atLeast(v('v0.28.0'))).toBe(true);
  });
});

describe('PromQL is checked for the release Prometheus runs', () => {
  const rules = (tag: string) => () => new Prometheus(givenChart().chart, 'p', {
    image: ContainerImage.of(REPO.prometheus, tag),
    ruleGroups: [{ name: 'trend', rules: [{ record: 'job:x:smoothed', expr: 'holt_winters(x[10m], 0.5, 0.5)' }] }],
  });

  test('holt_winters is a function of 2.x, gone in 3.0', () => {
    expect(rules('v2.53.0')).not.toThrow();
    expect(rules('v3.5.5')).toThrow(/test\/p: invalid 'ruleGroups\[trend\]\.rules\[0\]\.expr': rule 'job:x:smoothed': PromQL .*holt_winters.*3\.5/);
  });

  test('the default rules pass the check of every supported boundary release', () => {
    for (const tag of BOUNDARIES.prometheus) {
      const { chart } = givenChart();
      const p = new Prometheus(chart, 'p', { image: ContainerImage.of(REPO.prometheus, tag) });
      expect(() => p.renderRules()).not.toThrow();
    }
  });
});
