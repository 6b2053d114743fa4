import { KUBE_STATE_METRICS_RESOURCES, KubeStateMetrics, Prometheus, StackDefaultDenyPolicy } from '../../lib';
import { checkPolicies } from '../../lib/policy/check-policies';
import { container, find, flagValues, givenChart, synth } from '../support/synth';

/**
 * kube-state-metrics v2.20.0's DefaultResources (pkg/options/resource.go at
 * the tag, commit 4ffeda2ef866b0fef372849825a803296483b336).
 */
const UPSTREAM_DEFAULTS = [
  'certificatesigningrequests', 'configmaps', 'cronjobs', 'daemonsets', 'deployments', 'endpointslices', 'horizontalpodautoscalers',
  'ingresses', 'jobs', 'leases', 'limitranges', 'mutatingadmissionpolicies', 'mutatingadmissionpolicybindings', 'mutatingwebhookconfigurations',
  'namespaces', 'networkpolicies', 'nodes', 'persistentvolumes', 'persistentvolumeclaims', 'poddisruptionbudgets', 'pods', 'replicasets',
  'replicationcontrollers', 'resourcequotas', 'secrets', 'services', 'statefulsets', 'storageclasses', 'validatingadmissionpolicies',
  'validatingadmissionpolicybindings', 'validatingwebhookconfigurations', 'volumeattachments',
];
/** Flags of kube-state-metrics v2.20.0 the component renders (pkg/options/options.go at the tag). */
const UPSTREAM_FLAGS = ['port', 'telemetry-port', 'resources'];
/**
 * The API group of each resource in upstream's examples/standard/cluster-role.yaml at v2.20.0
 * (which also grants serviceaccounts, ingressclasses and the RBAC kinds, not exported by default,
 * and create on tokenreviews/subjectaccessreviews, for --auth-filter only).
 */
const UPSTREAM_GROUPS: Record<string, string[]> = {
  '': ['configmaps', 'secrets', 'nodes', 'pods', 'services', 'serviceaccounts', 'resourcequotas', 'replicationcontrollers', 'limitranges',
    'persistentvolumeclaims', 'persistentvolumes', 'namespaces', 'endpoints'],
  'apps': ['statefulsets', 'daemonsets', 'deployments', 'replicasets'],
  'batch': ['cronjobs', 'jobs'],
  'autoscaling': ['horizontalpodautoscalers'],
  'policy': ['poddisruptionbudgets'],
  'certificates.k8s.io': ['certificatesigningrequests'],
  'discovery.k8s.io': ['endpointslices'],
  'storage.k8s.io': ['storageclasses', 'volumeattachments'],
  'admissionregistration.k8s.io': ['mutatingadmissionpolicies', 'mutatingadmissionpolicybindings', 'mutatingwebhookconfigurations',
    'validatingadmissionpolicies', 'validatingadmissionpolicybindings', 'validatingwebhookconfigurations'],
  'networking.k8s.io': ['networkpolicies', 'ingressclasses', 'ingresses'],
  'coordination.k8s.io': ['leases'],
};

describe('KubeStateMetrics', () => {
  test('exports upstream\'s default kinds but Secrets, and its ClusterRole grants list/watch on exactly those, in their API groups', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new KubeStateMetrics(chart, 'kube-state-metrics');
    const manifests = synth(chart);
    const args: string[] = container(find(manifests, 'Deployment', 'kube-state-metrics'), 'kube-state-metrics').args;
    const role = find(manifests, 'ClusterRole', 'monitoring-kube-state-metrics');
    // THEN
    const exported = flagValues(args, '--resources')[0].split(',');
    expect(exported).toEqual(UPSTREAM_DEFAULTS.filter(r => r !== 'secrets').sort());
    expect([...KUBE_STATE_METRICS_RESOURCES].sort()).toEqual(exported);
    const granted = role.rules.flatMap((r: any) => r.resources.map((res: string) => `${r.apiGroups.join()}/${res}`)).sort();
    expect(granted).toEqual(exported.map(r => `${Object.keys(UPSTREAM_GROUPS).find(g => UPSTREAM_GROUPS[g].includes(r))}/${r}`).sort());
    expect(role.rules.every((r: any) => r.verbs.join() === 'list,watch' && r.apiGroups.length === 1)).toBe(true);
    expect(granted.some((g: string) => g.includes('secrets'))).toBe(false);
    expect(args.map(a => a.slice(2).split('=')[0]).every(f => UPSTREAM_FLAGS.includes(f))).toBe(true);
    expect(role.metadata.namespace).toBeUndefined();
  });

  test('runs one replica as nobody, with its ServiceAccount\'s token, bound cluster-wide in its namespace', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new KubeStateMetrics(chart, 'kube-state-metrics');
    const manifests = synth(chart);
    const deployment = find(manifests, 'Deployment', 'kube-state-metrics');
    const binding = find(manifests, 'ClusterRoleBinding', 'monitoring-kube-state-metrics');
    // THEN
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.template.spec).toMatchObject({ serviceAccountName: 'kube-state-metrics', automountServiceAccountToken: true });
    expect(deployment.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65534 });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'kube-state-metrics', namespace: 'monitoring' }]);
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'monitoring-kube-state-metrics' });
    expect(binding.metadata.namespace).toBeUndefined();
    const c = container(deployment, 'kube-state-metrics');
    expect(c.image).toBe('registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.20.0');
    expect([c.livenessProbe.httpGet, c.readinessProbe.httpGet]).toEqual([{ path: '/livez', port: 'http-metrics' }, { path: '/readyz', port: 'telemetry' }]);
    expect(manifests.some(m => m.kind === 'PodDisruptionBudget')).toBe(false);
  });

  test('is scraped by its stack\'s Prometheus with honor_labels on its metrics port, and its own metrics apart', () => {
    // GIVEN
    const { chart } = givenChart();
    const prometheus = new Prometheus(chart, 'prometheus');
    // WHEN
    new KubeStateMetrics(chart, 'kube-state-metrics');
    const config = prometheus.renderConfig();
    // THEN
    expect(config).toMatch(/- job_name: kube-state-metrics\n\s+honor_labels: true\n/);
    expect(config).toContain('regex: kube-state-metrics;http-metrics');
    expect(config).toMatch(/- job_name: kube-state-metrics-self\n\s+kubernetes_sd_configs:/);
    expect(config).toContain('regex: kube-state-metrics;telemetry');
  });

  test('its NetworkPolicy lets Prometheus scrape both ports and the pod reach the API server only', () => {
    // GIVEN
    const { chart } = givenChart();
    new Prometheus(chart, 'prometheus');
    // WHEN
    new KubeStateMetrics(chart, 'kube-state-metrics', { apiServerPorts: [8443] });
    const policy = find(synth(chart), 'NetworkPolicy', 'kube-state-metrics');
    // THEN
    expect(policy.spec.ingress).toEqual([{
      from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': 'prometheus' } } }],
      ports: [{ protocol: 'TCP', port: 8080 }, { protocol: 'TCP', port: 8081 }],
    }]);
    expect(policy.spec.egress).toEqual([
      { ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] },
      { ports: [{ protocol: 'TCP', port: 8443 }] },
    ]);
  });

  test('a chosen set of kinds narrows the flag and the ClusterRole alike', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new KubeStateMetrics(chart, 'kube-state-metrics', { exportedResources: ['pods', 'deployments', 'nodes', 'pods'] });
    const manifests = synth(chart);
    // THEN
    expect(flagValues(container(find(manifests, 'Deployment', 'kube-state-metrics'), 'kube-state-metrics').args, '--resources')).toEqual(['deployments,nodes,pods']);
    expect(find(manifests, 'ClusterRole', 'monitoring-kube-state-metrics').rules).toEqual([
      { apiGroups: [''], resources: ['nodes', 'pods'], verbs: ['list', 'watch'] },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['list', 'watch'] },
    ]);
  });

  test('passes the policy with every rule', () => {
    // GIVEN
    const { chart } = givenChart();
    new StackDefaultDenyPolicy(chart, 'default-deny');
    new Prometheus(chart, 'prometheus');
    // WHEN
    new KubeStateMetrics(chart, 'kube-state-metrics');
    // THEN
    expect(checkPolicies(synth(chart))).toEqual([]);
  });

  test('its alerts select the jobs the given Prometheus scrapes it as', () => {
    // GIVEN
    const { chart } = givenChart();
    const prometheus = new Prometheus(chart, 'prometheus');
    const ksm = new KubeStateMetrics(chart, 'kube-state-metrics');
    // WHEN
    const group = ksm.alertRules(prometheus);
    prometheus.addRuleGroup(group);
    // THEN
    expect(group.rules.map(r => ('alert' in r ? r.alert : ''))).toEqual(['KubeStateMetricsDown', 'KubeStateMetricsListErrors', 'KubeStateMetricsWatchErrors', 'KubePodCrashLooping']);
    expect(group.rules[0].expr).toBe('absent(up{job="kube-state-metrics"} == 1)');
    expect(group.rules[1].expr).toContain('job="kube-state-metrics-self"');
  });
});
