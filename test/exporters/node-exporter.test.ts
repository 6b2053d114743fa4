import { Chart } from 'cdk8s';
import { NodeExporter, Prometheus, StackDefaultDenyPolicy } from '../../lib';
import { checkPolicies } from '../../lib/policy/check-policies';
import { all, container, find, flagValues, givenChart, synth, testApp } from '../support/synth';

// The NodeExporter construct: a DaemonSet in a namespace of its own, with the
// host access the policy's node-exporter exception admits and nothing more.
// The live test (node-exporter.tools.test.ts) runs the rendered flags.
describe('NodeExporter', () => {
  test('renders a Namespace labelled privileged and every object of the component in it', () => {
    // GIVEN a chart in namespace monitoring
    const { chart } = givenChart();
    // WHEN a node exporter is added
    new NodeExporter(chart, 'node-exporter');
    const manifests = synth(chart);
    // THEN its objects are in monitoring-node-exporter, which it creates with Pod Security "privileged"
    expect(manifests.map(m => `${m.kind}/${m.metadata.namespace ?? '-'}/${m.metadata.name}`)).toEqual([
      'Namespace/-/monitoring-node-exporter',
      'DaemonSet/monitoring-node-exporter/node-exporter',
      'Service/monitoring-node-exporter/node-exporter',
      'NetworkPolicy/monitoring-node-exporter/node-exporter',
      'NetworkPolicy/monitoring-node-exporter/default-deny',
    ]);
    expect(find(manifests, 'Namespace', 'monitoring-node-exporter').metadata.labels).toEqual({
      'app.kubernetes.io/name': 'node-exporter',
      'app.kubernetes.io/part-of': 'cdk8s-prometheus-thanos',
      'pod-security.kubernetes.io/enforce': 'privileged',
    });
    expect(find(manifests, 'Service', 'node-exporter').spec.clusterIP).toBe('None');
  });

  test('every node runs it: all taints tolerated, Linux nodes, rolled 10% at a time', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new NodeExporter(chart, 'node-exporter');
    const ds = find(synth(chart), 'DaemonSet', 'node-exporter');
    // THEN
    expect(ds.spec.template.spec.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(ds.spec.template.spec.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(ds.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%' } });
  });

  test('mounts the host\'s /proc, /sys and / read-only, shares the host network but not its PIDs, and runs as nobody without capabilities', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new NodeExporter(chart, 'node-exporter', { hostNetwork: true });
    const ds = find(synth(chart), 'DaemonSet', 'node-exporter');
    const spec = ds.spec.template.spec;
    const c = container(ds, 'node-exporter');
    // THEN only the three host paths, each read-only; / and /sys see mounts made after start
    expect(spec.volumes).toEqual([
      { name: 'proc', hostPath: { path: '/proc' } },
      { name: 'sys', hostPath: { path: '/sys' } },
      { name: 'root', hostPath: { path: '/' } },
    ]);
    expect(c.volumeMounts).toEqual([
      { name: 'proc', mountPath: '/host/proc', readOnly: true },
      { name: 'sys', mountPath: '/host/sys', readOnly: true, mountPropagation: 'HostToContainer' },
      { name: 'root', mountPath: '/host/root', readOnly: true, mountPropagation: 'HostToContainer' },
    ]);
    expect([spec.hostNetwork, spec.hostPID, spec.hostIPC]).toEqual([true, undefined, undefined]);
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } });
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(c.ports).toEqual([{ name: 'metrics', containerPort: 9100 }]);
    expect(c.ports[0].hostPort).toBeUndefined();
    expect(spec.automountServiceAccountToken).toBe(false);
  });

  test('reads the mounted host paths, skips container mounts and pod network links, and listens on the pod\'s (the node\'s) IP only', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new NodeExporter(chart, 'node-exporter');
    const c = container(find(synth(chart), 'DaemonSet', 'node-exporter'), 'node-exporter');
    // THEN
    expect(flagValues(c.args, '--path.procfs')).toEqual(['/host/proc']);
    expect(flagValues(c.args, '--path.sysfs')).toEqual(['/host/sys']);
    expect(flagValues(c.args, '--path.rootfs')).toEqual(['/host/root']);
    expect(flagValues(c.args, '--web.listen-address')).toEqual(['[$(POD_IP)]:9100']);
    expect(c.env).toEqual([{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }]);
    const mounts = new RegExp(flagValues(c.args, '--collector.filesystem.mount-points-exclude')[0]);
    for (const m of ['/var/lib/kubelet/pods/1234/volumes/x', '/run/containerd/io.containerd.runtime.v2.task/k8s.io/abc/rootfs', '/var/lib/docker/overlay2/x', '/proc', '/sys/fs/cgroup']) {
      expect(mounts.test(m)).toBe(true);
    }
    for (const m of ['/', '/var', '/var/lib/kubelet', '/boot/efi', '/home']) expect(mounts.test(m)).toBe(false);
    const devices = new RegExp(flagValues(c.args, '--collector.netdev.device-exclude')[0]);
    expect(['veth1a2b3c', 'cali0123456789a', 'lxc12ab', '0123456789abcde'].every(d => devices.test(d))).toBe(true);
    expect(['eth0', 'ens5', 'bond0', 'lo'].some(d => devices.test(d))).toBe(false);
    expect(c.livenessProbe.httpGet).toEqual({ path: '/', port: 'metrics' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/', port: 'metrics' });
  });

  test('without hostNetwork, the pod keeps its own network namespace', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new NodeExporter(chart, 'node-exporter', { hostNetwork: false, port: 9110 });
    const ds = find(synth(chart), 'DaemonSet', 'node-exporter');
    // THEN
    expect(ds.spec.template.spec.hostNetwork).toBeUndefined();
    expect(flagValues(container(ds, 'node-exporter').args, '--web.listen-address')).toEqual(['[$(POD_IP)]:9110']);
  });

  test('in a namespace the user manages, it creates no Namespace', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new NodeExporter(chart, 'node-exporter', { namespace: 'node-metrics', createNamespace: false });
    const manifests = synth(chart);
    // THEN
    expect(all(manifests, 'Namespace')).toEqual([]);
    expect(new Set(manifests.map(m => m.metadata.namespace))).toEqual(new Set(['node-metrics']));
  });

  test('is scraped by the Prometheus of its stack, through its Service in its namespace, and Prometheus may reach it there', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    const prometheus = new Prometheus(chart, 'prometheus');
    new NodeExporter(chart, 'node-exporter');
    const manifests = synth(chart);
    // THEN the job is named as every component's of another namespace: <job>-<namespace>
    const config = prometheus.renderConfig();
    expect(config).toContain('job_name: node-exporter');
    expect(config).toMatch(/kubernetes_sd_configs:\n\s+- role: endpoints\n\s+namespaces:\n\s+names:\n\s+- monitoring-node-exporter/);
    expect(config).toContain('regex: node-exporter;metrics');
    const policy = find(manifests, 'NetworkPolicy', 'node-exporter');
    expect(policy.metadata.namespace).toBe('monitoring-node-exporter');
    expect(policy.spec.ingress).toEqual([{
      from: [{
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': 'prometheus' } },
      }],
      ports: [{ protocol: 'TCP', port: 9100 }],
    }]);
  });

  test('fails when a second node exporter of the app would take the same port of every node', () => {
    // GIVEN two stacks in one App, the first with a hostNetwork node exporter
    const app = testApp();
    new NodeExporter(new Chart(app, 'a', { namespace: 'a' }), 'node-exporter', { hostNetwork: true });
    // WHEN / THEN a second one on the host network and the same port is refused; on its pod network it is fine
    expect(() => new NodeExporter(new Chart(app, 'b', { namespace: 'b' }), 'node-exporter', { hostNetwork: true }))
      .toThrow(/b\/node-exporter: invalid 'port': 9100 is a port of every node already taken by 'a\/node-exporter'/);
    expect(() => new NodeExporter(new Chart(app, 'c', { namespace: 'c' }), 'node-exporter')).not.toThrow();
  });

  test('passes the policy through the node-exporter exception, and only through it', () => {
    // GIVEN a stack with a node exporter
    const { chart } = givenChart();
    new StackDefaultDenyPolicy(chart, 'default-deny');
    new Prometheus(chart, 'prometheus');
    new NodeExporter(chart, 'node-exporter', { hostNetwork: true });
    const manifests = synth(chart);
    // WHEN the policy is checked with the exception, and without it
    const withException = checkPolicies(manifests);
    const without = checkPolicies(manifests, { nodeExporterException: false });
    // THEN it passes, and without the exception exactly its host access is reported
    expect(withException).toEqual([]);
    expect(without.map(v => `${v.rule} ${v.object}`)).toEqual([
      'pod-no-host-path DaemonSet/monitoring-node-exporter/node-exporter',
      'pod-no-host-path DaemonSet/monitoring-node-exporter/node-exporter',
      'pod-no-host-path DaemonSet/monitoring-node-exporter/node-exporter',
      'pod-no-host-namespaces DaemonSet/monitoring-node-exporter/node-exporter',
      'namespace-pod-security-restricted Namespace/monitoring-node-exporter',
    ]);
  });

  test('its alerts use the job the given Prometheus scrapes it as', () => {
    // GIVEN
    const { chart } = givenChart();
    const prometheus = new Prometheus(chart, 'prometheus');
    const exporter = new NodeExporter(chart, 'node-exporter');
    // WHEN
    const group = exporter.alertRules(prometheus);
    prometheus.addRuleGroup(group);
    // THEN
    expect(group.name).toBe('node-exporter');
    expect(group.rules.map(r => ('alert' in r ? r.alert : r.record))).toEqual([
      'NodeFilesystemAlmostOutOfSpace', 'NodeFilesystemAlmostOutOfSpace', 'NodeFilesystemSpaceFillingUp', 'NodeFilesystemSpaceFillingUp',
    ]);
    expect(group.rules.every(r => r.expr.includes('job="node-exporter"'))).toBe(true);
    expect(prometheus.renderConfig()).toContain('job_name: node-exporter');
  });
});
