import { checkPolicies } from '../../lib/policy/check-policies';
import { compliant } from './policy-fixture';
import { init, obj, webPod } from './policy-test-helpers';

// The rule builders of lib/policy/rule-builders.ts (with objectId of
// lib/policy/manifests.ts): how a violation names its object and container.

describe('violations', () => {
  test('a violation names the object as Kind/namespace/name, or Kind/name when cluster-scoped', () => {
    // GIVEN
    const manifests = compliant();
    webPod(manifests).hostNetwork = true;
    obj(manifests, 'ClusterRole', 'metrics-reader').rules[0].nonResourceURLs = ['/*'];
    // WHEN
    const violations = checkPolicies(manifests);
    // THEN
    expect(violations.map(v => [v.rule, v.object])).toEqual([
      ['pod-no-host-namespaces', 'Deployment/apps/web'],
      ['rbac-no-wildcards', 'ClusterRole/metrics-reader'],
    ]);
    expect(violations[0].message).toContain('hostNetwork');
  });

  test('a container-level violation names the container', () => {
    // GIVEN
    const manifests = compliant();
    init(manifests).securityContext.readOnlyRootFilesystem = false;
    // WHEN
    const [violation] = checkPolicies(manifests);
    // THEN
    expect(violation.message).toMatch(/^initContainer 'init': /);
  });
});
