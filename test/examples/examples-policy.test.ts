import { App, Chart, Testing } from 'cdk8s';
import { EXAMPLES } from '../../examples';
import { MonitoringChart } from '../../lib';
import { checkPolicies, PolicyViolation } from '../../lib/policy/check-policies';
import { testApp } from '../support/synth';

/** One line per violation, so a failure says what to fix without a debugger. */
function report(violations: PolicyViolation[]): string {
  return violations.map(v => `  [${v.rule}] ${v.object}: ${v.message}`).join('\n');
}

// What users deploy must pass the project's own policy with the defaults:
// every rule, no options.
describe('the shipped configurations pass the policy', () => {
  test.each<[string, (app: App) => Chart]>([
    ...Object.entries(EXAMPLES).map(([name, build]): [string, (app: App) => Chart] => [`examples/${name}`, build]),
    ['MonitoringChart with an Ingress exposing everything', app => new MonitoringChart(app, 'x', {
      namespace: 'monitoring',
      ingress: { host: 'm.example.com', tlsSecretName: 't', exposePushgateway: true },
    })],
  ])('%s has no policy violations', (_name, build) => {
    // GIVEN
    const app = testApp();
    const manifests = Testing.synth(build(app));
    // WHEN
    const violations = checkPolicies(manifests);
    // THEN
    if (violations.length) throw new Error(`${violations.length} policy violation(s):\n${report(violations)}`);
    expect(manifests.length).toBeGreaterThan(0);
  });
});
