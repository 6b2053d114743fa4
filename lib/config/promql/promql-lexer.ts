// A port of Prometheus 3.5's PromQL lexer (promql/parser/lex.go, expression
// mode only: no series descriptions or histograms), so that the synth-time
// check sees the same tokens as the server, quirks included: keywords are
// case-insensitive, `offset` or `sum` can be metric names (the parser
// decides), and inside `[...]` a letter after a number is read as a colon
// (`x[5 m]` is the subquery `x[5:]`).

export type TokenType =
  | 'EOF' | 'ERROR' | 'COMMENT'
  | 'IDENTIFIER' | 'METRIC_IDENTIFIER' | 'NUMBER' | 'DURATION' | 'STRING'
  | 'LEFT_PAREN' | 'RIGHT_PAREN' | 'LEFT_BRACE' | 'RIGHT_BRACE' | 'LEFT_BRACKET' | 'RIGHT_BRACKET'
  | 'COMMA' | 'COLON' | 'EQL' | 'EQL_REGEX' | 'NEQ_REGEX'
  // Operators.
  | 'ADD' | 'SUB' | 'MUL' | 'DIV' | 'MOD' | 'POW' | 'EQLC' | 'NEQ' | 'LTE' | 'LSS' | 'GTE' | 'GTR'
  | 'LAND' | 'LOR' | 'LUNLESS' | 'ATAN2' | 'AT'
  // Aggregators.
  | 'AVG' | 'BOTTOMK' | 'COUNT' | 'COUNT_VALUES' | 'GROUP' | 'MAX' | 'MIN' | 'QUANTILE' | 'STDDEV' | 'STDVAR'
  | 'SUM' | 'TOPK' | 'LIMITK' | 'LIMIT_RATIO'
  // Keywords and preprocessors.
  | 'BOOL' | 'BY' | 'GROUP_LEFT' | 'GROUP_RIGHT' | 'IGNORING' | 'OFFSET' | 'ON' | 'WITHOUT' | 'START' | 'END';

export interface Token {
  readonly type: TokenType;
  /** Offset of the token in the expression. */
  readonly pos: number;
  /** The token's text; for ERROR, the lexer's message. */
  readonly val: string;
}

const KEYWORDS: Record<string, TokenType> = {
  and: 'LAND', or: 'LOR', unless: 'LUNLESS', atan2: 'ATAN2',
  sum: 'SUM', avg: 'AVG', count: 'COUNT', min: 'MIN', max: 'MAX', group: 'GROUP', stddev: 'STDDEV', stdvar: 'STDVAR',
  topk: 'TOPK', bottomk: 'BOTTOMK', count_values: 'COUNT_VALUES', quantile: 'QUANTILE', limitk: 'LIMITK', limit_ratio: 'LIMIT_RATIO',
  offset: 'OFFSET', by: 'BY', without: 'WITHOUT', on: 'ON', ignoring: 'IGNORING', group_left: 'GROUP_LEFT',
  group_right: 'GROUP_RIGHT', bool: 'BOOL', start: 'START', end: 'END',
  inf: 'NUMBER', nan: 'NUMBER',
};

const EOF = -1;

const isSpace = (r: number) => r === 0x20 || r === 0x09 || r === 0x0a || r === 0x0d;
const isDigit = (r: number) => r >= 0x30 && r <= 0x39;
const isAlpha = (r: number) => r === 0x5f || (r >= 0x61 && r <= 0x7a) || (r >= 0x41 && r <= 0x5a);
const isAlphaNumeric = (r: number) => isAlpha(r) || isDigit(r);
const ch = (c: string) => c.codePointAt(0)!;

function digitVal(r: number): number {
  if (r >= 0x30 && r <= 0x39) return r - 0x30;
  if (r >= 0x61 && r <= 0x66) return r - 0x61 + 10;
  if (r >= 0x41 && r <= 0x46) return r - 0x41 + 10;
  return 16;
}

function quoteRune(r: number): string {
  return r === EOF ? 'EOF' : JSON.stringify(String.fromCodePoint(r)).replace(/^"|"$/g, "'");
}

type StateFn = ((l: Lexer) => StateFn) | null;

/** Lexes a whole expression; stops at the first ERROR or at EOF (the last token). */
export function lex(input: string): Token[] {
  const l = new Lexer(input);
  const out: Token[] = [];
  for (;;) {
    const t = l.nextItem();
    if (t.type !== 'COMMENT') out.push(t);
    if (t.type === 'EOF' || t.type === 'ERROR') return out;
  }
}

class Lexer {
  private state: StateFn = lexStatements;
  public pos = 0;
  public start = 0;
  private width = 0;
  private item: Token | undefined;
  public parenDepth = 0;
  public braceOpen = false;
  public bracketOpen = false;
  public gotColon = false;
  public gotDuration = false;
  public stringOpen = 0;

  constructor(public readonly input: string) {}

  public nextItem(): Token {
    this.item = undefined;
    if (this.state) {
      while (!this.item && this.state) this.state = this.state(this);
    } else {
      this.emit('EOF');
    }
    return this.item!;
  }

  public next(): number {
    if (this.pos >= this.input.length) {
      this.width = 0;
      return EOF;
    }
    const r = this.input.codePointAt(this.pos)!;
    this.width = r > 0xffff ? 2 : 1;
    this.pos += this.width;
    return r;
  }

  public peek(): number {
    const r = this.next();
    this.backup();
    return r;
  }

  public backup(): void {
    this.pos -= this.width;
  }

  public emit(type: TokenType): void {
    this.item = { type, pos: this.start, val: this.input.slice(this.start, this.pos) };
    this.start = this.pos;
  }

  public ignore(): void {
    this.start = this.pos;
  }

  public accept(valid: string): boolean {
    const r = this.next();
    if (r !== EOF && valid.includes(String.fromCodePoint(r))) return true;
    this.backup();
    return false;
  }

  public is(valid: string): boolean {
    const r = this.peek();
    return r !== EOF && valid.includes(String.fromCodePoint(r));
  }

  public acceptRun(valid: string): void {
    while (this.accept(valid));
  }

  public errorf(message: string): StateFn {
    this.item = { type: 'ERROR', pos: this.start, val: message };
    return null;
  }

  public current(): string {
    return this.input.slice(this.start, this.pos);
  }
}

function lexStatements(l: Lexer): StateFn {
  if (l.braceOpen) return lexInsideBraces;
  if (l.input.startsWith('#', l.pos)) return lexLineComment;
  const r = l.next();
  if (r === EOF) {
    if (l.parenDepth !== 0) return l.errorf('unclosed left parenthesis');
    if (l.bracketOpen) return l.errorf('unclosed left bracket');
    l.emit('EOF');
    return null;
  }
  if (isSpace(r)) return lexSpace;
  if (isDigit(r) || (r === ch('.') && isDigit(l.peek()))) {
    l.backup();
    return lexNumberOrDuration;
  }
  if (r === ch('"') || r === ch("'")) {
    l.stringOpen = r;
    return lexString;
  }
  if (r === ch('`')) {
    l.stringOpen = r;
    return lexRawString;
  }
  if (isAlpha(r) || r === ch(':')) {
    if (!l.bracketOpen) {
      l.backup();
      return lexKeywordOrIdentifier;
    }
    // Inside brackets, any letter is taken for the colon of a subquery.
    if (l.gotColon) return l.errorf(`unexpected colon ${quoteRune(r)}`);
    l.emit('COLON');
    l.gotColon = true;
    return lexStatements;
  }
  switch (String.fromCodePoint(r)) {
    case ',': l.emit('COMMA'); break;
    case '*': l.emit('MUL'); break;
    case '/': l.emit('DIV'); break;
    case '%': l.emit('MOD'); break;
    case '+': l.emit('ADD'); break;
    case '-': l.emit('SUB'); break;
    case '^': l.emit('POW'); break;
    case '=': {
      const t = l.peek();
      if (t === ch('=')) {
        l.next();
        l.emit('EQLC');
      } else if (t === ch('~')) {
        return l.errorf(`unexpected character after '=': ${quoteRune(t)}`);
      } else {
        l.emit('EQL');
      }
      break;
    }
    case '!': {
      const t = l.next();
      if (t !== ch('=')) return l.errorf(`unexpected character after '!': ${quoteRune(t)}`);
      l.emit('NEQ');
      break;
    }
    case '<':
      if (l.peek() === ch('=')) {
        l.next();
        l.emit('LTE');
      } else {
        l.emit('LSS');
      }
      break;
    case '>':
      if (l.peek() === ch('=')) {
        l.next();
        l.emit('GTE');
      } else {
        l.emit('GTR');
      }
      break;
    case '(':
      l.emit('LEFT_PAREN');
      l.parenDepth++;
      break;
    case ')':
      l.emit('RIGHT_PAREN');
      l.parenDepth--;
      if (l.parenDepth < 0) return l.errorf(`unexpected right parenthesis ${quoteRune(r)}`);
      break;
    case '{':
      l.emit('LEFT_BRACE');
      l.braceOpen = true;
      return lexInsideBraces;
    case '[':
      if (l.bracketOpen) return l.errorf(`unexpected left bracket ${quoteRune(r)}`);
      l.gotColon = false;
      l.emit('LEFT_BRACKET');
      if (isSpace(l.peek())) skipSpaces(l);
      l.bracketOpen = true;
      return lexDurationExpr;
    case ']':
      if (!l.bracketOpen) return l.errorf(`unexpected right bracket ${quoteRune(r)}`);
      l.emit('RIGHT_BRACKET');
      l.bracketOpen = false;
      break;
    case '@':
      l.emit('AT');
      break;
    default:
      return l.errorf(`unexpected character: ${quoteRune(r)}`);
  }
  return lexStatements;
}

function lexInsideBraces(l: Lexer): StateFn {
  if (l.input.startsWith('#', l.pos)) return lexLineComment;
  const r = l.next();
  if (r === EOF) return l.errorf('unexpected end of input inside braces');
  if (isSpace(r)) return lexSpace;
  if (isAlpha(r)) {
    l.backup();
    return lexIdentifier;
  }
  switch (String.fromCodePoint(r)) {
    case ',': l.emit('COMMA'); break;
    case '"': case "'":
      l.stringOpen = r;
      return lexString;
    case '`':
      l.stringOpen = r;
      return lexRawString;
    case '=':
      if (l.next() === ch('~')) {
        l.emit('EQL_REGEX');
        break;
      }
      l.backup();
      l.emit('EQL');
      break;
    case '!': {
      const nr = l.next();
      if (nr === ch('~')) l.emit('NEQ_REGEX');
      else if (nr === ch('=')) l.emit('NEQ');
      else return l.errorf(`unexpected character after '!' inside braces: ${quoteRune(nr)}`);
      break;
    }
    case '{':
      return l.errorf(`unexpected left brace ${quoteRune(r)}`);
    case '}':
      l.emit('RIGHT_BRACE');
      l.braceOpen = false;
      return lexStatements;
    default:
      return l.errorf(`unexpected character inside braces: ${quoteRune(r)}`);
  }
  return lexInsideBraces;
}

function lexEscape(l: Lexer): StateFn {
  let n: number;
  let base: number;
  let max: number;
  let r = l.next();
  switch (r) {
    case ch('a'): case ch('b'): case ch('f'): case ch('n'): case ch('r'): case ch('t'): case ch('v'): case ch('\\'): case l.stringOpen:
      return lexString;
    case ch('0'): case ch('1'): case ch('2'): case ch('3'): case ch('4'): case ch('5'): case ch('6'): case ch('7'):
      [n, base, max] = [3, 8, 255];
      break;
    case ch('x'):
      r = l.next();
      [n, base, max] = [2, 16, 255];
      break;
    case ch('u'):
      r = l.next();
      [n, base, max] = [4, 16, 0x10ffff];
      break;
    case ch('U'):
      r = l.next();
      [n, base, max] = [8, 16, 0x10ffff];
      break;
    case EOF:
      return l.errorf('escape sequence not terminated');
    default:
      return l.errorf(`unknown escape sequence ${goRuneName(r)}`);
  }
  let x = 0;
  while (n > 0) {
    const d = digitVal(r);
    if (d >= base) {
      if (r === EOF) return l.errorf('escape sequence not terminated');
      return l.errorf(`illegal character ${goRuneName(r)} in escape sequence`);
    }
    x = x * base + d;
    n--;
    if (n > 0) r = l.next();
  }
  if (x > max || (x >= 0xd800 && x < 0xe000)) return l.errorf('escape sequence is an invalid Unicode code point');
  return lexString;
}

/** Go's `%#U`: `U+0071 'q'`. */
function goRuneName(r: number): string {
  return `U+${r.toString(16).toUpperCase().padStart(4, '0')} '${String.fromCodePoint(r)}'`;
}

/** U+FFFD is what Go decodes invalid UTF-8 to, and refuses in strings; a lone surrogate cannot be UTF-8 at all. */
function isInvalidRune(r: number): boolean {
  return r === 0xfffd || (r >= 0xd800 && r <= 0xdfff);
}

function lexString(l: Lexer): StateFn {
  for (;;) {
    const r = l.next();
    if (r === ch('\\')) return lexEscape;
    if (isInvalidRune(r)) return l.errorf('invalid UTF-8 rune');
    if (r === EOF || r === ch('\n')) return l.errorf('unterminated quoted string');
    if (r === l.stringOpen) break;
  }
  l.emit('STRING');
  return lexStatements;
}

function lexRawString(l: Lexer): StateFn {
  for (;;) {
    const r = l.next();
    if (isInvalidRune(r)) return l.errorf('invalid UTF-8 rune');
    if (r === EOF) return l.errorf('unterminated raw string');
    if (r === l.stringOpen) break;
  }
  l.emit('STRING');
  return lexStatements;
}

function lexSpace(l: Lexer): StateFn {
  while (isSpace(l.peek())) l.next();
  l.ignore();
  return lexStatements;
}

function skipSpaces(l: Lexer): void {
  while (isSpace(l.peek())) l.next();
  l.ignore();
}

function lexLineComment(l: Lexer): StateFn {
  l.pos += 1;
  let r = l.next();
  while (r !== ch('\r') && r !== ch('\n') && r !== EOF) r = l.next();
  l.backup();
  l.emit('COMMENT');
  return lexStatements;
}

function lexNumberOrDuration(l: Lexer): StateFn {
  if (scanNumber(l)) {
    l.emit('NUMBER');
    return lexStatements;
  }
  if (acceptRemainingDuration(l)) {
    l.backup();
    l.emit('DURATION');
    return lexStatements;
  }
  return l.errorf(`bad number or duration syntax: ${JSON.stringify(l.current())}`);
}

function acceptRemainingDuration(l: Lexer): boolean {
  if (!l.accept('smhdwy')) return false;
  l.accept('s');
  while (l.accept('0123456789')) {
    while (l.accept('0123456789'));
    if (!l.accept('smhdw')) return false;
    l.accept('s');
  }
  return !isAlphaNumeric(l.next());
}

function scanNumber(l: Lexer): boolean {
  const initialPos = l.pos;
  let digitPattern = '0123456789';
  if (l.accept('0') && l.accept('xX')) {
    l.accept('_');
    digitPattern = '0123456789abcdefABCDEF';
  }
  l.accept('.');
  l.accept(digitPattern);
  let dotConsumed = false;
  let exponentConsumed = false;
  while (l.is(digitPattern + '._eE')) {
    if (l.is('.') && dotConsumed) {
      l.accept('.');
      return false;
    }
    if (l.is('eE') && exponentConsumed) {
      l.accept('eE');
      return false;
    }
    if (l.accept('.')) {
      dotConsumed = true;
      if (l.accept('_.')) return false;
      if (digitPattern.length > 10) return false;
      continue;
    }
    if (l.accept('eE')) {
      exponentConsumed = true;
      l.accept('+-');
      if (l.accept('._eE') || l.peek() === EOF) return false;
      continue;
    }
    if (l.accept('_')) {
      if (l.accept('._eE') || l.peek() === EOF) return false;
      continue;
    }
    l.acceptRun(digitPattern);
  }
  if (l.pos === initialPos) return false;
  return !isAlphaNumeric(l.peek());
}

function lexIdentifier(l: Lexer): StateFn {
  while (isAlphaNumeric(l.next()));
  l.backup();
  l.emit('IDENTIFIER');
  return lexStatements;
}

function lexKeywordOrIdentifier(l: Lexer): StateFn {
  for (;;) {
    const r = l.next();
    if (isAlphaNumeric(r) || r === ch(':')) continue;
    l.backup();
    const word = l.current();
    const kw = Object.prototype.hasOwnProperty.call(KEYWORDS, word.toLowerCase()) ? KEYWORDS[word.toLowerCase()] : undefined;
    if (kw) l.emit(kw);
    else if (!word.includes(':')) l.emit('IDENTIFIER');
    else l.emit('METRIC_IDENTIFIER');
    return lexStatements;
  }
}

function lexDurationExpr(l: Lexer): StateFn {
  const r = l.next();
  if (r === EOF) return l.errorf('unexpected end of input in duration expression');
  if (isSpace(r)) {
    skipSpaces(l);
    return lexDurationExpr;
  }
  if (isDigit(r) || (r === ch('.') && isDigit(l.peek()))) {
    l.backup();
    l.gotDuration = true;
    return lexNumberOrDuration;
  }
  switch (String.fromCodePoint(r)) {
    case ']':
      l.emit('RIGHT_BRACKET');
      l.bracketOpen = false;
      l.gotColon = false;
      return lexStatements;
    case ':':
      l.emit('COLON');
      if (!l.gotDuration) return l.errorf('unexpected colon before duration in duration expression');
      if (l.gotColon) return l.errorf('unexpected repeated colon in duration expression');
      l.gotColon = true;
      return lexDurationExpr;
    case '(':
      l.emit('LEFT_PAREN');
      l.parenDepth++;
      return lexDurationExpr;
    case ')':
      l.emit('RIGHT_PAREN');
      l.parenDepth--;
      if (l.parenDepth < 0) return l.errorf(`unexpected right parenthesis ${quoteRune(r)}`);
      return lexDurationExpr;
    case '+': l.emit('ADD'); return lexDurationExpr;
    case '-': l.emit('SUB'); return lexDurationExpr;
    case '*': l.emit('MUL'); return lexDurationExpr;
    case '/': l.emit('DIV'); return lexDurationExpr;
    case '%': l.emit('MOD'); return lexDurationExpr;
    case '^': l.emit('POW'); return lexDurationExpr;
    default:
      return l.errorf(`unexpected character in duration expression: ${quoteRune(r)}`);
  }
}
