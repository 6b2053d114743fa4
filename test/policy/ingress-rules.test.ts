import { ingressRules } from '../../lib/policy/ingress-rules';
import { compliant } from './policy-fixture';
import { Breakage, ingressPaths, obj, ruleIds, testRuleFamily, Variant } from './policy-test-helpers';

// The Ingress rules of lib/policy/ingress-rules.ts: breakages of the compliant
// manifests that make each rule fire, variants that still pass and the option
// that relaxes them.

const BREAKAGES: Breakage[] = [
  ['ingress-tls', 'no tls', o => { delete obj(o, 'Ingress', 'web').spec.tls; }],
  ['ingress-tls', 'a wildcard does not cover two labels', o => { obj(o, 'Ingress', 'web').spec.rules[0].host = 'a.web.example.com'; }],
  ['ingress-tls', 'a rule without host', o => { delete obj(o, 'Ingress', 'web').spec.rules[0].host; }],
  ['ingress-no-admin-paths', 'the admin API routed to the app', o => {
    ingressPaths(o).push({ path: '/api/v1/admin/tsdb', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } });
  }],
  ['ingress-no-admin-paths', 'the "blackhole" has hand-written Endpoints', o => {
    o.push({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'blocked', namespace: 'apps' }, subsets: [{ addresses: [{ ip: '10.0.0.1' }] }] });
  }],
];

const VARIANTS: Variant[] = [
  ['an exact TLS host', o => { obj(o, 'Ingress', 'web').spec.tls = [{ hosts: ['web.example.com'], secretName: 'tls' }]; }],
];

testRuleFamily('Ingress', ingressRules, BREAKAGES, VARIANTS);

describe('options', () => {
  test('allowInsecureIngress waives TLS; an annotation does not', () => {
    // GIVEN
    const manifests = compliant();
    const ingress = obj(manifests, 'Ingress', 'web');
    delete ingress.spec.tls;
    ingress.metadata.annotations = { 'policy.example.com/allow-insecure': 'true' };
    // WHEN
    const withAnnotationOnly = ruleIds(manifests);
    const withOption = ruleIds(manifests, { allowInsecureIngress: true });
    // THEN
    expect(withAnnotationOnly).toEqual(['ingress-tls']);
    expect(withOption).toEqual([]);
  });
});
