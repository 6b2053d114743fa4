import { Duration, Size } from 'cdk8s';
import { Construct } from 'constructs';
import { promDurationProp } from '../private/durations';
import { NamedPort } from '../wiring/interfaces';
import { BucketComponent, BucketComponentProps } from './private/bucket-component';

/** How long the compactor keeps each resolution in the bucket. */
export interface CompactorRetention {
  /** @default Duration.days(30) */
  readonly raw?: Duration;
  /** 5-minute downsampled data. @default Duration.days(90) */
  readonly fiveMinutes?: Duration;
  /** 1-hour downsampled data. @default Duration.days(365) */
  readonly oneHour?: Duration;
}

/** Props of {@link ThanosCompactor}. */
export interface ThanosCompactorProps extends Omit<BucketComponentProps, 'spread'> {
  /** @default 30d raw, 90d at 5m, 1y at 1h */
  readonly retention?: CompactorRetention;
  /** Scratch space for compaction. @default 50 GiB on the default StorageClass */
  readonly storage?: BucketComponentProps['storage'];
  /** @default 200m/1Gi requested, 2 CPU/4Gi limit */
  readonly resources?: BucketComponentProps['resources'];
}

const HTTP: NamedPort = { name: 'http', port: 10902 };

/**
 * Thanos Compactor: compacts, downsamples and applies retention to the
 * bucket. Exactly one may run per bucket — two would compact the same blocks
 * concurrently — so it is a single-replica StatefulSet without a disruption
 * budget (which would only block node drains).
 */
export class ThanosCompactor extends BucketComponent {
  constructor(scope: Construct, id: string, props: ThanosCompactorProps) {
    super(scope, id, { app: 'thanos-compact', role: 'database-compactor' }, props, {
      replicas: 1,
      args: self => {
        const retention = (prop: keyof CompactorRetention, fallback: Duration) =>
          promDurationProp(self, `retention.${prop}`, props.retention?.[prop] ?? fallback);
        return [
          'compact',
          '--log.format=logfmt',
          // Run as a service, compacting whenever new blocks arrive.
          '--wait',
          `--http-address=0.0.0.0:${HTTP.port}`,
          `--retention.resolution-raw=${retention('raw', Duration.days(30))}`,
          `--retention.resolution-5m=${retention('fiveMinutes', Duration.days(90))}`,
          `--retention.resolution-1h=${retention('oneHour', Duration.days(365))}`,
        ];
      },
      ports: [HTTP],
      httpPort: HTTP,
      dataDir: '/var/thanos/compact',
      defaultStorageSize: Size.gibibytes(50),
      defaultResources: { cpu: { request: '200m', limit: '2' }, memory: { request: Size.gibibytes(1), limit: Size.gibibytes(4) } },
    });
  }
}
