import * as k8s from '../../imports/k8s';
import { NamedPort } from '../wiring/interfaces';

/** Options of {@link ObjectStorage.fromSecret}. */
export interface ObjectStorageOptions {
  /**
   * TCP ports of the object storage endpoint, for NetworkPolicy egress.
   * @default [443]
   */
  readonly ports?: number[];
}

/** Where the objstore file is mounted in every Thanos container that uses it. */
export const OBJSTORE_DIR = '/etc/thanos/objstore';
const OBJSTORE_FILE = 'objstore.yml';

/**
 * Object storage for Thanos, read from a Secret (a Thanos objstore YAML:
 * `type: S3`, `config: {bucket, endpoint, …}`). It holds credentials, so it
 * never goes into a ConfigMap or an argument.
 */
export class ObjectStorage {
  /**
   * The objstore configuration in key `key` of Secret `secretName`, which the
   * user creates (e.g. with an external secret operator).
   */
  public static fromSecret(secretName: string, key = 'objstore.yml', options: ObjectStorageOptions = {}): ObjectStorage {
    return new ObjectStorage(secretName, key, options.ports ?? [443]);
  }

  private constructor(public readonly secretName: string, public readonly key: string, public readonly ports: number[]) {}

  /** The `--objstore.config-file` flag. */
  public get flag(): string {
    return `--objstore.config-file=${OBJSTORE_DIR}/${OBJSTORE_FILE}`;
  }

  /** The pod volume holding the objstore file. */
  public get volume(): k8s.Volume {
    return { name: 'objstore', secret: { secretName: this.secretName, items: [{ key: this.key, path: OBJSTORE_FILE }] } };
  }

  /** The container mount of {@link volume}. */
  public get mount(): k8s.VolumeMount {
    return { name: 'objstore', mountPath: OBJSTORE_DIR, readOnly: true };
  }

  /** The egress ports, as named ports for the NetworkGraph. */
  public get egressPorts(): NamedPort[] {
    return this.ports.map(port => ({ name: `objstore-${port}`, port }));
  }
}
