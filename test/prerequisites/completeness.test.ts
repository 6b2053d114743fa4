import { App, Chart, Testing } from 'cdk8s';
import { EXAMPLES } from '../../examples';
import { DEFAULT_CLASS, Prerequisite, PrerequisiteKind, Prerequisites } from '../../lib';
import { prerequisiteEntries } from '../../lib/prerequisites/prerequisites';
import { Manifest, testApp } from '../support/synth';
import { crossNamespace, everyNeed, ownObjects } from './fixtures';

// Prerequisites.of must miss nothing a chart's pods need: this reads every
// reference in the synthesized objects on its own (volumes, projected
// sources, env secretKeyRef/configMapKeyRef, envFrom, imagePullSecrets,
// claim templates, Ingress TLS) and checks the list against it, for every
// example and for stacks that use every kind of Secret a component can read.

interface Reference {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** Keys picked (items, secretKeyRef); undefined when the whole object is read. */
  readonly keys?: string[];
  readonly where: string;
  /** Mounted as a volume. */
  readonly volume?: boolean;
}

function podSpec(o: Manifest): any {
  if (o.kind === 'Pod') return o.spec;
  if (o.kind === 'CronJob') return o.spec?.jobTemplate?.spec?.template?.spec;
  return ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicaSet'].includes(o.kind) ? o.spec?.template?.spec : undefined;
}

/** Every Secret, ConfigMap and StorageClass the objects refer to. */
function references(objects: Manifest[]): Reference[] {
  const refs: Reference[] = [];
  for (const o of objects) {
    const ns = o.metadata.namespace;
    const where = `${o.kind}/${o.metadata.name}`;
    const spec = podSpec(o);
    for (const v of spec?.volumes ?? []) {
      if (v.secret) refs.push({ kind: 'Secret', namespace: ns, name: v.secret.secretName, keys: v.secret.items?.map((i: any) => i.key), where, volume: true });
      if (v.configMap) refs.push({ kind: 'ConfigMap', namespace: ns, name: v.configMap.name, keys: v.configMap.items?.map((i: any) => i.key), where });
      for (const s of v.projected?.sources ?? []) {
        if (s.secret) refs.push({ kind: 'Secret', namespace: ns, name: s.secret.name, keys: s.secret.items?.map((i: any) => i.key), where });
        if (s.configMap) refs.push({ kind: 'ConfigMap', namespace: ns, name: s.configMap.name, keys: s.configMap.items?.map((i: any) => i.key), where });
      }
    }
    for (const c of [...spec?.containers ?? [], ...spec?.initContainers ?? []]) {
      for (const e of c.env ?? []) {
        const secret = e.valueFrom?.secretKeyRef;
        if (secret) refs.push({ kind: 'Secret', namespace: ns, name: secret.name, keys: [secret.key], where });
        const configMap = e.valueFrom?.configMapKeyRef;
        if (configMap) refs.push({ kind: 'ConfigMap', namespace: ns, name: configMap.name, keys: [configMap.key], where });
      }
      for (const f of c.envFrom ?? []) {
        if (f.secretRef) refs.push({ kind: 'Secret', namespace: ns, name: f.secretRef.name, where });
        if (f.configMapRef) refs.push({ kind: 'ConfigMap', namespace: ns, name: f.configMapRef.name, where });
      }
    }
    for (const p of spec?.imagePullSecrets ?? []) refs.push({ kind: 'Secret', namespace: ns, name: p.name, where });
    for (const claim of o.kind === 'StatefulSet' ? o.spec.volumeClaimTemplates ?? [] : []) {
      refs.push({ kind: 'StorageClass', name: claim.spec.storageClassName ?? DEFAULT_CLASS, where });
    }
    if (o.kind === 'Ingress') {
      for (const tls of o.spec.tls ?? []) refs.push({ kind: 'Secret', namespace: ns, name: tls.secretName, keys: ['tls.crt', 'tls.key'], where });
    }
  }
  return refs;
}

const id = (kind: string, namespace: string | undefined, name: string) => `${kind}/${namespace ?? ''}/${name}`;

/** Each chart under test, with its objects and list. */
function charts(): Array<[string, () => Chart]> {
  return [
    ...Object.entries(EXAMPLES).map(([name, build]): [string, () => Chart] => [`example ${name}`, () => build(testApp())]),
    ['every need', () => everyNeed(testApp())],
    ['cross-namespace team', () => crossNamespace(testApp()).team],
    ['cross-namespace central', () => crossNamespace(testApp()).central],
    ['own objects', () => ownObjects(testApp())],
  ];
}

describe.each(charts())('%s', (_name, build) => {
  let chart: Chart;
  let objects: Manifest[];
  let list: Prerequisite[];
  let created: Set<string>;
  let listed: Map<string, Prerequisite>;
  beforeAll(() => {
    chart = build();
    objects = Testing.synth(chart) as Manifest[];
    list = Prerequisites.of(chart);
    created = new Set(objects.map(o => id(o.kind, o.metadata.namespace, o.metadata.name)));
    listed = new Map(list.map(p => [id(p.kind, p.namespace, p.name), p]));
  });

  test('every Secret referenced and not created is listed, with the keys picked', () => {
    // GIVEN the Secrets the objects refer to
    const secrets = references(objects).filter(r => r.kind === 'Secret' && !created.has(id(r.kind, r.namespace, r.name)));
    // WHEN each is looked up in the list
    // THEN it is there, and its keys include every key picked
    for (const ref of secrets) {
      const entry = listed.get(id(ref.kind, ref.namespace, ref.name));
      expect({ ref: `${ref.where} -> ${ref.name}`, listed: entry !== undefined }).toEqual({ ref: `${ref.where} -> ${ref.name}`, listed: true });
      expect(entry!.keys).toEqual(expect.arrayContaining(ref.keys ?? []));
    }
  });

  test('every ConfigMap referenced is created in the chart or listed', () => {
    // GIVEN / WHEN the ConfigMaps the objects refer to
    const missing = references(objects).filter(r => r.kind === 'ConfigMap')
      .map(r => id(r.kind, r.namespace, r.name))
      .filter(r => !created.has(r) && !listed.has(r));
    // THEN none is missing
    expect(missing).toEqual([]);
  });

  test('every StorageClass of a claim is listed', () => {
    // GIVEN / WHEN the classes of the claim templates
    const missing = references(objects).filter(r => r.kind === 'StorageClass').map(r => id(r.kind, undefined, r.name)).filter(r => !listed.has(r));
    // THEN each is there (the cluster's default one for claims that name none)
    expect(missing).toEqual([]);
  });

  test('nothing listed is created by the chart', () => {
    // GIVEN the objects of the chart, cluster-wide ones without a namespace
    const namespaced = ['Secret', 'ConfigMap', 'ServiceAccount', 'PersistentVolumeClaim'];
    const ids = new Set(objects.map(o => id(o.kind, namespaced.includes(o.kind) ? o.metadata.namespace : undefined, o.metadata.name)));
    // WHEN the list is looked up in them
    // THEN no entry names one of them
    expect(list.map(p => id(p.kind, p.namespace, p.name)).filter(p => ids.has(p))).toEqual([]);
  });

  test('every listed Secret and StorageClass is one the objects refer to', () => {
    // GIVEN the references
    const referenced = new Set(references(objects).map(r => id(r.kind, r.namespace, r.name)));
    // WHEN the list's Secrets and StorageClasses are looked up, ingress-nginx auth Secrets aside (an annotation)
    const phantoms = list.filter(p => p.kind === PrerequisiteKind.SECRET || p.kind === PrerequisiteKind.STORAGE_CLASS)
      .filter(p => !p.why.some(w => w.includes('basic auth')))
      .map(p => id(p.kind, p.namespace, p.name))
      .filter(p => !referenced.has(p));
    // THEN there are none: the declarations agree with what the pods mount
    expect(phantoms).toEqual([]);
  });

  test('the Secret files a mounted config reads are the keys listed for its Secret', () => {
    // GIVEN the whole-Secret volumes (SecretFile mounts), and the chart's ConfigMaps, container args and env values that name files in them
    const wholeMounts = references(objects).filter(r => r.kind === 'Secret' && r.volume && r.keys === undefined && !created.has(id(r.kind, r.namespace, r.name)));
    const configs = [
      ...objects.filter(o => o.kind === 'ConfigMap').flatMap(o => Object.values(o.data ?? {}) as string[]),
      ...objects.flatMap(o => [...podSpec(o)?.containers ?? [], ...podSpec(o)?.initContainers ?? []])
        .flatMap((c: any) => [...c.args ?? [], ...(c.env ?? []).map((e: any) => e.value ?? '')]),
    ].join('\n');
    for (const ref of wholeMounts) {
      // WHEN the keys are read off the paths `<dir>/secrets/<secret>/<key>`
      const keys = [...configs.matchAll(new RegExp(`/secrets/${ref.name.replace(/\./g, '\\.')}/([-._a-zA-Z0-9]+)`, 'g'))].map(m => m[1]);
      // THEN the list names exactly those keys
      expect({ secret: ref.name, keys: listed.get(id(ref.kind, ref.namespace, ref.name))?.keys }).toEqual({ secret: ref.name, keys: [...new Set(keys)].sort() });
    }
  });
});

/**
 * Components that mount Secrets without declaring them (`this.requires(...)`
 * where they resolve their Secret files): the list still has those Secrets,
 * found in the pods with the keys they name, but only where they are mounted
 * as the reason. The list only shrinks: a component added here must declare.
 */
const UNDECLARED = new Set<string>([]);

/** The Secrets of `chart` that no construct declared, by the class of the construct that mounts them. */
function undeclaredSecrets(chart: Chart): Map<string, string[]> {
  const entries = prerequisiteEntries(chart);
  const declared = entries.filter(e => e.declared);
  const byClass = new Map<string, string[]>();
  for (const e of entries.filter(x => x.kind === PrerequisiteKind.SECRET && !x.declared)) {
    if (declared.some(d => d.kind === e.kind && d.name === e.name && d.namespace === e.namespace && (e.owner === d.owner || e.owner.startsWith(`${d.owner}/`)))) continue;
    const owner = chart.node.findAll().find(c => c.node.path === e.owner)!;
    byClass.set(owner.constructor.name, [...byClass.get(owner.constructor.name) ?? [], `${e.owner}: ${e.name} (${e.why})`]);
  }
  return byClass;
}

describe('the library declares what its components need', () => {
  const libraryCharts = charts().filter(([name]) => name !== 'own objects');

  test.each(libraryCharts)('%s: every Secret of a component has a declared reason', (_name, build) => {
    // GIVEN / WHEN the Secrets only found in objects, which no component declared
    const undeclared = [...undeclaredSecrets(build())].filter(([cls]) => !UNDECLARED.has(cls)).flatMap(([, secrets]) => secrets);
    // THEN there are none but those of the components still to declare theirs
    expect(undeclared).toEqual([]);
  });

  test('every component still to declare its Secrets mounts some in an example', () => {
    // GIVEN the classes with undeclared Secrets in every chart under test
    const found = new Set(libraryCharts.flatMap(([, build]) => [...undeclaredSecrets(build()).keys()]));
    // WHEN compared with the ratchet
    // THEN each entry is still needed (remove it once the component declares)
    expect([...UNDECLARED].filter(cls => !found.has(cls))).toEqual([]);
  });

  test('a user\'s own objects are listed from what they refer to', () => {
    // GIVEN a chart of plain objects, which declare nothing
    const app = new App({ outdir: testApp().outdir });
    // WHEN listed
    const list = Prerequisites.of(ownObjects(app));
    // THEN each reference is there, with where it is made; the created ConfigMap and Namespace are not
    expect(list.map(p => [p.kind, p.name, p.keys, p.why])).toEqual([
      ['ServiceAccount', 'app-runner', [], ['the pods of Deployment app run as it']],
      ['Secret', 'app-env', [], ['every key as env of container app of Deployment app']],
      ['Secret', 'app-token', ['token'], ['env TOKEN of container app of Deployment app']],
      ['Secret', 'registry', ['.dockerconfigjson'], ['image pull credentials of Deployment app (type kubernetes.io/dockerconfigjson)']],
      ['ConfigMap', 'cluster-info', ['region'], ['env REGION of container app of Deployment app']],
      ['PersistentVolumeClaim', 'app-cache', [], ['mounted as volume cache of Deployment app']],
    ]);
  });
});
