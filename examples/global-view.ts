import { App, Chart, Duration } from 'cdk8s';
import { MonitoringChart, ObjectStorage, RemoteStoreApi, S3Credentials, SecretFile, StoreTlsVersion } from '../lib';

/** The two clusters of the global view, and where their Querier's Store API is reached. */
const CLUSTERS = [
  { name: 'eu-west', grpcHost: 'thanos-grpc.eu-west.example.com', lbRange: '203.0.113.0/24' },
  { name: 'us-east', grpcHost: 'thanos-grpc.us-east.example.com', lbRange: '198.51.100.0/24' },
];
/** Where the global Querier's traffic leaves its cluster: the only range the clusters' load balancers accept. */
const GLOBAL_EGRESS = '192.0.2.0/24';

/**
 * One cluster's stack: HA Prometheus with sidecars uploading to the
 * cluster's bucket (the `cluster` external label tells the clusters apart),
 * a store gateway, and a local Querier whose gRPC Store API is served over
 * mutual TLS on a LoadBalancer that only the global Querier's range reaches.
 */
function clusterChart(app: App, cluster: typeof CLUSTERS[number]): MonitoringChart {
  const bucket = ObjectStorage.s3({
    bucket: `metrics-${cluster.name}`,
    endpoint: `s3.${cluster.name === 'eu-west' ? 'eu-west-1' : 'us-east-1'}.amazonaws.com`,
    credentials: S3Credentials.irsa(`arn:aws:iam::123456789012:role/thanos-${cluster.name}`),
  });
  const tls = (key: string) => SecretFile.fromSecret('querier-grpc-tls', key);
  return new MonitoringChart(app, `global-view-${cluster.name}`, {
    namespace: 'monitoring',
    prometheus: {
      retention: Duration.days(2),
      externalLabels: { cluster: cluster.name },
      thanos: { objectStorage: bucket },
    },
    querier: {
      grpcServerTls: { certFile: tls('tls.crt'), keyFile: tls('tls.key'), clientCaFile: tls('ca.crt') },
      grpcLoadBalancer: { cidrs: [GLOBAL_EGRESS] },
    },
  });
}

/** The stack of the eu-west cluster (dist/global-view-eu-west.k8s.yaml, applied there). */
export function globalViewEuWest(app: App): Chart {
  return clusterChart(app, CLUSTERS[0]);
}

/** The stack of the us-east cluster (dist/global-view-us-east.k8s.yaml, applied there). */
export function globalViewUsEast(app: App): Chart {
  return clusterChart(app, CLUSTERS[1]);
}

/**
 * The global layer (dist/global-view.k8s.yaml): one global Querier over both
 * clusters' Queriers, reached over mutual TLS with a client certificate from a
 * Secret. It de-duplicates the HA replicas on `replica`; the `cluster` label
 * keeps the clusters apart. A small Prometheus of its own (no sidecar: it is
 * no store) watches the global layer itself. Alerts over both clusters belong
 * to a rule evaluator over this Querier (a Thanos Ruler).
 */
export function globalView(app: App): Chart {
  const client = (key: string) => SecretFile.fromSecret('global-querier-client', key);
  return new MonitoringChart(app, 'global-view', {
    namespace: 'monitoring-global',
    prometheus: { replicas: 2, retention: Duration.days(7), thanos: { enabled: false }, externalLabels: { cluster: 'global' } },
    pushgateway: { enabled: false },
    querier: {
      replicaLabels: ['replica'],
      remoteStores: CLUSTERS.map(cluster => RemoteStoreApi.at(`${cluster.grpcHost}:10901`, {
        cidr: cluster.lbRange,
        tls: {
          caFile: SecretFile.fromSecret('clusters-ca', 'ca.crt'),
          certFile: client('tls.crt'),
          keyFile: client('tls.key'),
          minVersion: StoreTlsVersion.TLS13,
        },
      })),
    },
    ingress: { host: 'global-monitoring.example.com', tlsSecretName: 'global-monitoring-tls' },
  });
}
