import { Size } from 'cdk8s';
import { Construct } from 'constructs';
import { IStoreApi, NamedPort } from '../wiring/interfaces';
import { BucketComponent, BucketComponentProps } from './private/bucket-component';

/** Props of {@link ThanosStoreGateway}. */
export interface ThanosStoreGatewayProps extends BucketComponentProps {
  /**
   * Replicas; each serves the whole bucket, the querier de-duplicates.
   * @default 2
   */
  readonly replicas?: number;
  /** Local index cache volume. @default 10 GiB on the default StorageClass */
  readonly storage?: BucketComponentProps['storage'];
  /** @default 100m/512Mi requested, 1 CPU/2Gi limit */
  readonly resources?: BucketComponentProps['resources'];
}

const GRPC: NamedPort = { name: 'grpc', port: 10901 };
const HTTP: NamedPort = { name: 'http', port: 10902 };

/**
 * Thanos Store Gateway: serves the blocks in object storage over the Store
 * API, so queries reach further back than Prometheus' local retention.
 */
export class ThanosStoreGateway extends BucketComponent implements IStoreApi {
  public readonly storeApiPort = GRPC;

  constructor(scope: Construct, id: string, props: ThanosStoreGatewayProps) {
    super(scope, id, { app: 'thanos-store', role: 'object-store-gateway' }, props, {
      replicas: props.replicas ?? 2,
      args: () => ['store', '--log.format=logfmt', `--grpc-address=0.0.0.0:${GRPC.port}`, `--http-address=0.0.0.0:${HTTP.port}`],
      ports: [GRPC, HTTP],
      httpPort: HTTP,
      dataDir: '/var/thanos/store',
      defaultStorageSize: Size.gibibytes(10),
      defaultResources: { cpu: { request: '100m', limit: '1' }, memory: { request: Size.mebibytes(512), limit: Size.gibibytes(2) } },
    });
  }

  public get storeApiAddress(): string {
    return `dnssrv+_${GRPC.name}._tcp.${this.serviceHost(this.headlessServiceName)}`;
  }
}
