// A Go lexer: tokens with positions, and the automatic semicolons of the Go
// spec (https://go.dev/ref/spec#Semicolons). Enough of Go for reading flag
// registrations; comments are dropped.

const KEYWORDS = new Set([
  'break', 'case', 'chan', 'const', 'continue', 'default', 'defer', 'else',
  'fallthrough', 'for', 'func', 'go', 'goto', 'if', 'import', 'interface',
  'map', 'package', 'range', 'return', 'select', 'struct', 'switch', 'type', 'var',
]);

// Longest first.
const OPERATORS = [
  '<<=', '>>=', '&^=', '...',
  '&&', '||', '<-', '++', '--', '==', '!=', '<=', '>=', ':=', '+=', '-=', '*=', '/=', '%=',
  '&=', '|=', '^=', '<<', '>>', '&^',
  '+', '-', '*', '/', '%', '&', '|', '^', '<', '>', '=', '!', '(', ')', '[', ']', '{', '}',
  ',', ';', '.', ':', '~',
];

/** Decodes the body of an interpreted string literal ("..." or '...'). */
export function unquote(body) {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') { out += c; continue; }
    const n = body[++i];
    switch (n) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case 'a': out += '\x07'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'v': out += '\v'; break;
      case '\\': out += '\\'; break;
      case '"': out += '"'; break;
      case '\'': out += '\''; break;
      case 'x': out += String.fromCharCode(parseInt(body.substr(i + 1, 2), 16)); i += 2; break;
      case 'u': out += String.fromCodePoint(parseInt(body.substr(i + 1, 4), 16)); i += 4; break;
      case 'U': out += String.fromCodePoint(parseInt(body.substr(i + 1, 8), 16)); i += 8; break;
      default:
        if (n >= '0' && n <= '7') { out += String.fromCharCode(parseInt(body.substr(i, 3), 8)); i += 2; } else { out += n; }
    }
  }
  return out;
}

/**
 * Tokens of a Go source file: { t: 'ident'|'kw'|'str'|'char'|'num'|'op', v, pos, end, line }.
 * `v` of a string token is its decoded value; `pos`/`end` index the source.
 */
export function lex(src) {
  const toks = [];
  let i = 0;
  let line = 1;
  const n = src.length;
  const needSemi = () => {
    const last = toks[toks.length - 1];
    if (!last) return false;
    if (last.t === 'ident' || last.t === 'str' || last.t === 'char' || last.t === 'num') return true;
    if (last.t === 'kw') return ['break', 'continue', 'fallthrough', 'return'].includes(last.v);
    if (last.t === 'op') return ['++', '--', ')', ']', '}'].includes(last.v);
    return false;
  };
  const newline = pos => {
    if (needSemi()) toks.push({ t: 'op', v: ';', pos, end: pos, line, auto: true });
  };
  while (i < n) {
    const c = src[i];
    if (c === '\n') { newline(i); line++; i++; continue; }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v' || c === '\ufeff') { i++; continue; }
    if (c === '/' && src[i + 1] === '/') {
      while (i < n && src[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      const close = src.indexOf('*/', i + 2);
      const stop = close < 0 ? n : close + 2;
      const body = src.slice(i, stop);
      if (body.includes('\n')) {
        newline(i);
        line += body.split('\n').length - 1;
      }
      i = stop;
      continue;
    }
    const start = i;
    if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      while (i < n && /[A-Za-z0-9_\u0080-\uffff]/.test(src[i])) i++;
      const v = src.slice(start, i);
      toks.push({ t: KEYWORDS.has(v) ? 'kw' : 'ident', v, pos: start, end: i, line });
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] || ''))) {
      // Numbers, loosely: digits, letters (hex, exponents, suffixes), dots, underscores, signed exponents.
      while (i < n) {
        const d = src[i];
        if (/[0-9A-Za-z_.]/.test(d)) { i++; continue; }
        if ((d === '+' || d === '-') && /[eEpP]/.test(src[i - 1]) && !/^0[xX]/.test(src.slice(start, i)) ) { i++; continue; }
        if ((d === '+' || d === '-') && /[pP]/.test(src[i - 1])) { i++; continue; }
        break;
      }
      toks.push({ t: 'num', v: src.slice(start, i), pos: start, end: i, line });
      continue;
    }
    if (c === '"') {
      i++;
      while (i < n && src[i] !== '"') { if (src[i] === '\\') i++; i++; }
      i++;
      toks.push({ t: 'str', v: unquote(src.slice(start + 1, i - 1)), pos: start, end: i, line });
      continue;
    }
    if (c === '`') {
      const close = src.indexOf('`', i + 1);
      const stop = close < 0 ? n : close + 1;
      const raw = src.slice(i + 1, stop - 1);
      toks.push({ t: 'str', v: raw.replace(/\r/g, ''), pos: start, end: stop, line, raw: true });
      line += raw.split('\n').length - 1;
      i = stop;
      continue;
    }
    if (c === '\'') {
      i++;
      while (i < n && src[i] !== '\'') { if (src[i] === '\\') i++; i++; }
      i++;
      toks.push({ t: 'char', v: unquote(src.slice(start + 1, i - 1)), pos: start, end: i, line });
      continue;
    }
    const op = OPERATORS.find(o => src.startsWith(o, i));
    if (!op) throw new Error(`line ${line}: unexpected character ${JSON.stringify(c)}`);
    toks.push({ t: 'op', v: op, pos: start, end: i + op.length, line });
    i += op.length;
  }
  newline(n);
  toks.push({ t: 'eof', v: '', pos: n, end: n, line });
  return toks;
}
