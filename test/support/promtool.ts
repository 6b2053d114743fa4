import { Duration } from 'cdk8s';
import { InputSeries, Prometheus, RuleGroup, RuleTest } from '../../lib';
import { runRuleTests } from '../../lib/testing/promtool';
import { runTool, tool } from './tools';

/**
 * Asserts that `promtool test rules` passes the rules' tests (those on the
 * groups plus `tests`), with the real promtool. A failure shows promtool's
 * report and the rendered test file.
 */
export function expectRulesToPass(target: Prometheus | RuleGroup[], tests: RuleTest[] = []): void {
  const result = runRuleTests(target, tests, { promtool: tool('promtool') });
  if (!result.passed) {
    throw new Error(`promtool test rules failed:\n${result.output}\n--- test file ---\n${result.testFile}`);
  }
}

/** Like {@link expectRulesToPass}, but returns promtool's report of a run that must fail. */
export function expectRulesToFail(target: Prometheus | RuleGroup[], tests: RuleTest[] = []): string {
  const result = runRuleTests(target, tests, { promtool: tool('promtool') });
  if (result.passed) throw new Error(`promtool test rules passed, but should have failed:\n${result.testFile}`);
  return result.output;
}

/** `promtool check <what> <files…>` in `cwd`; returns exit code and output. */
export function promtoolCheck(what: 'config' | 'rules', files: string[], cwd?: string): { code: number | null; output: string } {
  const result = runTool('promtool', ['check', what, ...files], { cwd, timeoutMs: 20_000 });
  return { code: result.code, output: result.stdout + result.stderr };
}

/** The alerts a firing test expects, each with exactly these labels and annotations. */
export interface ExpectedFiring {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

/** A rule test: `alertname` fires at `at` with exactly `alerts` (one per element). */
export function firesWith(alertname: string, inputSeries: InputSeries[], at: Duration, alerts: ExpectedFiring[], interval?: Duration): RuleTest {
  return {
    name: `${alertname} fires`,
    interval,
    inputSeries,
    alertRuleTests: [{ alertname, evalTime: at, expAlerts: alerts.map(a => ({ expLabels: a.labels, expAnnotations: a.annotations })) }],
  };
}

/** A rule test: `alertname` fires at `at` once, with exactly these labels and annotations. */
export function fires(alertname: string, inputSeries: InputSeries[], at: Duration,
  labels: Record<string, string>, annotations: Record<string, string>, interval?: Duration): RuleTest {
  return firesWith(alertname, inputSeries, at, [{ labels, annotations }], interval);
}

/** A rule test: `alertname` is not firing at `at`. */
export function quiet(alertname: string, inputSeries: InputSeries[], at: Duration, interval?: Duration): RuleTest {
  return { name: `${alertname} stays quiet`, interval, inputSeries, alertRuleTests: [{ alertname, evalTime: at }] };
}
