import { list } from './manifests';
import { KubeManifest, PolicyContext, PolicyPod } from './policy-rule';

/*
 * The one exception to Pod Security "restricted" the policy knows, by name:
 * the node exporter of this library reads the host's /proc, /sys and / and
 * shares its network, which only a namespace enforcing "privileged" admits.
 * Nothing else is excused, and the node exporter only what it needs.
 */

/** What the node-exporter exception admits, and what a pod must be to get it. */
export interface HostAccessException {
  /** How messages name it. */
  readonly name: string;
  /** The workload kind of the pods. */
  readonly kind: string;
  /** Labels the pods (and their Namespace) carry, every one. */
  readonly labels: Readonly<Record<string, string>>;
  /** The last path segment of every container's image repository (any registry, any tag). */
  readonly image: string;
  /** The hostPath volumes allowed, each mounted only read-only. */
  readonly hostPaths: readonly string[];
  /** The host namespaces allowed. */
  readonly hostNamespaces: readonly string[];
  /** The Pod Security level its Namespace may enforce instead of "restricted". */
  readonly namespaceLevel: string;
}

/**
 * The node exporter of this library (`NodeExporter`), excused from the
 * rules `pod-no-host-path` (for read-only `/proc`, `/sys` and `/` only),
 * `pod-no-host-namespaces` (for hostNetwork only, never hostPID or hostIPC)
 * and `namespace-pod-security-restricted` (for a Namespace labelled like it
 * that enforces "privileged" and runs nothing but such pods). Every other
 * rule applies to it as to any pod: non-root, no capabilities, no privilege
 * escalation, read-only root filesystem, seccomp, pinned image, resources,
 * probes. Switch it off with `PolicyOptions.nodeExporterException: false`.
 */
export const NODE_EXPORTER_EXCEPTION: HostAccessException = {
  name: 'node-exporter',
  kind: 'DaemonSet',
  labels: { 'app.kubernetes.io/name': 'node-exporter', 'app.kubernetes.io/part-of': 'cdk8s-prometheus-thanos' },
  image: 'node-exporter',
  hostPaths: ['/proc', '/sys', '/'],
  hostNamespaces: ['hostNetwork'],
  namespaceLevel: 'privileged',
};

const X = NODE_EXPORTER_EXCEPTION;

function labelled(labels: Readonly<Record<string, string>> | undefined): boolean {
  return Object.entries(X.labels).every(([k, v]) => labels?.[k] === v);
}

/** The image repository's last path segment: `quay.io/prometheus/node-exporter:v1.11.1@sha256:…` → `node-exporter`. */
function imageName(image: unknown): string | undefined {
  if (typeof image !== 'string') return undefined;
  const withoutDigest = image.split('@')[0];
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return withoutDigest.slice(lastSlash + 1, colon > lastSlash ? colon : undefined);
}

/**
 * Why the exception does not apply to `pod`, or undefined when it does.
 * A pod that does not carry the labels is not a candidate at all.
 */
function refusal(pod: PolicyPod, ctx: PolicyContext): string | undefined {
  if (!ctx.options.nodeExporterException) return 'the node-exporter exception is switched off (nodeExporterException: false)';
  if (pod.workload.kind !== X.kind) return `the node-exporter exception is for a ${X.kind}, not a ${pod.workload.kind}`;
  if (list(pod.spec.initContainers).length) return 'the node-exporter exception admits no init containers';
  const foreign = pod.containers.filter(c => imageName(c.spec.image) !== X.image);
  if (foreign.length) return `the node-exporter exception admits only ${X.image} images, not ${foreign.map(c => `'${c.spec.image}'`).join(', ')}`;
  for (const v of list(pod.spec.volumes).filter(vol => vol?.hostPath !== undefined)) {
    if (!X.hostPaths.includes(v.hostPath?.path)) return `the node-exporter exception admits host paths ${X.hostPaths.join(', ')} only, not ${v.hostPath?.path}`;
    const writable = pod.containers.filter(c => list(c.spec.volumeMounts).some(m => m?.name === v.name && m.readOnly !== true));
    if (writable.length) return `the node-exporter exception admits host paths read-only only, but ${writable.map(c => c.name).join(', ')} mounts '${v.name}' writable`;
    if (pod.containers.some(c => list(c.spec.volumeMounts).some(m => m?.name === v.name && m.mountPropagation === 'Bidirectional'))) {
      return `the node-exporter exception admits no Bidirectional mount propagation ('${v.name}')`;
    }
  }
  return undefined;
}

/**
 * Whether the node-exporter exception excuses `pod`; `why` says why not, for
 * a pod labelled as the node exporter that does not have its shape.
 * @internal
 */
export function nodeExporterException(pod: PolicyPod, ctx: PolicyContext): { excused: boolean; why?: string } {
  if (!labelled(pod.labels)) return { excused: false };
  const why = refusal(pod, ctx);
  return why ? { excused: false, why } : { excused: true };
}

/**
 * Whether a Namespace that does not enforce "restricted" is the node
 * exporter's: labelled like it, enforcing the exception's level, running
 * at least one pod and only pods the exception excuses.
 * @internal
 */
export function nodeExporterNamespace(ns: KubeManifest, ctx: PolicyContext): { excused: boolean; why?: string } {
  if (!labelled(ns.metadata?.labels)) return { excused: false };
  if (!ctx.options.nodeExporterException) return { excused: false, why: 'the node-exporter exception is switched off (nodeExporterException: false)' };
  const level = ns.metadata?.labels?.['pod-security.kubernetes.io/enforce'];
  if (level !== X.namespaceLevel) return { excused: false, why: `the node-exporter exception admits enforce: ${X.namespaceLevel} only, not ${level ?? 'none'}` };
  const pods = ctx.pods.filter(p => p.namespace === ns.metadata?.name);
  if (!pods.length) return { excused: false, why: 'the node-exporter exception admits a namespace that runs the node exporter, and this one runs no pod' };
  const others = pods.filter(p => !nodeExporterException(p, ctx).excused);
  if (others.length) return { excused: false, why: `the node-exporter exception admits a namespace that runs only the node exporter, not ${others.map(p => p.object).join(', ')}` };
  return { excused: true };
}
