import { parsePromql, PromqlCheckOptions, TYPE_NAMES, typeOf } from './promql-parser';
import { PromqlType } from './promql-functions';

export type { PromqlType, PromqlVersion } from './promql-functions';
export type { PromqlCheckOptions } from './promql-parser';

/** Where a PromQL expression is wrong, and why. */
export interface PromqlError {
  /** Character offset into the expression. */
  readonly offset: number;
  readonly message: string;
}

function located(expr: string, offset: number, problem: string, syntax: boolean): PromqlError {
  const near = expr.slice(Math.max(0, offset - 10), offset + 10);
  const where = `at offset ${offset} (near '${near}')`;
  return { offset, message: syntax ? `syntax error ${where}: ${problem}` : `${problem} ${where}` };
}

/**
 * Parses a PromQL expression as Prometheus 3.5 does (a port of its lexer and
 * grammar) and returns the first syntax error, or undefined when the
 * expression parses. Checks that need a well-formed expression (types,
 * functions, regexes, ranges) are {@link promqlType}'s.
 */
export function promqlSyntaxError(expr: string): PromqlError | undefined {
  const first = parsePromql(expr).problems.find(p => p.syntax);
  return first && located(expr, first.offset, first.message, true);
}

/**
 * Checks a PromQL expression as Prometheus does when it loads a rule:
 * syntax, label matchers (RE2 regexes, a selector that would match every
 * series), ranges, offsets and `@`, the functions and aggregations of the
 * given release and their argument types, operand types and vector matching.
 * Returns the expression's type, or the first problem.
 */
export function promqlType(expr: string, options: PromqlCheckOptions = {}): { type: PromqlType } | { error: PromqlError } {
  const { expr: tree, problems } = parsePromql(expr, options);
  if (problems.length > 0) return { error: located(expr, problems[0].offset, problems[0].message, problems[0].syntax) };
  return { type: typeOf(tree!) };
}

/**
 * The first problem with an expression that a rule evaluates, or undefined:
 * everything {@link promqlType} checks, and a result that must be an instant
 * vector or a scalar. That last one is stricter than `promtool check rules`:
 * a string or range-vector rule parses, but fails at every evaluation.
 *
 * @param options the Prometheus the rule is for. @default Prometheus 3.5 without experimental functions (the pinned image)
 */
export function promqlRuleError(expr: string, options: PromqlCheckOptions = {}): PromqlError | undefined {
  // Rules are checked when added and again when rendered; the answer depends on the text and options alone.
  const key = `${options.version?.join('.') ?? ''}|${options.experimentalFunctions ? 1 : 0}|${expr}`;
  if (!RULE_ERRORS.has(key)) RULE_ERRORS.set(key, checkRuleExpr(expr, options));
  return RULE_ERRORS.get(key);
}

const RULE_ERRORS = new Map<string, PromqlError | undefined>();

function checkRuleExpr(expr: string, options: PromqlCheckOptions): PromqlError | undefined {
  const result = promqlType(expr, options);
  if ('error' in result) return result.error;
  if (result.type !== 'vector' && result.type !== 'scalar') {
    return located(expr, 0, `a rule must evaluate to an instant vector or a scalar, not a ${TYPE_NAMES[result.type]}`, false);
  }
  return undefined;
}
