import { list, ofKind, serviceSelects } from './manifests';
import { PolicyContainer, PolicyContext, PolicyPod, PolicyRule } from './policy-rule';
import { containerRule } from './rule-builders';

/*
 * Images, resources, probes: pinned images and pull policies, cpu and memory
 * requests and limits, liveness and readiness probes.
 */

/** Splits an image reference into its tag (if any) and digest (if any). */
function parseImage(reference: string): { tag?: string; digest?: string } {
  const [nameAndTag, digest] = reference.split('@');
  const colon = nameAndTag.lastIndexOf(':');
  // A colon before the last slash belongs to a registry port (`registry:5000/x`), not a tag.
  const tag = colon > nameAndTag.lastIndexOf('/') ? nameAndTag.slice(colon + 1) : undefined;
  return { tag, digest };
}

/** Ports of `c` that a Service selecting the pod sends traffic to (by port name or number). */
function servedPorts(c: PolicyContainer, pod: PolicyPod, ctx: PolicyContext): string[] {
  const services = ofKind(ctx, 'Service').filter(s => serviceSelects(s, pod));
  const targets = services.flatMap(s => list(s.spec?.ports).map(p => p?.targetPort ?? p?.port));
  return list(c.spec.ports)
    .filter(p => targets.some(t => (typeof t === 'string' ? t === p?.name : t === p?.containerPort)))
    .map(p => p.name ?? String(p.containerPort));
}

/**
 * The image, resource and probe rules, in the order `POLICY_RULES` lists them.
 * @internal
 */
export const workloadRules: readonly PolicyRule[] = [
  containerRule('image-pinned-tag',
    'every image has a tag other than latest, or is pinned by digest',
    c => {
      if (typeof c.spec.image !== 'string' || !c.spec.image) return 'has no image';
      const { tag, digest } = parseImage(c.spec.image);
      if (digest) return undefined;
      if (!tag) return `image '${c.spec.image}' has no tag, so it floats to latest: pin a version tag or a digest`;
      return /^latest$/.test(tag) ? `image '${c.spec.image}' floats: pin a version tag or a digest` : undefined;
    }),
  containerRule('image-pull-policy',
    'imagePullPolicy is set, and is IfNotPresent unless the image is pinned by digest: with a tag, Always can pull a re-pushed tag '
    + 'and needs the registry on every restart; a digest cannot change, so any policy is safe',
    c => {
      const policy = c.spec.imagePullPolicy;
      if (policy === undefined) return 'set imagePullPolicy: IfNotPresent explicitly';
      const pinned = typeof c.spec.image === 'string' && parseImage(c.spec.image).digest !== undefined;
      return pinned || policy === 'IfNotPresent' ? undefined : `imagePullPolicy is ${policy}; use IfNotPresent (or pin the image by digest)`;
    }),
  containerRule('container-resources',
    'every container requests and limits cpu and memory',
    c => {
      const r = c.spec.resources ?? {};
      const missing = [['requests', 'cpu'], ['requests', 'memory'], ['limits', 'cpu'], ['limits', 'memory']]
        .filter(([kind, resource]) => r[kind]?.[resource] === undefined).map(([kind, resource]) => `${kind}.${resource}`);
      return missing.length ? `set resources ${missing.join(', ')}` : undefined;
    }),
  containerRule('container-liveness-probe',
    'every long-running container (not init containers, not Job/CronJob pods; native sidecars count) has a livenessProbe',
    c => c.longRunning && !c.spec.livenessProbe ? 'has no livenessProbe, so a hung process is never restarted' : undefined),
  containerRule('container-readiness-probe',
    'every long-running container with a port that a Service selecting the pod targets has a readinessProbe; '
    + 'ports no Service targets (a sidecar\'s own metrics/health port, as the config reloader\'s) need none, as in prometheus-operator',
    (c, pod, ctx) => {
      if (!c.longRunning || c.spec.readinessProbe) return undefined;
      const served = servedPorts(c, pod, ctx);
      return served.length ? `serves Service traffic on ${served.join(', ')} but has no readinessProbe, so it gets traffic before it is ready` : undefined;
    }),
];
