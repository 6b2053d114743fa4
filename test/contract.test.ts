import { Testing } from 'cdk8s';
import { minimal } from '../examples/minimal';
import { testApp } from './support/synth';

// Object names and label selectors are public contract: Kubernetes cannot change
// a workload's selector, so a new selector means delete-and-recreate, and a new
// name means a second copy next to the first. They are listed here on purpose,
// not in a snapshot that `jest -u` would silently accept: changing one must be a
// deliberate edit of this file, noted in the changelog.
describe('public contract of the synthesized objects', () => {
  const objects = Testing.synth(minimal(testApp()));

  test('object kinds and names of the default stack', () => {
    // GIVEN / WHEN the minimal example
    const names = objects.map(o => `${o.kind}/${o.metadata.name}`).sort();
    // THEN exactly these objects exist
    expect(names).toEqual([
      'ClusterRole/monitoring-kube-state-metrics',
      'ClusterRole/monitoring-prometheus',
      'ClusterRoleBinding/monitoring-kube-state-metrics',
      'ClusterRoleBinding/monitoring-prometheus',
      'ConfigMap/alertmanager-config',
      'ConfigMap/prometheus-config',
      'ConfigMap/prometheus-rules',
      'ConfigMap/querier-endpoints',
      'DaemonSet/node-exporter',
      'Deployment/kube-state-metrics',
      'Deployment/querier',
      'Namespace/monitoring',
      'Namespace/monitoring-node-exporter',
      'NetworkPolicy/alertmanager',
      // One per namespace: the stack's and the node exporter's.
      'NetworkPolicy/default-deny',
      'NetworkPolicy/default-deny',
      'NetworkPolicy/kube-state-metrics',
      'NetworkPolicy/node-exporter',
      'NetworkPolicy/prometheus',
      'NetworkPolicy/pushgateway',
      'NetworkPolicy/querier',
      'PodDisruptionBudget/alertmanager',
      'PodDisruptionBudget/prometheus',
      'PodDisruptionBudget/querier',
      'Service/alertmanager',
      'Service/alertmanager-headless',
      'Service/kube-state-metrics',
      'Service/node-exporter',
      'Service/prometheus',
      'Service/prometheus-headless',
      'Service/pushgateway',
      'Service/pushgateway-headless',
      'Service/querier',
      'ServiceAccount/kube-state-metrics',
      'ServiceAccount/prometheus',
      'StatefulSet/alertmanager',
      'StatefulSet/prometheus',
      'StatefulSet/pushgateway',
    ]);
  });

  test('workload selectors', () => {
    // GIVEN / WHEN the workloads of the minimal example
    const selectors = Object.fromEntries(objects
      .filter(o => o.kind === 'StatefulSet' || o.kind === 'Deployment' || o.kind === 'DaemonSet')
      .map(o => [`${o.kind}/${o.metadata.name}`, o.spec.selector]));
    // THEN each selects by app.kubernetes.io/name and instance only
    expect(selectors).toEqual({
      'StatefulSet/alertmanager': { matchLabels: { 'app.kubernetes.io/name': 'alertmanager', 'app.kubernetes.io/instance': 'alertmanager' } },
      'StatefulSet/pushgateway': { matchLabels: { 'app.kubernetes.io/name': 'pushgateway', 'app.kubernetes.io/instance': 'pushgateway' } },
      'StatefulSet/prometheus': { matchLabels: { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': 'prometheus' } },
      'Deployment/querier': { matchLabels: { 'app.kubernetes.io/name': 'thanos-query', 'app.kubernetes.io/instance': 'querier' } },
      'Deployment/kube-state-metrics': { matchLabels: { 'app.kubernetes.io/name': 'kube-state-metrics', 'app.kubernetes.io/instance': 'kube-state-metrics' } },
      'DaemonSet/node-exporter': { matchLabels: { 'app.kubernetes.io/name': 'node-exporter', 'app.kubernetes.io/instance': 'node-exporter' } },
    });
  });

  test('StatefulSet volume claim templates and governing Services', () => {
    // GIVEN / WHEN the StatefulSets (both fields are immutable once created)
    const statefulSets = Object.fromEntries(objects.filter(o => o.kind === 'StatefulSet')
      .map(o => [o.metadata.name, [o.spec.serviceName, (o.spec.volumeClaimTemplates ?? []).map((t: any) => t.metadata.name)]]));
    // THEN
    expect(statefulSets).toEqual({
      alertmanager: ['alertmanager-headless', []],
      prometheus: ['prometheus-headless', ['data']],
      pushgateway: ['pushgateway-headless', ['data']],
    });
  });
});
