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
      'ClusterRole/monitoring-prometheus',
      'ClusterRoleBinding/monitoring-prometheus',
      'ConfigMap/alertmanager-config',
      'ConfigMap/prometheus-config',
      'ConfigMap/prometheus-rules',
      'ConfigMap/querier-endpoints',
      'Deployment/querier',
      'Namespace/monitoring',
      'NetworkPolicy/alertmanager',
      'NetworkPolicy/default-deny',
      'NetworkPolicy/prometheus',
      'NetworkPolicy/pushgateway',
      'NetworkPolicy/querier',
      'PodDisruptionBudget/alertmanager',
      'PodDisruptionBudget/prometheus',
      'PodDisruptionBudget/querier',
      'Service/alertmanager',
      'Service/alertmanager-headless',
      'Service/prometheus',
      'Service/prometheus-headless',
      'Service/pushgateway',
      'Service/pushgateway-headless',
      'Service/querier',
      'ServiceAccount/prometheus',
      'StatefulSet/alertmanager',
      'StatefulSet/prometheus',
      'StatefulSet/pushgateway',
    ]);
  });

  test('workload selectors', () => {
    // GIVEN / WHEN the workloads of the minimal example
    const selectors = Object.fromEntries(objects
      .filter(o => o.kind === 'StatefulSet' || o.kind === 'Deployment')
      .map(o => [`${o.kind}/${o.metadata.name}`, o.spec.selector]));
    // THEN each selects by app.kubernetes.io/name and instance only
    expect(selectors).toEqual({
      'StatefulSet/alertmanager': { matchLabels: { 'app.kubernetes.io/name': 'alertmanager', 'app.kubernetes.io/instance': 'alertmanager' } },
      'StatefulSet/pushgateway': { matchLabels: { 'app.kubernetes.io/name': 'pushgateway', 'app.kubernetes.io/instance': 'pushgateway' } },
      'StatefulSet/prometheus': { matchLabels: { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': 'prometheus' } },
      'Deployment/querier': { matchLabels: { 'app.kubernetes.io/name': 'thanos-query', 'app.kubernetes.io/instance': 'querier' } },
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
