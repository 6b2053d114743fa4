import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { stringify } from 'yaml';
import * as k8s from '../../imports/k8s';
import { invalid, InvalidValueError } from '../errors';
import { NamedPort } from '../wiring/interfaces';
import { ObjectStorageConfigMap } from './objstore/config-map';
import { CredentialAccess, credentialAccess } from './objstore/credentials';
import {
  azureBucket, AzureStorageProps, filesystemBucket, gcsBucket, GcsStorageProps, s3Bucket, S3StorageProps, TypedBucket,
} from './objstore/providers';
import { requireObjectName, requireSecretKey } from './objstore/validation';

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
const FILESYSTEM_VOLUME = 'objstore-filesystem';

/** What the pods of a component that uses the bucket need. @internal */
export interface BucketAccess {
  /** `--objstore.config-file=…`. */
  readonly args: string[];
  /** Credentials from the user's Secret (`valueFrom.secretKeyRef`), or workload identity settings. */
  readonly env: k8s.EnvVar[];
  readonly volumes: k8s.Volume[];
  /** The mounts of {@link volumes}, for each container that talks to the bucket. */
  readonly mounts: k8s.VolumeMount[];
  readonly egressPorts: NamedPort[];
  /** Annotations of the ServiceAccount the pods must run as (workload identity); empty when they need none. */
  readonly serviceAccountAnnotations: Record<string, string>;
}

/**
 * Object storage for the Thanos components (the sidecars' uploads, the
 * store gateway, the compactor): the Thanos objstore file
 * (`type: S3`, `config: {bucket, endpoint, …}`) and how the pods authenticate.
 *
 * The typed factories (`s3`, `gcs`, `azure`, `filesystem`) render the file
 * into a ConfigMap the library creates once in each Chart that uses the
 * bucket, named after the bucket and shared by its components. It never holds
 * a credential: the pods get those from the user's Secret as environment
 * variables (or a mounted key file), or through their ServiceAccount
 * (workload identity: `S3Credentials.irsa`, `GcsCredentials.workloadIdentity`,
 * `AzureCredentials.workloadIdentity`).
 *
 * `fromSecret` takes a whole objstore file the user keeps in a Secret.
 */
export class ObjectStorage {
  /**
   * The objstore configuration in key `key` of Secret `secretName`, which the
   * user creates (e.g. with an external secret operator); it may hold
   * credentials, so it stays in that Secret.
   * @throws InvalidValueError if `secretName` is not a Secret name, `key` not a Secret key, or a port not a TCP port
   */
  public static fromSecret(secretName: string, key = 'objstore.yml', options: ObjectStorageOptions = {}): ObjectStorage {
    requireObjectName('ObjectStorage.fromSecret', 'secretName', secretName);
    requireSecretKey('ObjectStorage.fromSecret', 'key', key);
    const ports = options.ports ?? [443];
    if (!ports.length || ports.some(p => !Number.isInteger(p) || p < 1 || p > 65535)) {
      throw new InvalidValueError('ObjectStorage.fromSecret', 'options.ports', `${JSON.stringify(ports)} must be one or more TCP ports (1-65535)`);
    }
    return new ObjectStorage({ secretName, key }, ports, credentialAccess({}));
  }

  /**
   * An S3 or S3-compatible bucket (AWS S3, MinIO, Ceph RGW, …).
   * @throws InvalidValueError if a prop is not what S3 or the Thanos S3 provider accepts
   */
  public static s3(props: S3StorageProps): ObjectStorage {
    return ObjectStorage.typed(s3Bucket(props));
  }

  /**
   * A Google Cloud Storage bucket.
   * @throws InvalidValueError if a prop is not what GCS accepts
   */
  public static gcs(props: GcsStorageProps): ObjectStorage {
    return ObjectStorage.typed(gcsBucket(props));
  }

  /**
   * An Azure Blob Storage container.
   * @throws InvalidValueError if a prop is not what Azure accepts
   */
  public static azure(props: AzureStorageProps): ObjectStorage {
    return ObjectStorage.typed(azureBucket(props));
  }

  /**
   * A directory as the bucket, **for tests only**: each pod gets an emptyDir
   * there, so the data is local to one pod and lost with it. A component
   * with more than one replica, or a second component (the sidecar uploads,
   * a store gateway would read another pod's directory), is refused: use it
   * with one component of one replica (e.g. a single Prometheus whose sidecar
   * uploads, with the chart's store gateway and compactor disabled).
   * @throws InvalidValueError if `directory` is not an absolute path other than `/`
   */
  public static filesystem(directory: string): ObjectStorage {
    return ObjectStorage.typed(filesystemBucket(directory));
  }

  private static typed(bucket: TypedBucket): ObjectStorage {
    const file = stringify({ type: bucket.type, config: bucket.config, ...(bucket.prefix ? { prefix: bucket.prefix } : {}) }, { lineWidth: 0, aliasDuplicateObjects: false });
    const ports = [...new Set([...bucket.ports, ...bucket.credentials.egressPorts])];
    return new ObjectStorage({ configMapName: bucket.configMapName, file, directory: bucket.directory }, ports, bucket.credentials);
  }

  /** The user's Secret holding the objstore file (`fromSecret`), else undefined. */
  public readonly secretName?: string;
  /** The key of {@link secretName} holding the file. */
  public readonly key?: string;
  /** The ConfigMap the library writes the objstore file into (typed factories), else undefined. */
  public readonly configMapName?: string;
  /**
   * The objstore file of the typed factories: no credential, at most
   * `$(VAR)` references that Thanos fills from the environment.
   */
  public readonly configFile?: string;
  /** TCP ports the components reach: the endpoint's, and those of the credential mechanism. */
  public readonly ports: number[];

  private readonly directory?: string;
  private readonly credentials: CredentialAccess;
  private readonly consumers: IConstruct[] = [];

  private constructor(
    source: { secretName: string; key: string } | { configMapName: string; file: string; directory?: string },
    ports: number[],
    credentials: CredentialAccess,
  ) {
    if ('secretName' in source) {
      this.secretName = source.secretName;
      this.key = source.key;
    } else {
      this.configMapName = source.configMapName;
      this.configFile = source.file;
      this.directory = source.directory;
    }
    this.ports = ports;
    this.credentials = credentials;
  }

  /** The `--objstore.config-file` flag. */
  public get flag(): string {
    return `--objstore.config-file=${OBJSTORE_DIR}/${OBJSTORE_FILE}`;
  }

  /** The egress ports, as named ports for the NetworkGraph. */
  public get egressPorts(): NamedPort[] {
    return this.ports.map(port => ({ name: `objstore-${port}`, port }));
  }

  /** The objstore ConfigMap in `chart`, once a component of it uses this bucket (typed factories). */
  public configMapIn(chart: Chart): k8s.KubeConfigMap | undefined {
    return this.configMapName === undefined ? undefined : ObjectStorageConfigMap.find(chart, this.configMapName);
  }

  /**
   * What every pod that uses the bucket needs, whatever its component; the
   * objstore ConfigMap exists once a component has {@link bind}ed the bucket.
   * @internal
   */
  public get access(): BucketAccess {
    const source: k8s.Volume = this.secretName === undefined
      ? { name: 'objstore', configMap: { name: this.configMapName! } }
      : { name: 'objstore', secret: { secretName: this.secretName, items: [{ key: this.key!, path: OBJSTORE_FILE }] } };
    const filesystem = this.directory !== undefined;
    return {
      args: [this.flag],
      env: this.credentials.env,
      volumes: [source, ...this.credentials.volumes, ...(filesystem ? [{ name: FILESYSTEM_VOLUME, emptyDir: {} }] : [])],
      mounts: [
        { name: 'objstore', mountPath: OBJSTORE_DIR, readOnly: true },
        ...this.credentials.mounts,
        ...(filesystem ? [{ name: FILESYSTEM_VOLUME, mountPath: this.directory! }] : []),
      ],
      egressPorts: this.egressPorts,
      serviceAccountAnnotations: this.credentials.serviceAccountAnnotations,
    };
  }

  /**
   * Makes `consumer` (a component with `replicas` pods) a user of the
   * bucket: creates the objstore ConfigMap in its Chart, unless another
   * component of the Chart has, and returns what its pods need.
   * @throws ValidationError (naming `prop`) for a filesystem bucket with more than one
   *   replica or a second component, or a ConfigMap name another bucket of the Chart takes
   * @internal
   */
  public bind(consumer: IConstruct, prop: string, replicas: number): BucketAccess {
    if (this.directory !== undefined) {
      const other = this.consumers.find(c => c !== consumer);
      if (other) {
        invalid(consumer, prop, `ObjectStorage.filesystem is a directory of one pod, for tests, and ${other.node.path} uses it already: `
          + 'use one component (in a MonitoringChart, disable the store gateway and the compactor)');
      }
      if (replicas > 1) {
        invalid(consumer, prop, `ObjectStorage.filesystem is a directory of one pod, for tests: give this component one replica, not ${replicas}`);
      }
    }
    if (!this.consumers.includes(consumer)) this.consumers.push(consumer);
    if (this.configMapName !== undefined) ObjectStorageConfigMap.ensure(consumer, prop, this.configMapName, OBJSTORE_FILE, this.configFile!);
    return this.access;
  }
}
