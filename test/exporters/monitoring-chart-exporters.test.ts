import { Testing } from 'cdk8s';
import { parse } from 'yaml';
import { BlackboxModule, DiscoveryScope, MonitoringChart } from '../../lib';
import { checkPolicies } from '../../lib/policy/check-policies';
import { all, find, Manifest, testApp } from '../support/synth';

// The exporters in a MonitoringChart: node exporter and kube-state-metrics on
// by default (kube-prometheus' defaults), the blackbox exporter when given.
describe('MonitoringChart exporters', () => {
  test('by default: the node exporter in its privileged namespace and kube-state-metrics, their alerts on the Prometheus, no blackbox exporter', () => {
    // GIVEN / WHEN
    const chart = new MonitoringChart(testApp(), 'monitoring', { namespace: 'monitoring' });
    const manifests = Testing.synth(chart) as Manifest[];
    // THEN
    expect(chart.nodeExporter?.identity.namespace).toBe('monitoring-node-exporter');
    expect(chart.kubeStateMetrics).toBeDefined();
    expect(chart.blackboxExporter).toBeUndefined();
    expect(all(manifests, 'Namespace').map(n => `${n.metadata.name}=${n.metadata.labels?.['pod-security.kubernetes.io/enforce']}`))
      .toEqual(['monitoring=restricted', 'monitoring-node-exporter=privileged']);
    expect(all(manifests, 'DaemonSet').map(d => `${d.metadata.namespace}/${d.metadata.name}`)).toEqual(['monitoring-node-exporter/node-exporter']);
    expect(find(manifests, 'Deployment', 'kube-state-metrics').metadata.namespace).toBe('monitoring');
    const groups = parse(chart.prometheus!.renderRules()).groups.map((g: any) => g.name);
    expect(groups).toEqual(expect.arrayContaining(['node-exporter', 'kube-state-metrics']));
    expect(groups).not.toContain('blackbox-exporter');
    const jobs = parse(chart.prometheus!.renderConfig()).scrape_configs.map((j: any) => j.job_name);
    expect(jobs).toEqual(expect.arrayContaining(['node-exporter', 'kube-state-metrics', 'kube-state-metrics-self']));
  });

  test('the whole default chart passes the policy with its defaults, through the node-exporter exception only', () => {
    // GIVEN
    const manifests = Testing.synth(new MonitoringChart(testApp(), 'monitoring', { namespace: 'monitoring' }));
    // WHEN / THEN
    expect(checkPolicies(manifests)).toEqual([]);
    expect([...new Set(checkPolicies(manifests, { nodeExporterException: false }).map(v => v.rule))].sort())
      // hostNetwork is off by default: several stacks in one cluster each run theirs.
      .toEqual(['namespace-pod-security-restricted', 'pod-no-host-path']);
  });

  test('a blackbox exporter when given, which the chart\'s Prometheus probes through, with the probe alerts', () => {
    // GIVEN
    const chart = new MonitoringChart(testApp(), 'monitoring', { namespace: 'monitoring', blackboxExporter: { replicas: 3 } });
    // WHEN
    chart.prometheus!.probe(['https://example.com'], BlackboxModule.http());
    const manifests = Testing.synth(chart);
    // THEN
    expect(find(manifests as any, 'Deployment', 'blackbox-exporter').spec.replicas).toBe(3);
    expect(parse(chart.prometheus!.renderRules()).groups.map((g: any) => g.name)).toContain('blackbox-exporter');
    expect(chart.prometheus!.renderConfig()).toContain('replacement: blackbox-exporter.monitoring.svc:9115');
    expect(checkPolicies(manifests)).toEqual([]);
  });

  test('each can be switched off', () => {
    // GIVEN / WHEN
    const off = new MonitoringChart(testApp(), 'monitoring', { namespace: 'monitoring', nodeExporter: { enabled: false }, kubeStateMetrics: { enabled: false } });
    // THEN
    expect([off.nodeExporter, off.kubeStateMetrics]).toEqual([undefined, undefined]);
    expect(all(Testing.synth(off) as any, 'DaemonSet')).toEqual([]);
    expect(parse(off.prometheus!.renderRules()).groups.map((g: any) => g.name)).not.toContain('node-exporter');
  });

  test('a chart that creates no namespace has no node exporter unless enabled, and then creates no namespace for it either', () => {
    // GIVEN / WHEN
    const unmanaged = new MonitoringChart(testApp(), 'monitoring', { namespace: 'monitoring', createNamespace: false });
    const enabled = new MonitoringChart(testApp(), 'monitoring', { namespace: 'monitoring', createNamespace: false, nodeExporter: { enabled: true, namespace: 'node-metrics' } });
    // THEN its namespace would have to exist and admit privileged pods: that is the user's decision
    expect(unmanaged.nodeExporter).toBeUndefined();
    expect(unmanaged.kubeStateMetrics).toBeDefined();
    expect(enabled.nodeExporter?.identity.namespace).toBe('node-metrics');
    expect(all(Testing.synth(enabled) as any, 'Namespace')).toEqual([]);
  });

  test('with namespaced discovery (no cluster-wide access) both are off unless enabled', () => {
    // GIVEN / WHEN
    const chart = new MonitoringChart(testApp(), 'monitoring', {
      namespace: 'monitoring', prometheus: { discovery: DiscoveryScope.namespaces(['monitoring']), annotationDiscovery: false },
    });
    // THEN
    expect([chart.nodeExporter, chart.kubeStateMetrics]).toEqual([undefined, undefined]);
  });

  test('without default rules, the exporters\' alerts are not added either', () => {
    // GIVEN / WHEN
    const chart = new MonitoringChart(testApp(), 'monitoring', { namespace: 'monitoring', prometheus: { defaultRules: false }, blackboxExporter: {} });
    // THEN
    expect(chart.prometheus!.ruleGroups).toEqual([]);
  });
});
