import { App, Chart } from 'cdk8s';
import * as k8s from '../../imports/k8s';
import {
  Alertmanager, AzureCredentials, DiscoveryScope, GcsCredentials, Grafana, IngressAuth, MonitoringIngress, NetworkPeer, ObjectStorage, Prometheus,
  Pushgateway, S3Credentials, SecretFile, ThanosCompactor, ThanosQuerier, ThanosStoreGateway,
} from '../../lib';

/**
 * A stack that needs one of everything a component can need: Secret files of
 * Prometheus and Alertmanager configs, an objstore Secret, bucket credentials
 * as env (S3, Azure) and as a key file (GCS), TLS and basic auth Secrets of
 * the Ingress, its class and controller namespace, a StorageClass, a
 * PriorityClass, discovery Roles and pushers in other namespaces, Grafana's
 * admin Secret; and one Secret the chart creates itself.
 */
export function everyNeed(app: App): Chart {
  const chart = new Chart(app, 'every-need', { namespace: 'monitoring' });
  const alertmanager = new Alertmanager(chart, 'alertmanager', {
    storage: { storageClassName: 'fast-ssd' },
    config: {
      route: { receiver: 'slack' },
      receivers: [{
        name: 'slack',
        slackConfigs: [{ apiUrlFile: SecretFile.fromSecret('slack', 'webhook-url'), channel: '#alerts' }],
        pagerdutyConfigs: [{ routingKeyFile: SecretFile.fromSecret('pagerduty', 'routing-key') }],
      }],
    },
  });
  // The chart makes the PagerDuty Secret itself: not a prerequisite.
  new k8s.KubeSecret(chart, 'pagerduty-secret', { metadata: { name: 'pagerduty' }, stringData: { 'routing-key': 'x' } });
  const pushgateway = new Pushgateway(chart, 'pushgateway', { pushFrom: [NetworkPeer.namespace('batch')] });
  const prometheus = new Prometheus(chart, 'prometheus', {
    priorityClassName: 'monitoring-critical',
    storage: { storageClassName: 'fast-ssd' },
    discovery: DiscoveryScope.namespaces(['monitoring', 'apps']),
    alertmanagers: [alertmanager],
    pushgateways: [pushgateway],
    thanos: { objectStorage: ObjectStorage.fromSecret('thanos-objstore', 'bucket.yml') },
    remoteWrite: [{
      url: 'https://metrics.example.com/api/v1/write',
      auth: { basicAuthUsername: 'prometheus', basicAuthPasswordFile: SecretFile.fromSecret('remote-write', 'password') },
      tls: { certFile: SecretFile.fromSecret('remote-write-tls', 'tls.crt'), keyFile: SecretFile.fromSecret('remote-write-tls', 'tls.key') },
    }],
  });
  const s3 = new ThanosStoreGateway(chart, 'store-s3', {
    objectStorage: ObjectStorage.s3({ bucket: 'old-metrics', endpoint: 'minio.minio.svc:9000', insecure: true, credentials: S3Credentials.fromSecret('minio-keys') }),
  });
  const azure = new ThanosStoreGateway(chart, 'store-azure', {
    objectStorage: ObjectStorage.azure({ storageAccount: 'metrics', container: 'thanos', credentials: AzureCredentials.accountKey('azure-storage') }),
  });
  new ThanosCompactor(chart, 'compactor', {
    objectStorage: ObjectStorage.gcs({ bucket: 'metrics-archive', credentials: GcsCredentials.fromSecret('gcs-key') }),
  });
  const querier = new ThanosQuerier(chart, 'querier', { stores: [prometheus, s3, azure] });
  new Grafana(chart, 'grafana', { adminCredentials: { secretName: 'grafana-admin' }, datasources: [querier] });
  new MonitoringIngress(chart, 'ingress', {
    host: 'monitoring.example.com',
    tlsSecretName: 'monitoring-tls',
    ingressClassName: 'public',
    controllerNamespace: 'ingress',
    auth: IngressAuth.basic('monitoring-basic-auth'),
    prometheus,
    querier,
  });
  return chart;
}

/** Two charts in two namespaces: a Prometheus of a team, and a central Querier over it. */
export function crossNamespace(app: App): { team: Chart; central: Chart } {
  const team = new Chart(app, 'team', { namespace: 'team-a' });
  const prometheus = new Prometheus(team, 'prometheus', { replicas: 1 });
  const central = new Chart(app, 'central', { namespace: 'observability' });
  new ThanosQuerier(central, 'querier', { stores: [prometheus] });
  return { team, central };
}

/** A chart of a user's own objects, which declare nothing: what they refer to is found in them. */
export function ownObjects(app: App): Chart {
  const chart = new Chart(app, 'own', { namespace: 'apps' });
  new k8s.KubeNamespace(chart, 'namespace', { metadata: { name: 'apps', namespace: undefined } });
  new k8s.KubeConfigMap(chart, 'settings', { metadata: { name: 'settings' }, data: { level: 'info' } });
  new k8s.KubeDeployment(chart, 'app', {
    metadata: { name: 'app' },
    spec: {
      selector: { matchLabels: { app: 'app' } },
      template: {
        metadata: { labels: { app: 'app' } },
        spec: {
          serviceAccountName: 'app-runner',
          imagePullSecrets: [{ name: 'registry' }],
          containers: [{
            name: 'app',
            image: 'registry.example.com/app:1.0',
            envFrom: [{ secretRef: { name: 'app-env' } }],
            env: [
              { name: 'LEVEL', valueFrom: { configMapKeyRef: { name: 'settings', key: 'level' } } },
              { name: 'REGION', valueFrom: { configMapKeyRef: { name: 'cluster-info', key: 'region' } } },
              { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'app-token', key: 'token' } } },
            ],
            volumeMounts: [{ name: 'cache', mountPath: '/cache' }],
          }],
          volumes: [{ name: 'cache', persistentVolumeClaim: { claimName: 'app-cache' } }],
        },
      },
    },
  });
  return chart;
}
