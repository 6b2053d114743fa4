import { Lazy } from 'cdk8s';
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
export function healthProbes(portName: string, routePrefix: string | (() => string) = '/'): Pick<k8s.Container, 'livenessProbe' | 'readinessProbe'> {
  const prefix = typeof routePrefix === 'string' ? () => routePrefix : routePrefix;
  // Resolved at synth: the prefix may be adopted from an Ingress after the component was made.
  const get = (path: string) => ({ path: Lazy.any({ produce: () => joinPath(prefix(), path) }), port: k8s.IntOrString.fromString(portName) });
  return {
    livenessProbe: { httpGet: get('/-/healthy'), periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 6 },
    readinessProbe: { httpGet: get('/-/ready'), periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 },
  };
}
