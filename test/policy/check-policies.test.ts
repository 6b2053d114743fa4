import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { availabilityRules } from '../../lib/policy/availability-rules';
import { checkPolicies, POLICY_RULES, PolicyRule } from '../../lib/policy/check-policies';
import { credentialRules } from '../../lib/policy/credential-rules';
import { ingressRules } from '../../lib/policy/ingress-rules';
import { namespaceRules } from '../../lib/policy/isolation-rules';
import { podSecurityRules } from '../../lib/policy/pod-security-rules';
import { accessRules } from '../../lib/policy/rbac-rules';
import { workloadRules } from '../../lib/policy/workload-rules';
import { compliant } from './policy-fixture';
import { ruleIds, web } from './policy-test-helpers';

// checkPolicies and POLICY_RULES of lib/policy/check-policies.ts. The rules
// themselves are tested per family, in <family>.test.ts next to this file.

/** Each rule family of lib/policy/, in the order POLICY_RULES lists them: [its file, the name of its rules, its rules]. */
const FAMILIES: Array<[string, string, readonly PolicyRule[]]> = [
  ['pod-security-rules', 'podSecurityRules', podSecurityRules],
  ['workload-rules', 'workloadRules', workloadRules],
  ['rbac-rules', 'accessRules', accessRules],
  ['availability-rules', 'availabilityRules', availabilityRules],
  ['isolation-rules', 'namespaceRules', namespaceRules],
  ['ingress-rules', 'ingressRules', ingressRules],
  ['credential-rules', 'credentialRules', credentialRules],
];

describe('checkPolicies', () => {
  test('the compliant fixture passes every rule', () => {
    // GIVEN
    const manifests = compliant();
    // WHEN
    const violations = checkPolicies(manifests);
    // THEN
    expect(violations).toEqual([]);
  });

  test('every rule has at least one breakage that makes it fire', () => {
    // GIVEN the families, each tested in <family>.test.ts by testRuleFamily,
    // which fails when a rule of the family has no breakage
    const familyRules = FAMILIES.flatMap(([, , rules]) => rules);
    // WHEN
    const unfamiliar = POLICY_RULES.filter(r => !familyRules.includes(r)).map(r => r.id);
    const untestedFamilies = FAMILIES.filter(([file, name]) => {
      const path = join(__dirname, `${file}.test.ts`);
      return !existsSync(path) || !new RegExp(`^testRuleFamily\\([^\\n]*, ${name}, BREAKAGES\\b`, 'm').test(readFileSync(path, 'utf8'));
    }).map(([file]) => file);
    // THEN every rule is in exactly one family, in the order of POLICY_RULES, and every family is tested
    expect(unfamiliar).toEqual([]);
    expect(untestedFamilies).toEqual([]);
    expect(POLICY_RULES.length).toBe(familyRules.length);
    expect(POLICY_RULES.every((r, i) => r === familyRules[i])).toBe(true);
  });

  test('rule ids are unique and descriptions are one line', () => {
    // GIVEN
    const ids = POLICY_RULES.map(r => r.id);
    // WHEN
    const multiLine = POLICY_RULES.filter(r => !r.description.trim() || r.description.includes('\n'));
    // THEN
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every(id => /^[a-z]+(-[a-z]+)*$/.test(id))).toBe(true);
    expect(multiLine).toEqual([]);
  });
});

describe('options', () => {
  test('disabledRules skips the named rules', () => {
    // GIVEN
    const manifests = compliant();
    web(manifests).securityContext.readOnlyRootFilesystem = false;
    web(manifests).securityContext.privileged = true;
    // WHEN
    const ids = ruleIds(manifests, { disabledRules: ['container-read-only-root-filesystem'] });
    // THEN
    expect(ids).toEqual(['container-not-privileged']);
  });

  test('an unknown id in disabledRules throws rather than silently disabling nothing', () => {
    // GIVEN
    const manifests = compliant();
    // WHEN / THEN
    expect(() => checkPolicies(manifests, { disabledRules: ['container-read-only-rootfs'] })).toThrow(/unknown policy rule.*container-read-only-rootfs/);
  });
});
