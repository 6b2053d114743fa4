import { App, Duration } from 'cdk8s';
import { MonitoringChart, ObjectStorage, S3Credentials } from '../lib';

/**
 * The stack with long-term storage: the sidecars upload 2h blocks to an S3
 * bucket, a store gateway serves them to the querier, and one compactor
 * downsamples them. Local retention can then be short.
 *
 * The objstore file (no credential) goes into the ConfigMap
 * `thanos-objstore-metrics-prod-eu-1`, shared by the three; each runs as its
 * own ServiceAccount (prometheus, store-gateway, compactor) annotated with the
 * IAM role for IRSA, which the role's trust policy must name.
 */
export function longTermStorage(app: App): MonitoringChart {
  const bucket = ObjectStorage.s3({
    bucket: 'metrics-prod-eu-1',
    endpoint: 's3.eu-west-1.amazonaws.com',
    region: 'eu-west-1',
    credentials: S3Credentials.irsa('arn:aws:iam::123456789012:role/thanos-metrics-prod-eu-1'),
  });
  return new MonitoringChart(app, 'long-term-storage', {
    namespace: 'monitoring',
    prometheus: {
      retention: Duration.days(2),
      externalLabels: { cluster: 'prod-eu-1' },
      thanos: { objectStorage: bucket },
    },
    compactor: { retention: { raw: Duration.days(30), fiveMinutes: Duration.days(180), oneHour: Duration.days(730) } },
    ingress: { host: 'monitoring.example.com', tlsSecretName: 'monitoring-tls' },
  });
}
