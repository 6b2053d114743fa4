// Rule names as Prometheus 3 loads them: the synth-time check must accept what
// the real `promtool check rules` accepts, and refuse what it refuses.
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Prometheus, RuleGroup } from '../../../lib';
import { givenChart } from '../../support/synth';
import { runTool } from '../../support/tools';

const ACCEPTED: RuleGroup = {
  name: 'names',
  rules: [
    { record: 'job_up', expr: 'up' },
    { record: 'job.http:rate5m', expr: 'up' },
    { record: 'level:metric:operations', expr: 'up' },
    { alert: 'Alert-Name', expr: 'up == 0' },
    { alert: 'An alert with spaces', expr: 'up == 0' },
  ],
};

describe('rule names', () => {
  test('the names Prometheus 3 accepts are accepted, and promtool agrees on the rendered file', () => {
    // GIVEN a Prometheus with unconventional but valid names
    const { chart } = givenChart();
    const prometheus = new Prometheus(chart, 'prometheus', { defaultRules: false, ruleGroups: [ACCEPTED] });
    // WHEN its rule file is checked by the real promtool
    const dir = mkdtempSync(join(tmpdir(), 'rule-names-'));
    try {
      writeFileSync(join(dir, 'rules.yaml'), prometheus.renderRules());
      const result = runTool('promtool', ['check', 'rules', join(dir, 'rules.yaml')], { timeoutMs: 20_000 });
      // THEN it loads every rule
      expect({ code: result.code, output: result.stdout + result.stderr }).toEqual({ code: 0, output: expect.stringContaining('SUCCESS: 5 rules found') });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the names promtool refuses are refused at synth', () => {
    // GIVEN / WHEN / THEN braces in a record name, and empty names, as promtool says
    const { chart } = givenChart();
    expect(() => new Prometheus(chart, 'a', { ruleGroups: [{ name: 'g', rules: [{ record: 'bad{name', expr: 'up' }] }] }))
      .toThrow(/test\/a: invalid 'ruleGroups\[g\]\.rules\[0\]\.record': 'bad\{name' has braces/);
    expect(() => new Prometheus(chart, 'b', { ruleGroups: [{ name: 'g', rules: [{ alert: '', expr: 'up' }] }] }))
      .toThrow(/test\/b: invalid 'ruleGroups\[g\]\.rules\[0\]\.alert': is empty/);
  });
});
