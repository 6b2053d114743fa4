import { list } from './manifests';
import { NODE_EXPORTER_EXCEPTION, nodeExporterException } from './node-exporter-exception';
import { PolicyRule } from './policy-rule';
import { containerRule, podRule } from './rule-builders';

/*
 * The rules of the Pod Security Standard "restricted", on every pod template,
 * with the one named exception for the node exporter's host access
 * (node-exporter-exception.ts).
 */

const ALLOWED_SECCOMP = ['RuntimeDefault', 'Localhost'];
const ALLOWED_CAPABILITY_ADDS = ['NET_BIND_SERVICE'];
/** The volume types Pod Security "restricted" allows. */
export const RESTRICTED_VOLUME_TYPES: readonly string[] = [
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret',
];

/** Why a pod labelled as the node exporter is not excused, after a violation's message. */
function because(why: string | undefined): string {
  return why ? ` (${why})` : '';
}

/**
 * The Pod Security Standard "restricted" rules, in the order `POLICY_RULES` lists them.
 * @internal
 */
export const podSecurityRules: readonly PolicyRule[] = [
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
    `no hostPath volumes, but the read-only ${NODE_EXPORTER_EXCEPTION.hostPaths.join(', ')} of the node-exporter exception (NODE_EXPORTER_EXCEPTION)`,
    (pod, ctx) => {
      const exception = nodeExporterException(pod, ctx);
      if (exception.excused) return [];
      return list(pod.spec.volumes).filter(v => v?.hostPath !== undefined)
        .map(v => `volume '${v.name}' mounts host path ${v.hostPath?.path}; use an emptyDir, a PersistentVolumeClaim or a ConfigMap${because(exception.why)}`);
    }),
  podRule('pod-no-host-namespaces',
    'hostNetwork, hostPID and hostIPC are not true, but hostNetwork of the node-exporter exception (NODE_EXPORTER_EXCEPTION)',
    (pod, ctx) => {
      const exception = nodeExporterException(pod, ctx);
      return ['hostNetwork', 'hostPID', 'hostIPC'].filter(f => pod.spec[f] === true)
        .filter(f => !(exception.excused && NODE_EXPORTER_EXCEPTION.hostNamespaces.includes(f)))
        .map(f => `pod shares the node's namespace: remove ${f}: true${because(exception.why)}`);
    }),
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
