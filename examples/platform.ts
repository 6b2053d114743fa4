import { App, Duration, Size } from 'cdk8s';
import {
  BlackboxModule, IngressAuth, MonitoringChart, ObjectStorage, QueryFrontendCache, S3Credentials,
} from '../lib';

/**
 * The whole platform in one chart: HA Prometheus with Thanos sidecars
 * uploading to S3 (workload identity through IRSA, no key anywhere), the
 * Querier behind a Query Frontend with an in-memory results cache, a Thanos
 * Ruler for alerts over the global view, store gateway and compactor on the
 * same bucket, Alertmanager, Pushgateway, Grafana on the Querier's view,
 * node-exporter, kube-state-metrics and black-box probes of two URLs, all on
 * one Ingress with TLS and basic auth.
 */
export function platform(app: App): MonitoringChart {
  const bucket = ObjectStorage.s3({
    bucket: 'metrics-platform',
    endpoint: 's3.eu-central-1.amazonaws.com',
    region: 'eu-central-1',
    credentials: S3Credentials.irsa('arn:aws:iam::123456789012:role/thanos-metrics-platform'),
  });
  const chart = new MonitoringChart(app, 'platform', {
    namespace: 'monitoring',
    prometheus: {
      replicas: 2,
      retention: Duration.days(2),
      externalLabels: { cluster: 'platform-eu-central-1' },
      thanos: { objectStorage: bucket },
    },
    queryFrontend: { cache: QueryFrontendCache.inMemory({ maxSize: Size.mebibytes(256) }) },
    ruler: {
      ruleGroups: [{
        name: 'global',
        rules: [{
          alert: 'NoPrometheusReplicaUp',
          expr: 'count by (cluster) (up{job="prometheus"} == 1) < 1',
          for: Duration.minutes(5),
          labels: { severity: 'critical' },
          annotations: { summary: 'No Prometheus replica of {{ $labels.cluster }} is up.' },
        }],
      }],
    },
    blackboxExporter: { modules: [BlackboxModule.http({ name: 'http_2xx' })] },
    grafana: { adminCredentials: { secretName: 'grafana-admin' } },
    ingress: {
      host: 'monitoring.example.com',
      tlsSecretName: 'monitoring-tls',
      auth: IngressAuth.basic('monitoring-htpasswd'),
    },
  });
  chart.prometheus!.probe(['https://www.example.com/healthz', 'https://api.example.com/ready'], 'http_2xx');
  return chart;
}
