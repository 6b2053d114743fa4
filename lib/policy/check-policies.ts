import { parseAllDocuments } from 'yaml';

/*
 * The project's security and reliability policy, as code: every rule reads
 * plain synthesized manifests (`Testing.synth(chart)`, or parsed YAML from any
 * other tool), so users can run the same check on their own charts.
 *
 * Manifests are untyped JSON from any source, so fields are read defensively
 * (`any` below is deliberate: a malformed object must yield a violation or be
 * skipped, never crash the check).
 */

/** One broken rule on one object. */
export interface PolicyViolation {
  /** Id of the broken rule, e.g. `container-read-only-root-filesystem`. */
  readonly rule: string;
  /** The object: `Kind/namespace/name`, or `Kind/name` for cluster-scoped objects. */
  readonly object: string;
  /** What is wrong, and what to change. */
  readonly message: string;
}

/** What a rule reports; {@link checkPolicies} adds the rule id. */
export type PolicyFinding = Omit<PolicyViolation, 'rule'>;

/** Options of {@link checkPolicies}. */
export interface PolicyOptions {
  /**
   * Require a default-deny NetworkPolicy in every namespace that runs pods
   * (rule `namespace-default-deny-network-policy`).
   * @default true
   */
  readonly requireNetworkPolicies?: boolean;
  /**
   * Accept Ingresses whose hosts are not all covered by `tls` (rule
   * `ingress-tls`). This is the only opt-out: no annotation on the Ingress can
   * switch the rule off, so an insecure Ingress never passes by accident.
   * @default false
   */
  readonly allowInsecureIngress?: boolean;
  /**
   * Verbs Roles and ClusterRoles may grant (rule `rbac-read-only-verbs`).
   * @default ['get', 'list', 'watch']
   */
  readonly allowedRbacVerbs?: readonly string[];
  /**
   * Ids of rules not to run, for a deliberate, reviewed exception.
   * @default none
   */
  readonly disabledRules?: readonly string[];
}

/** A Kubernetes object as plain JSON. */
export interface KubeManifest {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly [field: string]: any;
}

/** A container or init container of a pod template. */
export interface PolicyContainer {
  readonly name: string;
  /** `initContainer` or `container`, as messages name it. */
  readonly role: 'container' | 'initContainer';
  /** Runs as long as the pod: a regular container of a non-Job pod, or a native sidecar (`restartPolicy: Always`). */
  readonly longRunning: boolean;
  /** The container as written in the manifest. */
  readonly spec: any;
}

/** A pod template of a workload (or a bare Pod), with what the rules need to know about it. */
export interface PolicyPod {
  /** The workload (Deployment, StatefulSet, DaemonSet, Job, CronJob) or Pod. */
  readonly workload: KubeManifest;
  /** `Kind/namespace/name` of the workload. */
  readonly object: string;
  readonly namespace?: string;
  /** Labels of the pods. */
  readonly labels: Readonly<Record<string, string>>;
  /** The pod spec as written in the manifest. */
  readonly spec: any;
  /** Desired pod count of a Deployment or StatefulSet (`spec.replicas`, default 1); undefined for other kinds. */
  readonly replicas?: number;
  /** Containers, then init containers. */
  readonly containers: readonly PolicyContainer[];
}

/** Everything a rule may look at. */
export interface PolicyContext {
  readonly manifests: readonly KubeManifest[];
  /** Every pod template of `manifests`. */
  readonly pods: readonly PolicyPod[];
  readonly options: Required<PolicyOptions>;
}

/** One rule of the policy. */
export interface PolicyRule {
  /** Stable id, used in violations and `disabledRules`. */
  readonly id: string;
  /** One line: what the rule requires (and why, where it is not obvious). */
  readonly description: string;
  readonly check: (context: PolicyContext) => PolicyFinding[];
}

// ---------------------------------------------------------------------------
// Reading manifests

type Labels = Readonly<Record<string, string>>;

function objectId(m: KubeManifest): string {
  const ns = m.metadata?.namespace;
  return ns ? `${m.kind}/${ns}/${m.metadata?.name}` : `${m.kind}/${m.metadata?.name}`;
}

function ofKind(ctx: PolicyContext, ...kinds: string[]): KubeManifest[] {
  return ctx.manifests.filter(m => kinds.includes(m.kind ?? ''));
}

function list<T = any>(value: unknown): T[] {
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

function podsOf(manifests: readonly KubeManifest[]): PolicyPod[] {
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
 */
function selects(selector: any, labels: Labels): boolean {
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

/** A Service's `spec.selector` is a plain map; a Service without one selects no pods. */
function serviceSelects(service: KubeManifest, pod: PolicyPod): boolean {
  const selector = service.spec?.selector;
  if (!selector || !Object.keys(selector).length) return false;
  return service.metadata?.namespace === pod.namespace && selects({ matchLabels: selector }, pod.labels);
}

/** Scales an IntOrString (`1`, `'25%'`) against `total`, rounding up as the disruption controller does. */
function scaled(value: unknown, total: number): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\d+%$/.test(value)) return Math.ceil((parseInt(value, 10) * total) / 100);
  if (typeof value === 'string' && /^\d+$/.test(value)) return parseInt(value, 10);
  return undefined;
}

// ---------------------------------------------------------------------------
// Rule builders: most rules look at each pod or each container.

function rule(id: string, description: string, check: (ctx: PolicyContext) => PolicyFinding[]): PolicyRule {
  return { id, description, check };
}

/** A rule over pod templates; `problems` returns one message per problem. */
function podRule(id: string, description: string, problems: (pod: PolicyPod, ctx: PolicyContext) => string[]): PolicyRule {
  return rule(id, description, ctx => ctx.pods.flatMap(pod => problems(pod, ctx).map(message => ({ object: pod.object, message }))));
}

/** A rule over every container and init container; `problem` returns a message or nothing. */
function containerRule(
  id: string, description: string,
  problem: (c: PolicyContainer, pod: PolicyPod, ctx: PolicyContext) => string | undefined,
): PolicyRule {
  return podRule(id, description, (pod, ctx) => pod.containers.flatMap(c => {
    const message = problem(c, pod, ctx);
    return message ? [`${c.role} '${c.name}': ${message}`] : [];
  }));
}

/** A rule over every object of some kinds. */
function objectRule(
  id: string, description: string, kinds: string[],
  problems: (m: KubeManifest, ctx: PolicyContext) => string[],
): PolicyRule {
  return rule(id, description, ctx => ofKind(ctx, ...kinds).flatMap(m => problems(m, ctx).map(message => ({ object: objectId(m), message }))));
}

// ---------------------------------------------------------------------------
// Pod Security Standard "restricted"

const ALLOWED_SECCOMP = ['RuntimeDefault', 'Localhost'];
const ALLOWED_CAPABILITY_ADDS = ['NET_BIND_SERVICE'];
/** The volume types Pod Security "restricted" allows. */
export const RESTRICTED_VOLUME_TYPES: readonly string[] = [
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret',
];

const podSecurityRules: PolicyRule[] = [
  podRule('pod-run-as-non-root',
    'runAsNonRoot is true on the pod or on every container, and no container sets it to false',
    pod => {
      const podLevel = pod.spec.securityContext?.runAsNonRoot;
      const problems = podLevel === false ? ['pod sets securityContext.runAsNonRoot: false; set it to true'] : [];
      for (const c of pod.containers) {
        const own = c.spec.securityContext?.runAsNonRoot;
        if (own === false) problems.push(`${c.role} '${c.name}' sets runAsNonRoot: false; remove it or set it to true`);
        else if (own !== true && podLevel !== true) {
          problems.push(`${c.role} '${c.name}' may run as root: set securityContext.runAsNonRoot: true on the pod or the container`);
        }
      }
      return problems;
    }),
  podRule('pod-run-as-user-not-root',
    'runAsUser, where set on the pod or a container, is not 0 (root)',
    pod => [
      ...(pod.spec.securityContext?.runAsUser === 0 ? ['pod sets securityContext.runAsUser: 0 (root); use a non-zero uid such as 65534'] : []),
      ...pod.containers.filter(c => c.spec.securityContext?.runAsUser === 0)
        .map(c => `${c.role} '${c.name}' sets runAsUser: 0 (root); use a non-zero uid such as 65534`),
    ]),
  containerRule('container-no-privilege-escalation',
    'every container sets allowPrivilegeEscalation: false (the default is true)',
    c => c.spec.securityContext?.allowPrivilegeEscalation === false ? undefined : 'set securityContext.allowPrivilegeEscalation: false'),
  containerRule('container-drop-all-capabilities',
    'every container drops ALL capabilities and adds none except NET_BIND_SERVICE',
    c => {
      const caps = c.spec.securityContext?.capabilities;
      const extra = list<string>(caps?.add).filter(a => !ALLOWED_CAPABILITY_ADDS.includes(a));
      if (!list(caps?.drop).includes('ALL')) return 'set securityContext.capabilities.drop: [ALL]';
      return extra.length ? `adds capabilities ${extra.join(', ')}; only NET_BIND_SERVICE may be added` : undefined;
    }),
  podRule('pod-seccomp-profile',
    'seccompProfile.type is RuntimeDefault or Localhost on the pod or on every container, and Unconfined nowhere',
    pod => {
      const podType = pod.spec.securityContext?.seccompProfile?.type;
      const problems = podType !== undefined && !ALLOWED_SECCOMP.includes(podType)
        ? [`pod sets seccompProfile ${podType}; use RuntimeDefault`] : [];
      for (const c of pod.containers) {
        const own = c.spec.securityContext?.seccompProfile?.type;
        if (own !== undefined && !ALLOWED_SECCOMP.includes(own)) problems.push(`${c.role} '${c.name}' sets seccompProfile ${own}; use RuntimeDefault`);
        else if (own === undefined && !ALLOWED_SECCOMP.includes(podType)) {
          problems.push(`${c.role} '${c.name}' has no seccomp profile: set securityContext.seccompProfile.type: RuntimeDefault on the pod or the container`);
        }
      }
      return problems;
    }),
  containerRule('container-not-privileged',
    'no container is privileged',
    c => c.spec.securityContext?.privileged === true ? 'is privileged; remove securityContext.privileged' : undefined),
  containerRule('container-read-only-root-filesystem',
    'every container sets readOnlyRootFilesystem: true (writable paths are volumes)',
    c => c.spec.securityContext?.readOnlyRootFilesystem === true
      ? undefined : 'set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where it must write'),
  podRule('pod-no-host-path',
    'no hostPath volumes',
    pod => list(pod.spec.volumes).filter(v => v?.hostPath !== undefined)
      .map(v => `volume '${v.name}' mounts host path ${v.hostPath?.path}; use an emptyDir, a PersistentVolumeClaim or a ConfigMap`)),
  podRule('pod-no-host-namespaces',
    'hostNetwork, hostPID and hostIPC are not true',
    pod => ['hostNetwork', 'hostPID', 'hostIPC'].filter(f => pod.spec[f] === true)
      .map(f => `pod shares the node's namespace: remove ${f}: true`)),
  containerRule('container-no-host-port',
    'no container port sets hostPort',
    c => {
      const bound = list(c.spec.ports).filter(p => p?.hostPort !== undefined && p.hostPort !== 0);
      return bound.length ? `binds host ports ${bound.map(p => p.hostPort).join(', ')}; remove hostPort and use a Service` : undefined;
    }),
  podRule('pod-restricted-volume-types',
    `volumes are only of types ${RESTRICTED_VOLUME_TYPES.join(', ')} (hostPath is reported by pod-no-host-path)`,
    pod => list(pod.spec.volumes).flatMap(v => {
      const types = Object.keys(v ?? {}).filter(k => k !== 'name' && k !== 'hostPath' && !RESTRICTED_VOLUME_TYPES.includes(k));
      return types.length ? [`volume '${v.name}' is of type ${types.join(', ')}, which Pod Security "restricted" forbids`] : [];
    })),
];

// ---------------------------------------------------------------------------
// Images, resources, probes

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

const workloadRules: PolicyRule[] = [
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

// ---------------------------------------------------------------------------
// Service accounts and RBAC

const BINDING_KINDS = ['RoleBinding', 'ClusterRoleBinding'];

/** ServiceAccount subjects of a binding, with the namespace Kubernetes gives them. */
function serviceAccountSubjects(binding: KubeManifest): { name: string; namespace?: string }[] {
  return list(binding.subjects).filter(s => s?.kind === 'ServiceAccount').map(s => ({
    name: s.name,
    // A RoleBinding's subject without namespace means the binding's own namespace.
    namespace: s.namespace ?? (binding.kind === 'RoleBinding' ? binding.metadata?.namespace : undefined),
  }));
}

function isBound(ctx: PolicyContext, serviceAccount: string, namespace: string | undefined): boolean {
  return ofKind(ctx, ...BINDING_KINDS).some(b => serviceAccountSubjects(b).some(s => s.name === serviceAccount && s.namespace === namespace));
}

function rbacRules(m: KubeManifest): any[] {
  return list(m.rules);
}

const accessRules: PolicyRule[] = [
  podRule('pod-service-account-token',
    'pods set automountServiceAccountToken: false unless their ServiceAccount is bound by a RoleBinding or ClusterRoleBinding in the manifests',
    (pod, ctx) => {
      const account = pod.spec.serviceAccountName ?? 'default';
      if (pod.spec.automountServiceAccountToken === false || isBound(ctx, account, pod.namespace)) return [];
      return [`ServiceAccount '${account}' has no binding, so the pod never needs its API token: set automountServiceAccountToken: false`];
    }),
  objectRule('rbac-read-only-verbs',
    'Roles and ClusterRoles grant only the allowed verbs (default get, list, watch; `*` is reported by rbac-no-wildcards)',
    ['Role', 'ClusterRole'],
    (role, ctx) => rbacRules(role).flatMap(r => {
      const verbs = list<string>(r?.verbs).filter(v => v !== '*' && !ctx.options.allowedRbacVerbs.includes(v));
      return verbs.length ? [`grants ${verbs.join(', ')} on ${list(r.resources).concat(list(r.nonResourceURLs)).join(', ')}; grant only ${ctx.options.allowedRbacVerbs.join(', ')}`] : [];
    })),
  objectRule('rbac-no-secrets',
    'Roles and ClusterRoles grant no access to secrets',
    ['Role', 'ClusterRole'],
    role => rbacRules(role).flatMap(r => list<string>(r?.resources)
      .filter(res => res === 'secrets' || res.startsWith('secrets/'))
      .map(res => `grants ${list(r.verbs).join(', ')} on ${res}; mount the Secrets the pods need instead`)),
  ),
  objectRule('rbac-no-wildcards',
    'Roles and ClusterRoles have no `*` in verbs, apiGroups, resources or nonResourceURLs',
    ['Role', 'ClusterRole'],
    role => rbacRules(role).flatMap(r => (['verbs', 'apiGroups', 'resources', 'nonResourceURLs'] as const)
      .filter(field => list<string>(r?.[field]).some(v => typeof v === 'string' && v.includes('*')))
      .map(field => `has a wildcard in ${field} (${list(r[field]).join(', ')}); list exactly what is needed`)),
  ),
  objectRule('rbac-subject-service-account',
    'every ServiceAccount subject of a binding names a ServiceAccount of the manifests, in that ServiceAccount\'s namespace',
    BINDING_KINDS,
    (binding, ctx) => serviceAccountSubjects(binding).flatMap(s => {
      const accounts = ofKind(ctx, 'ServiceAccount').filter(a => a.metadata?.name === s.name);
      if (accounts.some(a => a.metadata?.namespace === s.namespace)) return [];
      const where = accounts.map(a => a.metadata?.namespace).join(', ');
      return [`subject ServiceAccount '${s.name}' in namespace '${s.namespace ?? '(none)'}' is not in the manifests`
        + (where ? `; it exists in namespace ${where}: set the subject's namespace to that` : '; create it or fix the subject')];
    })),
];

// ---------------------------------------------------------------------------
// Availability

const HOSTNAME = 'kubernetes.io/hostname';

function pdbsSelecting(ctx: PolicyContext, pod: PolicyPod): KubeManifest[] {
  return ofKind(ctx, 'PodDisruptionBudget').filter(b => b.metadata?.namespace === pod.namespace && selects(b.spec?.selector, pod.labels));
}

function spreadsByNode(pod: PolicyPod): boolean {
  const anti = pod.spec.affinity?.podAntiAffinity;
  const terms = [
    ...list(anti?.requiredDuringSchedulingIgnoredDuringExecution),
    ...list(anti?.preferredDuringSchedulingIgnoredDuringExecution).map(w => w?.podAffinityTerm),
    ...list(pod.spec.topologySpreadConstraints),
  ];
  // The term must select the pod's own replicas, or it keeps them away from something else.
  return terms.some(t => t?.topologyKey === HOSTNAME && selects(t.labelSelector, pod.labels));
}

const availabilityRules: PolicyRule[] = [
  podRule('replicated-pod-disruption-budget',
    'a Deployment or StatefulSet with replicas > 1 has a PodDisruptionBudget in its namespace selecting its pods',
    (pod, ctx) => (pod.replicas ?? 0) > 1 && !pdbsSelecting(ctx, pod).length
      ? [`${pod.replicas} replicas but no PodDisruptionBudget: a node drain may evict all of them at once; add one with maxUnavailable: 1`]
      : []),
  podRule('replicated-pod-anti-affinity',
    `a Deployment or StatefulSet with replicas > 1 spreads them over nodes: pod anti-affinity (required or preferred) or a topologySpreadConstraint on ${HOSTNAME}, selecting its own pods`,
    pod => (pod.replicas ?? 0) > 1 && !spreadsByNode(pod)
      ? [`${pod.replicas} replicas may land on one node: add pod anti-affinity on ${HOSTNAME} whose labelSelector selects the pods`]
      : []),
  objectRule('pod-disruption-budget-allows-eviction',
    'every PodDisruptionBudget lets at least one of the pods it selects be evicted (a singleton with minAvailable >= 1 or maxUnavailable 0 blocks node drains)',
    ['PodDisruptionBudget'],
    (pdb, ctx) => {
      const selected = ctx.pods.filter(p => p.replicas !== undefined && p.namespace === pdb.metadata?.namespace && selects(pdb.spec?.selector, p.labels));
      if (!selected.length) return [];
      const total = selected.reduce((sum, p) => sum + (p.replicas ?? 0), 0);
      const { minAvailable, maxUnavailable } = pdb.spec ?? {};
      const allowed = maxUnavailable !== undefined ? scaled(maxUnavailable, total) : total - (scaled(minAvailable, total) ?? 0);
      if (allowed === undefined || allowed >= 1) return [];
      return [`allows no eviction of the ${total} pod(s) of ${selected.map(p => p.object).join(', ')}, so node drains hang; `
        + (total < 2 ? 'delete it: a single replica cannot stay available through a drain' : 'use maxUnavailable: 1')];
    }),
];

// ---------------------------------------------------------------------------
// Namespaces and network isolation

function isDefaultDeny(policy: KubeManifest): boolean {
  const types = list<string>(policy.spec?.policyTypes);
  return types.includes('Ingress') && types.includes('Egress')
    && !list(policy.spec?.ingress).length && !list(policy.spec?.egress).length;
}

const namespaceRules: PolicyRule[] = [
  objectRule('namespace-pod-security-restricted',
    'every Namespace is labelled pod-security.kubernetes.io/enforce: restricted',
    ['Namespace'],
    ns => ns.metadata?.labels?.['pod-security.kubernetes.io/enforce'] === 'restricted'
      ? [] : ['set label pod-security.kubernetes.io/enforce: restricted, so the API server rejects weaker pods']),
  rule('namespace-default-deny-network-policy',
    'every namespace that runs pods has a default-deny NetworkPolicy: policyTypes Ingress and Egress, no rules, a podSelector selecting all of those pods '
    + '(empty, or the stack\'s part-of label); switch off with requireNetworkPolicies: false',
    ctx => {
      if (!ctx.options.requireNetworkPolicies) return [];
      const namespaces = [...new Set(ctx.pods.map(p => p.namespace))];
      return namespaces.flatMap(ns => {
        const pods = ctx.pods.filter(p => p.namespace === ns);
        const denies = ofKind(ctx, 'NetworkPolicy')
          .filter(np => np.metadata?.namespace === ns && isDefaultDeny(np) && pods.every(p => selects(np.spec?.podSelector, p.labels)));
        return denies.length ? [] : [{
          object: `Namespace/${ns ?? '(none)'}`,
          message: `no default-deny NetworkPolicy selects all of ${pods.map(p => p.object).join(', ')}: add one with podSelector {} `
            + '(or the stack\'s part-of label), policyTypes [Ingress, Egress] and no rules',
        }];
      });
    }),
];

// ---------------------------------------------------------------------------
// Ingress

/** Endpoints that change or stop a server; an Ingress must not route them explicitly. */
export const ADMIN_ENDPOINTS: readonly string[] = ['/-/reload', '/-/quit', '/api/v1/admin'];

function tlsCovers(tlsHost: string, host: string): boolean {
  if (tlsHost === host) return true;
  // `*.example.com` covers exactly one more label, as certificates do.
  return tlsHost.startsWith('*.') && host.endsWith(tlsHost.slice(1)) && !host.slice(0, -(tlsHost.length - 1)).includes('.');
}

function backendName(backend: any): string {
  return backend?.service?.name ? `Service ${backend.service.name}` : 'a non-Service backend';
}

/**
 * Whether an Ingress backend can never reach a pod: a Service of the manifests
 * in the Ingress's namespace with no selector, not ExternalName, and no
 * hand-written Endpoints or EndpointSlices.
 */
function isBlackhole(ctx: PolicyContext, ing: KubeManifest, backend: any): boolean {
  const name = backend?.service?.name;
  const namespace = ing.metadata?.namespace;
  const sameNamespace = (m: KubeManifest) => m.metadata?.namespace === namespace;
  const service = ofKind(ctx, 'Service').find(s => s.metadata?.name === name && sameNamespace(s));
  if (!name || !service || service.spec?.type === 'ExternalName' || Object.keys(service.spec?.selector ?? {}).length) return false;
  const endpoints = ofKind(ctx, 'Endpoints', 'EndpointSlice').filter(e => sameNamespace(e)
    && (e.kind === 'Endpoints' ? e.metadata?.name === name : e.metadata?.labels?.['kubernetes.io/service-name'] === name));
  return !endpoints.length;
}

const ingressRules: PolicyRule[] = [
  objectRule('ingress-tls',
    'every Ingress host is covered by spec.tls, and no rule serves all hosts; only the allowInsecureIngress option (never an annotation) waives it',
    ['Ingress'],
    (ing, ctx) => {
      if (ctx.options.allowInsecureIngress) return [];
      const tlsHosts = list(ing.spec?.tls).flatMap(t => list<string>(t?.hosts));
      const problems: string[] = [];
      for (const r of list(ing.spec?.rules)) {
        if (!r?.host) problems.push('a rule has no host, so it serves every host name, including over plain HTTP: set its host and list it in tls');
        else if (!tlsHosts.some(t => tlsCovers(t, r.host))) problems.push(`host ${r.host} is not in spec.tls: add it with a certificate Secret`);
      }
      if (ing.spec?.defaultBackend && !list(ing.spec?.rules).length && !tlsHosts.length) {
        problems.push('the default backend is served without TLS: add rules with hosts and tls');
      }
      return problems;
    }),
  objectRule('ingress-no-admin-paths',
    `no Ingress path containing an admin endpoint (${ADMIN_ENDPOINTS.join(', ')}) routes to anything but a blackhole: `
    + 'a Service of the manifests without selector or Endpoints, which the controller answers with 503',
    ['Ingress'],
    (ing, ctx) => list(ing.spec?.rules).flatMap(r => list(r?.http?.paths)
      .filter(p => typeof p?.path === 'string' && ADMIN_ENDPOINTS.some(e => p.path.includes(e)) && !isBlackhole(ctx, ing, p.backend))
      .map(p => `path ${p.path} on ${r.host ?? 'every host'} routes an admin endpoint to ${backendName(p.backend)}: `
        + 'remove the path, or send it to a Service without selector or Endpoints')),
  ),
];

// ---------------------------------------------------------------------------
// Credentials

/**
 * Keys whose value is a credential in Prometheus, Alertmanager and friends
 * (besides any key ending in `_password`, `_token` or `_secret`). Their
 * `*_file` forms read the credential from a mounted Secret and are fine.
 */
export const CREDENTIAL_KEYS: readonly string[] = [
  'password', 'api_key', 'token', 'secret', 'routing_key', 'service_key', 'bot_token', 'auth_password', 'credentials', 'user_key',
];

function isCredentialKey(key: string): boolean {
  const k = key.toLowerCase();
  return CREDENTIAL_KEYS.includes(k) || /_(password|token|secret)$/.test(k);
}

function isInlineValue(value: unknown): boolean {
  return typeof value === 'number' || (typeof value === 'string' && value.trim() !== '');
}

/** Credential keys with an inline value anywhere in a parsed YAML/JSON value. */
function credentialKeysIn(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => credentialKeysIn(v, `${path}[${i}]`));
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => {
    const here = path ? `${path}.${k}` : k;
    return isCredentialKey(k) && isInlineValue(v) ? [here] : credentialKeysIn(v, here);
  });
}

const CREDENTIAL_LINE = /^\s*(?:-\s+)?["']?([A-Za-z0-9_]+)["']?\s*:\s*(.*)$/;

/** Credential keys in a ConfigMap value: YAML/JSON is walked; other text is read line by line. */
function inlineCredentials(text: string): string[] {
  try {
    const docs = parseAllDocuments(text);
    if (!Array.isArray(docs)) throw new Error('not a document list');
    if (docs.every(d => !d.errors.length)) {
      const values = docs.map(d => d.toJS());
      if (values.some(v => v && typeof v === 'object')) return values.flatMap(v => credentialKeysIn(v));
    }
  } catch {
    // Not YAML: fall through to reading lines.
  }
  return text.split('\n').flatMap(line => {
    const m = CREDENTIAL_LINE.exec(line);
    const value = m?.[2].replace(/\s+#.*$/, '').replace(/^(["'])(.*)\1$/, '$2').trim();
    return m && isCredentialKey(m[1]) && value && value !== '~' && value !== 'null' && !value.startsWith('#') ? [m[1]] : [];
  });
}

/** `--x.password=v`, `token=v`, `?access_token=v`; `$(VAR)` values come from the environment and are fine. */
const CREDENTIAL_ASSIGNMENT = /(?:^|[^A-Za-z0-9])(?:[A-Za-z0-9]+[._-])*(?:password|passwd|token|secret|api[-_]?key)=(?!\$\(|\s|$)/i;
const CREDENTIAL_ENV_NAME = /(PASSWORD|PASSWD|TOKEN|SECRET|API_?KEY)/i;
const REFERENCE_ENV_NAME = /_(FILE|PATH|DIR)$/i;

const credentialRules: PolicyRule[] = [
  objectRule('configmap-no-inline-credentials',
    `ConfigMap values set no credential key (${CREDENTIAL_KEYS.join(', ')}, *_password, *_token, *_secret) to an inline value; `
    + 'use the *_file form and a Secret',
    ['ConfigMap'],
    cm => Object.entries(cm.data ?? {}).flatMap(([file, text]) => typeof text === 'string'
      ? inlineCredentials(text).map(key => `${file} sets ${key} inline: put the credential in a Secret and use the *_file form`)
      : []),
  ),
  containerRule('container-no-credential-args',
    'no container command, arg or env value passes a credential inline (`--...password=...`, `token=...`, or a literal value of an env var named *PASSWORD*/*TOKEN*/*SECRET*/*API_KEY*)',
    c => {
      const words = [...list<string>(c.spec.command), ...list<string>(c.spec.args)].filter(a => typeof a === 'string' && CREDENTIAL_ASSIGNMENT.test(a));
      const env = list(c.spec.env).filter(e => typeof e?.value === 'string' && e.value.trim() !== '' && !e.value.startsWith('$(')
        && (CREDENTIAL_ASSIGNMENT.test(e.value) || (CREDENTIAL_ENV_NAME.test(e.name ?? '') && !REFERENCE_ENV_NAME.test(e.name ?? ''))));
      const found = [...words.map(w => `argument ${w.split('=')[0]}=…`), ...env.map(e => `env ${e.name}`)];
      return found.length ? `passes a credential inline (${found.join(', ')}): read it from a Secret (valueFrom.secretKeyRef or a file)` : undefined;
    }),
];

// ---------------------------------------------------------------------------

/** Every rule of the policy, in the order violations are reported. */
export const POLICY_RULES: readonly PolicyRule[] = [
  ...podSecurityRules,
  ...workloadRules,
  ...accessRules,
  ...availabilityRules,
  ...namespaceRules,
  ...ingressRules,
  ...credentialRules,
];

/**
 * Checks synthesized manifests (e.g. `Testing.synth(chart)`) against
 * {@link POLICY_RULES}. Pod rules apply to the pod templates of Deployments,
 * StatefulSets, DaemonSets, Jobs, CronJobs and bare Pods.
 *
 * @returns the violations, grouped by rule; empty when everything passes.
 * @throws if `options.disabledRules` names an unknown rule (a typo would otherwise silently disable nothing)
 */
export function checkPolicies(manifests: object[], options: PolicyOptions = {}): PolicyViolation[] {
  const unknown = (options.disabledRules ?? []).filter(id => !POLICY_RULES.some(r => r.id === id));
  if (unknown.length) {
    throw new Error(`unknown policy rule(s) ${unknown.join(', ')} in disabledRules; known: ${POLICY_RULES.map(r => r.id).join(', ')}`);
  }
  const objects = manifests.filter((m): m is KubeManifest => !!m && typeof m === 'object');
  const context: PolicyContext = {
    manifests: objects,
    pods: podsOf(objects),
    options: {
      requireNetworkPolicies: options.requireNetworkPolicies ?? true,
      allowInsecureIngress: options.allowInsecureIngress ?? false,
      allowedRbacVerbs: options.allowedRbacVerbs ?? ['get', 'list', 'watch'],
      disabledRules: options.disabledRules ?? [],
    },
  };
  return POLICY_RULES
    .filter(r => !context.options.disabledRules.includes(r.id))
    .flatMap(r => r.check(context).map(f => ({ rule: r.id, ...f })));
}
