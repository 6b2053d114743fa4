import { KubeManifest, PolicyContainer, PolicyContext, PolicyPod } from './policy-rule';

/*
 * Reading manifests: object ids, pod templates, label selectors and IntOrString
 * values, as the rule families and `checkPolicies` need them.
 */

/**
 * Labels of an object or pod template.
 * @internal
 */
export type Labels = Readonly<Record<string, string>>;

/**
 * `Kind/namespace/name`, or `Kind/name` for cluster-scoped objects.
 * @internal
 */
export function objectId(m: KubeManifest): string {
  const ns = m.metadata?.namespace;
  return ns ? `${m.kind}/${ns}/${m.metadata?.name}` : `${m.kind}/${m.metadata?.name}`;
}

/**
 * The manifests of the given kinds.
 * @internal
 */
export function ofKind(ctx: PolicyContext, ...kinds: string[]): KubeManifest[] {
  return ctx.manifests.filter(m => kinds.includes(m.kind ?? ''));
}

/**
 * `value` if it is an array, else an empty one.
 * @internal
 */
export function list<T = any>(value: unknown): T[] {
  return Array.isArray(value) ? value : [];
}

/** Where each workload kind keeps its pod template. */
function podTemplateOf(m: KubeManifest): { metadata?: any; spec?: any } | undefined {
  switch (m.kind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'Job':
      return m.spec?.template;
    case 'CronJob':
      return m.spec?.jobTemplate?.spec?.template;
    case 'Pod':
      return { metadata: m.metadata, spec: m.spec };
    default:
      return undefined;
  }
}

/**
 * Every pod template of `manifests`.
 * @internal
 */
export function podsOf(manifests: readonly KubeManifest[]): PolicyPod[] {
  const pods: PolicyPod[] = [];
  for (const m of manifests) {
    const template = podTemplateOf(m);
    if (!template?.spec) continue;
    const spec = template.spec;
    // Job pods end by design; a bare Pod runs for good unless its restartPolicy says otherwise.
    const podLongRunning = m.kind === 'Pod'
      ? (spec.restartPolicy ?? 'Always') === 'Always'
      : m.kind !== 'Job' && m.kind !== 'CronJob';
    const containers: PolicyContainer[] = [
      ...list(spec.containers).map(c => ({ name: c?.name, role: 'container' as const, longRunning: podLongRunning, spec: c ?? {} })),
      ...list(spec.initContainers).map(c => ({
        name: c?.name, role: 'initContainer' as const, longRunning: podLongRunning && c?.restartPolicy === 'Always', spec: c ?? {},
      })),
    ];
    pods.push({
      workload: m,
      object: objectId(m),
      namespace: m.metadata?.namespace,
      labels: template.metadata?.labels ?? {},
      spec,
      replicas: m.kind === 'Deployment' || m.kind === 'StatefulSet' ? (m.spec?.replicas ?? 1) : undefined,
      containers,
    });
  }
  return pods;
}

/**
 * Whether a label selector selects `labels`. As in Kubernetes, an empty
 * selector (`{}`) selects everything and a missing one selects nothing.
 * @internal
 */
export function selects(selector: any, labels: Labels): boolean {
  if (!selector || typeof selector !== 'object') return false;
  const matchLabels: Labels = selector.matchLabels ?? {};
  if (!Object.entries(matchLabels).every(([k, v]) => labels[k] === v)) return false;
  return list(selector.matchExpressions).every(e => {
    const has = Object.prototype.hasOwnProperty.call(labels, e?.key);
    const values: string[] = list(e?.values);
    switch (e?.operator) {
      case 'In': return has && values.includes(labels[e.key]);
      case 'NotIn': return !has || !values.includes(labels[e.key]);
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
      default: return false;
    }
  });
}

/**
 * Whether `service` selects the pods of `pod`. A Service's `spec.selector` is
 * a plain map; a Service without one selects no pods.
 * @internal
 */
export function serviceSelects(service: KubeManifest, pod: PolicyPod): boolean {
  const selector = service.spec?.selector;
  if (!selector || !Object.keys(selector).length) return false;
  return service.metadata?.namespace === pod.namespace && selects({ matchLabels: selector }, pod.labels);
}

/**
 * Scales an IntOrString (`1`, `'25%'`) against `total`, rounding up as the disruption controller does.
 * @internal
 */
export function scaled(value: unknown, total: number): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\d+%$/.test(value)) return Math.ceil((parseInt(value, 10) * total) / 100);
  if (typeof value === 'string' && /^\d+$/.test(value)) return parseInt(value, 10);
  return undefined;
}
