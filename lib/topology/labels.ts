import type { NamedPort } from '../wiring/interfaces';
import type { TopologyComponent, TopologyEdge, TopologyGroup, TopologyService, TopologyWorkload } from './topology-model';

/**
 * `web 9090`, `mesh-udp 9094/UDP`: the name and number, the protocol when it
 * is not TCP; a name that ends in its number says it once (`notify-443` is `notify 443`).
 */
export function portLabel(port: NamedPort): string {
  const protocol = port.protocol && port.protocol !== 'TCP' ? `/${port.protocol}` : '';
  const name = port.name?.endsWith(`-${port.port}`) ? port.name.slice(0, -`-${port.port}`.length) : port.name;
  return name && name !== String(port.port) ? `${name} ${port.port}${protocol}` : `${port.port}${protocol}`;
}

/** One line per port of an edge; `all ports` when it allows every one. */
export function edgeLines(edge: TopologyEdge): string[] {
  return edge.ports.length ? edge.ports.map(portLabel) : ['all ports'];
}

/** `Prometheus · StatefulSet, 3 replicas`. */
export function kindLine(component: TopologyComponent): string {
  const workloads = workloadLine(component.workloads);
  return workloads ? `${component.type} · ${workloads}` : component.type;
}

function workloadLine(workloads: TopologyWorkload[]): string | undefined {
  if (!workloads.length) return undefined;
  const replicas = (r?: number) => r === undefined ? '' : `, ${r} ${r === 1 ? 'replica' : 'replicas'}`;
  const [first] = workloads;
  if (workloads.length === 1) return `${first.kind}${replicas(first.replicas)}`;
  if (workloads.every(w => w.kind === first.kind && w.replicas === first.replicas)) {
    return `${workloads.length} ${first.kind}s${replicas(first.replicas)} each`;
  }
  return workloads.map(w => `${w.kind} ${w.name}${replicas(w.replicas)}`).join('; ');
}

/** `svc prometheus`, `headless svc prometheus-headless`. */
export function serviceName(service: TopologyService): string {
  return `${service.headless ? 'headless svc' : 'svc'} ${service.name}`;
}

/** `web 9090, grpc 10901`. */
export function servicePorts(service: TopologyService): string {
  return service.ports.map(portLabel).join(', ') || 'no ports';
}

/** `svc prometheus: web 9090, grpc 10901`, one per Service. */
export function serviceLines(component: TopologyComponent): string[] {
  return component.services.map(s => `${serviceName(s)}: ${servicePorts(s)}`);
}

/** `chart article · namespace monitoring`, and `(another chart)` for a foreign one. */
export function groupLabel(group: TopologyGroup): string {
  const namespace = group.namespace ? ` · namespace ${group.namespace}` : '';
  return `chart ${group.chart}${namespace}${group.foreign ? ' (another chart)' : ''}`;
}

/** What a diagram says under the picture, line by line. */
export const CAPTION = [
  'Arrows go from the pods that open connections to those that accept them, with the ports the NetworkPolicies allow.',
  'Not drawn: DNS (53/UDP, 53/TCP), which every policy allows to anywhere.',
];
