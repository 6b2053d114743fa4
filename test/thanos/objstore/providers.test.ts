import { parse } from 'yaml';
import { AzureCredentials, GcsCredentials, InvalidValueError, ObjectStorage, S3BucketLookup, S3Credentials } from '../../../lib';

// The objstore file of each typed bucket, against the field names of the
// objstore library Thanos v0.42.4 is built with: its go.mod requires
// github.com/thanos-io/objstore v0.0.0-20250804093838-71d60dfee488, and the
// lists below are the yaml tags of that commit's Config structs (read with
// `git show 71d60dfee488:<file>`). The providers parse with
// yaml.UnmarshalStrict: a field not in these lists stops Thanos at start-up.
const UPSTREAM = 'github.com/thanos-io/objstore@71d60dfee4881c924083ccfb7b58ae433b38d372';

/** client/factory.go, BucketConfig. */
const BUCKET_CONFIG_FIELDS = ['type', 'config', 'prefix'];
/** objstore.go, ObjProvider: the `type` values of the providers used here. */
const PROVIDER_TYPES = ['S3', 'GCS', 'AZURE', 'FILESYSTEM'];
/** providers/s3/s3.go, Config. */
const S3_FIELDS = [
  'bucket', 'endpoint', 'region', 'disable_dualstack', 'aws_sdk_auth', 'access_key', 'insecure', 'signature_version2', 'secret_key',
  'session_token', 'put_user_metadata', 'http_config', 'trace', 'list_objects_version', 'bucket_lookup_type', 'send_content_md5',
  'disable_multipart', 'part_size', 'sse_config', 'sts_endpoint', 'max_retries',
];
/** providers/s3/s3.go, BucketLookupType.UnmarshalYAML. */
const S3_BUCKET_LOOKUP_TYPES = ['auto', 'virtual-hosted', 'path'];
/** providers/gcs/gcs.go, Config (its `no_auth` tag is on an unexported field, which yaml.v2 never fills). */
const GCS_FIELDS = ['bucket', 'service_account', 'use_grpc', 'grpc_conn_pool_size', 'http_config', 'chunk_size_bytes', 'max_retries'];
/** providers/azure/azure.go, Config. */
const AZURE_FIELDS = [
  'az_tenant_id', 'client_id', 'client_secret', 'storage_account', 'storage_account_key', 'storage_connection_string',
  'storage_create_container', 'container', 'endpoint', 'user_assigned_id', 'max_retries', 'reader_config', 'pipeline_config',
  'http_config', 'msi_resource',
];
/** providers/filesystem/filesystem.go, Config. */
const FILESYSTEM_FIELDS = ['directory'];
/** The fields of those Configs that hold a credential: never written, but as an environment reference. */
const CREDENTIAL_FIELDS = ['access_key', 'secret_key', 'session_token', 'service_account', 'client_secret', 'storage_account_key', 'storage_connection_string'];

const FIELDS: Record<string, string[]> = { S3: S3_FIELDS, GCS: GCS_FIELDS, AZURE: AZURE_FIELDS, FILESYSTEM: FILESYSTEM_FIELDS };

function objstoreFile(storage: ObjectStorage): any {
  return parse(storage.configFile!);
}

describe(`the objstore file uses the field names of ${UPSTREAM}`, () => {
  test.each<[string, () => ObjectStorage]>([
    ['S3 with every prop', () => ObjectStorage.s3({
      bucket: 'metrics', endpoint: 'minio.minio.svc:9000', region: 'eu-west-1', insecure: true, bucketLookup: S3BucketLookup.PATH,
      prefix: 'prod', credentials: S3Credentials.fromSecret('minio-keys'),
    })],
    ['GCS with every prop', () => ObjectStorage.gcs({ bucket: 'metrics', prefix: 'prod', credentials: GcsCredentials.fromSecret('gcs-key') })],
    ['Azure with every prop', () => ObjectStorage.azure({
      storageAccount: 'metrics', container: 'thanos', endpoint: 'blob.core.chinacloudapi.cn', prefix: 'prod', credentials: AzureCredentials.accountKey('azure-key'),
    })],
    ['a filesystem', () => ObjectStorage.filesystem('/var/thanos/bucket')],
  ])('%s', (_name, make) => {
    // GIVEN / WHEN
    const file = objstoreFile(make());
    // THEN every key is a yaml tag of BucketConfig and of the provider's Config
    expect(BUCKET_CONFIG_FIELDS).toEqual(expect.arrayContaining(Object.keys(file)));
    expect(PROVIDER_TYPES).toContain(file.type);
    expect(FIELDS[file.type]).toEqual(expect.arrayContaining(Object.keys(file.config)));
    // ...and no credential is written, but as a $(VAR) reference Thanos fills from the environment
    for (const field of CREDENTIAL_FIELDS.filter(f => f in file.config)) expect(file.config[field]).toMatch(/^\$\([A-Z_]+\)$/);
  });

  test('the S3 bucket lookup values are those the provider accepts', () => {
    // GIVEN / WHEN / THEN
    expect(Object.values(S3BucketLookup).sort()).toEqual([...S3_BUCKET_LOOKUP_TYPES].sort());
  });
});

describe('each factory renders its bucket', () => {
  test('an AWS S3 bucket: bucket, endpoint and region; the rest left to the provider', () => {
    // GIVEN / WHEN
    const storage = ObjectStorage.s3({ bucket: 'metrics-prod', endpoint: 's3.eu-west-1.amazonaws.com', region: 'eu-west-1' });
    // THEN
    expect(storage.configFile).toBe('type: S3\nconfig:\n  bucket: metrics-prod\n  endpoint: s3.eu-west-1.amazonaws.com\n  region: eu-west-1\n');
    expect(storage.configMapName).toBe('thanos-objstore-metrics-prod');
    expect(storage.secretName).toBeUndefined();
  });

  test('a MinIO bucket over HTTP, path-style, under a prefix', () => {
    // GIVEN / WHEN
    const storage = ObjectStorage.s3({ bucket: 'thanos', endpoint: 'minio.minio.svc:9000', insecure: true, bucketLookup: S3BucketLookup.PATH, prefix: 'team-a' });
    // THEN
    expect(objstoreFile(storage)).toEqual({
      type: 'S3',
      config: { bucket: 'thanos', endpoint: 'minio.minio.svc:9000', insecure: true, bucket_lookup_type: 'path' },
      prefix: 'team-a',
    });
  });

  test('a GCS bucket', () => {
    // GIVEN / WHEN
    const storage = ObjectStorage.gcs({ bucket: 'metrics_prod' });
    // THEN the ConfigMap name is the bucket's, as an object name
    expect(objstoreFile(storage)).toEqual({ type: 'GCS', config: { bucket: 'metrics_prod' } });
    expect(storage.configMapName).toBe('thanos-objstore-metrics-prod');
  });

  test('an Azure container, with its account key as an environment reference', () => {
    // GIVEN / WHEN
    const storage = ObjectStorage.azure({ storageAccount: 'metricsprod', container: 'thanos', credentials: AzureCredentials.accountKey('azure-storage') });
    // THEN
    expect(objstoreFile(storage)).toEqual({
      type: 'AZURE',
      config: { storage_account: 'metricsprod', container: 'thanos', storage_account_key: '$(AZURE_STORAGE_ACCOUNT_KEY)' },
    });
    expect(storage.configMapName).toBe('thanos-objstore-metricsprod-thanos');
  });

  test('an Azure container with workload identity writes no credential field at all', () => {
    // GIVEN / WHEN
    const storage = ObjectStorage.azure({
      storageAccount: 'metricsprod', container: 'thanos',
      credentials: AzureCredentials.workloadIdentity({ clientId: '11111111-2222-3333-4444-555555555555', tenantId: '66666666-7777-8888-9999-000000000000' }),
    });
    // THEN DefaultAzureCredential reads the environment (user_assigned_id would pick managed identity instead)
    expect(objstoreFile(storage)).toEqual({ type: 'AZURE', config: { storage_account: 'metricsprod', container: 'thanos' } });
  });

  test('a filesystem directory', () => {
    // GIVEN / WHEN
    const storage = ObjectStorage.filesystem('/var/thanos/bucket');
    // THEN
    expect(objstoreFile(storage)).toEqual({ type: 'FILESYSTEM', config: { directory: '/var/thanos/bucket' } });
    expect(storage.configMapName).toBe('thanos-objstore-fs-var-thanos-bucket');
  });

  test('configMapName names the ConfigMap', () => {
    // GIVEN / WHEN
    const storage = ObjectStorage.gcs({ bucket: 'metrics', configMapName: 'objstore' });
    // THEN
    expect(storage.configMapName).toBe('objstore');
  });

  test('fromSecret keeps the whole file in the user\'s Secret', () => {
    // GIVEN / WHEN
    const storage = ObjectStorage.fromSecret('thanos-objstore');
    // THEN
    expect(storage.secretName).toBe('thanos-objstore');
    expect(storage.key).toBe('objstore.yml');
    expect(storage.configFile).toBeUndefined();
    expect(storage.ports).toEqual([443]);
  });
});

describe('the egress ports come from the endpoint and the credentials', () => {
  test.each<[string, () => ObjectStorage, number[]]>([
    ['AWS S3, no port: HTTPS; the default chain may ask STS and the metadata service', () => ObjectStorage.s3({ bucket: 'metrics', endpoint: 's3.eu-west-1.amazonaws.com' }), [443, 80]],
    ['AWS S3 with IRSA: HTTPS, STS on 443', () => ObjectStorage.s3({
      bucket: 'metrics', endpoint: 's3.eu-west-1.amazonaws.com', credentials: S3Credentials.irsa('arn:aws:iam::123456789012:role/thanos'),
    }), [443]],
    ['MinIO on 9000 with keys', () => ObjectStorage.s3({ bucket: 'metrics', endpoint: 'minio.minio.svc:9000', credentials: S3Credentials.fromSecret('minio') }), [9000]],
    ['S3 over HTTP without a port', () => ObjectStorage.s3({ bucket: 'metrics', endpoint: 'ceph-rgw.storage.svc', insecure: true, credentials: S3Credentials.fromSecret('rgw') }), [80]],
    ['GCS with a key file', () => ObjectStorage.gcs({ bucket: 'metrics', credentials: GcsCredentials.fromSecret('gcs') }), [443]],
    ['GCS with workload identity: the GKE metadata server too', () => ObjectStorage.gcs({
      bucket: 'metrics', credentials: GcsCredentials.workloadIdentity('thanos@my-project.iam.gserviceaccount.com'),
    }), [443, 80, 988]],
    ['Azure with an account key', () => ObjectStorage.azure({ storageAccount: 'metrics', container: 'thanos', credentials: AzureCredentials.accountKey('az') }), [443]],
    ['Azure on a private endpoint port', () => ObjectStorage.azure({
      storageAccount: 'metrics', container: 'thanos', endpoint: 'blob.storage.internal:8443', credentials: AzureCredentials.accountKey('az'),
    }), [8443]],
    ['a filesystem: none', () => ObjectStorage.filesystem('/tmp/bucket'), []],
    ['fromSecret: the given ports', () => ObjectStorage.fromSecret('objstore', 'objstore.yml', { ports: [9000] }), [9000]],
  ])('%s', (_name, make, ports) => {
    // GIVEN / WHEN
    const storage = make();
    // THEN
    expect(storage.ports).toEqual(ports);
    expect(storage.egressPorts).toEqual(ports.map(port => ({ name: `objstore-${port}`, port })));
  });
});

describe('bad arguments fail with the factory and the argument named', () => {
  const s3 = (props: Partial<Parameters<typeof ObjectStorage.s3>[0]>) => () => ObjectStorage.s3({ bucket: 'metrics', endpoint: 's3.amazonaws.com', ...props });
  test.each<[string, () => unknown, string]>([
    ['an S3 bucket has capitals', s3({ bucket: 'Metrics' }), "ObjectStorage.s3: invalid 'bucket': 'Metrics' must be an S3 bucket name"],
    ['an S3 endpoint has a scheme', s3({ endpoint: 'https://s3.amazonaws.com' }), "ObjectStorage.s3: invalid 'endpoint': 'https://s3.amazonaws.com' has a scheme"],
    ['an S3 endpoint has a path', s3({ endpoint: 's3.amazonaws.com/metrics' }), "ObjectStorage.s3: invalid 'endpoint': 's3.amazonaws.com/metrics' must be a host or host:port, without a path"],
    ['an S3 endpoint port is out of range', s3({ endpoint: 'minio:70000' }), "ObjectStorage.s3: invalid 'endpoint': 'minio:70000' has a port outside 1-65535"],
    ['an S3 endpoint is empty', s3({ endpoint: '' }), "ObjectStorage.s3: invalid 'endpoint': '' must be a host or host:port"],
    ['an S3 region has a space', s3({ region: 'eu west 1' }), "ObjectStorage.s3: invalid 'region'"],
    ['an S3 bucket lookup is unknown', s3({ bucketLookup: 'dns' as S3BucketLookup }), "ObjectStorage.s3: invalid 'bucketLookup': 'dns' must be one of auto, virtual-hosted, path"],
    ['a prefix is only slashes', s3({ prefix: '//' }), "ObjectStorage.s3: invalid 'prefix'"],
    ['a prefix looks like an environment reference', s3({ prefix: 'a$(B)' }), "ObjectStorage.s3: invalid 'prefix'"],
    ['a configMapName has capitals', s3({ configMapName: 'Objstore' }), "ObjectStorage.s3: invalid 'configMapName'"],
    ['a GCS bucket has a slash', () => ObjectStorage.gcs({ bucket: 'a/b' }), "ObjectStorage.gcs: invalid 'bucket'"],
    ['a GCS prefix is empty', () => ObjectStorage.gcs({ bucket: 'metrics', prefix: '' }), "ObjectStorage.gcs: invalid 'prefix'"],
    ['a GCS configMapName ends with a dash', () => ObjectStorage.gcs({ bucket: 'metrics', configMapName: 'objstore-' }), "ObjectStorage.gcs: invalid 'configMapName'"],
    ['an Azure storage account has a dash', () => ObjectStorage.azure({ storageAccount: 'metrics-prod', container: 'thanos' }), "ObjectStorage.azure: invalid 'storageAccount'"],
    ['an Azure container has a double dash', () => ObjectStorage.azure({ storageAccount: 'metrics', container: 'a--b' }), "ObjectStorage.azure: invalid 'container'"],
    ['an Azure endpoint has a scheme', () => ObjectStorage.azure({ storageAccount: 'metrics', container: 'thanos', endpoint: 'https://blob.core.windows.net' }),
      "ObjectStorage.azure: invalid 'endpoint'"],
    ['an Azure prefix is only a slash', () => ObjectStorage.azure({ storageAccount: 'metrics', container: 'thanos', prefix: '/' }), "ObjectStorage.azure: invalid 'prefix'"],
    ['an Azure configMapName has an underscore', () => ObjectStorage.azure({ storageAccount: 'metrics', container: 'thanos', configMapName: 'a_b' }),
      "ObjectStorage.azure: invalid 'configMapName'"],
    ['a filesystem directory is relative', () => ObjectStorage.filesystem('data/bucket'), "ObjectStorage.filesystem: invalid 'directory'"],
    ['a filesystem directory is the root', () => ObjectStorage.filesystem('/'), "ObjectStorage.filesystem: invalid 'directory'"],
    ['a filesystem directory climbs out', () => ObjectStorage.filesystem('/data/../etc'), "ObjectStorage.filesystem: invalid 'directory'"],
    ['a Secret name of fromSecret has capitals', () => ObjectStorage.fromSecret('Objstore'), "ObjectStorage.fromSecret: invalid 'secretName'"],
    ['a key of fromSecret has a slash', () => ObjectStorage.fromSecret('objstore', 'a/b'), "ObjectStorage.fromSecret: invalid 'key'"],
    ['fromSecret has no port', () => ObjectStorage.fromSecret('objstore', 'objstore.yml', { ports: [] }), "ObjectStorage.fromSecret: invalid 'options.ports'"],
    ['fromSecret has port 0', () => ObjectStorage.fromSecret('objstore', 'objstore.yml', { ports: [0] }), "ObjectStorage.fromSecret: invalid 'options.ports'"],
  ])('fails when %s', (_name, make, expected) => {
    // GIVEN / WHEN
    let error: unknown;
    try {
      make();
    } catch (e) {
      error = e;
    }
    // THEN
    expect(error).toBeInstanceOf(InvalidValueError);
    expect((error as Error).message.startsWith(expected)).toBe(true);
  });
});
