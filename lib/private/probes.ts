import * as k8s from '../../imports/k8s';

/** Joins a route prefix (`/`, `/alertmanager`) and a path (`/-/ready`). @internal */
export function joinPath(prefix: string, path: string): string {
  return `${prefix.replace(/\/+$/, '')}${path}`;
}

/**
 * Liveness on `/-/healthy` and readiness on `/-/ready`, the endpoints every
 * Prometheus-ecosystem daemon serves, under the component's route prefix.
 * Liveness is slow to fire so a busy WAL replay is not killed half-way.
 * @internal
 */
export function healthProbes(portName: string, routePrefix = '/'): Pick<k8s.Container, 'livenessProbe' | 'readinessProbe'> {
  const get = (path: string) => ({ path: joinPath(routePrefix, path), port: k8s.IntOrString.fromString(portName) });
  return {
    livenessProbe: { httpGet: get('/-/healthy'), periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 6 },
    readinessProbe: { httpGet: get('/-/ready'), periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 },
  };
}
