import { InvalidValueError } from '../../errors';

/** Where Prometheus mounts the Secrets its config refers to (the prometheus-operator convention). */
export const PROMETHEUS_SECRETS_DIR = '/etc/prometheus/secrets';
/** Where Alertmanager mounts the Secrets its config refers to. */
export const ALERTMANAGER_SECRETS_DIR = '/etc/alertmanager/secrets';

const SECRET_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
// A Secret data key, as Kubernetes accepts it (IsConfigMapKey): never `.`, `..` or `..x`, which would leave the mount.
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
const BRAND = Symbol.for('cdk8s-prometheus-thanos.SecretFile');
const FROM_SECRET = 'SecretFile.fromSecret';

/**
 * A file of a Kubernetes Secret, for the `*File` fields of the Prometheus and
 * Alertmanager configs (passwords, tokens, client keys). The config itself is
 * a ConfigMap, so it only ever holds the path: the component whose config
 * uses the file mounts the Secret read-only in its own container and writes
 * that path, so one value works in either config. Prometheus and Alertmanager
 * re-read these files, so a rotated Secret takes effect without a restart.
 */
export class SecretFile {
  /**
   * Key `key` of Secret `secretName`, in the namespace of the component that
   * reads it. Prometheus reads it as `/etc/prometheus/secrets/<secretName>/<key>`,
   * Alertmanager as `/etc/alertmanager/secrets/<secretName>/<key>`.
   * @throws InvalidValueError if `secretName` is not a Secret name (a lowercase
   *   RFC 1123 subdomain of at most 253 characters) or `key` not a Secret key
   */
  public static fromSecret(secretName: string, key: string): SecretFile {
    if (typeof secretName !== 'string' || !SECRET_NAME.test(secretName) || secretName.length > 253) {
      throw new InvalidValueError(FROM_SECRET, 'secretName', `${quote(secretName)} must be a Secret name: a lowercase RFC 1123 subdomain of at most 253 characters`);
    }
    if (typeof key !== 'string' || !SECRET_KEY.test(key) || key.length > 253 || key === '.' || key.startsWith('..')) {
      throw new InvalidValueError(FROM_SECRET, 'key', `${quote(key)} must be a key of Secret '${secretName}': at most 253 of [-._a-zA-Z0-9], not '.' and not starting with '..'`);
    }
    return new SecretFile(secretName, key);
  }

  /** Whether `x` is a SecretFile (also one made by another copy of this library). */
  public static isSecretFile(x: unknown): x is SecretFile {
    return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[BRAND] === true;
  }

  private constructor(
    /** The Secret, in the namespace of the component that reads the file. */
    public readonly secretName: string,
    /** The key of the Secret whose value is the file's content. */
    public readonly key: string,
  ) {
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** The file's path in a container that mounts each Secret at `<secretsDir>/<secretName>`. */
  public pathIn(secretsDir: string): string {
    return `${secretsDir}/${this.secretName}/${this.key}`;
  }

  /** For messages; not a path: the path depends on the component that reads the file. */
  public toString(): string {
    return `SecretFile.fromSecret('${this.secretName}', '${this.key}')`;
  }
}

function quote(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}
