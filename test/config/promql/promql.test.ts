// The synth-time PromQL check: what its messages say, how it follows the
// Prometheus release and feature flag, and how a rule group reports it.
// Whether it refuses what Prometheus refuses is promql-corpus.tools.test.ts's job.
import { Chart } from 'cdk8s';
import { promqlRuleError, promqlSyntaxError, promqlType } from '../../../lib/config/promql/promql';
import { availability, PROMQL_AGGREGATIONS, PROMQL_FUNCTIONS } from '../../../lib/config/promql/promql-functions';
import { checkRe2 } from '../../../lib/config/promql/re2';
import { renderRuleGroup } from '../../../lib/config/rules/rule-group';
import { testApp } from '../../support/synth';

describe('messages name the problem', () => {
  test.each([
    ['foo_over_time(x[5m])', "unknown function 'foo_over_time' in Prometheus 3.5 at offset 0"],
    ['first_over_time(x[5m])', "unknown function 'first_over_time' in Prometheus 3.5 (it appeared in 3.7)"],
    ['holt_winters(x[5m], 0.5, 0.5)', "unknown function 'holt_winters' in Prometheus 3.5 (removed in 3.0: renamed double_exponential_smoothing"],
    ['increase(x[0s])', "range must be greater than 0, got '0s' at offset 11"],
    ['rate(x[5m:-1m])', "subquery step must be greater than 0, got '-1m'"],
    ['rate(x[300y])', 'duration out of range'],
    ['{job=~".*"}', "vector selector '{job=~\".*\"}' must contain at least one matcher that does not match the empty string"],
    ['{}', 'must contain at least one matcher that does not match the empty string'],
    ['sum(up) offset 5m', "offset applies to a selector or a subquery, not to 'sum(up)'"],
    ['x offset 5m offset 1m', 'offset may not be set multiple times'],
    ['x @ 1 @ 2', '@ may not be set multiple times'],
    ['x @ Inf', 'timestamp out of bounds for @ modifier'],
    ['x offset 5m [5m]', 'no offset modifiers allowed before range'],
    ['{job=~"[a-z"}', "invalid regular expression \"[a-z\" for label 'job': missing closing ]: `[a-z`"],
    ['{job=~"(?=a)"}', 'invalid or unsupported Perl syntax: `(?=`'],
    ['x + bool y', "bool modifier can only be used on comparison operators, not on '+'"],
    ['x and on (a) group_left y', "no grouping (group_left/group_right) allowed for 'and'"],
    ['x * on (a) group_left (a) y', "label 'a' must not occur in on() and group_left()/group_right() at once"],
    ['foo{__name__="bar"}', "metric name must not be set twice: 'foo' and 'bar'"],
    ['sum by ("") (x)', 'invalid label name for grouping: ""'],
    ['"\\q"', "syntax error at offset 0 (near '\"\\q\"'): unknown escape sequence U+0071 'q'"],
    ['rate(x[5m],)', 'trailing commas are not allowed in function call arguments'],
    ['sum()', "aggregation 'sum' needs an argument"],
    ['x * on y', 'syntax error at offset 7 (near \'x * on y\'): unexpected identifier "y" in grouping opts, expected "("'],
    ['sum(rate(x[5m])', 'syntax error at offset 15'],
  ])('%s', (expr, message) => {
    // GIVEN an expression Prometheus 3.5 refuses / WHEN checked as a rule / THEN the message says what is wrong, and where
    expect(promqlRuleError(expr)?.message).toContain(message);
  });

  test('syntax errors alone, for what must merely parse', () => {
    // GIVEN a selector with an unknown function in it, and a broken one
    // WHEN their syntax is checked / THEN only the broken one fails
    expect(promqlSyntaxError('foo_over_time(x)')).toBeUndefined();
    expect(promqlSyntaxError('up{job="a"')?.message).toMatch(/^syntax error at offset 10 .*: unexpected end of input inside braces/);
  });

  test('types of what parses', () => {
    // GIVEN expressions of each type / WHEN typed / THEN Prometheus' types
    expect(promqlType('sum(up)')).toEqual({ type: 'vector' });
    expect(promqlType('1 + 2')).toEqual({ type: 'scalar' });
    expect(promqlType('x[5m]')).toEqual({ type: 'matrix' });
    expect(promqlType('x[5 m]')).toEqual({ type: 'matrix' }); // Prometheus reads the subquery x[5s:]
    expect(promqlType('"a"')).toEqual({ type: 'string' });
  });
});

describe('the Prometheus release and its feature flag', () => {
  test('the defaults are the pinned image: Prometheus 3.5, no experimental functions', () => {
    // GIVEN functions of 3.5, experimental ones, and one dropped in 3.0 / WHEN checked without options
    // THEN as Prometheus 3.5 without --enable-feature=promql-experimental-functions
    expect(promqlRuleError('ts_of_max_over_time(x[5m])')?.message).toContain("function 'ts_of_max_over_time' is experimental in Prometheus 3.5 (--enable-feature=promql-experimental-functions)");
    expect(promqlRuleError('sort_by_label(up, "job")')?.message).toContain('is experimental in Prometheus 3.5');
    expect(promqlRuleError('limit_ratio(0.5, up)')?.message).toContain("aggregation 'limit_ratio' is experimental in Prometheus 3.5");
    expect(promqlRuleError('holt_winters(x[5m], 0.5, 0.5)')?.message).toContain('removed in 3.0');
    expect(promqlRuleError('histogram_avg(rate(x[5m]))')).toBeUndefined();
  });

  test('with the feature flag, experimental functions and aggregations are accepted, and checked', () => {
    // GIVEN experimental functions and aggregations / WHEN checked with experimentalFunctions
    const options = { experimentalFunctions: true };
    // THEN accepted, with their argument types still checked
    for (const expr of ['mad_over_time(x[5m])', 'sort_by_label(up, "job", "pod")', 'limitk(2, up)', 'limit_ratio(0.5, up)',
      'double_exponential_smoothing(x[5m], 0.5, 0.5)', 'ts_of_last_over_time(x[5m])', 'info(up, {k8s_cluster_name=~".+"})', 'info(up, {})']) {
      expect(promqlRuleError(expr, options)).toBeUndefined();
    }
    expect(promqlRuleError('mad_over_time(x)', options)?.message).toContain("function 'mad_over_time' needs range vector as argument 1");
    expect(promqlRuleError('info(up, up)', options)?.message).toContain("function 'info' needs label selectors only as argument 2");
    // AND the answer without the flag is not the cached one
    expect(promqlRuleError('mad_over_time(x[5m])')).toBeDefined();
  });

  test('another release has its own functions', () => {
    // GIVEN functions that came or went / WHEN checked for the release they belong to, and one before
    expect(promqlRuleError('holt_winters(x[5m], 0.5, 0.5)', { version: [2, 55] })).toBeUndefined();
    expect(promqlRuleError('double_exponential_smoothing(x[5m], 0.5, 0.5)', { version: [2, 55], experimentalFunctions: true })?.message)
      .toContain("unknown function 'double_exponential_smoothing' in Prometheus 2.55 (it appeared in 3.0)");
    expect(promqlRuleError('ts_of_max_over_time(x[5m])', { version: [3, 4], experimentalFunctions: true })?.message)
      .toContain('(it appeared in 3.5)');
    expect(promqlRuleError('group(up)', { version: [2, 19] })?.message).toContain("unknown aggregation 'group' in Prometheus 2.19 (it appeared in 2.20)");
    expect(promqlRuleError('first_over_time(x[5m])', { version: [3, 7] })?.message).toContain('is experimental in Prometheus 3.7');
    expect(promqlRuleError('first_over_time(x[5m])', { version: [3, 14] })).toBeUndefined();
  });

  test('every function records the release it appeared in, and whether it needs the flag', () => {
    // GIVEN the tables / THEN each entry has a release from 2.0 on, and the flag where Prometheus 3.5 needs it
    for (const spec of [...Object.values(PROMQL_FUNCTIONS), ...Object.values(PROMQL_AGGREGATIONS)]) {
      expect(spec.since[0] === 2 || spec.since[0] === 3).toBe(true);
    }
    const experimental = Object.keys(PROMQL_FUNCTIONS).filter(f => {
      const a = availability(PROMQL_FUNCTIONS[f], [3, 5]);
      return a.available && a.experimental;
    });
    expect(experimental.sort()).toEqual(['double_exponential_smoothing', 'info', 'mad_over_time', 'sort_by_label', 'sort_by_label_desc',
      'ts_of_last_over_time', 'ts_of_max_over_time', 'ts_of_min_over_time'].sort());
    expect(Object.keys(PROMQL_AGGREGATIONS).filter(a => PROMQL_AGGREGATIONS[a].experimental).sort()).toEqual(['limit_ratio', 'limitk']);
  });
});

describe('RE2 regexes of label matchers', () => {
  test.each([
    ['.*', true], ['.+', false], ['a|', true], ['', true], ['(a|b)?', true], ['a{0,3}', true], ['a{1,3}', false], ['^$', true], ['\\b', false],
    ['\\B', true], ['[^a]*', true], ['(?i)', true], ['foo|bar', false],
  ])('%s matches the empty string: %s', (regex, empty) => {
    // GIVEN a valid regex / WHEN checked / THEN whether it matches "", fully anchored
    expect(checkRe2(regex)).toEqual({ matchesEmpty: empty });
  });
});

describe('a rule group reports the rule and the group', () => {
  test('in the field path and the message', () => {
    // GIVEN a construct, as the Prometheus rendering its rule file
    const scope = new Chart(testApp(), 'test');
    // WHEN a group with an unknown function is rendered, as Prometheus does (the field is 'ruleGroups[<group>]')
    const group = { name: 'app', rules: [{ record: 'job:x:rate5m', expr: 'up' }, { alert: 'Slow', expr: 'foo_over_time(x[5m]) > 1' }] };
    // THEN the error names the construct, the group and rule (field path), the rule's name, the problem and the expression
    expect(() => renderRuleGroup(scope, 'ruleGroups[app]', group))
      .toThrow("test: invalid 'ruleGroups[app].rules[1].expr': rule 'Slow': PromQL unknown function 'foo_over_time' in Prometheus 3.5 at offset 0 (near 'foo_over_t'): foo_over_time(x[5m]) > 1");
  });
});
