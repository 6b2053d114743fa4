import { Size } from 'cdk8s';
import * as k8s from '../../imports/k8s';
import { ContainerImage } from '../images/container-image';
import { ObjectStorage } from '../thanos/object-storage';
import { Resources } from '../pod/resources';
import { container } from '../private/container';
import { DefaultImages } from '../images/default-images';
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
   * compacting locally, so the sidecar uploads every block exactly once.
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

/**
 * The sidecar container and the volumes it adds to the pod. `prometheusUrl`
 * includes Prometheus' route prefix: the sidecar's API calls go below it.
 * @internal
 */
export function thanosSidecar(options: ThanosSidecarOptions, prometheusUrl: string, dataMount: k8s.VolumeMount): {
  container: k8s.Container;
  volumes: k8s.Volume[];
} {
  const storage = options.objectStorage;
  const volumes: k8s.Volume[] = storage ? [storage.volume] : [];
  const probe = (path: string) => ({ path, port: k8s.IntOrString.fromString(THANOS_HTTP_PORT.name) });
  return {
    volumes,
    container: container({
      name: 'thanos-sidecar',
      image: options.image ?? DefaultImages.THANOS,
      args: [
        'sidecar',
        '--log.format=logfmt',
        `--prometheus.url=${prometheusUrl}`,
        `--tsdb.path=${dataMount.mountPath}`,
        `--grpc-address=0.0.0.0:${THANOS_GRPC_PORT.port}`,
        `--http-address=0.0.0.0:${THANOS_HTTP_PORT.port}`,
        ...(storage ? [storage.flag] : []),
      ],
      ports: [THANOS_GRPC_PORT, THANOS_HTTP_PORT],
      resources: options.resources,
      defaultResources: { cpu: { request: '100m', limit: '1' }, memory: { request: Size.mebibytes(128), limit: Size.mebibytes(512) } },
      volumeMounts: [
        // The sidecar reads blocks and writes its upload state (thanos.shipper.json) here.
        dataMount,
        ...(storage ? [storage.mount] : []),
      ],
      // Ready only once Prometheus answers: slow to give up while Prometheus replays its WAL.
      probes: {
        livenessProbe: { httpGet: probe('/-/healthy'), periodSeconds: 30, failureThreshold: 4 },
        readinessProbe: { httpGet: probe('/-/ready'), periodSeconds: 10, failureThreshold: 20 },
      },
    }),
  };
}
