import { Lazy, Size } from 'cdk8s';
import { IConstruct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { ContainerImage } from '../images/container-image';
import { ObjectStorage } from '../thanos/object-storage';
import { Resources } from '../pod/resources';
import { ServiceAccountAnnotations } from '../pod/service-account';
import { container } from '../private/container';
import { DefaultImages } from '../images/default-images';
import { BINARIES, checkedArgs, supportedVersion } from '../images/versions/support';
import { NamedPort } from '../wiring/interfaces';

/** Options of the Thanos sidecar next to each Prometheus. */
export interface ThanosSidecarOptions {
  /**
   * Run the sidecar. Without it, Prometheus is not a Store API and a Querier cannot use it.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * @default DefaultImages.THANOS
   */
  readonly image?: ContainerImage;
  /**
   * Where to upload TSDB blocks. When set, Prometheus cuts 2h blocks and stops
   * compacting locally, so the sidecar uploads every block exactly once. The
   * bucket's workload identity annotations (e.g. `S3Credentials.irsa`) go on
   * Prometheus' ServiceAccount.
   * @default no upload: the sidecar only serves recent data over the Store API
   */
  readonly objectStorage?: ObjectStorage;
  /**
   * Requests and limits.
   * @default 100m/128Mi requested, 1 CPU/512Mi limit
   */
  readonly resources?: Resources;
}

/** @internal */
export const THANOS_GRPC_PORT: NamedPort = { name: 'grpc', port: 10901 };
/** @internal */
export const THANOS_HTTP_PORT: NamedPort = { name: 'http-sidecar', port: 10902 };

/** What {@link bindSidecarBucket} reads of the Prometheus props. @internal */
export interface SidecarBucketProps {
  readonly thanos?: ThanosSidecarOptions;
  readonly serviceAccount?: ServiceAccountAnnotations;
}

/**
 * Makes the Prometheus a user of its sidecar's bucket, if any (the objstore
 * ConfigMap is created in its Chart, once per bucket), and returns the
 * annotations of its ServiceAccount: the bucket's workload identity, then
 * `props.serviceAccount.annotations`; undefined when there are none.
 * @internal
 */
export function bindSidecarBucket(prometheus: IConstruct, replicas: number, props: SidecarBucketProps): Record<string, string> | undefined {
  const storage = (props.thanos?.enabled ?? true) ? props.thanos?.objectStorage : undefined;
  const bucket = storage?.bind(prometheus, 'thanos.objectStorage', replicas);
  const annotations = { ...bucket?.serviceAccountAnnotations, ...props.serviceAccount?.annotations };
  return Object.keys(annotations).length ? annotations : undefined;
}

/**
 * The sidecar container and the volumes it adds to the pod. `prometheusUrl`
 * includes Prometheus' route prefix: the sidecar's API calls go below it.
 * The Prometheus has bound the bucket ({@link bindSidecarBucket}); errors
 * about the image (`thanos.image`) name it, `prometheus`.
 * @internal
 */
export function thanosSidecar(options: ThanosSidecarOptions, prometheusUrl: () => string, dataMount: k8s.VolumeMount, prometheus: IConstruct): {
  container: k8s.Container;
  volumes: k8s.Volume[];
} {
  const version = supportedVersion(prometheus, 'thanos.image', options.image ?? DefaultImages.THANOS, BINARIES.thanos);
  const bucket = options.objectStorage?.access;
  const probe = (path: string) => ({ path, port: k8s.IntOrString.fromString(THANOS_HTTP_PORT.name) });
  return {
    volumes: bucket?.volumes ?? [],
    container: container({
      name: 'thanos-sidecar',
      image: options.image ?? DefaultImages.THANOS,
      // Prometheus' URL follows its route prefix, known at synth.
      args: Lazy.any({ produce: () => checkedArgs(prometheus, 'thanos.image', BINARIES.thanos, version, [
        'sidecar',
        '--log.format=logfmt',
        `--prometheus.url=${prometheusUrl()}`,
        `--tsdb.path=${dataMount.mountPath}`,
        `--grpc-address=0.0.0.0:${THANOS_GRPC_PORT.port}`,
        `--http-address=0.0.0.0:${THANOS_HTTP_PORT.port}`,
        ...(bucket?.args ?? []),
      ]) }),
      env: bucket?.env.length ? bucket.env : undefined,
      ports: [THANOS_GRPC_PORT, THANOS_HTTP_PORT],
      resources: options.resources,
      defaultResources: { cpu: { request: '100m', limit: '1' }, memory: { request: Size.mebibytes(128), limit: Size.mebibytes(512) } },
      volumeMounts: [
        // The sidecar reads blocks and writes its upload state (thanos.shipper.json) here.
        dataMount,
        ...(bucket?.mounts ?? []),
      ],
      // Ready only once Prometheus answers: slow to give up while Prometheus replays its WAL.
      probes: {
        livenessProbe: { httpGet: probe('/-/healthy'), periodSeconds: 30, failureThreshold: 4 },
        readinessProbe: { httpGet: probe('/-/ready'), periodSeconds: 10, failureThreshold: 20 },
      },
    }),
  };
}
