import { InvalidValueError } from '../../errors';
import { AzureCredentials, CredentialAccess, GcsCredentials, S3Credentials } from './credentials';
import { parseEndpoint, quote, requireMatch, requireObjectName } from './validation';

/*
 * The typed buckets and their objstore file (`type:`, `config:`, `prefix:`).
 * Field names are the yaml tags of thanos-io/objstore at commit 71d60dfee488
 * (v0.0.0-20250804093838-71d60dfee488, the version the go.mod of Thanos
 * v0.42.4 requires): client/factory.go (BucketConfig), providers/s3/s3.go,
 * providers/gcs/gcs.go, providers/azure/azure.go and
 * providers/filesystem/filesystem.go (Config). The providers parse their
 * config with yaml.UnmarshalStrict, so a misspelt field stops Thanos.
 */

/** Options every typed bucket takes. */
export interface BucketOptions {
  /**
   * Prefix of every object the components write and read (`prefix`), to
   * share a bucket with other data.
   * @default none: the bucket's root
   */
  readonly prefix?: string;
  /**
   * Name of the ConfigMap holding the objstore file, created once in each
   * Chart whose components use the bucket.
   * @default `thanos-objstore-<bucket>` (Azure: `thanos-objstore-<storageAccount>-<container>`)
   */
  readonly configMapName?: string;
}

/** How the S3 client addresses the bucket (`bucket_lookup_type`). */
export enum S3BucketLookup {
  /** Virtual-hosted style where the endpoint supports it (the provider's default). */
  AUTO = 'auto',
  /** `https://<bucket>.<endpoint>/`. */
  VIRTUAL_HOSTED = 'virtual-hosted',
  /** `https://<endpoint>/<bucket>/`: MinIO and most S3-compatible stores. */
  PATH = 'path',
}

/** Props of {@link ObjectStorage.s3}. */
export interface S3StorageProps extends BucketOptions {
  /** The bucket. */
  readonly bucket: string;
  /**
   * `host` or `host:port`, without scheme: e.g. `s3.eu-west-1.amazonaws.com`,
   * `minio.minio.svc:9000`. Its port (else 443, or 80 when `insecure`) is
   * the components' egress port.
   */
  readonly endpoint: string;
  /** @default none: the provider finds the bucket's region */
  readonly region?: string;
  /**
   * Plain HTTP instead of HTTPS.
   * @default false
   */
  readonly insecure?: boolean;
  /** @default S3BucketLookup.AUTO */
  readonly bucketLookup?: S3BucketLookup;
  /** @default the provider's default chain (environment, credentials file, IAM) */
  readonly credentials?: S3Credentials;
}

/** Props of {@link ObjectStorage.gcs}. */
export interface GcsStorageProps extends BucketOptions {
  /** The bucket. */
  readonly bucket: string;
  /** @default Application Default Credentials (the metadata server) */
  readonly credentials?: GcsCredentials;
}

/** Props of {@link ObjectStorage.azure}. */
export interface AzureStorageProps extends BucketOptions {
  /** The storage account. */
  readonly storageAccount: string;
  /** The blob container; the provider creates it when it is missing (`storage_create_container`). */
  readonly container: string;
  /**
   * Blob service domain, `host` or `host:port`: the URL is
   * `https://<storageAccount>.<endpoint>/<container>`.
   * @default 'blob.core.windows.net'
   */
  readonly endpoint?: string;
  /** @default DefaultAzureCredential (environment, workload identity, managed identity) */
  readonly credentials?: AzureCredentials;
}

/** A typed bucket, checked and rendered. @internal */
export interface TypedBucket {
  /** The factory, for messages. */
  readonly factory: string;
  /** `type:` of the objstore file. */
  readonly type: 'S3' | 'GCS' | 'AZURE' | 'FILESYSTEM';
  /** `config:` of the objstore file. */
  readonly config: Record<string, unknown>;
  readonly prefix?: string;
  readonly configMapName: string;
  /** The bucket endpoint's TCP port(s). */
  readonly ports: number[];
  readonly credentials: CredentialAccess;
  /** The filesystem bucket's directory. */
  readonly directory?: string;
}

const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const GCS_BUCKET = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;
const AZURE_ACCOUNT = /^[a-z0-9]{3,24}$/;
const AZURE_CONTAINER = /^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/;
const REGION = /^[a-z0-9-]+$/;

function options(factory: string, props: BucketOptions, defaultName: string): Pick<TypedBucket, 'prefix' | 'configMapName'> {
  if (props.prefix !== undefined && (typeof props.prefix !== 'string' || props.prefix.replace(/^\/+|\/+$/g, '') === '' || props.prefix.includes('$('))) {
    // `$(` would be taken for an environment reference: Thanos substitutes them in the whole file.
    throw new InvalidValueError(factory, 'prefix', `${quote(props.prefix)} must be a path in the bucket without '$(', or be left out for its root`);
  }
  const configMapName = props.configMapName === undefined
    ? defaultName.replace(/[^a-z0-9-]+/g, '-').slice(0, 253).replace(/-+$/, '')
    : requireObjectName(factory, 'configMapName', props.configMapName);
  return { prefix: props.prefix, configMapName };
}

/** @internal */
export function s3Bucket(props: S3StorageProps): TypedBucket {
  const f = 'ObjectStorage.s3';
  const bucket = requireMatch(f, 'bucket', props.bucket, S3_BUCKET, 'an S3 bucket name: 3 to 63 of [a-z0-9.-], starting and ending with a letter or digit');
  const port = parseEndpoint(f, 'endpoint', props.endpoint);
  if (props.region !== undefined) requireMatch(f, 'region', props.region, REGION, 'a region such as eu-west-1');
  if (props.bucketLookup !== undefined && !Object.values(S3BucketLookup).includes(props.bucketLookup)) {
    throw new InvalidValueError(f, 'bucketLookup', `${quote(props.bucketLookup)} must be one of ${Object.values(S3BucketLookup).join(', ')}`);
  }
  return {
    factory: f,
    type: 'S3',
    config: {
      bucket,
      endpoint: props.endpoint,
      ...(props.region === undefined ? {} : { region: props.region }),
      ...(props.insecure ? { insecure: true } : {}),
      ...(props.bucketLookup === undefined ? {} : { bucket_lookup_type: props.bucketLookup }),
    },
    ...options(f, props, `thanos-objstore-${bucket}`),
    ports: [port ?? (props.insecure ? 80 : 443)],
    credentials: props.credentials?.access ?? S3Credentials.defaultChain(),
  };
}

/** @internal */
export function gcsBucket(props: GcsStorageProps): TypedBucket {
  const f = 'ObjectStorage.gcs';
  const bucket = requireMatch(f, 'bucket', props.bucket, GCS_BUCKET, 'a GCS bucket name: 3 to 222 of [a-z0-9._-], starting and ending with a letter or digit');
  return {
    factory: f,
    type: 'GCS',
    config: { bucket },
    ...options(f, props, `thanos-objstore-${bucket}`),
    ports: [443],
    credentials: props.credentials?.access ?? GcsCredentials.defaultChain(),
  };
}

/** @internal */
export function azureBucket(props: AzureStorageProps): TypedBucket {
  const f = 'ObjectStorage.azure';
  const account = requireMatch(f, 'storageAccount', props.storageAccount, AZURE_ACCOUNT, 'a storage account name: 3 to 24 lowercase letters and digits');
  const container = requireMatch(f, 'container', props.container, AZURE_CONTAINER,
    'a container name: 3 to 63 of [a-z0-9-], starting and ending with a letter or digit, without "--"');
  const port = props.endpoint === undefined ? undefined : parseEndpoint(f, 'endpoint', props.endpoint);
  const credentials = props.credentials?.access ?? AzureCredentials.defaultChain();
  return {
    factory: f,
    type: 'AZURE',
    config: {
      storage_account: account,
      container,
      ...(props.endpoint === undefined ? {} : { endpoint: props.endpoint }),
      ...credentials.config,
    },
    ...options(f, props, `thanos-objstore-${account}-${container}`),
    // The provider always speaks HTTPS (helpers.go: https://<account>.<endpoint>/<container>).
    ports: [port ?? 443],
    credentials,
  };
}

/** @internal */
export function filesystemBucket(directory: string): TypedBucket {
  const f = 'ObjectStorage.filesystem';
  requireMatch(f, 'directory', directory, /^(?!.*(?:^|\/)\.\.?(?:\/|$))(?!.*\$\()\/.*[^/]$/, "an absolute path other than /, without . or .. segments or '$('");
  return {
    factory: f,
    type: 'FILESYSTEM',
    config: { directory },
    configMapName: `thanos-objstore-fs${directory.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`.slice(0, 253).replace(/-+$/, ''),
    ports: [],
    credentials: { config: {}, env: [], volumes: [], mounts: [], serviceAccountAnnotations: {}, egressPorts: [] },
    directory,
  };
}
