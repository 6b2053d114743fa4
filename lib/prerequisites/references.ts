import { DEFAULT_CLASS, NAMESPACED_KINDS, PrerequisiteKind } from './prerequisite';

/*
 * What one synthesized object refers to by name, read from its JSON as
 * Kubernetes would: the Secrets, ConfigMaps, claims and ServiceAccounts of its
 * pods, the classes of its claims and pods, an Ingress's class, TLS and auth
 * Secrets, and the namespaces a NetworkPolicy's peers are in. The object's own
 * namespace is the caller's (Prerequisites.of), which knows the Chart.
 * Objects may be anyone's, so every field is read defensively.
 */

/** One reference of an object to another one by name. @internal */
export interface ObjectReference {
  readonly kind: PrerequisiteKind;
  readonly name: string;
  /** Namespaced kinds: the referring object's namespace (or the one an ingress-nginx annotation names). */
  readonly namespace?: string;
  readonly keys: string[];
  readonly why: string;
}

type Json = Record<string, unknown>;

function obj(value: unknown): Json | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Json : undefined;
}

function arr(value: unknown): Json[] {
  return Array.isArray(value) ? value.map(obj).filter((v): v is Json => v !== undefined) : [];
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The value at `path` below `value`, if every step is an object. */
function at(value: unknown, ...path: string[]): unknown {
  return path.reduce<unknown>((v, key) => obj(v)?.[key], value);
}

/** Where each workload kind keeps its pod spec. */
function podSpecOf(kind: string | undefined, object: Json): Json | undefined {
  switch (kind) {
    case 'Pod':
      return obj(object.spec);
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'ReplicationController':
    case 'Job':
      return obj(at(object, 'spec', 'template', 'spec'));
    case 'CronJob':
      return obj(at(object, 'spec', 'jobTemplate', 'spec', 'template', 'spec'));
    default:
      return undefined;
  }
}

/** PriorityClasses every cluster has. */
const BUILT_IN_PRIORITY_CLASSES = ['system-cluster-critical', 'system-node-critical'];
/** ingress-nginx annotations that name a Secret, `name` or `namespace/name`, and the keys it reads from it. */
const INGRESS_NGINX_SECRETS: Record<string, { keys: string[]; what: string }> = {
  'nginx.ingress.kubernetes.io/auth-secret': { keys: ['auth'], what: 'basic auth file (ingress-nginx auth-secret)' },
  'nginx.ingress.kubernetes.io/auth-tls-secret': { keys: ['ca.crt'], what: 'client certificate CA (ingress-nginx auth-tls-secret)' },
};

/** The data of the ConfigMaps of a chart, by `namespace/name`, where pods' config files are read from. @internal */
export type ConfigMapData = ReadonlyMap<string, readonly string[]>;

/** The data of each ConfigMap among `objects`. @internal */
export function configMapData(objects: unknown[]): ConfigMapData {
  const data = new Map<string, string[]>();
  for (const o of objects.map(obj)) {
    if (str(o?.kind) !== 'ConfigMap') continue;
    const values = Object.values(obj(o?.data) ?? {}).filter((v): v is string => typeof v === 'string');
    data.set(`${str(at(o, 'metadata', 'namespace')) ?? ''}/${str(at(o, 'metadata', 'name')) ?? ''}`, values);
  }
  return data;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The keys of a Secret mounted whole as `volume`, that the pod reads: the
 * files under its mount paths (or its `subPath`s) named in the containers'
 * command, args and env values, or in the ConfigMaps the pod mounts.
 */
function keysRead(pod: Json, volume: string, namespace: string | undefined, configMaps: ConfigMapData): string[] {
  const containers = [...arr(pod.initContainers), ...arr(pod.containers), ...arr(pod.ephemeralContainers)];
  const mounts = containers.flatMap(c => arr(c.volumeMounts)).filter(m => m.name === volume);
  const keys = new Set(mounts.map(m => str(m.subPath)?.split('/')[0]).filter((k): k is string => k !== undefined));
  const texts = [
    ...containers.flatMap(c => [...Array.isArray(c.command) ? c.command : [], ...Array.isArray(c.args) ? c.args : [], ...arr(c.env).map(e => e.value)]),
    ...arr(pod.volumes).flatMap(v => configMaps.get(`${namespace ?? ''}/${str(at(v, 'configMap', 'name')) ?? ''}`) ?? []),
  ].filter((t): t is string => typeof t === 'string');
  for (const path of mounts.filter(m => m.subPath === undefined).map(m => str(m.mountPath)).filter((p): p is string => p !== undefined)) {
    const file = new RegExp(`${escapeRegExp(path.replace(/\/+$/, ''))}/([-._a-zA-Z0-9]+)`, 'g');
    for (const text of texts) for (const match of text.matchAll(file)) keys.add(match[1]);
  }
  return [...keys];
}

/**
 * The references of one synthesized object (its JSON), each with a reason
 * naming where it is made (`volume secret-wechat of StatefulSet alertmanager`).
 * The keys of a Secret mounted whole are the files the pod names under its
 * mount path, in its containers or the `configMaps` it mounts.
 * @internal
 */
export function referencesOf(object: unknown, configMaps: ConfigMapData = new Map()): ObjectReference[] {
  const o = obj(object);
  if (!o) return [];
  const kind = str(o.kind);
  const name = str(at(o, 'metadata', 'name')) ?? '?';
  const namespace = str(at(o, 'metadata', 'namespace'));
  const where = `${kind} ${name}`;
  const refs: ObjectReference[] = [];
  const add = (k: PrerequisiteKind, n: unknown, why: string, keys: unknown[] = [], ns = namespace) => {
    const refName = str(n);
    if (refName === undefined) return;
    refs.push({ kind: k, name: refName, namespace: NAMESPACED_KINDS.has(k) ? ns : undefined, keys: keys.map(str).filter((x): x is string => x !== undefined), why });
  };
  const optional = (ref: Json | undefined) => (ref?.optional === true ? ' (optional)' : '');
  const claimClass = (spec: unknown, what: string) => {
    const className = at(spec, 'storageClassName');
    // `storageClassName: ''` binds a pre-provisioned volume, without a class.
    if (className === '') return;
    if (className === undefined) add(PrerequisiteKind.STORAGE_CLASS, DEFAULT_CLASS, `provisions ${what}; the claim names no storageClassName`);
    else add(PrerequisiteKind.STORAGE_CLASS, className, `provisions ${what}`);
  };

  const pod = podSpecOf(kind, o);
  if (pod) {
    for (const volume of arr(pod.volumes)) {
      const mounted = `volume ${str(volume.name) ?? '?'} of ${where}`;
      const secret = obj(volume.secret);
      const secretKeys = secret && secret.items === undefined ? keysRead(pod, str(volume.name) ?? '', namespace, configMaps) : arr(secret?.items).map(i => i.key);
      add(PrerequisiteKind.SECRET, secret?.secretName, `mounted as ${mounted}${optional(secret)}`, secretKeys);
      const configMap = obj(volume.configMap);
      add(PrerequisiteKind.CONFIG_MAP, configMap?.name, `mounted as ${mounted}${optional(configMap)}`, arr(configMap?.items).map(i => i.key));
      for (const source of arr(at(volume, 'projected', 'sources'))) {
        const s = obj(source.secret);
        add(PrerequisiteKind.SECRET, s?.name, `projected into ${mounted}${optional(s)}`, arr(s?.items).map(i => i.key));
        const c = obj(source.configMap);
        add(PrerequisiteKind.CONFIG_MAP, c?.name, `projected into ${mounted}${optional(c)}`, arr(c?.items).map(i => i.key));
      }
      add(PrerequisiteKind.SECRET, at(volume, 'csi', 'nodePublishSecretRef', 'name'), `CSI node publish secret of ${mounted}`);
      add(PrerequisiteKind.PERSISTENT_VOLUME_CLAIM, at(volume, 'persistentVolumeClaim', 'claimName'), `mounted as ${mounted}`);
      const ephemeral = at(volume, 'ephemeral', 'volumeClaimTemplate', 'spec');
      if (ephemeral !== undefined) claimClass(ephemeral, `the ephemeral ${mounted}`);
    }
    const containers = [
      ...arr(pod.initContainers).map(c => ({ c, role: 'init container' })),
      ...arr(pod.containers).map(c => ({ c, role: 'container' })),
      ...arr(pod.ephemeralContainers).map(c => ({ c, role: 'ephemeral container' })),
    ];
    for (const { c, role } of containers) {
      const of = `${role} ${str(c.name) ?? '?'} of ${where}`;
      for (const env of arr(c.env)) {
        const secret = obj(at(env, 'valueFrom', 'secretKeyRef'));
        add(PrerequisiteKind.SECRET, secret?.name, `env ${str(env.name) ?? '?'} of ${of}${optional(secret)}`, [secret?.key]);
        const configMap = obj(at(env, 'valueFrom', 'configMapKeyRef'));
        add(PrerequisiteKind.CONFIG_MAP, configMap?.name, `env ${str(env.name) ?? '?'} of ${of}${optional(configMap)}`, [configMap?.key]);
      }
      for (const from of arr(c.envFrom)) {
        add(PrerequisiteKind.SECRET, at(from, 'secretRef', 'name'), `every key as env of ${of}${optional(obj(from.secretRef))}`);
        add(PrerequisiteKind.CONFIG_MAP, at(from, 'configMapRef', 'name'), `every key as env of ${of}${optional(obj(from.configMapRef))}`);
      }
    }
    for (const pull of arr(pod.imagePullSecrets)) add(PrerequisiteKind.SECRET, pull.name, `image pull credentials of ${where} (type kubernetes.io/dockerconfigjson)`, ['.dockerconfigjson']);
    const serviceAccount = str(pod.serviceAccountName) ?? str(pod.serviceAccount);
    // Every namespace has its `default` ServiceAccount.
    if (serviceAccount !== 'default') add(PrerequisiteKind.SERVICE_ACCOUNT, serviceAccount, `the pods of ${where} run as it`);
    const priority = str(pod.priorityClassName);
    if (priority && !BUILT_IN_PRIORITY_CLASSES.includes(priority)) add(PrerequisiteKind.PRIORITY_CLASS, priority, `priority of the pods of ${where}`);
    add(PrerequisiteKind.RUNTIME_CLASS, pod.runtimeClassName, `runtime of the pods of ${where}`);
  }

  if (kind === 'StatefulSet') {
    for (const claim of arr(at(o, 'spec', 'volumeClaimTemplates'))) {
      const size = str(at(claim, 'spec', 'resources', 'requests', 'storage'));
      claimClass(claim.spec, `the ${str(at(claim, 'metadata', 'name')) ?? '?'} volume of each pod of ${where}${size ? ` (${size})` : ''}`);
    }
  }
  if (kind === 'PersistentVolumeClaim' && at(o, 'spec', 'volumeName') === undefined) claimClass(o.spec, `the volume of ${where}`);

  if (kind === 'Ingress') {
    const annotations = obj(at(o, 'metadata', 'annotations')) ?? {};
    const className = at(o, 'spec', 'ingressClassName') ?? annotations['kubernetes.io/ingress.class'];
    if (className === undefined) add(PrerequisiteKind.INGRESS_CLASS, DEFAULT_CLASS, `its controller serves ${where}, which names no ingressClassName`);
    else add(PrerequisiteKind.INGRESS_CLASS, className, `its controller serves ${where}`);
    for (const tls of arr(at(o, 'spec', 'tls'))) {
      add(PrerequisiteKind.SECRET, tls.secretName, `TLS certificate of ${where} (type kubernetes.io/tls)`, ['tls.crt', 'tls.key']);
    }
    for (const [annotation, { keys, what }] of Object.entries(INGRESS_NGINX_SECRETS)) {
      const value = str(annotations[annotation]);
      if (value === undefined) continue;
      const [ns, secretName] = value.includes('/') ? value.split('/', 2) : [namespace, value];
      add(PrerequisiteKind.SECRET, secretName, `${what} of ${where}`, keys, ns);
    }
  }

  if (kind === 'NetworkPolicy') {
    const peers = [
      ...arr(at(o, 'spec', 'ingress')).flatMap(rule => arr(rule.from).map(peer => ({ peer, dir: 'ingress from' }))),
      ...arr(at(o, 'spec', 'egress')).flatMap(rule => arr(rule.to).map(peer => ({ peer, dir: 'egress to' }))),
    ];
    for (const { peer, dir } of peers) {
      const peerNamespace = at(peer, 'namespaceSelector', 'matchLabels', 'kubernetes.io/metadata.name');
      add(PrerequisiteKind.NAMESPACE, peerNamespace, `${where} allows ${dir} pods there`);
    }
  }
  return refs;
}
