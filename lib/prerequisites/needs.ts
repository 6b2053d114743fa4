import { IConstruct } from 'constructs';
import type { ObjectStorage } from '../thanos/object-storage';
import { PrerequisiteKind, PrerequisiteNeed } from './prerequisite';
import { Prerequisites } from './prerequisites';

/*
 * What the library's components need, said where they know it: a call in each
 * component (`this.requires(...)` on the Component base, `declareIngressNeeds`
 * in the MonitoringIngress). Not part of the public API.
 */

/** The field path of a config value: list entries by their `name` (or `job_name`) when they have one. */
function entryLabel(value: unknown, index: number): string {
  const o = value !== null && typeof value === 'object' ? value as Record<string, unknown> : {};
  const name = typeof o.name === 'string' ? o.name : typeof o.job_name === 'string' ? o.job_name : undefined;
  return name ?? String(index);
}

/**
 * The Secrets a rendered config's resolved Secret files are in: each string
 * `<secretsDir>/<secret>/<key>` (only SecretFile values resolve there:
 * resolveSecretFiles refuses any other path into `secretsDir`), one need per
 * Secret with every key read and the field that reads it.
 * @internal
 */
export function secretFileNeeds(secretsDir: string, resolvedConfig: unknown, file: string): PrerequisiteNeed[] {
  const bySecret = new Map<string, { keys: Set<string>; fields: string[] }>();
  const visit = (value: unknown, path: string): void => {
    if (typeof value === 'string' && value.startsWith(`${secretsDir}/`)) {
      const [secret, key] = value.slice(secretsDir.length + 1).split('/');
      if (!secret || !key) return;
      const entry = bySecret.get(secret) ?? { keys: new Set<string>(), fields: [] };
      bySecret.set(secret, entry);
      entry.keys.add(key);
      entry.fields.push(`file ${key} for ${path} in ${file}`);
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, `${path}[${entryLabel(v, i)}]`));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) visit(v, path ? `${path}.${k}` : k);
    }
  };
  visit(resolvedConfig, '');
  return [...bySecret.entries()].sort(([a], [b]) => a.localeCompare(b)).flatMap(([name, { keys, fields }]) =>
    fields.map(why => ({ kind: PrerequisiteKind.SECRET, name, keys: [...keys].sort(), why })));
}

/**
 * The Secrets the pods of a bucket's component read: the objstore file of
 * `ObjectStorage.fromSecret`, credential keys given as environment
 * variables, and key files (`GcsCredentials.fromSecret`).
 * @internal
 */
export function bucketNeeds(bucket: ObjectStorage | undefined): PrerequisiteNeed[] {
  if (!bucket) return [];
  const access = bucket.access;
  return [
    ...access.volumes.flatMap(v => v.secret?.secretName === undefined ? [] : [{
      kind: PrerequisiteKind.SECRET,
      name: v.secret.secretName,
      keys: (v.secret.items ?? []).map(i => i.key),
      why: v.name === 'objstore' ? 'the Thanos objstore file of the bucket (ObjectStorage.fromSecret)' : `the bucket's credentials file (volume ${v.name})`,
    }]),
    ...access.env.flatMap(e => e.valueFrom?.secretKeyRef?.name === undefined ? [] : [{
      kind: PrerequisiteKind.SECRET,
      name: e.valueFrom.secretKeyRef.name,
      keys: [e.valueFrom.secretKeyRef.key],
      why: `the bucket's credential ${e.name}`,
    }]),
  ];
}

/** What {@link declareIngressNeeds} reads of a MonitoringIngress' props. @internal */
export interface IngressNeedsInput {
  readonly ingressClassName?: string;
  readonly controllerNamespace?: string;
  readonly tlsSecretName?: string;
  readonly auth?: { readonly annotations: Record<string, string> };
}

/**
 * What a MonitoringIngress needs: its IngressClass and the controller's
 * namespace, the TLS Secret and the basic auth Secret.
 * @internal
 */
export function declareIngressNeeds(scope: IConstruct, props: IngressNeedsInput): void {
  const className = props.ingressClassName ?? 'nginx';
  // ingress-nginx reads `name` or `namespace/name`.
  const auth = props.auth?.annotations['nginx.ingress.kubernetes.io/auth-secret'];
  const [authNamespace, authSecret] = auth === undefined ? [] : auth.includes('/') ? auth.split('/', 2) : [undefined, auth];
  Prerequisites.declare(scope,
    { kind: PrerequisiteKind.INGRESS_CLASS, name: className, why: 'the class of the Ingress: its controller serves the routes' },
    { kind: PrerequisiteKind.NAMESPACE, name: props.controllerNamespace ?? 'ingress-nginx', why: `the Ingress controller (IngressClass ${className}) runs here` },
    ...props.tlsSecretName === undefined ? [] : [{
      kind: PrerequisiteKind.SECRET, name: props.tlsSecretName, keys: ['tls.crt', 'tls.key'],
      why: 'TLS certificate of every host of the Ingress (type kubernetes.io/tls)',
    }],
    ...authSecret === undefined ? [] : [{
      kind: PrerequisiteKind.SECRET, name: authSecret, namespace: authNamespace, keys: ['auth'],
      why: 'htpasswd file of the basic auth in front of every route (IngressAuth.basic)',
    }],
  );
}
