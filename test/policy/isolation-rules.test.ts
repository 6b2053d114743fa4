import { namespaceRules } from '../../lib/policy/isolation-rules';
import { compliant } from './policy-fixture';
import { Breakage, obj, ruleIds, testRuleFamily, Variant, webPod } from './policy-test-helpers';

// The namespace and network isolation rules of lib/policy/isolation-rules.ts:
// breakages of the compliant manifests that make each rule fire, variants that
// still pass and the option that relaxes them.

const BREAKAGES: Breakage[] = [
  ['namespace-pod-security-restricted', 'a baseline namespace', o => { obj(o, 'Namespace', 'apps').metadata.labels['pod-security.kubernetes.io/enforce'] = 'baseline'; }],
  ['namespace-default-deny-network-policy', 'no NetworkPolicy', o => { o.splice(o.indexOf(obj(o, 'NetworkPolicy', 'default-deny')), 1); }],
  ['namespace-default-deny-network-policy', 'the policy allows ingress', o => { obj(o, 'NetworkPolicy', 'default-deny').spec.ingress = [{}]; }],
  ['namespace-default-deny-network-policy', 'the policy leaves egress open', o => { obj(o, 'NetworkPolicy', 'default-deny').spec.policyTypes = ['Ingress']; }],
  ['namespace-default-deny-network-policy', 'the policy misses some pods', o => { obj(o, 'NetworkPolicy', 'default-deny').spec.podSelector = { matchLabels: { app: 'web' } }; }],
];

const VARIANTS: Variant[] = [
  ['a default-deny selecting the stack by its part-of label', o => {
    obj(o, 'NetworkPolicy', 'default-deny').spec.podSelector = { matchLabels: { 'app.kubernetes.io/part-of': 'demo' } };
  }],
  ['an allow policy next to the default-deny', o => {
    o.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'web', namespace: 'apps' },
      spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'], ingress: [{}] } });
  }],
];

testRuleFamily('namespace and network isolation', namespaceRules, BREAKAGES, VARIANTS);

describe('options', () => {
  test('requireNetworkPolicies: false waives the default-deny rule only', () => {
    // GIVEN
    const manifests = compliant();
    manifests.splice(manifests.indexOf(obj(manifests, 'NetworkPolicy', 'default-deny')), 1);
    webPod(manifests).hostIPC = true;
    // WHEN
    const ids = ruleIds(manifests, { requireNetworkPolicies: false });
    // THEN
    expect(ids).toEqual(['pod-no-host-namespaces']);
  });
});
