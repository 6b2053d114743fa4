import { availabilityRules } from '../../lib/policy/availability-rules';
import { Breakage, obj, testRuleFamily, Variant, webPod } from './policy-test-helpers';

// The availability rules of lib/policy/availability-rules.ts: breakages of the
// compliant manifests that make each rule fire and variants that still pass.

const BREAKAGES: Breakage[] = [
  ['replicated-pod-disruption-budget', 'two replicas without a budget', o => { o.splice(o.indexOf(obj(o, 'PodDisruptionBudget', 'web')), 1); }],
  ['replicated-pod-disruption-budget', 'a budget in another namespace', o => { obj(o, 'PodDisruptionBudget', 'web').metadata.namespace = 'other'; }],
  ['replicated-pod-anti-affinity', 'no anti-affinity', o => { delete webPod(o).affinity; }],
  ['replicated-pod-anti-affinity', 'anti-affinity by zone only', o => {
    webPod(o).affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey = 'topology.kubernetes.io/zone';
  }],
  ['replicated-pod-anti-affinity', 'anti-affinity against other pods', o => {
    webPod(o).affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector = { matchLabels: { app: 'db' } };
  }],
  ['pod-disruption-budget-allows-eviction', 'maxUnavailable 0 on replicas', o => { obj(o, 'PodDisruptionBudget', 'web').spec.maxUnavailable = 0; }],
  ['pod-disruption-budget-allows-eviction', 'minAvailable 100% on replicas', o => {
    obj(o, 'PodDisruptionBudget', 'web').spec = { minAvailable: '100%', selector: { matchLabels: { app: 'web' } } };
  }],
  ['pod-disruption-budget-allows-eviction', 'minAvailable 1 on a singleton', o => {
    o.push({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'cache', namespace: 'apps' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'cache' } } } });
  }],
];

const VARIANTS: Variant[] = [
  ['a topology spread constraint on hostname instead of anti-affinity', o => {
    delete webPod(o).affinity;
    webPod(o).topologySpreadConstraints = [{
      maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'web' } },
    }];
  }],
  ['required anti-affinity selecting by matchExpressions', o => {
    webPod(o).affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{
      topologyKey: 'kubernetes.io/hostname', labelSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] },
    }] } };
  }],
  ['a singleton budget that still allows one eviction', o => {
    o.push({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'cache', namespace: 'apps' }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'cache' } } } });
  }],
];

testRuleFamily('availability', availabilityRules, BREAKAGES, VARIANTS);
