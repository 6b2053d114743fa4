import { createHash } from 'crypto';
import { posix } from 'path';
import { IConstruct } from 'constructs';
import { invalid } from '../../errors';
import { filePath } from './fields';
import { ALERTMANAGER_SECRETS_DIR, PROMETHEUS_SECRETS_DIR, SecretFile } from './secret-file';

// How the config models and the components turn SecretFile values into
// mounted paths. Not part of the public API (lib/index.ts exports secret-file.ts only).

/** The folders components mount SecretFile Secrets under: nothing else is mounted there. */
const SECRETS_DIRS = [PROMETHEUS_SECRETS_DIR, ALERTMANAGER_SECRETS_DIR];

/** A Secret mounted into a component's container. */
export interface SecretMount {
  readonly secretName: string;
  /** Volume name: a DNS label derived from the Secret name, unique per Secret. */
  readonly volumeName: string;
  readonly mountPath: string;
}

function under(dir: string, path: string): boolean {
  const normalized = posix.normalize(path);
  return normalized === dir || normalized.startsWith(`${dir}/`);
}

/**
 * A secret-file field of a config model: a {@link SecretFile}, passed through
 * for the component to resolve; with `allowPath`, also the absolute path of a
 * file mounted otherwise (the pod's service account token and CA, say). A
 * string into a folder of Secrets is refused, whatever the field: only the
 * component mounts there, and only what a SecretFile names.
 */
export function secretFileField(scope: IConstruct, field: string, value: SecretFile | string | undefined, allowPath: true): SecretFile | string | undefined;
export function secretFileField(scope: IConstruct, field: string, value: SecretFile | undefined, allowPath?: false): SecretFile | undefined;
export function secretFileField(scope: IConstruct, field: string, value: unknown, allowPath = false): SecretFile | string | undefined {
  if (value === undefined) return undefined;
  if (SecretFile.isSecretFile(value)) return value;
  if (typeof value === 'string') {
    const dir = SECRETS_DIRS.find(d => under(d, value));
    if (dir) {
      invalid(scope, field, `'${value}' is a path into ${dir}, where only the Secrets of SecretFile values are mounted: `
        + 'use SecretFile.fromSecret(secretName, key), and the component that reads the file mounts the Secret');
    }
    if (allowPath) return filePath(scope, field, value);
  }
  return invalid(scope, field, `${typeof value === 'string' ? `'${value}'` : `a ${typeof value}`} is not a SecretFile: use SecretFile.fromSecret(secretName, key)`
    + (allowPath ? ', or the absolute path of a file mounted otherwise' : ''));
}

/** Like {@link secretFileField}, for a file that must be set. */
export function requiredSecretFile(scope: IConstruct, field: string, value: SecretFile | undefined, what: string): SecretFile {
  if (value === undefined) invalid(scope, field, `${what} is required: SecretFile.fromSecret(secretName, key)`);
  return secretFileField(scope, field, value) as SecretFile;
}

/**
 * A DNS label for the volume of a Secret: `secret-<name>` when that keeps the
 * name as it is; with a short stable hash of the full name when the label
 * form loses something (dots, or length), so distinct Secrets get distinct volumes.
 */
export function secretVolumeName(secretName: string): string {
  const plain = `secret-${secretName.replace(/\./g, '-')}`;
  if (!secretName.includes('.') && plain.length <= 63) return plain;
  const hash = createHash('sha256').update(secretName).digest('hex').slice(0, 8);
  return `${plain.slice(0, 54).replace(/-+$/, '')}-${hash}`;
}

/**
 * Resolves a rendered config for the component that reads it: each
 * {@link SecretFile} becomes `<secretsDir>/<secretName>/<key>`, and each Secret
 * so named one mount at `<secretsDir>/<secretName>` (sorted by name). So the
 * path always matches the container that reads it. The returned config is a
 * copy (lists shared between entries are no longer shared, so YAML has no aliases).
 * @throws ValidationError for a string into `secretsDir`, which nothing would mount
 */
export function resolveSecretFiles<T>(scope: IConstruct, config: T, secretsDir: string): { config: T; mounts: SecretMount[] } {
  const firstUse = new Map<string, string>();
  const visit = (value: unknown, path: string): unknown => {
    if (SecretFile.isSecretFile(value)) {
      if (!firstUse.has(value.secretName)) firstUse.set(value.secretName, path);
      return value.pathIn(secretsDir);
    }
    if (typeof value === 'string' && under(secretsDir, value)) {
      invalid(scope, path, `'${value}' is a path into ${secretsDir}, where only the Secrets of SecretFile values are mounted: use SecretFile.fromSecret(secretName, key)`);
    }
    if (Array.isArray(value)) return value.map((v, i) => visit(v, `${path}[${i}]`));
    if (value && typeof value === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(value))) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visit(v, path ? `${path}.${k}` : k)]));
    }
    return value;
  };
  const resolved = visit(config, '') as T;
  const volumes = new Map<string, string>();
  const mounts = [...firstUse.keys()].sort().map(secretName => {
    const volumeName = secretVolumeName(secretName);
    const other = volumes.get(volumeName);
    if (other !== undefined) {
      invalid(scope, firstUse.get(secretName)!, `Secrets '${other}' and '${secretName}' would share the volume name '${volumeName}': rename one`);
    }
    volumes.set(volumeName, secretName);
    return { secretName, volumeName, mountPath: `${secretsDir}/${secretName}` };
  });
  return { config: resolved, mounts };
}

/**
 * A deep copy of rendered config data, keeping {@link SecretFile} values for
 * {@link resolveSecretFiles} and dropping undefined entries (as JSON would).
 */
export function copyRendered<T>(value: T): T {
  if (SecretFile.isSecretFile(value)) return value;
  if (Array.isArray(value)) return value.map(copyRendered) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, copyRendered(v)])) as T;
  }
  return value;
}
