import type { SyntaxNode } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';
import { PROMQL_AGGREGATIONS, PROMQL_FUNCTIONS, PromqlType } from './promql-functions';

export type { PromqlType } from './promql-functions';

/** Where a PromQL expression is wrong, and why. */
export interface PromqlError {
  /** Character offset into the expression. */
  readonly offset: number;
  readonly message: string;
}

function located(expr: string, offset: number, problem: string): PromqlError {
  const near = expr.slice(Math.max(0, offset - 10), offset + 10);
  return { offset, message: `${problem} at offset ${offset} (near '${near}')` };
}

/**
 * Parses a PromQL expression with the official grammar (the one the
 * Prometheus UI uses) and returns the offset of the first syntax error, or
 * undefined when the expression parses.
 */
export function promqlSyntaxError(expr: string): PromqlError | undefined {
  if (expr.trim() === '') return { offset: 0, message: 'expression is empty' };
  let offset: number | undefined;
  parser.parse(expr).iterate({
    enter: node => {
      if (offset === undefined && node.type.isError) offset = node.from;
      return offset === undefined;
    },
  });
  return offset === undefined ? undefined : located(expr, offset, 'syntax error');
}

/** Thrown inside the checker, caught by {@link promqlTypeError}. */
class TypeProblem extends Error {
  constructor(public readonly node: SyntaxNode, message: string) {
    super(message);
  }
}

const EXPRESSIONS = new Set(['AggregateExpr', 'BinaryExpr', 'FunctionCall', 'MatrixSelector', 'NumberDurationLiteral',
  'OffsetExpr', 'ParenExpr', 'StringLiteral', 'SubqueryExpr', 'UnaryExpr', 'VectorSelector', 'StepInvariantExpr',
  'AnchoredExpr', 'SmoothedExpr']);
const COMPARISONS = new Set(['Eql', 'Neq', 'Gtr', 'Lss', 'Gte', 'Lte']);
const SET_OPERATORS = new Set(['And', 'Or', 'Unless']);
// Grammar the UI's parser knows from later Prometheus releases; the pinned 3.5 rejects them.
const NEWER_SYNTAX = new Set(['AnchoredExpr', 'SmoothedExpr', 'FillModifier', 'TrimUpper', 'TrimLower']);
// Plain durations only: arithmetic in ranges (`[5m * 2]`) is behind a feature flag in 3.5.
const PLAIN_DURATION = /^-?(\d+(ms|s|m|h|d|w|y))+$|^\d+(\.\d+)?$/;

const NAMES: Record<PromqlType, string> = { scalar: 'scalar', vector: 'instant vector', matrix: 'range vector', string: 'string' };

function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

function expressions(node: SyntaxNode): SyntaxNode[] {
  return children(node).filter(c => EXPRESSIONS.has(c.name));
}

/**
 * A type checker over the lezer tree, following Prometheus 3.5's
 * `promql/parser` checks: what a rule would only find out when the server
 * loads it (or worse, evaluates it) is reported at synth time instead.
 */
class Checker {
  constructor(private readonly expr: string) {}

  public typeOf(node: SyntaxNode): PromqlType {
    if (NEWER_SYNTAX.has(node.name)) throw new TypeProblem(node, `'${this.text(node)}' is not supported by Prometheus 3.5`);
    switch (node.name) {
      case 'NumberDurationLiteral': return 'scalar';
      case 'StringLiteral': return 'string';
      case 'VectorSelector': return 'vector';
      case 'ParenExpr': return this.typeOf(this.only(node));
      case 'MatrixSelector': return this.matrixSelector(node);
      case 'SubqueryExpr': return this.subquery(node);
      case 'OffsetExpr':
      case 'StepInvariantExpr': return this.modified(node);
      case 'UnaryExpr': return this.unary(node);
      case 'BinaryExpr': return this.binary(node);
      case 'AggregateExpr': return this.aggregate(node);
      case 'FunctionCall': return this.call(node);
      default: return 'vector';
    }
  }

  private text(node: SyntaxNode): string {
    return this.expr.slice(node.from, node.to);
  }

  private only(node: SyntaxNode): SyntaxNode {
    const [inner] = expressions(node);
    if (!inner) throw new TypeProblem(node, 'missing expression');
    return inner;
  }

  private durations(node: SyntaxNode): void {
    for (const c of children(node)) {
      if ((c.name === 'DurationExpr' || c.name === 'OffsetDurationExpr') && !PLAIN_DURATION.test(this.text(c).trim())) {
        throw new TypeProblem(c, `duration '${this.text(c)}' must be a plain duration (duration arithmetic is experimental in Prometheus 3.5)`);
      }
      this.durations(c);
    }
  }

  private matrixSelector(node: SyntaxNode): PromqlType {
    const inner = this.only(node);
    if (inner.name !== 'VectorSelector') {
      throw new TypeProblem(node, 'ranges are only allowed on vector selectors; use a subquery (`[5m:]`) on other expressions');
    }
    this.durations(node);
    return 'matrix';
  }

  private subquery(node: SyntaxNode): PromqlType {
    const t = this.typeOf(this.only(node));
    if (t !== 'vector') throw new TypeProblem(node, `a subquery needs an instant vector, got ${NAMES[t]}`);
    this.durations(node);
    return 'matrix';
  }

  private modified(node: SyntaxNode): PromqlType {
    const inner = this.only(node);
    const t = this.typeOf(inner);
    if (t === 'scalar' || t === 'string') {
      throw new TypeProblem(node, `offset and @ modifiers apply to selectors and subqueries, not to a ${NAMES[t]}`);
    }
    this.durations(node);
    return t;
  }

  private unary(node: SyntaxNode): PromqlType {
    const t = this.typeOf(this.only(node));
    if (t !== 'scalar' && t !== 'vector') throw new TypeProblem(node, `unary operators need a scalar or an instant vector, got ${NAMES[t]}`);
    return t;
  }

  private binary(node: SyntaxNode): PromqlType {
    const parts = children(node);
    const operands = parts.filter(c => EXPRESSIONS.has(c.name));
    const [lhs, rhs] = [operands[0], operands[operands.length - 1]];
    const op = parts[parts.indexOf(lhs) + 1];
    if (NEWER_SYNTAX.has(op.name) || parts.some(p => NEWER_SYNTAX.has(p.name))) {
      throw new TypeProblem(op, `'${this.text(op)}' is not supported by Prometheus 3.5`);
    }
    const [l, r] = [this.typeOf(lhs), this.typeOf(rhs)];
    for (const [side, t] of [[lhs, l], [rhs, r]] as const) {
      if (t !== 'scalar' && t !== 'vector') {
        throw new TypeProblem(side, `binary operator '${this.text(op)}' needs scalars or instant vectors, got ${NAMES[t]}`);
      }
    }
    if (SET_OPERATORS.has(op.name) && (l === 'scalar' || r === 'scalar')) {
      throw new TypeProblem(op, `set operator '${this.text(op)}' needs instant vectors on both sides`);
    }
    const bool = parts.some(p => p.name === 'BoolModifier');
    if (COMPARISONS.has(op.name) && l === 'scalar' && r === 'scalar' && !bool) {
      throw new TypeProblem(op, `comparing two scalars needs the bool modifier ('${this.text(op)} bool')`);
    }
    if (parts.some(p => p.name === 'MatchingModifierClause') && (l === 'scalar' || r === 'scalar')) {
      throw new TypeProblem(op, 'on()/ignoring() vector matching needs instant vectors on both sides');
    }
    return l === 'scalar' && r === 'scalar' ? 'scalar' : 'vector';
  }

  private aggregate(node: SyntaxNode): PromqlType {
    const opNode = children(node).find(c => c.name === 'AggregateOp')!;
    const op = this.text(opNode);
    const spec = PROMQL_AGGREGATIONS[op];
    if (!spec) throw new TypeProblem(opNode, `unknown aggregation '${op}' in Prometheus 3.5`);
    if (spec.experimental) {
      throw new TypeProblem(opNode, `aggregation '${op}' is experimental in Prometheus 3.5 (--enable-feature=promql-experimental-functions)`);
    }
    const body = children(node).find(c => c.name === 'FunctionCallBody');
    const args = body ? expressions(body) : [];
    const wanted: PromqlType[] = spec.param ? [spec.param, 'vector'] : ['vector'];
    this.arguments(node, `aggregation '${op}'`, args, wanted);
    return 'vector';
  }

  private call(node: SyntaxNode): PromqlType {
    const idNode = children(node).find(c => c.name === 'FunctionIdentifier')!;
    const name = this.text(idNode);
    const spec = PROMQL_FUNCTIONS[name];
    if (!spec) throw new TypeProblem(idNode, `unknown function '${name}' in Prometheus 3.5`);
    if (spec.experimental) {
      throw new TypeProblem(idNode, `function '${name}' is experimental in Prometheus 3.5 (--enable-feature=promql-experimental-functions)`);
    }
    const body = children(node).find(c => c.name === 'FunctionCallBody');
    const args = body ? expressions(body) : [];
    // As Prometheus counts: a variadic function may omit its last argument, and repeat it `variadic` times (-1: any).
    const n = spec.args.length;
    const min = spec.variadic === 0 ? n : n - 1;
    const max = spec.variadic === 0 ? n : spec.variadic > 0 ? n - 1 + spec.variadic : Infinity;
    if (args.length < min || args.length > max) {
      const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
      throw new TypeProblem(node, `function '${name}' takes ${expected} argument(s), got ${args.length}`);
    }
    // Variadic functions repeat their last argument type.
    const wanted = args.map((_, i) => spec.args[Math.min(i, spec.args.length - 1)]);
    this.arguments(node, `function '${name}'`, args, wanted);
    return spec.returns;
  }

  private arguments(node: SyntaxNode, what: string, args: SyntaxNode[], wanted: PromqlType[]): void {
    if (args.length !== wanted.length) {
      throw new TypeProblem(node, `${what} takes ${wanted.length} argument(s), got ${args.length}`);
    }
    args.forEach((arg, i) => {
      const t = this.typeOf(arg);
      if (t !== wanted[i]) {
        throw new TypeProblem(arg, `${what} needs ${NAMES[wanted[i]]} as argument ${i + 1}, got ${NAMES[t]} '${this.text(arg)}'`);
      }
    });
  }
}

/**
 * Type-checks a PromQL expression that parses: argument types and arity of
 * functions and aggregations, operand types of operators, ranges only on
 * selectors, and functions the pinned Prometheus (3.5) does not have or only
 * has behind a feature flag. Returns the expression's type, or the first problem.
 */
export function promqlType(expr: string): { type: PromqlType } | { error: PromqlError } {
  const top = parser.parse(expr).topNode;
  const checker = new Checker(expr);
  try {
    const root = expressions(top)[0];
    if (!root) return { error: located(expr, 0, 'no expression') };
    return { type: checker.typeOf(root) };
  } catch (e) {
    if (e instanceof TypeProblem) return { error: located(expr, e.node.from, e.message) };
    throw e;
  }
}

/**
 * The first problem with an expression that a rule evaluates, or undefined:
 * syntax, types, and a result that must be an instant vector or a scalar
 * (a range vector parses, but fails at every evaluation).
 */
export function promqlRuleError(expr: string): PromqlError | undefined {
  // Rules are checked when added and again when rendered; the answer depends on the text alone.
  if (!RULE_ERRORS.has(expr)) RULE_ERRORS.set(expr, checkRuleExpr(expr));
  return RULE_ERRORS.get(expr);
}

const RULE_ERRORS = new Map<string, PromqlError | undefined>();

function checkRuleExpr(expr: string): PromqlError | undefined {
  const syntax = promqlSyntaxError(expr);
  if (syntax) return syntax;
  const result = promqlType(expr);
  if ('error' in result) return result.error;
  if (result.type !== 'vector' && result.type !== 'scalar') {
    return located(expr, 0, `a rule must evaluate to an instant vector or a scalar, not a ${NAMES[result.type]}`);
  }
  return undefined;
}
