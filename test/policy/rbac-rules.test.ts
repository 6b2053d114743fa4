import { accessRules } from '../../lib/policy/rbac-rules';
import { compliant } from './policy-fixture';
import { Breakage, cachePod, obj, ruleIds, testRuleFamily } from './policy-test-helpers';

// The service account and RBAC rules of lib/policy/rbac-rules.ts: breakages of
// the compliant manifests that make each rule fire and the option that
// relaxes them.

const BREAKAGES: Breakage[] = [
  ['pod-service-account-token', 'an unbound default ServiceAccount mounts its token', o => { delete cachePod(o).automountServiceAccountToken; }],
  ['pod-service-account-token', 'the binding names another ServiceAccount', o => { obj(o, 'RoleBinding', 'reader').subjects[0].name = 'other'; obj(o, 'ServiceAccount', 'api-reader').metadata.name = 'other'; }],
  ['rbac-read-only-verbs', 'a Role may create', o => { obj(o, 'Role', 'reader').rules[0].verbs.push('create'); }],
  ['rbac-no-secrets', 'a Role reads secrets', o => { obj(o, 'Role', 'reader').rules[0].resources.push('secrets'); }],
  ['rbac-no-wildcards', 'a wildcard verb', o => { obj(o, 'Role', 'reader').rules[0].verbs = ['*']; }],
  ['rbac-no-wildcards', 'a wildcard resource', o => { obj(o, 'Role', 'reader').rules[0].resources = ['*']; }],
  ['rbac-no-wildcards', 'a wildcard apiGroup', o => { obj(o, 'Role', 'reader').rules[0].apiGroups = ['*']; }],
  ['rbac-subject-service-account', 'a subject in the wrong namespace', o => {
    o.push({
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'metrics-reader' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'metrics-reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'api-reader', namespace: 'default' }],
    });
  }],
];

testRuleFamily('service account and RBAC', accessRules, BREAKAGES);

describe('options', () => {
  test('allowedRbacVerbs allows more verbs', () => {
    // GIVEN
    const manifests = compliant();
    obj(manifests, 'Role', 'reader').rules[0].verbs.push('create');
    // WHEN
    const ids = ruleIds(manifests, { allowedRbacVerbs: ['get', 'list', 'watch', 'create'] });
    // THEN
    expect(ids).toEqual([]);
  });
});
