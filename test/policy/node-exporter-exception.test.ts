import { checkPolicies, NODE_EXPORTER_EXCEPTION, PolicyOptions } from '../../lib/policy/check-policies';
import { compliant, Obj } from './policy-fixture';
import { obj, podSpec } from './policy-test-helpers';

// The one named exception to Pod Security "restricted" (lib/policy/node-exporter-exception.ts):
// the library's node exporter may read the host's /proc, /sys and / read-only and
// share its network, in a Namespace of its own that enforces "privileged". Tested on
// hand-written manifests, like every rule: any chart with that shape gets it, and nothing else.

const NE_LABELS = { 'app.kubernetes.io/name': 'node-exporter', 'app.kubernetes.io/part-of': 'cdk8s-prometheus-thanos' };
const NS = 'node-metrics';

/** A DaemonSet shaped as the library's NodeExporter renders it, minus what no rule looks at. */
function hostAgent(name: string, namespace: string, labels: Record<string, string>): Obj {
  return {
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name, namespace },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          automountServiceAccountToken: false,
          hostNetwork: true,
          securityContext: { runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } },
          tolerations: [{ operator: 'Exists' }],
          containers: [{
            name: 'node-exporter', image: 'quay.io/prometheus/node-exporter:v1.11.1', imagePullPolicy: 'IfNotPresent',
            args: ['--path.procfs=/host/proc', '--path.sysfs=/host/sys', '--path.rootfs=/host/root'],
            ports: [{ name: 'metrics', containerPort: 9100 }],
            resources: { requests: { cpu: '100m', memory: '180Mi' }, limits: { cpu: '250m', memory: '180Mi' } },
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            livenessProbe: { httpGet: { path: '/', port: 'metrics' } },
            readinessProbe: { httpGet: { path: '/', port: 'metrics' } },
            volumeMounts: [
              { name: 'proc', mountPath: '/host/proc', readOnly: true },
              { name: 'sys', mountPath: '/host/sys', readOnly: true, mountPropagation: 'HostToContainer' },
              { name: 'root', mountPath: '/host/root', readOnly: true, mountPropagation: 'HostToContainer' },
            ],
          }],
          volumes: [
            { name: 'proc', hostPath: { path: '/proc' } },
            { name: 'sys', hostPath: { path: '/sys' } },
            { name: 'root', hostPath: { path: '/' } },
          ],
        },
      },
    },
  };
}

/** The compliant fixture plus the node exporter in its privileged Namespace, with a default-deny policy there. */
function withNodeExporter(): Obj[] {
  return [
    ...compliant(),
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS, labels: { ...NE_LABELS, 'pod-security.kubernetes.io/enforce': 'privileged' } } },
    hostAgent('node-exporter', NS, NE_LABELS),
    {
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny', namespace: NS },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    },
  ];
}

const exporterPod = (o: Obj[]) => podSpec(o, 'DaemonSet', 'node-exporter');
const namespaceOf = (o: Obj[]) => obj(o, 'Namespace', NS);

function violations(manifests: Obj[], options?: PolicyOptions): string[] {
  return checkPolicies(manifests, options).map(v => `${v.rule} ${v.object}: ${v.message}`);
}

describe('the node-exporter exception', () => {
  test('admits the node exporter\'s read-only /proc, /sys, / and hostNetwork, in its privileged Namespace', () => {
    // GIVEN the compliant manifests and the node exporter
    const manifests = withNodeExporter();
    // WHEN
    const found = violations(manifests);
    // THEN nothing is reported
    expect(found).toEqual([]);
    expect(NODE_EXPORTER_EXCEPTION).toMatchObject({ kind: 'DaemonSet', hostPaths: ['/proc', '/sys', '/'], hostNamespaces: ['hostNetwork'] });
  });

  test('another pod with the very same host mounts and hostNetwork is refused', () => {
    // GIVEN the same DaemonSet, but not labelled as the library's node exporter, in the apps namespace
    const manifests = [...withNodeExporter(), hostAgent('host-agent', 'apps', { 'app': 'host-agent', 'app.kubernetes.io/part-of': 'demo' })];
    // WHEN
    const found = checkPolicies(manifests).map(v => `${v.rule} ${v.object}`);
    // THEN each host path and hostNetwork is reported, for it only
    expect(found).toEqual([
      'pod-no-host-path DaemonSet/apps/host-agent',
      'pod-no-host-path DaemonSet/apps/host-agent',
      'pod-no-host-path DaemonSet/apps/host-agent',
      'pod-no-host-namespaces DaemonSet/apps/host-agent',
    ]);
  });

  test('one of the two labels is not enough', () => {
    // GIVEN a pod labelled node-exporter but not part of this library
    const manifests = [...withNodeExporter(), hostAgent('node-exporter', 'apps', { 'app.kubernetes.io/name': 'node-exporter' })];
    // WHEN / THEN it is refused like any other
    expect(checkPolicies(manifests).map(v => v.rule)).toEqual(['pod-no-host-path', 'pod-no-host-path', 'pod-no-host-path', 'pod-no-host-namespaces']);
  });

  test.each<[string, (o: Obj[]) => void, string]>([
    ['a writable host mount', o => { exporterPod(o).containers[0].volumeMounts[2].readOnly = false; }, 'node-exporter mounts \'root\' writable'],
    ['another host path', o => {
      exporterPod(o).volumes.push({ name: 'docker', hostPath: { path: '/var/run/docker.sock' } });
      exporterPod(o).containers[0].volumeMounts.push({ name: 'docker', mountPath: '/var/run/docker.sock', readOnly: true });
    }, 'admits host paths /proc, /sys, / only, not /var/run/docker.sock'],
    ['a Bidirectional mount', o => { exporterPod(o).containers[0].volumeMounts[1].mountPropagation = 'Bidirectional'; }, 'no Bidirectional mount propagation (\'sys\')'],
    ['another image', o => { exporterPod(o).containers[0].image = 'example.com/host-agent:v1'; }, 'admits only node-exporter images'],
    ['an init container', o => {
      exporterPod(o).initContainers = [{ ...exporterPod(o).containers[0], name: 'init' }];
    }, 'admits no init containers'],
  ])('a node exporter with %s is refused, and told why', (_what, mutate, why) => {
    // GIVEN the node exporter, changed
    const manifests = withNodeExporter();
    mutate(manifests);
    // WHEN
    const found = violations(manifests);
    // THEN its host paths and hostNetwork are reported with the reason, and so is its Namespace, which now runs a refused pod
    const hostPaths = found.filter(v => v.startsWith('pod-no-host-path '));
    expect(hostPaths.length).toBeGreaterThanOrEqual(3);
    expect(hostPaths.every(v => v.includes(why))).toBe(true);
    expect(found.some(v => v.startsWith('pod-no-host-namespaces ') && v.includes('remove hostNetwork: true') && v.includes(why))).toBe(true);
    expect(found.some(v => v.startsWith(`namespace-pod-security-restricted Namespace/${NS}`)
      && v.includes('runs only the node exporter, not DaemonSet/node-metrics/node-exporter'))).toBe(true);
  });

  test('a Deployment is not the node exporter, whatever its labels', () => {
    // GIVEN the same pod template in a Deployment
    const manifests = withNodeExporter();
    const ds = obj(manifests, 'DaemonSet', 'node-exporter');
    ds.kind = 'Deployment';
    ds.spec.replicas = 1;
    // WHEN
    const found = violations(manifests);
    // THEN
    expect(found.filter(v => v.startsWith('pod-no-host-path ')).length).toBe(3);
    expect(found[0]).toContain('the node-exporter exception is for a DaemonSet, not a Deployment');
  });

  test('hostPID and hostIPC are never excused', () => {
    // GIVEN the node exporter sharing the host's PIDs and IPC too
    const manifests = withNodeExporter();
    exporterPod(manifests).hostPID = true;
    exporterPod(manifests).hostIPC = true;
    // WHEN
    const found = checkPolicies(manifests);
    // THEN only those are reported: hostNetwork and the host paths stay excused
    expect(found.map(v => `${v.rule}: ${v.message}`)).toEqual([
      'pod-no-host-namespaces: pod shares the node\'s namespace: remove hostPID: true',
      'pod-no-host-namespaces: pod shares the node\'s namespace: remove hostIPC: true',
    ]);
  });

  test('every other rule still applies to it', () => {
    // GIVEN the node exporter running as root with a capability
    const manifests = withNodeExporter();
    exporterPod(manifests).securityContext.runAsUser = 0;
    exporterPod(manifests).containers[0].securityContext = { ...exporterPod(manifests).containers[0].securityContext, capabilities: { drop: ['ALL'], add: ['SYS_ADMIN'] } };
    // WHEN / THEN
    expect(checkPolicies(manifests).map(v => v.rule)).toEqual(['pod-run-as-user-not-root', 'container-drop-all-capabilities']);
  });

  test('nodeExporterException: false refuses the node exporter too', () => {
    // GIVEN
    const manifests = withNodeExporter();
    // WHEN
    const found = violations(manifests, { nodeExporterException: false });
    // THEN its host access and its Namespace are reported, saying the exception is off
    expect(found.map(v => v.split(':')[0])).toEqual([
      'pod-no-host-path DaemonSet/node-metrics/node-exporter',
      'pod-no-host-path DaemonSet/node-metrics/node-exporter',
      'pod-no-host-path DaemonSet/node-metrics/node-exporter',
      'pod-no-host-namespaces DaemonSet/node-metrics/node-exporter',
      'namespace-pod-security-restricted Namespace/node-metrics',
    ]);
    expect(found.every(v => v.includes('switched off (nodeExporterException: false)'))).toBe(true);
  });

  describe('its Namespace', () => {
    test('may not run any other pod', () => {
      // GIVEN a compliant CronJob in the node exporter's Namespace
      const manifests = withNodeExporter();
      const cron = structuredClone(obj(manifests, 'CronJob', 'backup'));
      cron.metadata.namespace = NS;
      manifests.push(cron);
      // WHEN / THEN the Namespace is reported, naming the pod
      expect(violations(manifests)).toEqual([
        `namespace-pod-security-restricted Namespace/${NS}: set label pod-security.kubernetes.io/enforce: restricted, so the API server rejects weaker pods `
        + `(the node-exporter exception admits a namespace that runs only the node exporter, not CronJob/${NS}/backup)`,
      ]);
    });

    test('must enforce privileged exactly, and run the node exporter', () => {
      // GIVEN the Namespace at baseline (which refuses hostPath anyway), and an empty privileged one labelled alike
      const baseline = withNodeExporter();
      namespaceOf(baseline).metadata.labels['pod-security.kubernetes.io/enforce'] = 'baseline';
      const empty = [...compliant(), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'spare', labels: { ...NE_LABELS, 'pod-security.kubernetes.io/enforce': 'privileged' } } }];
      // WHEN / THEN each is reported, saying why
      expect(violations(baseline)).toEqual([expect.stringContaining('admits enforce: privileged only, not baseline')]);
      expect(violations(empty)).toEqual([expect.stringContaining('admits a namespace that runs the node exporter, and this one runs no pod')]);
    });

    test('must be labelled as the node exporter\'s', () => {
      // GIVEN the node exporter's Namespace without its labels
      const manifests = withNodeExporter();
      namespaceOf(manifests).metadata.labels = { 'pod-security.kubernetes.io/enforce': 'privileged' };
      // WHEN / THEN it is reported as any privileged Namespace
      expect(violations(manifests)).toEqual([
        `namespace-pod-security-restricted Namespace/${NS}: set label pod-security.kubernetes.io/enforce: restricted, so the API server rejects weaker pods`,
      ]);
    });
  });
});
