import { checkPolicies, PolicyOptions, PolicyRule } from '../../lib/policy/check-policies';
import { compliant, Obj } from './policy-fixture';

// How the policy tests change the compliant manifests, and the tests every
// rule family shares (one test file per rule family of lib/policy/).

export function obj(objs: Obj[], kind: string, name: string): Obj {
  const hit = objs.find(o => o.kind === kind && o.metadata.name === name);
  if (!hit) throw new Error(`no ${kind}/${name} in the fixture`);
  return hit;
}

export function podSpec(objs: Obj[], kind: string, name: string): Obj {
  const w = obj(objs, kind, name);
  return kind === 'CronJob' ? w.spec.jobTemplate.spec.template.spec : w.spec.template.spec;
}

export function containerOf(objs: Obj[], kind: string, name: string, container: string): Obj {
  const spec = podSpec(objs, kind, name);
  const hit = [...spec.containers, ...(spec.initContainers ?? [])].find((c: Obj) => c.name === container);
  if (!hit) throw new Error(`no container ${container} in ${kind}/${name}`);
  // Fixture containers share constants: give this one its own copies before mutating.
  hit.securityContext = structuredClone(hit.securityContext);
  hit.resources = structuredClone(hit.resources);
  return hit;
}

export const web = (o: Obj[]) => containerOf(o, 'Deployment', 'web', 'web');
export const init = (o: Obj[]) => containerOf(o, 'Deployment', 'web', 'init');
export const webPod = (o: Obj[]) => podSpec(o, 'Deployment', 'web');
export const cachePod = (o: Obj[]) => podSpec(o, 'StatefulSet', 'cache');
export const ingressPaths = (o: Obj[]) => obj(o, 'Ingress', 'web').spec.rules[0].http.paths;
export const webConfig = (o: Obj[]) => obj(o, 'ConfigMap', 'web-config').data;

export function ruleIds(objs: Obj[], options?: PolicyOptions): string[] {
  return [...new Set(checkPolicies(objs, options).map(v => v.rule))];
}

/** [rule that must fire, what is wrong, the mutation of the compliant manifests]. */
export type Breakage = [string, string, (o: Obj[]) => void];

/** [what differs, the mutation of the compliant manifests]; the result must still pass every rule. */
export type Variant = [string, (o: Obj[]) => void];

/**
 * The tests of one rule family: each breakage makes exactly its rule fire;
 * every rule of the family has a breakage (so a rule without a case fails);
 * each variant of the compliant manifests still passes.
 */
export function testRuleFamily(family: string, rules: readonly PolicyRule[], breakages: Breakage[], variants: Variant[] = []): void {
  describe(`${family} rules`, () => {
    test.each(breakages)('%s fires on: %s', (id, _what, mutate) => {
      // GIVEN
      const manifests = compliant();
      // WHEN
      mutate(manifests);
      // THEN exactly this rule fires, so each rule is tested on its own
      expect(ruleIds(manifests)).toEqual([id]);
    });

    test('every rule has at least one breakage that makes it fire', () => {
      // GIVEN
      const tested = new Set(breakages.map(([id]) => id));
      // WHEN
      const untested = rules.map(r => r.id).filter(id => !tested.has(id));
      // THEN
      expect(rules.length).toBeGreaterThan(0);
      expect(untested).toEqual([]);
    });

    test('every breakage is of a rule of this family', () => {
      // GIVEN
      const ids = new Set(rules.map(r => r.id));
      // WHEN
      const strays = breakages.map(([id]) => id).filter(id => !ids.has(id));
      // THEN
      expect(strays).toEqual([]);
    });

    if (variants.length) {
      test.each(variants)('compliant variant: %s passes', (_what, mutate) => {
        // GIVEN
        const manifests = compliant();
        // WHEN
        mutate(manifests);
        // THEN
        expect(checkPolicies(manifests)).toEqual([]);
      });
    }
  });
}
