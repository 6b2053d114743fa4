import { App, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { parse } from 'yaml';
import {
  AzureCredentials, checkPolicies, GcsCredentials, MonitoringChart, ObjectStorage, Prometheus, S3Credentials, ThanosCompactor, ThanosStoreGateway,
} from '../../../lib';
import { K8sSchema } from '../../support/k8s-schema';
import { configMapVolumesExist, serviceAccountsExist, volumeMountsExist } from '../../support/references';
import { all, container, find, givenChart, Manifest, synth, testApp } from '../../support/synth';

// What the components that use a bucket (the Prometheus sidecar, the store
// gateway, the compactor) get from it: one objstore ConfigMap per Chart, the
// flag, volumes, mounts and env of their containers, their ServiceAccount for
// workload identity, and their egress. Every object holds no credential: the
// project's policy check (credential rules included) passes on each stack.

const ROLE = 'arn:aws:iam::123456789012:role/thanos';
const GSA = 'thanos@my-project.iam.gserviceaccount.com';
const CLIENT_ID = '11111111-2222-3333-4444-555555555555';
const TENANT_ID = '66666666-7777-8888-9999-000000000000';
const minio = (credentials = S3Credentials.fromSecret('minio-keys')) =>
  ObjectStorage.s3({ bucket: 'thanos', endpoint: 'minio.minio.svc:9000', insecure: true, credentials });

const podSpec = (workload: Manifest) => workload.spec.template.spec;
const chartWith = (app: App, objectStorage: ObjectStorage, props: object = {}) =>
  new MonitoringChart(app, 'monitoring', { namespace: 'monitoring', prometheus: { thanos: { objectStorage } }, ...props });

describe('one objstore ConfigMap per Chart and bucket', () => {
  test('a store gateway and a compactor of one Chart share the ConfigMap of their bucket', () => {
    // GIVEN
    const { chart } = givenChart();
    const bucket = minio();
    // WHEN
    new ThanosStoreGateway(chart, 'store', { objectStorage: bucket });
    new ThanosCompactor(chart, 'compactor', { objectStorage: bucket });
    const manifests = synth(chart);
    // THEN one ConfigMap, named after the bucket, holds the file, and both mount it
    expect(all(manifests, 'ConfigMap').map(c => c.metadata.name)).toEqual(['thanos-objstore-thanos']);
    expect(find(manifests, 'ConfigMap', 'thanos-objstore-thanos').data).toEqual({ 'objstore.yml': bucket.configFile });
    for (const name of ['store', 'compactor']) {
      const sts = find(manifests, 'StatefulSet', name);
      expect(podSpec(sts).volumes).toContainEqual({ name: 'objstore', configMap: { name: 'thanos-objstore-thanos' } });
      expect(container(sts, 'thanos').volumeMounts).toContainEqual({ name: 'objstore', mountPath: '/etc/thanos/objstore', readOnly: true });
      expect(container(sts, 'thanos').args).toContain('--objstore.config-file=/etc/thanos/objstore/objstore.yml');
    }
    expect(bucket.configMapIn(chart)?.name).toBe('thanos-objstore-thanos');
    expect(configMapVolumesExist(manifests)).toEqual([]);
  });

  test('the three users of a MonitoringChart share one ConfigMap', () => {
    // GIVEN
    const app = testApp();
    // WHEN
    const manifests = Testing.synth(chartWith(app, minio())) as Manifest[];
    // THEN
    expect(all(manifests, 'ConfigMap').filter(c => c.metadata.name.startsWith('thanos-objstore'))).toHaveLength(1);
    const users = ['prometheus', 'store-gateway', 'compactor'].map(n => find(manifests, 'StatefulSet', n));
    expect(users.map(s => podSpec(s).volumes.find((v: any) => v.name === 'objstore'))).toEqual(users.map(() => ({
      name: 'objstore', configMap: { name: 'thanos-objstore-thanos' },
    })));
    expect(configMapVolumesExist(manifests)).toEqual([]);
    expect(volumeMountsExist(manifests)).toEqual([]);
  });

  test('each Chart that uses the bucket gets its own copy', () => {
    // GIVEN
    const app = testApp();
    const bucket = minio();
    // WHEN
    const charts = ['a', 'b'].map(ns => new Chart(app, ns, { namespace: ns }));
    charts.forEach(c => new ThanosCompactor(c, 'compactor', { objectStorage: bucket }));
    // THEN
    expect(charts.map(c => all(synth(c), 'ConfigMap').map(m => `${m.metadata.namespace}/${m.metadata.name}`))).toEqual([
      ['a/thanos-objstore-thanos'], ['b/thanos-objstore-thanos'],
    ]);
  });

  test('two equal values of one bucket share the ConfigMap too', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new ThanosStoreGateway(chart, 'store', { objectStorage: minio() });
    new ThanosCompactor(chart, 'compactor', { objectStorage: minio() });
    // THEN
    expect(all(synth(chart), 'ConfigMap')).toHaveLength(1);
  });

  test('fails when two different buckets would write the same ConfigMap', () => {
    // GIVEN
    const { chart } = givenChart();
    new ThanosStoreGateway(chart, 'store', { objectStorage: minio() });
    // WHEN / THEN
    expect(() => new ThanosCompactor(chart, 'compactor', {
      objectStorage: ObjectStorage.s3({ bucket: 'thanos', endpoint: 's3.amazonaws.com' }),
    })).toThrow("test/compactor: invalid 'objectStorage': another bucket of this Chart already writes ConfigMap 'thanos-objstore-thanos' "
      + 'with another objstore file: give one of them its own configMapName');
  });

  test('fails when the ConfigMap id is another construct\'s', () => {
    // GIVEN
    const { chart } = givenChart();
    new Construct(chart, 'thanos-objstore-thanos');
    // WHEN / THEN
    expect(() => new ThanosCompactor(chart, 'compactor', { objectStorage: minio() }))
      .toThrow("test/compactor: invalid 'objectStorage': its objstore ConfigMap 'thanos-objstore-thanos' would take the id of test/thanos-objstore-thanos");
  });

  test('fromSecret creates nothing: the pods mount the user\'s Secret', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new ThanosCompactor(chart, 'compactor', { objectStorage: ObjectStorage.fromSecret('thanos-objstore') });
    const manifests = synth(chart);
    // THEN
    expect(all(manifests, 'ConfigMap')).toEqual([]);
    expect(podSpec(find(manifests, 'StatefulSet', 'compactor')).volumes).toEqual([
      { name: 'objstore', secret: { secretName: 'thanos-objstore', items: [{ key: 'objstore.yml', path: 'objstore.yml' }] } },
    ]);
  });
});

describe('credentials reach the containers from the user\'s Secret, never the objstore file', () => {
  test('S3 keys are env vars from secretKeyRef, in the store gateway and in the Prometheus sidecar', () => {
    // GIVEN
    const app = testApp();
    const bucket = minio(S3Credentials.fromSecret('minio-keys', { accessKeyId: 'user', secretAccessKey: 'password', sessionToken: 'token' }));
    // WHEN
    const manifests = Testing.synth(chartWith(app, bucket)) as Manifest[];
    // THEN
    const env = [
      { name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: 'minio-keys', key: 'user' } } },
      { name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 'minio-keys', key: 'password' } } },
      { name: 'AWS_SESSION_TOKEN', valueFrom: { secretKeyRef: { name: 'minio-keys', key: 'token' } } },
    ];
    expect(container(find(manifests, 'StatefulSet', 'store-gateway'), 'thanos').env).toEqual(env);
    expect(container(find(manifests, 'StatefulSet', 'compactor'), 'thanos').env).toEqual(env);
    expect(container(find(manifests, 'StatefulSet', 'prometheus'), 'thanos-sidecar').env).toEqual(env);
    // ...and only the sidecar of the Prometheus pod gets them
    expect(container(find(manifests, 'StatefulSet', 'prometheus'), 'prometheus').env.map((e: any) => e.name)).toEqual(['POD_NAME']);
    expect(parse(find(manifests, 'ConfigMap', 'thanos-objstore-thanos').data['objstore.yml']).config).not.toHaveProperty('access_key');
  });

  test('the S3 keys default to the AWS names', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new ThanosCompactor(chart, 'compactor', { objectStorage: minio(S3Credentials.fromSecret('minio-keys')) });
    // THEN
    expect(container(find(synth(chart), 'StatefulSet', 'compactor'), 'thanos').env.map((e: any) => e.valueFrom.secretKeyRef.key))
      .toEqual(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']);
  });

  test('a GCS key file is mounted from its Secret and named by GOOGLE_APPLICATION_CREDENTIALS', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new ThanosCompactor(chart, 'compactor', { objectStorage: ObjectStorage.gcs({ bucket: 'metrics', credentials: GcsCredentials.fromSecret('gcs', 'key.json') }) });
    const sts = find(synth(chart), 'StatefulSet', 'compactor');
    // THEN
    expect(podSpec(sts).volumes).toContainEqual({ name: 'objstore-credentials', secret: { secretName: 'gcs', items: [{ key: 'key.json', path: 'credentials.json' }] } });
    expect(container(sts, 'thanos').volumeMounts).toContainEqual({ name: 'objstore-credentials', mountPath: '/etc/thanos/objstore-credentials', readOnly: true });
    expect(container(sts, 'thanos').env).toEqual([{ name: 'GOOGLE_APPLICATION_CREDENTIALS', value: '/etc/thanos/objstore-credentials/credentials.json' }]);
    expect(podSpec(sts).serviceAccountName).toBeUndefined();
  });

  test('an Azure account key is an env var from secretKeyRef that the objstore file refers to', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new ThanosCompactor(chart, 'compactor', {
      objectStorage: ObjectStorage.azure({ storageAccount: 'metrics', container: 'thanos', credentials: AzureCredentials.accountKey('azure-storage', 'key1') }),
    });
    const manifests = synth(chart);
    // THEN
    expect(container(find(manifests, 'StatefulSet', 'compactor'), 'thanos').env).toEqual([
      { name: 'AZURE_STORAGE_ACCOUNT_KEY', valueFrom: { secretKeyRef: { name: 'azure-storage', key: 'key1' } } },
    ]);
    expect(parse(find(manifests, 'ConfigMap', 'thanos-objstore-metrics-thanos').data['objstore.yml']).config.storage_account_key)
      .toBe('$(AZURE_STORAGE_ACCOUNT_KEY)');
  });
});

describe('workload identity: each component runs as its own annotated ServiceAccount, without an API token', () => {
  test.each<[string, () => ObjectStorage, Record<string, string>]>([
    ['EKS IRSA', () => ObjectStorage.s3({ bucket: 'metrics', endpoint: 's3.eu-west-1.amazonaws.com', credentials: S3Credentials.irsa(ROLE) }),
      { 'eks.amazonaws.com/role-arn': ROLE }],
    ['GKE Workload Identity', () => ObjectStorage.gcs({ bucket: 'metrics', credentials: GcsCredentials.workloadIdentity(GSA) }),
      { 'iam.gke.io/gcp-service-account': GSA }],
    ['Azure Workload ID', () => ObjectStorage.azure({
      storageAccount: 'metrics', container: 'thanos', credentials: AzureCredentials.workloadIdentity({ clientId: CLIENT_ID, tenantId: TENANT_ID }),
    }), { 'azure.workload.identity/client-id': CLIENT_ID, 'azure.workload.identity/tenant-id': TENANT_ID }],
  ])('%s', (_name, bucket, annotations) => {
    // GIVEN
    const app = testApp();
    // WHEN
    const manifests = Testing.synth(chartWith(app, bucket())) as Manifest[];
    // THEN the ServiceAccounts of the three users carry the annotations
    for (const name of ['prometheus', 'store-gateway', 'compactor']) {
      expect(find(manifests, 'ServiceAccount', name).metadata.annotations).toEqual(annotations);
      expect(podSpec(find(manifests, 'StatefulSet', name)).serviceAccountName).toBe(name);
    }
    // ...the bucket readers mount no API token (Prometheus does, for service discovery)
    expect(podSpec(find(manifests, 'StatefulSet', 'store-gateway')).automountServiceAccountToken).toBe(false);
    expect(podSpec(find(manifests, 'StatefulSet', 'compactor')).automountServiceAccountToken).toBe(false);
    expect(podSpec(find(manifests, 'StatefulSet', 'prometheus')).automountServiceAccountToken).toBe(true);
    expect(serviceAccountsExist(manifests)).toEqual([]);
  });

  test('Azure Workload ID projects its token and sets the variables the SDK reads', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new ThanosCompactor(chart, 'compactor', {
      objectStorage: ObjectStorage.azure({
        storageAccount: 'metrics', container: 'thanos', credentials: AzureCredentials.workloadIdentity({ clientId: CLIENT_ID, tenantId: TENANT_ID }),
      }),
    });
    const manifests = synth(chart);
    const sts = find(manifests, 'StatefulSet', 'compactor');
    // THEN a projected ServiceAccount token of the token exchange's audience, no webhook or pod label needed
    expect(podSpec(sts).volumes).toContainEqual({
      name: 'azure-identity-token',
      projected: { sources: [{ serviceAccountToken: { audience: 'api://AzureADTokenExchange', expirationSeconds: 3600, path: 'azure-identity-token' } }] },
    });
    expect(container(sts, 'thanos').volumeMounts).toContainEqual({ name: 'azure-identity-token', mountPath: '/var/run/secrets/azure/tokens', readOnly: true });
    expect(container(sts, 'thanos').env).toEqual([
      { name: 'AZURE_CLIENT_ID', value: CLIENT_ID },
      { name: 'AZURE_TENANT_ID', value: TENANT_ID },
      { name: 'AZURE_FEDERATED_TOKEN_FILE', value: '/var/run/secrets/azure/tokens/azure-identity-token' },
      { name: 'AZURE_AUTHORITY_HOST', value: 'https://login.microsoftonline.com/' },
    ]);
    expect(K8sSchema.load().validateAll(manifests)).toEqual([]);
  });

  test('serviceAccount names the ServiceAccount and adds annotations over the bucket\'s', () => {
    // GIVEN
    const { chart } = givenChart();
    const bucket = ObjectStorage.s3({ bucket: 'metrics', endpoint: 's3.amazonaws.com', credentials: S3Credentials.irsa(ROLE) });
    // WHEN
    const store = new ThanosStoreGateway(chart, 'store', {
      objectStorage: bucket,
      serviceAccount: { name: 'thanos-reader', annotations: { 'eks.amazonaws.com/role-arn': `${ROLE}-read-only`, 'eks.amazonaws.com/sts-regional-endpoints': 'true' } },
    });
    const manifests = synth(chart);
    // THEN
    expect(find(manifests, 'ServiceAccount', 'thanos-reader').metadata.annotations).toEqual({
      'eks.amazonaws.com/role-arn': `${ROLE}-read-only`, 'eks.amazonaws.com/sts-regional-endpoints': 'true',
    });
    expect(podSpec(find(manifests, 'StatefulSet', 'store')).serviceAccountName).toBe('thanos-reader');
    expect(store.serviceAccountName).toBe('thanos-reader');
    expect(store.serviceAccount?.name).toBe('thanos-reader');
  });

  test('serviceAccount gives a component with Secret credentials an identity of its own', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new ThanosCompactor(chart, 'compactor', { objectStorage: ObjectStorage.fromSecret('objstore'), serviceAccount: {} });
    const manifests = synth(chart);
    // THEN
    expect(find(manifests, 'ServiceAccount', 'compactor').metadata.annotations).toBeUndefined();
    expect(podSpec(find(manifests, 'StatefulSet', 'compactor'))).toMatchObject({ serviceAccountName: 'compactor', automountServiceAccountToken: false });
  });

  test('serviceAccount create: false runs the pods as an existing ServiceAccount', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    const compactor = new ThanosCompactor(chart, 'compactor', {
      objectStorage: ObjectStorage.s3({ bucket: 'metrics', endpoint: 's3.amazonaws.com', credentials: S3Credentials.irsa(ROLE) }),
      serviceAccount: { name: 'made-by-eksctl', create: false },
    });
    const manifests = synth(chart);
    // THEN
    expect(all(manifests, 'ServiceAccount')).toEqual([]);
    expect(podSpec(find(manifests, 'StatefulSet', 'compactor')).serviceAccountName).toBe('made-by-eksctl');
    expect(compactor.serviceAccount).toBeUndefined();
  });

  test('without workload identity or serviceAccount, a bucket reader runs as the default ServiceAccount, without a token', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new ThanosCompactor(chart, 'compactor', { objectStorage: minio() });
    const manifests = synth(chart);
    // THEN
    expect(all(manifests, 'ServiceAccount')).toEqual([]);
    expect(podSpec(find(manifests, 'StatefulSet', 'compactor')).serviceAccountName).toBeUndefined();
    expect(podSpec(find(manifests, 'StatefulSet', 'compactor')).automountServiceAccountToken).toBe(false);
  });

  test('Prometheus takes annotations for its ServiceAccount, over its bucket\'s', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new Prometheus(chart, 'prometheus', {
      thanos: { objectStorage: ObjectStorage.s3({ bucket: 'metrics', endpoint: 's3.amazonaws.com', credentials: S3Credentials.irsa(ROLE) }) },
      serviceAccount: { annotations: { 'example.com/team': 'observability' } },
    });
    // THEN
    expect(find(synth(chart), 'ServiceAccount', 'prometheus').metadata.annotations).toEqual({
      'eks.amazonaws.com/role-arn': ROLE, 'example.com/team': 'observability',
    });
  });

  test('fails when serviceAccount has annotations but create: false', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN / THEN
    expect(() => new ThanosCompactor(chart, 'compactor', {
      objectStorage: minio(), serviceAccount: { name: 'existing', create: false, annotations: { a: 'b' } },
    })).toThrow("test/compactor: invalid 'serviceAccount.annotations': are set, but create is false");
  });

  test('fails when the serviceAccount name is not a DNS label', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN / THEN
    expect(() => new ThanosCompactor(chart, 'compactor', { objectStorage: minio(), serviceAccount: { name: 'Thanos_SA' } }))
      .toThrow("test/compactor: invalid 'serviceAccount.name'");
  });
});

describe('egress follows the endpoint and the credentials', () => {
  const bucketEgress = (objectStorage: ObjectStorage) => {
    const { chart } = givenChart();
    new ThanosCompactor(chart, 'compactor', { objectStorage });
    // The first egress rule is DNS.
    return find(synth(chart), 'NetworkPolicy', 'compactor').spec.egress.slice(1);
  };

  test.each<[string, () => ObjectStorage, number[]]>([
    ['AWS S3 with IRSA: 443', () => ObjectStorage.s3({ bucket: 'metrics', endpoint: 's3.eu-west-1.amazonaws.com', credentials: S3Credentials.irsa(ROLE) }), [443]],
    ['MinIO on minio.minio.svc:9000: 9000', () => minio(), [9000]],
    ['GCS with workload identity: 443 and the metadata server', () => ObjectStorage.gcs({ bucket: 'metrics', credentials: GcsCredentials.workloadIdentity(GSA) }),
      [443, 80, 988]],
    ['Azure with an account key: 443', () => ObjectStorage.azure({ storageAccount: 'metrics', container: 'thanos', credentials: AzureCredentials.accountKey('az') }), [443]],
  ])('%s', (_name, bucket, ports) => {
    // GIVEN / WHEN
    const egress = bucketEgress(bucket());
    // THEN
    expect(egress).toEqual([{ ports: ports.map(port => ({ port, protocol: 'TCP' })) }]);
  });

  test('a filesystem bucket opens no egress', () => {
    // GIVEN / WHEN
    const egress = bucketEgress(ObjectStorage.filesystem('/var/thanos/bucket'));
    // THEN only DNS remains
    expect(egress).toEqual([]);
  });
});

describe('a filesystem bucket is for one pod of one component', () => {
  test('a single Prometheus uploads into an emptyDir at the directory', () => {
    // GIVEN
    const app = testApp();
    const bucket = ObjectStorage.filesystem('/var/thanos/bucket');
    // WHEN
    const chart = chartWith(app, bucket, {
      prometheus: { replicas: 1, thanos: { objectStorage: bucket } },
      storeGateway: { enabled: false },
      compactor: { enabled: false },
    });
    const sts = find(Testing.synth(chart) as Manifest[], 'StatefulSet', 'prometheus');
    // THEN
    expect(podSpec(sts).volumes).toContainEqual({ name: 'objstore-filesystem', emptyDir: {} });
    expect(container(sts, 'thanos-sidecar').volumeMounts).toContainEqual({ name: 'objstore-filesystem', mountPath: '/var/thanos/bucket' });
  });

  test('fails when the component has more than one replica', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN / THEN the store gateway runs two by default
    expect(() => new ThanosStoreGateway(chart, 'store', { objectStorage: ObjectStorage.filesystem('/var/thanos/bucket') }))
      .toThrow("test/store: invalid 'objectStorage': ObjectStorage.filesystem is a directory of one pod, for tests: give this component one replica, not 2");
  });

  test('fails when a second component uses it', () => {
    // GIVEN
    const { chart } = givenChart();
    const bucket = ObjectStorage.filesystem('/var/thanos/bucket');
    new ThanosCompactor(chart, 'compactor', { objectStorage: bucket });
    // WHEN / THEN
    expect(() => new ThanosStoreGateway(chart, 'store', { objectStorage: bucket, replicas: 1 }))
      .toThrow("test/store: invalid 'objectStorage': ObjectStorage.filesystem is a directory of one pod, for tests, and test/compactor uses it already");
  });

  test('fails in a MonitoringChart with its store gateway and compactor', () => {
    // GIVEN
    const app = testApp();
    const bucket = ObjectStorage.filesystem('/var/thanos/bucket');
    // WHEN / THEN
    expect(() => chartWith(app, bucket, {
      prometheus: { replicas: 1, thanos: { objectStorage: bucket } },
    })).toThrow("monitoring/store-gateway: invalid 'objectStorage': ObjectStorage.filesystem is a directory of one pod, for tests, and monitoring/prometheus uses it already: "
      + 'use one component (in a MonitoringChart, disable the store gateway and the compactor)');
  });

  test('fails for a Prometheus with two replicas', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN / THEN
    expect(() => new Prometheus(chart, 'prometheus', { thanos: { objectStorage: ObjectStorage.filesystem('/var/thanos/bucket') } }))
      .toThrow("test/prometheus: invalid 'thanos.objectStorage': ObjectStorage.filesystem is a directory of one pod, for tests: give this component one replica, not 2");
  });
});

describe('every stack passes the policy: no credential in a ConfigMap or an argument, no needless token', () => {
  test.each<[string, () => ObjectStorage]>([
    ['S3 keys from a Secret', () => minio()],
    ['S3 with IRSA', () => ObjectStorage.s3({ bucket: 'metrics', endpoint: 's3.eu-west-1.amazonaws.com', credentials: S3Credentials.irsa(ROLE) })],
    ['GCS with a key file', () => ObjectStorage.gcs({ bucket: 'metrics', credentials: GcsCredentials.fromSecret('gcs') })],
    ['GCS with workload identity', () => ObjectStorage.gcs({ bucket: 'metrics', credentials: GcsCredentials.workloadIdentity(GSA) })],
    ['Azure with an account key', () => ObjectStorage.azure({ storageAccount: 'metrics', container: 'thanos', credentials: AzureCredentials.accountKey('az') })],
    ['Azure with workload identity', () => ObjectStorage.azure({
      storageAccount: 'metrics', container: 'thanos', credentials: AzureCredentials.workloadIdentity({ clientId: CLIENT_ID, tenantId: TENANT_ID }),
    })],
  ])('%s', (_name, bucket) => {
    // GIVEN
    const app = testApp();
    // WHEN
    const manifests = Testing.synth(chartWith(app, bucket())) as Manifest[];
    // THEN
    expect(checkPolicies(manifests)).toEqual([]);
    expect(K8sSchema.load().validateAll(manifests)).toEqual([]);
  });

  test('the policy would see a credential in the objstore ConfigMap', () => {
    // GIVEN the objects of a stack
    const app = testApp();
    const manifests = structuredClone(Testing.synth(chartWith(app, minio())) as Manifest[]);
    // WHEN its objstore file had the keys inline
    const cm = find(manifests, 'ConfigMap', 'thanos-objstore-thanos');
    cm.data['objstore.yml'] += '  secret_key: hunter2\n  session_token: abc\n';
    // THEN the credential rule fires
    expect(checkPolicies(manifests).map(v => `${v.rule} ${v.object}`)).toEqual(['configmap-no-inline-credentials ConfigMap/monitoring/thanos-objstore-thanos']);
  });
});
