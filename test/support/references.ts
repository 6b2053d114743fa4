/**
 * Cross-reference checks over a list of synthesized Kubernetes objects: names
 * that one object uses to point at another (selectors, port names, Service
 * names, ConfigMaps, RBAC subjects…) must resolve within the list. The schema
 * cannot see these; a broken one applies fine and fails at run time (a Service
 * with no endpoints, a pod stuck in ContainerCreating, a 503 from the Ingress).
 *
 * Each check takes the objects and returns its problems as readable strings;
 * an empty list means every reference resolves.
 */

/** A synthesized Kubernetes object (loosely typed: checks must survive broken input). */
export type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; [key: string]: unknown };

/** A label selector: `matchLabels` and `matchExpressions`. */
export interface LabelSelector {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

// The fields the checks read, as the Kubernetes API names them. Everything is
// optional: an object under check may lack any of them, and the checks read
// them with `?.` and defaults.

/** A port of a Service, a container or a NetworkPolicy rule. */
interface Port {
  readonly name?: string;
  readonly port?: number | string;
  readonly containerPort?: number;
  readonly targetPort?: number | string;
  readonly protocol?: string;
}

interface Probe {
  readonly httpGet?: { readonly port?: number | string };
  readonly tcpSocket?: { readonly port?: number | string };
}

interface Container {
  readonly name?: string;
  readonly ports?: Port[];
  readonly volumeMounts?: Array<{ readonly name?: string; readonly mountPath?: string }>;
  readonly livenessProbe?: Probe;
  readonly readinessProbe?: Probe;
  readonly startupProbe?: Probe;
}

interface ConfigMapSource {
  readonly name?: string;
  readonly optional?: boolean;
  readonly items?: Array<{ readonly key?: string }>;
}

interface Volume {
  readonly name?: string;
  readonly configMap?: ConfigMapSource;
  readonly projected?: { readonly sources?: Array<{ readonly configMap?: ConfigMapSource }> };
}

/** The spec of a StatefulSet, Deployment, DaemonSet or ReplicaSet. */
interface WorkloadSpec {
  readonly replicas?: number;
  readonly selector?: LabelSelector;
  readonly serviceName?: string;
  readonly template?: {
    readonly metadata?: { readonly labels?: Record<string, string> };
    readonly spec?: {
      readonly containers?: Container[];
      readonly initContainers?: Container[];
      readonly volumes?: Volume[];
      readonly serviceAccountName?: string;
    };
  };
  readonly volumeClaimTemplates?: Array<{ readonly metadata?: { readonly name?: string } }>;
}

interface ServiceSpec {
  readonly selector?: Record<string, string>;
  readonly ports?: Port[];
  readonly clusterIP?: string;
}

interface IngressBackend {
  readonly service?: { readonly name?: string; readonly port?: { readonly name?: string; readonly number?: number } };
}

interface IngressSpec {
  readonly defaultBackend?: IngressBackend;
  readonly rules?: Array<{ readonly host?: string; readonly http?: { readonly paths?: Array<{ readonly path?: string; readonly backend?: IngressBackend }> } }>;
}

interface NetworkPolicySpec {
  readonly podSelector?: LabelSelector;
  readonly ingress?: Array<{ readonly ports?: Port[] }>;
  readonly egress?: Array<{
    readonly to?: Array<{ readonly podSelector?: LabelSelector; readonly namespaceSelector?: LabelSelector }>;
    readonly ports?: Port[];
  }>;
}

interface RoleBindingFields {
  readonly roleRef?: { readonly apiGroup?: string; readonly kind?: string; readonly name?: string };
  readonly subjects?: Array<{ readonly kind?: string; readonly name?: string; readonly namespace?: string }>;
}

interface ConfigMapFields {
  readonly data?: Record<string, string>;
  readonly binaryData?: Record<string, string>;
}

/** The `spec` of an object, read as the spec of the kind the caller expects. */
function specOf<T>(obj: K8sObject): T | undefined {
  return obj.spec as T | undefined;
}

/** A reference check. */
export type ReferenceCheck = (objects: readonly K8sObject[]) => string[];

const WORKLOAD_KINDS = new Set(['StatefulSet', 'Deployment', 'DaemonSet', 'ReplicaSet']);
const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;

/** Namespace of a namespaced object; kubectl puts objects without one into `default`. */
function ns(obj: K8sObject): string {
  return obj.metadata?.namespace ?? 'default';
}

/** `Kind namespace/name` (cluster-scoped: `Kind name`). */
export function ref(obj: K8sObject): string {
  return obj.metadata?.namespace ? `${obj.kind} ${obj.metadata.namespace}/${obj.metadata.name}` : `${obj.kind} ${obj.metadata?.name}`;
}

function ofKind(objects: readonly K8sObject[], kind: string, namespace?: string): K8sObject[] {
  return objects.filter(o => o.kind === kind && (namespace === undefined || ns(o) === namespace));
}

function named(objects: readonly K8sObject[], kind: string, name: string | undefined, namespace?: string): K8sObject | undefined {
  return ofKind(objects, kind, namespace).find(o => o.metadata?.name === name);
}

/** StatefulSets, Deployments, DaemonSets and ReplicaSets. */
export function workloads(objects: readonly K8sObject[], namespace?: string): K8sObject[] {
  return objects.filter(o => WORKLOAD_KINDS.has(o.kind) && (namespace === undefined || ns(o) === namespace));
}

function templateLabels(workload: K8sObject): Record<string, string> {
  return specOf<WorkloadSpec>(workload)?.template?.metadata?.labels ?? {};
}

/** Containers and init containers of a workload's pod template. */
function containers(workload: K8sObject): Container[] {
  const spec = specOf<WorkloadSpec>(workload)?.template?.spec ?? {};
  return [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
}

/** Volumes of a workload's pod template. */
function volumes(workload: K8sObject): Volume[] {
  return specOf<WorkloadSpec>(workload)?.template?.spec?.volumes ?? [];
}

/** Replicas of a workload; Kubernetes defaults an absent count to 1. */
function replicas(workload: K8sObject): number {
  return specOf<WorkloadSpec>(workload)?.replicas ?? 1;
}

/**
 * Whether `selector` selects `labels`, with the semantics of metav1.LabelSelector.
 * An empty selector selects everything, as it does in a PodDisruptionBudget.
 */
export function selects(selector: LabelSelector, labels: Record<string, string>): boolean {
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpressions = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    switch (operator) {
      case 'In': return key in labels && values.includes(labels[key]);
      case 'NotIn': return !(key in labels) || !values.includes(labels[key]);
      case 'Exists': return key in labels;
      case 'DoesNotExist': return !(key in labels);
      default: return false;
    }
  });
  return byLabels && byExpressions;
}

/** Workloads in the Service's namespace whose pods the Service selects. */
function selectedWorkloads(objects: readonly K8sObject[], service: K8sObject): K8sObject[] {
  const selector = specOf<ServiceSpec>(service)?.selector;
  if (!selector || Object.keys(selector).length === 0) return [];
  return workloads(objects, ns(service)).filter(w => selects({ matchLabels: selector }, templateLabels(w)));
}

/** Every Service selector matches the pod template labels of at least one workload in its namespace. */
export const serviceSelectorsMatchWorkloads: ReferenceCheck = objects =>
  ofKind(objects, 'Service')
    // A Service without a selector has manually managed endpoints: nothing to resolve.
    .filter(svc => Object.keys(specOf<ServiceSpec>(svc)?.selector ?? {}).length > 0)
    .filter(svc => selectedWorkloads(objects, svc).length === 0)
    .map(svc => `${ref(svc)}: selector ${JSON.stringify(specOf<ServiceSpec>(svc)?.selector)} matches the pods of no workload in namespace ${ns(svc)}`);

/**
 * Every named Service `targetPort` is a container port of every selected
 * workload's pods, with the Service port's protocol (the endpoints controller
 * matches name and protocol).
 */
export const serviceTargetPortsExist: ReferenceCheck = objects =>
  ofKind(objects, 'Service').flatMap(svc => {
    const selected = selectedWorkloads(objects, svc);
    return (specOf<ServiceSpec>(svc)?.ports ?? [])
      .filter(p => typeof p.targetPort === 'string')
      .flatMap(p => selected.flatMap(w => {
        const protocol = p.protocol ?? 'TCP';
        const candidates = containers(w).flatMap(c => c.ports ?? []).filter(cp => cp.name === p.targetPort);
        if (candidates.length === 0) {
          return [`${ref(svc)}: port '${p.name ?? p.port}' targets '${p.targetPort}', which no container of ${ref(w)} names`];
        }
        if (!candidates.some(cp => (cp.protocol ?? 'TCP') === protocol)) {
          return [`${ref(svc)}: port '${p.name ?? p.port}' targets '${p.targetPort}' over ${protocol}, but ${ref(w)} names it for ${candidates.map(cp => cp.protocol ?? 'TCP').join('/')}`];
        }
        return [];
      }));
  });

/** Backends of an Ingress: its default backend and every path's backend. */
function ingressBackends(ingress: K8sObject): Array<{ where: string; backend: IngressBackend | undefined }> {
  const out: Array<{ where: string; backend: IngressBackend | undefined }> = [];
  const spec = specOf<IngressSpec>(ingress);
  if (spec?.defaultBackend) out.push({ where: 'defaultBackend', backend: spec.defaultBackend });
  (spec?.rules ?? []).forEach(rule => (rule.http?.paths ?? []).forEach(p => {
    out.push({ where: `${rule.host ?? '*'}${p.path ?? ''}`, backend: p.backend });
  }));
  return out;
}

/** Every Ingress backend names an existing Service in its namespace and a port of it (by name or number). */
export const ingressBackendsExist: ReferenceCheck = objects =>
  ofKind(objects, 'Ingress').flatMap(ing => ingressBackends(ing).flatMap(({ where, backend }) => {
    const service = backend?.service;
    if (!service) return []; // a resource backend (e.g. a bucket): not a Service
    const svc = named(objects, 'Service', service.name, ns(ing));
    if (!svc) return [`${ref(ing)}: backend of ${where} names Service '${service.name}', which does not exist in namespace ${ns(ing)}`];
    const ports = specOf<ServiceSpec>(svc)?.ports ?? [];
    const port = service.port ?? {};
    if (port.name !== undefined && !ports.some(p => p.name === port.name)) {
      return [`${ref(ing)}: backend of ${where} names port '${port.name}' of ${ref(svc)}, which has ports ${JSON.stringify(ports.map(p => p.name))}`];
    }
    if (port.number !== undefined && !ports.some(p => p.port === port.number)) {
      return [`${ref(ing)}: backend of ${where} names port ${port.number} of ${ref(svc)}, which has ports ${JSON.stringify(ports.map(p => p.port))}`];
    }
    if (port.name === undefined && port.number === undefined) return [`${ref(ing)}: backend of ${where} names no port`];
    return [];
  }));

/** Every StatefulSet's `serviceName` names an existing headless Service (clusterIP None) in its namespace. */
export const statefulSetServicesAreHeadless: ReferenceCheck = objects =>
  ofKind(objects, 'StatefulSet').flatMap(sts => {
    const name = specOf<WorkloadSpec>(sts)?.serviceName;
    if (!name) return [`${ref(sts)}: has no serviceName`];
    const svc = named(objects, 'Service', name, ns(sts));
    if (!svc) return [`${ref(sts)}: serviceName '${name}' names no Service in namespace ${ns(sts)}`];
    const clusterIP = specOf<ServiceSpec>(svc)?.clusterIP;
    if (clusterIP !== 'None') {
      return [`${ref(sts)}: serviceName '${name}' names ${ref(svc)}, which is not headless (clusterIP ${clusterIP ?? 'unset'}, not None), so its pods get no stable DNS names`];
    }
    return [];
  });

/**
 * Every PodDisruptionBudget selects a workload with more than one replica: a
 * budget over a single replica blocks every node drain, one over nothing is dead.
 */
export const disruptionBudgetsCoverReplicatedWorkloads: ReferenceCheck = objects =>
  ofKind(objects, 'PodDisruptionBudget').flatMap(pdb => {
    const selector = specOf<{ readonly selector?: LabelSelector }>(pdb)?.selector ?? {};
    const selected = workloads(objects, ns(pdb)).filter(w => selects(selector, templateLabels(w)));
    if (selected.length === 0) return [`${ref(pdb)}: selector ${JSON.stringify(selector)} matches no workload in namespace ${ns(pdb)}`];
    const single = selected.filter(w => replicas(w) <= 1);
    return single.map(w => `${ref(pdb)}: selects ${ref(w)}, which has ${replicas(w)} replica(s)`);
  });

/**
 * Every RoleBinding/ClusterRoleBinding refers to an existing ClusterRole (or,
 * from a RoleBinding, a Role in its namespace), and every ServiceAccount
 * subject exists in the subject's namespace. User and Group subjects are
 * outside the cluster's objects and not checked.
 */
export const rbacReferencesExist: ReferenceCheck = objects =>
  objects.filter(o => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding').flatMap(binding => {
    const problems: string[] = [];
    const { roleRef = {}, subjects = [] } = binding as RoleBindingFields;
    if (roleRef.apiGroup !== 'rbac.authorization.k8s.io') {
      problems.push(`${ref(binding)}: roleRef.apiGroup is ${JSON.stringify(roleRef.apiGroup)}, not 'rbac.authorization.k8s.io'`);
    }
    if (roleRef.kind === 'ClusterRole') {
      if (!named(objects, 'ClusterRole', roleRef.name)) problems.push(`${ref(binding)}: roleRef names ClusterRole '${roleRef.name}', which does not exist`);
    } else if (roleRef.kind === 'Role' && binding.kind === 'RoleBinding') {
      if (!named(objects, 'Role', roleRef.name, ns(binding))) {
        problems.push(`${ref(binding)}: roleRef names Role '${roleRef.name}', which does not exist in namespace ${ns(binding)}`);
      }
    } else {
      problems.push(`${ref(binding)}: a ${binding.kind} cannot refer to a ${JSON.stringify(roleRef.kind)}`);
    }
    for (const subject of subjects) {
      if (subject.kind !== 'ServiceAccount') continue;
      // A RoleBinding's ServiceAccount subject defaults to the binding's namespace; a ClusterRoleBinding's must say it.
      const namespace = subject.namespace ?? (binding.kind === 'RoleBinding' ? ns(binding) : undefined);
      if (namespace === undefined) {
        problems.push(`${ref(binding)}: ServiceAccount subject '${subject.name}' has no namespace`);
      } else if (!named(objects, 'ServiceAccount', subject.name, namespace)) {
        problems.push(`${ref(binding)}: subject ServiceAccount ${namespace}/${subject.name} does not exist`);
      }
    }
    return problems;
  });

/** ConfigMap sources of a pod spec's volumes, direct and projected. */
function configMapSources(workload: K8sObject): Array<{ volume: string | undefined; source: ConfigMapSource }> {
  return volumes(workload).flatMap(v => [
    ...(v.configMap ? [{ volume: v.name, source: v.configMap }] : []),
    ...(v.projected?.sources ?? []).flatMap(s => (s.configMap ? [{ volume: v.name, source: s.configMap }] : [])),
  ]);
}

/**
 * Every configMap volume (unless `optional`) names an existing ConfigMap in the
 * workload's namespace, and each key it picks with `items` is in that ConfigMap.
 */
export const configMapVolumesExist: ReferenceCheck = objects =>
  workloads(objects).flatMap(w => configMapSources(w).flatMap(({ volume, source }) => {
    if (source.optional) return [];
    const cm = named(objects, 'ConfigMap', source.name, ns(w));
    if (!cm) return [`${ref(w)}: volume '${volume}' mounts ConfigMap '${source.name}', which does not exist in namespace ${ns(w)}`];
    const { data = {}, binaryData = {} } = cm as ConfigMapFields;
    const keys = new Set([...Object.keys(data), ...Object.keys(binaryData)]);
    return (source.items ?? [])
      .filter(item => !keys.has(item.key as string))
      .map(item => `${ref(w)}: volume '${volume}' picks key '${item.key}' of ${ref(cm)}, which has keys ${JSON.stringify([...keys])}`);
  }));

/** Every probe port given by name is a port name of the probed container. */
export const probePortsExist: ReferenceCheck = objects =>
  workloads(objects).flatMap(w => containers(w).flatMap(c => {
    const names = new Set((c.ports ?? []).map(p => p.name));
    return PROBES.flatMap(probe => {
      const port = c[probe]?.httpGet?.port ?? c[probe]?.tcpSocket?.port;
      return typeof port === 'string' && !names.has(port)
        ? [`${ref(w)}: ${probe} of container '${c.name}' uses port '${port}', which the container does not name (it names ${JSON.stringify([...names])})`]
        : [];
    });
  }));

/** Every workload's `spec.selector` selects its own pod template (matchLabels ⊆ template labels). */
export const workloadSelectorsMatchTemplates: ReferenceCheck = objects =>
  workloads(objects).flatMap(w => {
    const selector = specOf<WorkloadSpec>(w)?.selector;
    if (!selector || (!Object.keys(selector.matchLabels ?? {}).length && !(selector.matchExpressions ?? []).length)) {
      return [`${ref(w)}: has no (or an empty) spec.selector`];
    }
    return selects(selector, templateLabels(w))
      ? []
      : [`${ref(w)}: selector ${JSON.stringify(selector)} does not select its own pod template labels ${JSON.stringify(templateLabels(w))}`];
  });

/** Every pod template's `serviceAccountName` (other than `default`) is an existing ServiceAccount in its namespace. */
export const serviceAccountsExist: ReferenceCheck = objects =>
  workloads(objects).flatMap(w => {
    const name = specOf<WorkloadSpec>(w)?.template?.spec?.serviceAccountName;
    return name && name !== 'default' && !named(objects, 'ServiceAccount', name, ns(w))
      ? [`${ref(w)}: serviceAccountName '${name}' names no ServiceAccount in namespace ${ns(w)}`]
      : [];
  });

/** Every volumeMount names a volume of the pod or, in a StatefulSet, a volumeClaimTemplate. */
export const volumeMountsExist: ReferenceCheck = objects =>
  workloads(objects).flatMap(w => {
    const names = new Set<string | undefined>([
      ...volumes(w).map(v => v.name),
      ...(w.kind === 'StatefulSet' ? (specOf<WorkloadSpec>(w)?.volumeClaimTemplates ?? []).map(t => t.metadata?.name) : []),
    ]);
    return containers(w).flatMap(c => (c.volumeMounts ?? [])
      .filter(m => !names.has(m.name))
      .map(m => `${ref(w)}: container '${c.name}' mounts volume '${m.name}' at ${m.mountPath}, which the pod does not have`));
  });

/** The container ports (number/protocol and name/protocol) of the pods `selector` picks in `namespace`. */
function podPorts(objects: readonly K8sObject[], namespace: string, selector: LabelSelector): Set<string> {
  return new Set(workloads(objects, namespace)
    .filter(w => selects(selector, templateLabels(w)))
    .flatMap(w => containers(w).flatMap(c => (c.ports ?? []).flatMap(p => [
      `${p.containerPort}/${p.protocol ?? 'TCP'}`, ...(p.name ? [`${p.name}/${p.protocol ?? 'TCP'}`] : []),
    ]))));
}

/**
 * NetworkPolicies: the podSelector picks pods, every ingress port is one those
 * pods listen on, and every egress port towards pods of the same namespace is
 * one the destination pods listen on. A policy for a port nobody serves is a
 * rule that allows nothing (and usually means the real port is blocked).
 */
export const networkPolicyPortsExist: ReferenceCheck = objects =>
  ofKind(objects, 'NetworkPolicy').flatMap(np => {
    const namespace = ns(np);
    const spec = specOf<NetworkPolicySpec>(np);
    const own = spec?.podSelector ?? {};
    const isEmpty = !own.matchLabels && !own.matchExpressions;
    const problems: string[] = [];
    if (!isEmpty && !workloads(objects, namespace).some(w => selects(own, templateLabels(w)))) {
      problems.push(`${ref(np)}: podSelector matches no pod template`);
    }
    if (isEmpty) return problems; // a namespace-wide policy (default deny) names no ports
    const ownPorts = podPorts(objects, namespace, own);
    (spec?.ingress ?? []).forEach((rule, i) => (rule.ports ?? []).forEach(p => {
      const key = `${p.port}/${p.protocol ?? 'TCP'}`;
      if (!ownPorts.has(key)) problems.push(`${ref(np)}: ingress[${i}] allows ${key}, which its pods do not listen on`);
    }));
    (spec?.egress ?? []).forEach((rule, i) => (rule.to ?? [])
      .filter(peer => peer.podSelector && !peer.namespaceSelector)
      .forEach(peer => {
        const theirs = podPorts(objects, namespace, peer.podSelector ?? {});
        if (!theirs.size) problems.push(`${ref(np)}: egress[${i}] selects no pod`);
        (rule.ports ?? []).forEach(p => {
          const key = `${p.port}/${p.protocol ?? 'TCP'}`;
          if (theirs.size && !theirs.has(key)) problems.push(`${ref(np)}: egress[${i}] allows ${key}, which the selected pods do not listen on`);
        });
      }));
    return problems;
  });

/** All checks by name. */
export const REFERENCE_CHECKS: Record<string, ReferenceCheck> = {
  serviceSelectorsMatchWorkloads,
  serviceTargetPortsExist,
  ingressBackendsExist,
  statefulSetServicesAreHeadless,
  disruptionBudgetsCoverReplicatedWorkloads,
  rbacReferencesExist,
  configMapVolumesExist,
  probePortsExist,
  workloadSelectorsMatchTemplates,
  serviceAccountsExist,
  volumeMountsExist,
  networkPolicyPortsExist,
};

/** The problems of every check. */
export function referenceProblems(objects: readonly K8sObject[]): string[] {
  return Object.values(REFERENCE_CHECKS).flatMap(check => check(objects));
}
