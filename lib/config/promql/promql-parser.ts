// A port of Prometheus 3.5's PromQL parser: the grammar of
// promql/parser/generated_parser.y (as a precedence-climbing parser that
// resolves its conflicts as goyacc does), the checks its actions make
// (parse.go: offsets, @, ranges, label matchers, functions, aggregations)
// and checkAST's type checks. Messages name the problem the way this
// library reports it; which expressions are refused is Prometheus' call.
import { lex, Token, TokenType } from './promql-lexer';
import { availability, DEFAULT_PROMQL_VERSION, PROMQL_AGGREGATIONS, PROMQL_FUNCTIONS, PromqlFunction, PromqlType, PromqlVersion, versionString } from './promql-functions';
import { checkRe2 } from './re2';

/** What the checker assumes about the Prometheus that will run the expression. */
export interface PromqlCheckOptions {
  /** The Prometheus release, `[major, minor]`. @default [3, 5] (the pinned image) */
  readonly version?: PromqlVersion;
  /** Whether it runs with `--enable-feature=promql-experimental-functions`. @default false */
  readonly experimentalFunctions?: boolean;
}

export interface Problem {
  readonly offset: number;
  readonly message: string;
  /** A lexer or grammar error (as opposed to a check on a well-formed expression). */
  readonly syntax: boolean;
}

interface Span { from: number; to: number }

export interface Matcher {
  readonly name: string;
  readonly type: '=' | '!=' | '=~' | '!~';
  readonly value: string;
  readonly matchesEmpty: boolean;
}

interface Modifiable {
  /** Offset in nanoseconds (NaN is kept: Go turns it into a non-zero offset). */
  offset: number;
  /** An offset given as a duration expression. */
  offsetExpr: boolean;
  timestamp?: number;
  startOrEnd?: 'start' | 'end';
}

export type Expr =
  | Span & { kind: 'number'; val: number }
  | Span & { kind: 'string'; val: string }
  | Span & Modifiable & { kind: 'vector'; name: string; matchers: Matcher[]; bypassEmptyMatcherCheck: boolean }
  | Span & { kind: 'matrix'; vs: Expr }
  | Span & Modifiable & { kind: 'subquery'; expr: Expr }
  | Span & { kind: 'paren'; expr: Expr }
  | Span & { kind: 'unary'; op: 'ADD' | 'SUB'; expr: Expr }
  | Span & { kind: 'binary'; op: TokenType; opText: string; lhs: Expr; rhs: Expr; bool: boolean; matching: VectorMatching }
  | Span & { kind: 'aggregate'; op: string; opFrom: number; param?: Expr; expr?: Expr; grouping: string[]; without: boolean }
  | Span & { kind: 'call'; name: string; func?: PromqlFunction; args: Expr[] };

type Card = 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';
interface VectorMatching {
  card: Card;
  /** `on(...)` or `ignoring(...)` given. */
  clause?: 'on' | 'ignoring';
  labels: string[];
  include: string[];
}

/** A duration in `[...]` or after `offset`: a number of seconds, or arithmetic (experimental). */
type Duration = Span & ({ kind: 'number'; val: number } | { kind: 'durexpr' });

class SyntaxProblem extends Error {}

const BINARY_PRECEDENCE: Partial<Record<TokenType, number>> = {
  LOR: 1, LAND: 2, LUNLESS: 2, EQLC: 3, NEQ: 3, LTE: 3, LSS: 3, GTE: 3, GTR: 3,
  ADD: 4, SUB: 4, MUL: 5, DIV: 5, MOD: 5, ATAN2: 5, POW: 6,
};
const DURATION_PRECEDENCE: Partial<Record<TokenType, number>> = { ADD: 4, SUB: 4, MUL: 5, DIV: 5, MOD: 5, POW: 6 };
const MUL_PRECEDENCE = 5;
const POW_PRECEDENCE = 6;
const COMPARISONS = new Set<TokenType>(['EQLC', 'NEQ', 'LTE', 'LSS', 'GTE', 'GTR']);
const SET_OPERATORS = new Set<TokenType>(['LAND', 'LOR', 'LUNLESS']);
const AGGREGATORS = new Set<TokenType>(['AVG', 'BOTTOMK', 'COUNT', 'COUNT_VALUES', 'GROUP', 'MAX', 'MIN', 'QUANTILE', 'STDDEV', 'STDVAR',
  'SUM', 'TOPK', 'LIMITK', 'LIMIT_RATIO']);
/** Tokens the grammar takes for a metric name (`metric_identifier`). */
const METRIC_IDENTIFIERS = new Set<TokenType>([...AGGREGATORS, 'BY', 'IDENTIFIER', 'LAND', 'LOR', 'LUNLESS', 'METRIC_IDENTIFIER', 'OFFSET',
  'WITHOUT', 'START', 'END']);
/** Tokens the grammar takes for a label name in `by (...)`, `on (...)` (`maybe_label`): keywords, but not `without`. */
const MAYBE_LABELS = new Set<TokenType>([...AGGREGATORS, 'BOOL', 'BY', 'GROUP_LEFT', 'GROUP_RIGHT', 'IDENTIFIER', 'IGNORING', 'LAND', 'LOR',
  'LUNLESS', 'METRIC_IDENTIFIER', 'OFFSET', 'ON', 'START', 'END', 'ATAN2']);
const MATCH_OPS: Partial<Record<TokenType, Matcher['type']>> = { EQL: '=', NEQ: '!=', EQL_REGEX: '=~', NEQ_REGEX: '!~' };
/** The bytes of the one-letter string escapes. */
const SIMPLE_ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, "'": 39, '"': 34 };
/** `1<<63 / 1e9`: the longest duration, in seconds. */
const MAX_DURATION_SECONDS = 2 ** 63 / 1e9;

export const TYPE_NAMES: Record<PromqlType, string> = { scalar: 'scalar', vector: 'instant vector', matrix: 'range vector', string: 'string' };

function describe(t: Token): string {
  switch (t.type) {
    case 'EOF': return 'end of input';
    case 'IDENTIFIER': return `identifier "${t.val}"`;
    case 'METRIC_IDENTIFIER': return `metric identifier "${t.val}"`;
    case 'NUMBER': return `number "${t.val}"`;
    case 'DURATION': return `duration "${t.val}"`;
    case 'STRING': return `string ${t.val}`;
    default: return `'${t.val}'`;
  }
}

/** Go's math.Round: half away from zero. */
function goRound(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** Parses and checks an expression; returns its tree and every problem, in the order Prometheus finds them. */
export function parsePromql(input: string, options: PromqlCheckOptions = {}): { expr?: Expr; problems: Problem[] } {
  const parser = new Parser(input, options);
  let expr: Expr | undefined;
  try {
    expr = parser.parseTop();
  } catch (e) {
    if (!(e instanceof SyntaxProblem)) throw e;
  }
  // Like Prometheus, the types are only checked when the expression parses.
  if (expr && parser.problems.length === 0) parser.checkAST(expr);
  return { expr, problems: parser.problems };
}

class Parser {
  public readonly problems: Problem[] = [];
  private readonly tokens: Token[];
  private i = 0;
  private lastEnd = 0;
  private readonly version: PromqlVersion;
  private readonly experimental: boolean;

  constructor(private readonly input: string, options: PromqlCheckOptions) {
    this.tokens = lex(input);
    this.version = options.version ?? DEFAULT_PROMQL_VERSION;
    this.experimental = options.experimentalFunctions ?? false;
  }

  // --- Tokens and errors.

  private peek(ahead = 0): Token {
    const t = this.tokens[Math.min(this.i + ahead, this.tokens.length - 1)];
    if (t.type === 'ERROR') this.syntaxError(t.pos, t.val);
    return t;
  }

  private take(): Token {
    const t = this.peek();
    if (t.type !== 'EOF') this.i++;
    this.lastEnd = t.pos + t.val.length;
    return t;
  }

  private error(offset: number, message: string): void {
    this.problems.push({ offset, message, syntax: false });
  }

  private syntaxError(offset: number, message: string): never {
    this.problems.push({ offset, message, syntax: true });
    throw new SyntaxProblem(message);
  }

  private unexpected(context: string, expected?: string): never {
    const t = this.peek();
    this.syntaxError(t.pos, `unexpected ${describe(t)}${context ? ` in ${context}` : ''}${expected ? `, expected ${expected}` : ''}`);
  }

  private expect(type: TokenType, context: string, expected: string): Token {
    if (this.peek().type !== type) this.unexpected(context, expected);
    return this.take();
  }

  private text(s: Span): string {
    return this.input.slice(s.from, s.to);
  }

  private span(from: number): Span {
    return { from, to: this.lastEnd };
  }

  // --- Grammar.

  public parseTop(): Expr {
    if (this.peek().type === 'EOF') this.syntaxError(0, 'no expression found in input');
    const e = this.parseExpr(0);
    if (this.peek().type !== 'EOF') this.unexpected('');
    return e;
  }

  /** Binary operators by precedence; POW is right-associative. */
  private parseExpr(minPrecedence: number): Expr {
    let lhs = this.parseUnary();
    for (;;) {
      const op = this.peek();
      const precedence = BINARY_PRECEDENCE[op.type];
      if (precedence === undefined || precedence < minPrecedence) return lhs;
      this.take();
      const matching = this.parseBinModifiers();
      const rhs = this.parseExpr(op.type === 'POW' ? precedence : precedence + 1);
      lhs = { kind: 'binary', op: op.type, opText: op.val, lhs, rhs, ...matching, from: lhs.from, to: rhs.to };
    }
  }

  /** `unary_op expr %prec MUL`: the operand takes `^` and the postfix modifiers, not `*` or lower. */
  private parseUnary(): Expr {
    const t = this.peek();
    if (t.type !== 'ADD' && t.type !== 'SUB') return this.parsePostfix(this.parsePrimary());
    this.take();
    const expr = this.parseExpr(POW_PRECEDENCE);
    if (expr.kind === 'number') return { ...expr, val: t.type === 'SUB' ? -expr.val : expr.val, from: t.pos };
    return { kind: 'unary', op: t.type, expr, from: t.pos, to: expr.to };
  }

  private parsePrimary(): Expr {
    const t = this.peek();
    const next = () => this.peek(1).type;
    switch (t.type) {
      case 'NUMBER': case 'DURATION': {
        this.take();
        return { kind: 'number', val: this.numberValue(t), from: t.pos, to: this.lastEnd };
      }
      case 'STRING':
        this.take();
        return { kind: 'string', val: this.unquote(t).text, from: t.pos, to: this.lastEnd };
      case 'LEFT_PAREN': {
        this.take();
        const expr = this.parseExpr(0);
        this.expect('RIGHT_PAREN', 'paren expression', '")"');
        return { kind: 'paren', expr, ...this.span(t.pos) };
      }
      case 'LEFT_BRACE':
        return this.parseVectorSelector(undefined);
      case 'IDENTIFIER':
        if (next() === 'LEFT_PAREN') return this.parseCall();
        return this.parseVectorSelector(this.take());
      default:
        if (AGGREGATORS.has(t.type) && ['LEFT_PAREN', 'BY', 'WITHOUT'].includes(next())) return this.parseAggregate();
        if (METRIC_IDENTIFIERS.has(t.type)) return this.parseVectorSelector(this.take());
        return this.unexpected('');
    }
  }

  /** Ranges, subqueries, `offset` and `@` bind tighter than any operator. */
  private parsePostfix(expr: Expr): Expr {
    for (;;) {
      const t = this.peek();
      if (t.type === 'LEFT_BRACKET') {
        this.take();
        const range = this.parsePositiveDuration('range');
        if (this.peek().type === 'COLON') {
          this.take();
          if (this.peek().type !== 'RIGHT_BRACKET') this.parsePositiveDuration('subquery step');
          this.expect('RIGHT_BRACKET', 'subquery selector', '"]"');
          expr = { kind: 'subquery', expr, offset: 0, offsetExpr: false, from: expr.from, to: this.lastEnd };
        } else {
          this.expect('RIGHT_BRACKET', 'subquery or range', '":" or "]"');
          expr = this.matrixSelector(expr, { from: t.pos, to: this.lastEnd }, range);
        }
      } else if (t.type === 'OFFSET') {
        this.take();
        const d = this.parseOffsetDuration();
        this.addOffset(expr, d);
        expr = { ...expr, to: this.lastEnd };
      } else if (t.type === 'AT') {
        this.take();
        const p = this.peek();
        if (p.type === 'START' || p.type === 'END') {
          this.take();
          this.expect('LEFT_PAREN', '@', '"("');
          this.expect('RIGHT_PAREN', '@', '")"');
          const target = this.atTarget(expr);
          if (target) target.startOrEnd = p.type === 'START' ? 'start' : 'end';
        } else {
          this.setTimestamp(expr, this.parseSignedNumber());
        }
        expr = { ...expr, to: this.lastEnd };
      } else {
        return expr;
      }
    }
  }

  private matrixSelector(expr: Expr, brackets: Span, range: Duration): Expr {
    let problem: string | undefined;
    if (expr.kind !== 'vector') problem = `ranges are only allowed on vector selectors; use a subquery (\`[${this.text(range)}:]\`) on other expressions`;
    else if (expr.offset !== 0) problem = 'no offset modifiers allowed before range: write the offset after it (`x[5m] offset 1h`)';
    else if (expr.timestamp !== undefined) problem = 'no @ modifiers allowed before range: write it after the range (`x[5m] @ 1700000000`)';
    if (problem) this.error(brackets.from, problem);
    return { kind: 'matrix', vs: expr, from: expr.from, to: brackets.to };
  }

  private parseSignedNumber(): number {
    const t = this.peek();
    let sign = 1;
    if (t.type === 'ADD' || t.type === 'SUB') {
      this.take();
      if (t.type === 'SUB') sign = -1;
    }
    const n = this.peek();
    if (n.type !== 'NUMBER' && n.type !== 'DURATION') this.unexpected('@', 'timestamp');
    this.take();
    return sign * this.numberValue(n);
  }

  private parseVectorSelector(name: Token | undefined): Expr {
    const from = name ? name.pos : this.peek().pos;
    const matchers = this.peek().type === 'LEFT_BRACE' || !name ? this.parseLabelMatchers() : [];
    if (name) matchers.push({ name: '__name__', type: '=', value: name.val, matchesEmpty: name.val === '' });
    return {
      kind: 'vector', name: name?.val ?? '', matchers, offset: 0, offsetExpr: false, bypassEmptyMatcherCheck: false, ...this.span(from),
    };
  }

  private parseLabelMatchers(): Matcher[] {
    this.expect('LEFT_BRACE', 'label matching', '"{"');
    const matchers: Matcher[] = [];
    if (this.peek().type === 'RIGHT_BRACE') {
      this.take();
      return matchers;
    }
    for (;;) {
      matchers.push(this.parseLabelMatcher());
      const t = this.peek();
      if (t.type === 'COMMA') {
        this.take();
        if (this.peek().type === 'RIGHT_BRACE') break;
      } else if (t.type === 'RIGHT_BRACE') {
        break;
      } else {
        this.unexpected('label matching', '"," or "}"');
      }
    }
    this.take();
    return matchers;
  }

  private parseLabelMatcher(): Matcher {
    const label = this.peek();
    if (label.type !== 'IDENTIFIER' && label.type !== 'STRING') this.unexpected('label matching', 'identifier or "}"');
    this.take();
    const name = label.type === 'STRING' ? this.unquote(label).text : label.val;
    const op = MATCH_OPS[this.peek().type];
    if (!op) {
      // A quoted name alone is the metric name: `{"http.requests"}`.
      if (label.type === 'STRING') return { name: '__name__', type: '=', value: name, matchesEmpty: name === '' };
      this.unexpected('label matching', 'label matching operator');
    }
    this.take();
    const value = this.peek();
    if (value.type !== 'STRING') this.unexpected('label matching', 'string');
    this.take();
    const { text, validUtf8 } = this.unquote(value);
    let matchesEmpty: boolean;
    if (op === '=~' || op === '!~') {
      const re = checkRe2(text, validUtf8);
      if (re.error) this.error(label.pos, `invalid regular expression ${value.val} for label '${name}': ${re.error}`);
      matchesEmpty = op === '=~' ? re.matchesEmpty : !re.matchesEmpty;
    } else {
      matchesEmpty = op === '=' ? text === '' : text !== '';
    }
    return { name, type: op, value: text, matchesEmpty };
  }

  private parseCall(): Expr {
    const id = this.take();
    const args = this.parseCallBody();
    const spec = Object.prototype.hasOwnProperty.call(PROMQL_FUNCTIONS, id.val) ? PROMQL_FUNCTIONS[id.val] : undefined;
    const a = availability(spec, this.version);
    if (!a.available) {
      this.error(id.pos, `unknown function '${id.val}' ${a.why}`);
    } else if (a.experimental && !this.experimental) {
      this.error(id.pos, `function '${id.val}' is experimental in Prometheus ${versionString(this.version)} (--enable-feature=promql-experimental-functions)`);
    }
    return { kind: 'call', name: id.val, func: a.available ? spec : undefined, args, ...this.span(id.pos) };
  }

  private parseCallBody(): Expr[] {
    this.expect('LEFT_PAREN', 'function call', '"("');
    const args: Expr[] = [];
    if (this.peek().type === 'RIGHT_PAREN') {
      this.take();
      return args;
    }
    for (;;) {
      args.push(this.parseExpr(0));
      const t = this.peek();
      if (t.type === 'COMMA') {
        this.take();
        if (this.peek().type === 'RIGHT_PAREN') {
          this.error(t.pos, 'trailing commas are not allowed in function call arguments');
          break;
        }
      } else if (t.type === 'RIGHT_PAREN') {
        break;
      } else {
        this.unexpected('function call arguments', '"," or ")"');
      }
    }
    this.take();
    return args;
  }

  private parseAggregate(): Expr {
    const opToken = this.take();
    const op = opToken.val.toLowerCase();
    let modifier: { grouping: string[]; without: boolean } | undefined;
    if (this.peek().type === 'BY' || this.peek().type === 'WITHOUT') modifier = this.parseAggregateModifier();
    const args = this.parseCallBody();
    if (!modifier && (this.peek().type === 'BY' || this.peek().type === 'WITHOUT')) modifier = this.parseAggregateModifier();
    const node: Expr = { kind: 'aggregate', op, opFrom: opToken.pos, grouping: modifier?.grouping ?? [], without: modifier?.without ?? false,
      ...this.span(opToken.pos) };
    if (args.length === 0) {
      this.error(opToken.pos, `aggregation '${op}' needs an argument`);
      return node;
    }
    const spec = PROMQL_AGGREGATIONS[op];
    const a = availability(spec, this.version);
    if (!a.available) {
      this.error(opToken.pos, `unknown aggregation '${op}' ${a.why}`);
      return node;
    }
    if (spec.param && a.experimental && !this.experimental) {
      this.error(opToken.pos, `aggregation '${op}' is experimental in Prometheus ${versionString(this.version)} (--enable-feature=promql-experimental-functions)`);
      return node;
    }
    const wanted = spec.param ? 2 : 1;
    if (args.length !== wanted) {
      this.error(opToken.pos, `aggregation '${op}' takes ${wanted} argument(s), got ${args.length}`);
      return node;
    }
    node.param = spec.param ? args[0] : undefined;
    node.expr = args[wanted - 1];
    return node;
  }

  private parseAggregateModifier(): { grouping: string[]; without: boolean } {
    const without = this.take().type === 'WITHOUT';
    return { grouping: this.parseGroupingLabels(), without };
  }

  private parseGroupingLabels(): string[] {
    this.expect('LEFT_PAREN', 'grouping opts', '"("');
    const labels: string[] = [];
    if (this.peek().type === 'RIGHT_PAREN') {
      this.take();
      return labels;
    }
    for (;;) {
      const t = this.peek();
      if (t.type === 'STRING') {
        this.take();
        const { text, validUtf8 } = this.unquote(t);
        if (text === '' || !validUtf8) this.error(t.pos, `invalid label name for grouping: ${t.val}`);
        labels.push(text);
      } else if (MAYBE_LABELS.has(t.type)) {
        this.take();
        labels.push(t.val);
      } else {
        this.unexpected('grouping opts', 'label');
      }
      const n = this.peek();
      if (n.type === 'COMMA') {
        this.take();
        if (this.peek().type === 'RIGHT_PAREN') break;
      } else if (n.type === 'RIGHT_PAREN') {
        break;
      } else {
        this.unexpected('grouping opts', '"," or ")"');
      }
    }
    this.take();
    return labels;
  }

  private parseBinModifiers(): { bool: boolean; matching: VectorMatching } {
    let bool = false;
    if (this.peek().type === 'BOOL') {
      this.take();
      bool = true;
    }
    const matching: VectorMatching = { card: 'one-to-one', labels: [], include: [] };
    const clause = this.peek().type;
    if (clause === 'ON' || clause === 'IGNORING') {
      this.take();
      matching.clause = clause === 'ON' ? 'on' : 'ignoring';
      matching.labels = this.parseGroupingLabels();
      const group = this.peek().type;
      if (group === 'GROUP_LEFT' || group === 'GROUP_RIGHT') {
        this.take();
        matching.card = group === 'GROUP_LEFT' ? 'many-to-one' : 'one-to-many';
        // A `(` right after group_left is always its label list.
        if (this.peek().type === 'LEFT_PAREN') matching.include = this.parseGroupingLabels();
      }
    }
    return { bool, matching };
  }

  // --- Durations.

  /** `positive_duration_expr`, in `[...]`. */
  private parsePositiveDuration(what: 'range' | 'subquery step'): Duration {
    const d = this.parseDurationExpr(0);
    if (d.kind === 'number' && d.val <= 0) this.error(d.from, `${what} must be greater than 0, got '${this.text(d)}'`);
    return d;
  }

  /** `offset_duration_expr`: a (signed) literal ends the offset (`x offset 5m * 2` is `(x offset 5m) * 2`). */
  private parseOffsetDuration(): Duration {
    const t = this.peek();
    const signed = (t.type === 'ADD' || t.type === 'SUB') && ['NUMBER', 'DURATION'].includes(this.peek(1).type);
    if (t.type === 'NUMBER' || t.type === 'DURATION' || signed) {
      if (signed) this.take();
      const n = this.take();
      const val = (t.type === 'SUB' ? -1 : 1) * this.numberValue(n);
      this.checkDurationRange(t.pos, val);
      return { kind: 'number', val, from: t.pos, to: this.lastEnd };
    }
    if (t.type !== 'ADD' && t.type !== 'SUB' && t.type !== 'LEFT_PAREN') this.unexpected('offset', 'number or duration');
    return this.parseDurationExpr(0);
  }

  private checkDurationRange(offset: number, val: number): void {
    if (val > MAX_DURATION_SECONDS || val < -MAX_DURATION_SECONDS) this.error(offset, 'duration out of range (more than 292 years)');
  }

  /** `duration_expr`: literals, signs, and arithmetic, which Prometheus 3.5 only parses behind a feature flag. */
  private parseDurationExpr(minPrecedence: number): Duration {
    let lhs = this.parseDurationUnary();
    for (;;) {
      const op = this.peek();
      const precedence = DURATION_PRECEDENCE[op.type];
      if (precedence === undefined || precedence < minPrecedence) return lhs;
      this.take();
      const rhs = this.parseDurationExpr(op.type === 'POW' ? precedence : precedence + 1);
      const whole = { from: lhs.from, to: rhs.to };
      this.error(lhs.from, `duration '${this.text(whole)}' must be a plain duration (duration arithmetic is experimental in Prometheus 3.5: --enable-feature=promql-duration-expr)`);
      if ((op.type === 'DIV' || op.type === 'MOD') && rhs.kind === 'number' && rhs.val === 0) {
        this.error(op.pos, op.type === 'DIV' ? 'division by zero' : 'modulo by zero');
      }
      lhs = { kind: 'durexpr', ...whole };
    }
  }

  private parseDurationUnary(): Duration {
    const t = this.peek();
    if (t.type === 'ADD' || t.type === 'SUB') {
      this.take();
      const d = this.parseDurationExpr(MUL_PRECEDENCE + 1);
      if (d.kind !== 'number') return { ...d, from: t.pos };
      const val = t.type === 'SUB' ? -d.val : d.val;
      this.checkDurationRange(t.pos, val);
      return { kind: 'number', val, from: t.pos, to: d.to };
    }
    if (t.type === 'LEFT_PAREN') {
      this.take();
      const inner = this.parseDurationExpr(0);
      this.expect('RIGHT_PAREN', 'duration expression', '")"');
      const whole = this.span(t.pos);
      this.error(t.pos, `duration '${this.text(whole)}' must be a plain duration (duration arithmetic is experimental in Prometheus 3.5: --enable-feature=promql-duration-expr)`);
      return inner.kind === 'number' ? { ...inner, ...whole } : { kind: 'durexpr', ...whole };
    }
    if (t.type !== 'NUMBER' && t.type !== 'DURATION') this.unexpected('duration', 'number or duration');
    this.take();
    const val = this.numberValue(t);
    this.checkDurationRange(t.pos, val);
    return { kind: 'number', val, from: t.pos, to: this.lastEnd };
  }

  // --- Semantic actions of the grammar (parse.go).

  private addOffset(e: Expr, d: Duration): void {
    let target: Modifiable;
    if (e.kind === 'vector' || e.kind === 'subquery') {
      target = e;
    } else if (e.kind === 'matrix' && e.vs.kind === 'vector') {
      target = e.vs;
    } else if (e.kind === 'matrix') {
      this.error(e.from, 'ranges are only allowed on vector selectors');
      return;
    } else {
      this.error(e.from, `offset applies to a selector or a subquery, not to '${this.text(e)}'`);
      return;
    }
    if (target.offset !== 0 || target.offsetExpr) {
      this.error(e.from, 'offset may not be set multiple times');
    } else if (d.kind === 'number') {
      target.offset = goRound(d.val * 1e9);
    } else {
      target.offsetExpr = true;
    }
  }

  private atTarget(e: Expr): Modifiable | undefined {
    let target: Modifiable;
    if (e.kind === 'vector' || e.kind === 'subquery') {
      target = e;
    } else if (e.kind === 'matrix' && e.vs.kind === 'vector') {
      target = e.vs;
    } else if (e.kind === 'matrix') {
      this.error(e.from, 'ranges are only allowed on vector selectors');
      return undefined;
    } else {
      this.error(e.from, `@ applies to a selector or a subquery, not to '${this.text(e)}'`);
      return undefined;
    }
    if (target.timestamp !== undefined || target.startOrEnd) {
      this.error(e.from, '@ may not be set multiple times');
      return undefined;
    }
    return target;
  }

  private setTimestamp(e: Expr, ts: number): void {
    if (!Number.isFinite(ts) || ts >= 2 ** 63 || ts <= -(2 ** 63)) {
      this.error(e.from, `timestamp out of bounds for @ modifier: ${ts}`);
    }
    const target = this.atTarget(e);
    if (target) target.timestamp = ts;
  }

  // --- Literals.

  /** A NUMBER (Go's strconv.ParseInt, base 0, then ParseFloat) or a DURATION, in seconds. */
  private numberValue(t: Token): number {
    if (t.type === 'DURATION') {
      const d = parseGoDuration(t.val);
      if (typeof d === 'string') {
        this.error(t.pos, d);
        return 0;
      }
      return Number(d) / 1e9;
    }
    const n = goParseNumber(t.val);
    if (typeof n === 'string') {
      this.error(t.pos, n);
      return 0;
    }
    return n;
  }

  /** Prometheus' strutil.Unquote (the lexer already checked the escapes), as text and whether the bytes are UTF-8. */
  private unquote(t: Token): { text: string; validUtf8: boolean } {
    const quote = t.val[0];
    const body = t.val.slice(1, -1);
    if (quote === '`') return { text: body, validUtf8: true };
    const bytes: number[] = [];
    const utf8 = (s: string) => bytes.push(...Buffer.from(s, 'utf8'));
    for (let i = 0; i < body.length; i++) {
      const c = body[i];
      if (c !== '\\') {
        const cp = body.codePointAt(i)!;
        utf8(String.fromCodePoint(cp));
        if (cp > 0xffff) i++;
        continue;
      }
      const e = body[++i];
      if (e in SIMPLE_ESCAPES) {
        bytes.push(SIMPLE_ESCAPES[e]);
      } else if (e === 'x') {
        bytes.push(parseInt(body.slice(i + 1, i + 3), 16));
        i += 2;
      } else if (e === 'u' || e === 'U') {
        const n = e === 'u' ? 4 : 8;
        utf8(String.fromCodePoint(parseInt(body.slice(i + 1, i + 1 + n), 16)));
        i += n;
      } else {
        bytes.push(parseInt(body.slice(i, i + 3), 8));
        i += 2;
      }
    }
    const buf = Buffer.from(bytes);
    let validUtf8 = true;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(buf);
    } catch {
      validUtf8 = false;
    }
    return { text: buf.toString('utf8'), validUtf8 };
  }

  // --- Types (parse.go checkAST).

  public checkAST(node: Expr): PromqlType {
    const typ = typeOf(node);
    switch (node.kind) {
      case 'aggregate': {
        const spec = PROMQL_AGGREGATIONS[node.op];
        if (spec.param) this.expectType(node.param!, spec.param, `aggregation '${node.op}'`, 1);
        this.expectType(node.expr!, 'vector', `aggregation '${node.op}'`, spec.param ? 2 : 1);
        break;
      }
      case 'binary':
        this.checkBinary(node);
        break;
      case 'call':
        this.checkCall(node);
        break;
      case 'paren':
        this.checkAST(node.expr);
        break;
      case 'unary': {
        const t = this.checkAST(node.expr);
        if (t !== 'scalar' && t !== 'vector') {
          this.error(node.from, `unary operators need a scalar or an instant vector, got ${TYPE_NAMES[t]} '${this.text(node.expr)}'`);
        }
        break;
      }
      case 'subquery': {
        const t = this.checkAST(node.expr);
        if (t !== 'vector') this.error(node.from, `a subquery needs an instant vector, got ${TYPE_NAMES[t]} '${this.text(node.expr)}'`);
        break;
      }
      case 'matrix':
        this.checkAST(node.vs);
        break;
      case 'vector':
        this.checkSelector(node);
        break;
    }
    return typ;
  }

  private expectType(node: Expr, want: PromqlType, what: string, position: number): void {
    const t = this.checkAST(node);
    if (t !== want) this.error(node.from, `${what} needs ${TYPE_NAMES[want]} as argument ${position}, got ${TYPE_NAMES[t]} '${this.text(node)}'`);
  }

  private checkSelector(node: Expr & { kind: 'vector' }): void {
    if (node.name !== '') {
      // The name given outside the braces is the last matcher.
      const twice = node.matchers.slice(0, -1).find(m => m.name === '__name__');
      if (twice) this.error(node.from, `metric name must not be set twice: '${node.name}' and '${twice.value}'`);
      return;
    }
    if (!node.bypassEmptyMatcherCheck && node.matchers.every(m => m.matchesEmpty)) {
      this.error(node.from, `vector selector '${this.text(node)}' must contain at least one matcher that does not match the empty string (it would select every series)`);
    }
  }

  private checkBinary(n: Expr & { kind: 'binary' }): void {
    const lt = this.checkAST(n.lhs);
    const rt = this.checkAST(n.rhs);
    const op = n.opText.toLowerCase();
    const m = n.matching;
    if (n.bool && !COMPARISONS.has(n.op)) this.error(n.lhs.to, `bool modifier can only be used on comparison operators, not on '${op}'`);
    if (COMPARISONS.has(n.op) && !n.bool && lt === 'scalar' && rt === 'scalar') {
      this.error(n.lhs.to, `comparing two scalars needs the bool modifier ('${op} bool')`);
    }
    if (SET_OPERATORS.has(n.op) && m.card === 'one-to-one') m.card = 'many-to-many';
    if (m.clause === 'on') {
      for (const l of m.labels) {
        if (m.include.includes(l)) this.error(n.lhs.to, `label '${l}' must not occur in on() and group_left()/group_right() at once`);
      }
    }
    for (const [side, t] of [[n.lhs, lt], [n.rhs, rt]] as const) {
      if (t !== 'scalar' && t !== 'vector') {
        this.error(side.from, `binary operator '${op}' needs scalars or instant vectors, got ${TYPE_NAMES[t]} '${this.text(side)}'`);
      }
    }
    if (lt !== 'vector' || rt !== 'vector') {
      if (m.labels.length > 0) this.error(n.from, 'on()/ignoring() vector matching needs instant vectors on both sides');
    } else if (SET_OPERATORS.has(n.op)) {
      if (m.card === 'one-to-many' || m.card === 'many-to-one') this.error(n.from, `no grouping (group_left/group_right) allowed for '${op}'`);
      else if (m.card !== 'many-to-many') this.error(n.from, 'set operations must always be many-to-many');
    }
    if ((lt === 'scalar' || rt === 'scalar') && SET_OPERATORS.has(n.op)) {
      this.error(n.from, `set operator '${op}' needs instant vectors on both sides`);
    }
  }

  private checkCall(n: Expr & { kind: 'call' }): void {
    const f = n.func!;
    const what = `function '${n.name}'`;
    const nargs = f.args.length;
    if (f.variadic === 0) {
      if (nargs !== n.args.length) this.error(n.from, `${what} takes ${nargs} argument(s), got ${n.args.length}`);
    } else {
      const min = nargs - 1;
      const max = f.variadic > 0 ? min + f.variadic : Infinity;
      if (n.args.length < min || n.args.length > max) {
        const expected = max === Infinity ? `at least ${min}` : `${min} to ${max}`;
        this.error(n.from, `${what} takes ${expected} argument(s), got ${n.args.length}`);
      }
    }
    if (n.name === 'info' && n.args.length > 1) {
      const labels = n.args[1];
      if (typeOf(labels) !== 'vector') this.error(n.from, `${what} needs instant vector as argument 2, got ${TYPE_NAMES[typeOf(labels)]}`);
      if (labels.kind !== 'vector') {
        this.error(labels.from, `${what} needs a label selector ('{k8s_cluster_name="x"}') as argument 2`);
      } else {
        if (labels.name !== '') this.error(labels.from, `${what} needs label selectors only as argument 2, got a metric name`);
        labels.bypassEmptyMatcherCheck = true;
      }
    }
    n.args.forEach((arg, i) => {
      if (i >= nargs) {
        if (f.variadic === 0) return;
        i = nargs - 1;
      }
      this.expectType(arg, f.args[i], what, i + 1);
    });
  }
}

export function typeOf(e: Expr): PromqlType {
  switch (e.kind) {
    case 'number': return 'scalar';
    case 'string': return 'string';
    case 'vector': case 'aggregate': return 'vector';
    case 'matrix': case 'subquery': return 'matrix';
    case 'paren': case 'unary': return typeOf(e.expr);
    case 'binary': return typeOf(e.lhs) === 'scalar' && typeOf(e.rhs) === 'scalar' ? 'scalar' : 'vector';
    case 'call': return e.func?.returns ?? 'vector';
  }
}

// --- Go's number and duration syntax.

const UNITS: Record<string, [bigint, number]> = {
  ms: [1_000_000n, 7], s: [1_000_000_000n, 6], m: [60_000_000_000n, 5], h: [3_600_000_000_000n, 4],
  d: [86_400_000_000_000n, 3], w: [604_800_000_000_000n, 2], y: [31_536_000_000_000_000n, 1],
};
const MAX_INT64 = 2n ** 63n - 1n;

/** prometheus/common model.ParseDuration, in nanoseconds, or why not. */
export function parseGoDuration(s: string): bigint | string {
  if (s === '0') return 0n;
  if (s === '') return 'empty duration string';
  const invalid = `not a valid duration string: "${s}"`;
  let dur = 0n;
  let lastUnitPos = 0;
  let rest = s;
  while (rest !== '') {
    const m = /^(\d*)(\D*)/.exec(rest)!;
    if (m[1] === '' || m[2] === '') return invalid;
    rest = rest.slice(m[0].length);
    const unit = UNITS[m[2]];
    if (!unit) return `unknown unit "${m[2]}" in duration "${s}"`;
    const v = BigInt(m[1]);
    if (v > 2n ** 64n - 1n) return invalid;
    if (unit[1] <= lastUnitPos) return invalid;
    lastUnitPos = unit[1];
    if (v > 2n ** 63n / unit[0]) return 'duration out of range';
    dur += v * unit[0];
    if (dur > MAX_INT64) return 'duration out of range';
  }
  return dur;
}

/** Go's strconv underscoreOK: `_` only between digits (or after a base prefix). */
function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'box'.includes(s[1].toLowerCase())) {
    i = 2;
    saw = '0';
    hex = s[1].toLowerCase() === 'x';
  }
  for (; i < s.length; i++) {
    const c = s[i];
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

/** Prometheus' number(): strconv.ParseInt(s, 0, 64), else strconv.ParseFloat(s, 64); the value, or why not. */
export function goParseNumber(s: string): number | string {
  // ParseInt with base 0: 0x hex, leading-0 octal, underscores between digits.
  let base = 10;
  let digits = s;
  if (s[0] === '0') {
    if (s.length >= 3 && 'bBoOxX'.includes(s[1])) {
      base = { b: 2, o: 8, x: 16 }[s[1].toLowerCase() as 'b' | 'o' | 'x'];
      digits = s.slice(2);
    } else {
      base = 8;
      digits = s.slice(1);
    }
  }
  let n = 0n;
  let intOk = underscoreOK(s);
  for (const c of digits) {
    if (c === '_') continue;
    const d = parseInt(c, 36);
    if (Number.isNaN(d) || d >= base) {
      intOk = false;
      break;
    }
    n = n * BigInt(base) + BigInt(d);
  }
  if (intOk && n <= MAX_INT64) return Number(n);
  // ParseFloat: decimal only (the lexer never lets through a hex float, whose exponent is 'p').
  const lower = s.toLowerCase();
  if (lower === 'inf' || lower === 'infinity') return Infinity;
  if (lower === 'nan') return NaN;
  if (!/^(\d[\d_]*(\.[\d_]*)?|\.\d[\d_]*)([eE][-+]?\d[\d_]*)?$/.test(s) || (s.includes('_') && !underscoreOK(s))) {
    return `error parsing number: strconv.ParseFloat: parsing "${s}": invalid syntax`;
  }
  const f = Number(s.replace(/_/g, ''));
  if (!Number.isFinite(f)) return `error parsing number: strconv.ParseFloat: parsing "${s}": value out of range`;
  return f;
}
