import { App, Duration } from 'cdk8s';
import { MonitoringChart, ObjectStorage } from '../lib';

/**
 * The stack with long-term storage: the sidecars upload 2h blocks to a bucket
 * (objstore config in Secret `thanos-objstore`, created out of band), a store
 * gateway serves them to the querier, and one compactor downsamples them.
 * Local retention can then be short.
 */
export function longTermStorage(app: App): MonitoringChart {
  return new MonitoringChart(app, 'long-term-storage', {
    namespace: 'monitoring',
    prometheus: {
      retention: Duration.days(2),
      externalLabels: { cluster: 'prod-eu-1' },
      thanos: { objectStorage: ObjectStorage.fromSecret('thanos-objstore') },
    },
    compactor: { retention: { raw: Duration.days(30), fiveMinutes: Duration.days(180), oneHour: Duration.days(730) } },
    ingress: { host: 'monitoring.example.com', tlsSecretName: 'monitoring-tls' },
  });
}
