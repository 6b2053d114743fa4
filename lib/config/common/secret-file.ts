import { createHash } from 'crypto';
import { IConstruct } from 'constructs';
import { invalid } from '../../errors';

/** Where Prometheus mounts the Secrets its config refers to (the prometheus-operator convention). */
export const PROMETHEUS_SECRETS_DIR = '/etc/prometheus/secrets';

const SECRET_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/**
 * Files of Kubernetes Secrets, for the `*File` fields of the Prometheus
 * config (passwords, tokens, client keys). The config itself is a ConfigMap,
 * so it only ever holds the path; Prometheus mounts every Secret whose path
 * appears in its config, read-only, and re-reads the file on each request,
 * so a rotated Secret takes effect without a restart.
 */
export class SecretFile {
  /**
   * The path of `key` of Secret `secretName` (in the Prometheus namespace) inside the container:
   * `/etc/prometheus/secrets/<secretName>/<key>`.
   */
  public static path(secretName: string, key: string): string {
    return `${PROMETHEUS_SECRETS_DIR}/${secretName}/${key}`;
  }

  private constructor() {}
}

/** A Secret mounted into the Prometheus container. */
export interface SecretMount {
  readonly secretName: string;
  /** Volume name: a DNS label derived from the Secret name, unique per Secret. */
  readonly volumeName: string;
  readonly mountPath: string;
}

/**
 * A DNS label for the volume of a Secret: `secret-<name>` when that keeps the
 * name as it is; with a short stable hash of the full name when the label
 * form loses something (dots, or length), so distinct Secrets get distinct volumes.
 */
function secretVolumeName(secretName: string): string {
  const plain = `secret-${secretName.replace(/\./g, '-')}`;
  if (!secretName.includes('.') && plain.length <= 63) return plain;
  const hash = createHash('sha256').update(secretName).digest('hex').slice(0, 8);
  return `${plain.slice(0, 54).replace(/-+$/, '')}-${hash}`;
}

/**
 * The Secrets a rendered config refers to (values under `secretsDir`, by
 * default {@link PROMETHEUS_SECRETS_DIR}), sorted by name: the component mounts
 * each one there, so a Secret is named once, in the path.
 * @throws if such a path does not name a Secret and a key
 */
export function referencedSecrets(scope: IConstruct, config: unknown, secretsDir = PROMETHEUS_SECRETS_DIR): SecretMount[] {
  const names = new Set<string>();
  const visit = (value: unknown, path: string): void => {
    if (typeof value === 'string' && value.startsWith(`${secretsDir}/`)) {
      const [name, key, ...rest] = value.slice(secretsDir.length + 1).split('/');
      if (!SECRET_NAME.test(name ?? '') || name.length > 253 || !SECRET_KEY.test(key ?? '') || rest.length) {
        invalid(scope, path, `'${value}' must be ${secretsDir}/<secret name>/<key>`);
      }
      names.add(name);
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, `${path}[${i}]`));
    } else if (value && typeof value === 'object') {
      Object.entries(value).forEach(([k, v]) => visit(v, path ? `${path}.${k}` : k));
    }
  };
  visit(config, '');
  const volumes = new Map<string, string>();
  return [...names].sort().map(secretName => {
    const volumeName = secretVolumeName(secretName);
    const other = volumes.get(volumeName);
    if (other !== undefined) invalid(scope, 'secrets', `Secrets '${other}' and '${secretName}' would share the volume name '${volumeName}': rename one`);
    volumes.set(volumeName, secretName);
    return { secretName, volumeName, mountPath: `${secretsDir}/${secretName}` };
  });
}
