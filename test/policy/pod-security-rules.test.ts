import { podSecurityRules } from '../../lib/policy/pod-security-rules';
import { Breakage, cachePod, containerOf, init, testRuleFamily, web, webPod } from './policy-test-helpers';

// The Pod Security Standard "restricted" rules of
// lib/policy/pod-security-rules.ts: breakages of the compliant manifests that
// make each rule fire.

const BREAKAGES: Breakage[] = [
  ['pod-run-as-non-root', 'neither pod nor container sets runAsNonRoot', o => { delete webPod(o).securityContext.runAsNonRoot; }],
  ['pod-run-as-non-root', 'a container overrides the pod with runAsNonRoot: false', o => { web(o).securityContext.runAsNonRoot = false; }],
  ['pod-run-as-user-not-root', 'the pod runs as uid 0', o => { webPod(o).securityContext.runAsUser = 0; }],
  ['pod-run-as-user-not-root', 'an init container runs as uid 0', o => { init(o).securityContext.runAsUser = 0; }],
  ['container-no-privilege-escalation', 'an init container may escalate', o => { delete init(o).securityContext.allowPrivilegeEscalation; }],
  ['container-drop-all-capabilities', 'capabilities are not dropped', o => { web(o).securityContext.capabilities = { drop: [] }; }],
  ['container-drop-all-capabilities', 'SYS_ADMIN is added', o => { web(o).securityContext.capabilities = { drop: ['ALL'], add: ['SYS_ADMIN'] }; }],
  ['pod-seccomp-profile', 'the pod is Unconfined', o => { webPod(o).securityContext.seccompProfile = { type: 'Unconfined' }; }],
  ['pod-seccomp-profile', 'a container overrides the pod with Unconfined', o => { web(o).securityContext.seccompProfile = { type: 'Unconfined' }; }],
  ['pod-seccomp-profile', 'no profile anywhere', o => { delete containerOf(o, 'StatefulSet', 'cache', 'cache').securityContext.seccompProfile; }],
  ['container-not-privileged', 'a privileged container', o => { web(o).securityContext.privileged = true; }],
  ['container-read-only-root-filesystem', 'a writable root filesystem', o => { web(o).securityContext.readOnlyRootFilesystem = false; }],
  ['pod-no-host-path', 'a hostPath volume', o => { webPod(o).volumes.push({ name: 'host', hostPath: { path: '/var/run' } }); }],
  ['pod-no-host-namespaces', 'hostNetwork', o => { webPod(o).hostNetwork = true; }],
  ['pod-no-host-namespaces', 'hostPID', o => { cachePod(o).hostPID = true; }],
  ['container-no-host-port', 'a hostPort', o => { web(o).ports[0].hostPort = 8080; }],
  ['pod-restricted-volume-types', 'an nfs volume', o => { webPod(o).volumes.push({ name: 'share', nfs: { server: 'nfs', path: '/' } }); }],
];

testRuleFamily('Pod Security Standard "restricted"', podSecurityRules, BREAKAGES);
