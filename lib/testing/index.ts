// `cdk8s-prometheus-thanos/testing`: helpers for users' tests of their monitoring charts.
export { runRuleTests } from './promtool';
export type { RunRuleTestsOptions, RuleTestResult } from './promtool';
export { checkPolicies, POLICY_RULES } from '../policy/check-policies';
export type { PolicyViolation, PolicyOptions } from '../policy/check-policies';
export { synthObjects, findObject, findObjects, findContainer, containerArgs, flagValues } from './objects';
export type { SynthesizedObject, SynthesizedContainer } from './objects';
