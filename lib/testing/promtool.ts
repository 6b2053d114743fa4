import { spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { Prometheus } from '../prometheus/prometheus';
import { ThanosRuler } from '../thanos/thanos-ruler';
import { alertNames, renderRuleGroup, RuleGroup } from '../config/rules/rule-group';
import { renderRuleTestFile, RuleTest } from '../config/rules/rule-tests';

/** Options of {@link runRuleTests}. */
export interface RunRuleTestsOptions {
  /**
   * The promtool binary.
   * @default 'promtool', looked up on PATH
   */
  readonly promtool?: string;
  /** @default Duration.minutes(1) */
  readonly timeout?: Duration;
}

/** The outcome of `promtool test rules`. */
export interface RuleTestResult {
  readonly passed: boolean;
  /** promtool's stdout and stderr: on failure, which assertion failed and what it got. */
  readonly output: string;
  /** The rendered test file, to show next to a failure. */
  readonly testFile: string;
}

/** Where errors about rule groups given without a Prometheus are reported: `rule-tests: invalid '…'`. */
function ruleTestScope(): Construct {
  return new Construct(new App(), 'rule-tests');
}

/**
 * Runs `promtool test rules` on rules and their tests: the tests of every
 * group (`RuleGroup.tests`) plus `tests`. For a Prometheus or a ThanosRuler,
 * its rule file (a Prometheus' default rules included) and evaluation
 * interval are used as deployed.
 * Has no test framework dependency; assert on `passed` and show `output`.
 * @throws if a test is invalid, or promtool cannot be run
 */
export function runRuleTests(target: Prometheus | ThanosRuler | RuleGroup[], tests: RuleTest[] = [], options: RunRuleTestsOptions = {}): RuleTestResult {
  const isPrometheus = target instanceof Prometheus || target instanceof ThanosRuler;
  const groups = isPrometheus ? target.ruleGroups : target;
  const scope = isPrometheus ? target : ruleTestScope();
  const rules = isPrometheus
    ? target.renderRules()
    : stringify({ groups: groups.map(g => renderRuleGroup(scope, `ruleGroups[${g.name}]`, g)) }, { lineWidth: 0, aliasDuplicateObjects: false });
  const allTests = [...groups.flatMap(g => g.tests ?? []), ...tests];
  const testFile = stringify(renderRuleTestFile(scope, 'tests', allTests, {
    ruleFiles: ['rules.yaml'],
    alertNames: alertNames(groups),
    evaluationInterval: isPrometheus ? target.evaluationInterval : undefined,
  }), { lineWidth: 0, aliasDuplicateObjects: false });

  const dir = mkdtempSync(join(tmpdir(), 'rule-tests-'));
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'rules.yaml'), rules);
    writeFileSync(join(dir, 'tests.yaml'), testFile);
    const result = spawnSync(options.promtool ?? 'promtool', ['test', 'rules', 'tests.yaml'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: (options.timeout ?? Duration.minutes(1)).toMilliseconds(),
      killSignal: 'SIGKILL',
    });
    if (result.error) throw new Error(`cannot run promtool: ${result.error.message}`);
    return { passed: result.status === 0, output: `${result.stdout}${result.stderr}`, testFile };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
