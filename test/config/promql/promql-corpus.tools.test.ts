// The synth-time PromQL check against the real `promtool check rules`
// (Prometheus 3.5, install it with `npm run tools`): on the corpus of
// corpus.ts and on seeded mutations of it, the library must refuse exactly
// what promtool refuses, but for a short list of deliberate stricter refusals.
import { writeFileSync } from 'fs';
import { join } from 'path';
import { stringify } from 'yaml';
import { promqlRuleError, promqlType } from '../../../lib/config/promql/promql';
import { tempDir } from '../../support/daemon';
import { runTool } from '../../support/tools';
import { CORPUS, STRICTER_REFUSALS } from './corpus';

const TIMEOUT_MS = 60_000;
const MUTATIONS = 3000;

/**
 * promtool's verdict on each expression, as a recording rule of its own (all
 * in one rule file: promtool reports every broken rule by its index).
 * @returns the error for each expression, undefined where promtool accepts it
 */
function promtoolErrors(name: string, exprs: string[]): (string | undefined)[] {
  const file = join(tempDir('promql-corpus'), `${name}.yaml`);
  const rules = exprs.map((expr, i) => ({ record: `${name}:rule_${i + 1}`, expr }));
  writeFileSync(file, stringify({ groups: [{ name, rules }] }, { lineWidth: 0 }));
  const { code, stdout, stderr } = runTool('promtool', ['check', 'rules', '--lint=none', file], { timeoutMs: 30_000 });
  const errors: (string | undefined)[] = exprs.map(() => undefined);
  for (const line of `${stdout}\n${stderr}`.split('\n')) {
    const m = new RegExp(`group "${name}", rule (\\d+), "[^"]*": (.*)$`).exec(line);
    if (m) {
      errors[Number(m[1]) - 1] ??= m[2];
    } else if (line.trim() && !/^(Checking |\s*FAILED:|\s*SUCCESS: \d+ rules found)/.test(line.trim())) {
      throw new Error(`unexpected promtool output (exit ${code}): ${line}\n${stdout}${stderr}`);
    }
  }
  if ((code === 0) !== errors.every(e => e === undefined)) throw new Error(`promtool exited ${code}:\n${stdout}${stderr}`);
  return errors;
}

interface Disagreement {
  readonly expr: string;
  readonly promtool: string;
  readonly library: string;
}

function explain(d: Disagreement): string {
  return `${JSON.stringify(d.expr)}\n    promtool: ${d.promtool}\n    library:  ${d.library}`;
}

describe('the PromQL check agrees with promtool check rules (Prometheus 3.5)', () => {
  let errors: (string | undefined)[];
  beforeAll(() => {
    errors = promtoolErrors('corpus', CORPUS.map(e => e.expr));
  }, TIMEOUT_MS);

  test('the corpus holds over 200 expressions, accepted and refused', () => {
    // GIVEN the corpus / THEN it is large and mixed enough to mean something
    expect(CORPUS.length).toBeGreaterThanOrEqual(200);
    expect(CORPUS.filter(e => e.valid).length).toBeGreaterThanOrEqual(100);
    expect(CORPUS.filter(e => !e.valid).length).toBeGreaterThanOrEqual(100);
    expect(new Set(CORPUS.map(e => e.expr)).size).toBe(CORPUS.length);
  });

  test('promtool gives the verdicts the corpus records', () => {
    // GIVEN every corpus expression as a rule / WHEN promtool checks them
    // THEN it accepts the valid ones and refuses the others (else the corpus is stale for this promtool)
    const stale = CORPUS.filter((e, i) => e.valid !== (errors[i] === undefined))
      .map(e => `${e.section}: ${JSON.stringify(e.expr)} is recorded ${e.valid ? 'valid' : 'invalid'}, promtool says ${errors[CORPUS.indexOf(e)] ?? 'valid'}`);
    expect(stale).toEqual([]);
  });

  test('the library refuses exactly what promtool refuses, but for the deliberate stricter refusals', () => {
    // GIVEN promtool's verdicts / WHEN the library checks each expression as a rule
    const stricter = new Set(STRICTER_REFUSALS.map(r => r.expr));
    const disagreements: Disagreement[] = [];
    let agreeing = 0;
    CORPUS.forEach((entry, i) => {
      if (stricter.has(entry.expr)) return;
      const library = promqlRuleError(entry.expr);
      if ((library === undefined) === (errors[i] === undefined)) agreeing++;
      else disagreements.push({ expr: entry.expr, promtool: errors[i] ?? 'valid', library: library?.message ?? 'valid' });
    });
    // THEN they agree on every one
    const compared = CORPUS.length - stricter.size;
    expect({ agreement: `${agreeing}/${compared}`, disagreements: disagreements.map(explain) })
      .toEqual({ agreement: `${compared}/${compared}`, disagreements: [] });
  });

  test.each(STRICTER_REFUSALS)('refuses $expr although promtool loads it: $reason', ({ expr }) => {
    // GIVEN an expression promtool accepts as a rule
    expect(errors[CORPUS.findIndex(e => e.expr === expr)]).toBeUndefined();
    // WHEN the library checks it as a rule / THEN it is refused for its result type, and only for that
    expect(promqlRuleError(expr)?.message).toMatch(/^a rule must evaluate to an instant vector or a scalar, not a (string|range vector)/);
    expect(promqlType(expr)).toEqual({ type: expect.stringMatching(/^(string|matrix)$/) });
  });
});

/** Seeded random edits of corpus expressions: deletions, insertions of PromQL fragments, splices. */
function mutations(count: number, seed: number): string[] {
  let state = seed;
  const random = () => {
    state = (Math.imul(state, 1103515245) + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
  const fragments = ['(', ')', '[', ']', '{', '}', ',', ':', ' ', '5m', '0', '-', '+', '*', '/', '^', '==', '!=', '=~', '!~', '=', '>',
    'bool', 'on', 'ignoring', 'group_left', 'group_right', 'by', 'without', 'offset', '@', 'start()', 'sum', 'rate', 'x', 'and', 'or',
    'unless', '"a"', "'b'", '`c`', '"', '\\', '.*', 'inf', 'NaN', '1e3', '0x1', '#', '\n', 'topk', 'count_values', 'atan2',
    '{a="b"}', '[5m:]', '[1m]', '_', 'm', '1h'];
  const sources = CORPUS.map(e => e.expr).filter(e => e.trim() !== '');
  const out = new Set<string>();
  while (out.size < count) {
    let e = pick(sources);
    for (let edits = 1 + Math.floor(random() * 3); edits > 0; edits--) {
      const at = Math.floor(random() * (e.length + 1));
      const r = random();
      if (r < 0.33) {
        e = e.slice(0, at) + e.slice(at + 1 + Math.floor(random() * 3));
      } else if (r < 0.8) {
        e = e.slice(0, at) + pick(fragments) + e.slice(at);
      } else {
        const other = pick(sources);
        const from = Math.floor(random() * other.length);
        e = e.slice(0, at) + other.slice(from, from + 1 + Math.floor(random() * 8)) + e.slice(at);
      }
    }
    // A cut through a surrogate pair is no text a rule file can hold.
    if (e.trim() !== '' && !/[\ud800-\udfff]/.test(e.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''))) out.add(e);
  }
  return [...out];
}

test(`the PromQL check agrees with promtool on ${MUTATIONS} seeded mutations of the corpus`, () => {
  // GIVEN random but reproducible edits of the corpus (mostly broken, some still valid)
  const exprs = mutations(MUTATIONS, 20240601);
  // WHEN promtool and the library check them (the library's type check: the rule result type is the corpus test's business)
  const errors = promtoolErrors('mutations', exprs);
  const disagreements: Disagreement[] = [];
  exprs.forEach((expr, i) => {
    const result = promqlType(expr);
    const library = 'error' in result ? result.error.message : undefined;
    if ((library === undefined) !== (errors[i] === undefined)) {
      disagreements.push({ expr, promtool: errors[i] ?? 'valid', library: library ?? 'valid' });
    }
  });
  // THEN they agree on every one, and the mutations kept a share of valid expressions
  expect(disagreements.map(explain)).toEqual([]);
  expect(errors.filter(e => e === undefined).length).toBeGreaterThan(MUTATIONS / 20);
}, TIMEOUT_MS);
