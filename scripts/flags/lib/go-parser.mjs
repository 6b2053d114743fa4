// A Go parser for reading flag registrations: top-level declarations of a
// file eagerly, function bodies only when the interpreter runs them
// (`parseBody`), so syntax it does not know in code it never runs costs
// nothing. It is not a full Go parser: it is forgiving, and it keeps only
// what the interpreter (interp.mjs) reads.

import { lex } from './go-lexer.mjs';

export class GoSyntaxError extends Error {}

class Parser {
  constructor(src, file) {
    this.src = src;
    this.file = file;
    this.toks = lex(src);
    this.i = 0;
    this.exprLev = 0;
  }

  get tok() { return this.toks[this.i]; }
  peek(k = 1) { return this.toks[Math.min(this.i + k, this.toks.length - 1)]; }
  is(v) { const t = this.tok; return (t.t === 'op' || t.t === 'kw') && t.v === v; }
  isAt(k, v) { const t = this.peek(k); return (t.t === 'op' || t.t === 'kw') && t.v === v; }
  next() { return this.toks[this.i++]; }
  fail(msg) {
    const t = this.tok;
    throw new GoSyntaxError(`${this.file}:${t.line}: ${msg} (at ${JSON.stringify(t.v)})`);
  }
  expect(v) {
    if (!this.is(v)) this.fail(`expected ${JSON.stringify(v)}`);
    return this.next();
  }
  got(v) { if (this.is(v)) { this.i++; return true; } return false; }
  ident() {
    if (this.tok.t !== 'ident') this.fail('expected identifier');
    return this.next().v;
  }
  skipSemis() { while (this.is(';')) this.i++; }
  /** Skips a balanced ( ) [ ] { } group starting at the current token. */
  skipGroup() {
    const open = this.tok.v;
    const close = { '(': ')', '[': ']', '{': '}' }[open];
    if (!close) this.fail('expected a bracket');
    let depth = 0;
    do {
      const t = this.next();
      if (t.t === 'eof') this.fail('unbalanced brackets');
      if (t.t === 'op' && (t.v === '(' || t.v === '[' || t.v === '{')) depth++;
      if (t.t === 'op' && (t.v === ')' || t.v === ']' || t.v === '}')) depth--;
    } while (depth > 0);
  }
  node(obj, startTok) {
    obj.pos = startTok.pos;
    obj.end = this.toks[this.i - 1].end;
    obj.line = startTok.line;
    return obj;
  }

  // ---- files ----

  parseFile() {
    const decls = [];
    const imports = [];
    this.skipSemis();
    this.expect('package');
    const pkg = this.ident();
    this.skipSemis();
    while (this.is('import')) {
      this.next();
      const spec = () => {
        let alias = null;
        if (this.tok.t === 'ident') alias = this.next().v;
        else if (this.is('.')) { this.next(); alias = '.'; }
        if (this.tok.t !== 'str') this.fail('expected import path');
        imports.push({ alias, path: this.next().v });
      };
      if (this.got('(')) {
        this.skipSemis();
        while (!this.is(')')) { spec(); this.skipSemis(); }
        this.next();
      } else spec();
      this.skipSemis();
    }
    while (this.tok.t !== 'eof') {
      const start = this.i;
      try {
        decls.push(...this.topDecl());
      } catch (e) {
        if (!(e instanceof GoSyntaxError)) throw e;
        // Skip to the next top-level declaration keyword at line start.
        decls.push({ k: 'bad', error: e.message });
        this.i = start + 1;
        while (this.tok.t !== 'eof' && !(this.tok.t === 'kw' && ['func', 'var', 'const', 'type'].includes(this.tok.v) && this.src.lastIndexOf('\n', this.tok.pos - 1) === this.tok.pos - 1)) this.i++;
      }
      this.skipSemis();
    }
    return { pkg, imports, decls };
  }

  topDecl() {
    const t = this.tok;
    if (this.is('func')) return [this.funcDecl()];
    if (this.is('var') || this.is('const')) return this.genDecl().specs.map(s => ({ ...s, k: t.v }));
    if (this.is('type')) return this.typeDecl();
    this.fail('expected a declaration');
  }

  funcDecl() {
    const start = this.next(); // func
    let recv = null;
    if (this.is('(')) {
      const params = this.paramList();
      recv = params[0] || null;
    }
    const name = this.ident();
    if (this.is('[')) this.skipGroup(); // type parameters
    const sig = this.signature();
    let body = null;
    if (this.is('{')) {
      const open = this.i;
      this.skipGroup();
      body = { open, close: this.i - 1 };
    }
    return this.node({ k: 'func', name, recv, sig, body }, start);
  }

  /** var/const declaration (also inside function bodies). */
  genDecl() {
    const start = this.next();
    const kind = start.v;
    const specs = [];
    let prevValues = null;
    let prevType = null;
    const spec = () => {
      const s0 = this.tok;
      const names = [this.ident()];
      while (this.got(',')) names.push(this.ident());
      let type = null;
      if (!this.is('=') && !this.is(';') && !this.is(')')) type = this.type();
      let values = null;
      if (this.got('=')) values = this.exprList();
      if (kind === 'const' && !values) { values = prevValues; type = type || prevType; }
      prevValues = values; prevType = type;
      specs.push(this.node({ names, type, values }, s0));
    };
    if (this.got('(')) {
      this.skipSemis();
      while (!this.is(')')) { spec(); this.skipSemis(); }
      this.next();
    } else spec();
    return this.node({ k: kind, specs }, start);
  }

  typeDecl() {
    this.next();
    const out = [];
    const spec = () => {
      const s0 = this.tok;
      const name = this.ident();
      if (this.is('[') && this.peek().t === 'ident' && !this.isAt(2, ']')) this.skipGroup(); // type parameters
      const alias = this.got('=');
      const type = this.type();
      out.push(this.node({ k: 'type', name, alias, type }, s0));
    };
    if (this.got('(')) {
      this.skipSemis();
      while (!this.is(')')) { spec(); this.skipSemis(); }
      this.next();
    } else spec();
    return out;
  }

  // ---- types ----

  startsType() {
    const t = this.tok;
    if (t.t === 'ident') return true;
    return (t.t === 'op' && ['*', '[', '(', '<-', '...'].includes(t.v)) || (t.t === 'kw' && ['func', 'map', 'chan', 'struct', 'interface'].includes(t.v));
  }

  type() {
    const s0 = this.tok;
    if (this.tok.t === 'ident') {
      let name = this.next().v;
      let pkg = null;
      if (this.is('.') && this.peek().t === 'ident') { this.next(); pkg = name; name = this.next().v; }
      let args = null;
      if (this.is('[') && !this.isAt(1, ']')) {
        // Type arguments (in type context an identifier is never indexed otherwise).
        this.next();
        this.exprLev++;
        args = [this.type()];
        while (this.got(',')) { if (this.is(']')) break; args.push(this.type()); }
        this.exprLev--;
        this.expect(']');
      }
      return this.node({ k: 'tname', pkg, name, args }, s0);
    }
    if (this.got('*')) return this.node({ k: 'tptr', elem: this.type() }, s0);
    if (this.got('(')) { const t = this.type(); this.expect(')'); return t; }
    if (this.got('...')) return this.node({ k: 'tellipsis', elem: this.type() }, s0);
    if (this.is('[')) {
      this.next();
      if (this.got(']')) return this.node({ k: 'tslice', elem: this.type() }, s0);
      let len;
      if (this.got('...')) len = '...';
      else { this.exprLev++; len = this.expr(); this.exprLev--; }
      this.expect(']');
      return this.node({ k: 'tarray', len, elem: this.type() }, s0);
    }
    if (this.got('map')) {
      this.expect('[');
      const key = this.type();
      this.expect(']');
      return this.node({ k: 'tmap', key, val: this.type() }, s0);
    }
    if (this.is('chan') || this.is('<-')) {
      if (this.got('<-')) this.expect('chan'); else { this.next(); this.got('<-'); }
      return this.node({ k: 'tchan', elem: this.type() }, s0);
    }
    if (this.got('func')) return this.node({ k: 'tfunc', ...this.signature() }, s0);
    if (this.got('struct')) return this.node({ k: 'tstruct', fields: this.structFields() }, s0);
    if (this.got('interface')) {
      if (!this.is('{')) this.fail('expected {');
      this.skipGroup();
      return this.node({ k: 'tiface' }, s0);
    }
    this.fail('expected a type');
  }

  structFields() {
    this.expect('{');
    const fields = [];
    this.skipSemis();
    while (!this.is('}')) {
      const s0 = this.tok;
      const t1 = this.peek();
      const embedded = this.is('*') || (this.tok.t === 'ident' && ((t1.t === 'op' && ['.', ';', '}'].includes(t1.v)) || t1.t === 'str'));
      if (embedded) {
        const type = this.type();
        const base = type.k === 'tptr' ? type.elem : type;
        if (this.tok.t === 'str') this.next();
        fields.push(this.node({ names: [base.name], type, embedded: true }, s0));
      } else {
        const names = [this.ident()];
        while (this.got(',')) names.push(this.ident());
        const type = this.type();
        if (this.tok.t === 'str') this.next();
        fields.push(this.node({ names, type, embedded: false }, s0));
      }
      this.skipSemis();
    }
    this.expect('}');
    return fields;
  }

  signature() {
    const params = this.paramList();
    let results = [];
    if (this.is('(')) results = this.paramList();
    else if (this.startsType() && !this.is('...')) results = [{ name: null, type: this.type() }];
    return { params, results };
  }

  /** ( [name] Type, ... ) → [{ name, type, variadic }]. */
  paramList() {
    this.expect('(');
    this.exprLev++;
    const entries = [];
    this.skipSemis();
    while (!this.is(')')) {
      const t1 = this.peek();
      if (this.tok.t === 'ident' && !(t1.t === 'op' && ['.', ',', ')'].includes(t1.v))) {
        const name = this.next().v;
        entries.push({ name, type: this.type() });
      } else {
        entries.push({ name: null, type: this.type() });
      }
      if (!this.got(',')) break;
      this.skipSemis();
    }
    this.skipSemis();
    this.exprLev--;
    this.expect(')');
    // Names sharing a type: (a, b string) parses as [type a, type b, name+type]; fix up.
    if (entries.some(e => e.name)) {
      const out = [];
      let pending = [];
      for (const e of entries) {
        if (e.name) {
          for (const p of pending) out.push({ name: p.type.name, type: e.type });
          pending = [];
          out.push(e);
        } else pending.push(e);
      }
      entries.length = 0;
      entries.push(...out);
    }
    return entries.map(e => ({ name: e.name, type: e.type.k === 'tellipsis' ? e.type.elem : e.type, variadic: e.type.k === 'tellipsis' }));
  }

  // ---- expressions ----

  exprList() {
    const list = [this.expr()];
    while (this.got(',')) list.push(this.expr());
    return list;
  }

  expr(prec = 1) {
    let x = this.unary();
    for (;;) {
      const t = this.tok;
      const p = t.t === 'op' ? BINARY_PREC[t.v] : undefined;
      if (!p || p < prec) return x;
      this.next();
      const y = this.expr(p + 1);
      x = { k: 'binary', op: t.v, x, y, pos: x.pos, end: y.end, line: x.line };
    }
  }

  unary() {
    const s0 = this.tok;
    if (s0.t === 'op' && ['+', '-', '!', '^', '*', '&', '<-', '~'].includes(s0.v)) {
      this.next();
      return this.node({ k: 'unary', op: s0.v, x: this.unary() }, s0);
    }
    return this.primary();
  }

  operand() {
    const s0 = this.tok;
    if (s0.t === 'ident') { this.next(); return this.node({ k: 'ident', name: s0.v }, s0); }
    if (s0.t === 'str' || s0.t === 'num' || s0.t === 'char') { this.next(); return this.node({ k: 'lit', kind: s0.t, v: s0.v }, s0); }
    if (this.is('(')) {
      this.next();
      this.exprLev++;
      const x = this.expr();
      this.exprLev--;
      this.expect(')');
      return this.node({ k: 'paren', x }, s0);
    }
    if (this.is('func')) {
      this.next();
      const sig = this.signature();
      if (this.is('{')) {
        this.exprLev++;
        const body = this.block();
        this.exprLev--;
        return this.node({ k: 'funclit', sig, body }, s0);
      }
      return this.node({ k: 'typeexpr', type: { k: 'tfunc', ...sig } }, s0);
    }
    if (this.is('[') || this.is('map') || this.is('chan') || this.is('struct') || this.is('interface') || this.is('*')) {
      return this.node({ k: 'typeexpr', type: this.type() }, s0);
    }
    this.fail('expected an operand');
  }

  primary() {
    let x = this.operand();
    for (;;) {
      if (this.is('.')) {
        this.next();
        if (this.is('(')) {
          this.next();
          let type = null;
          if (this.is('type')) this.next(); else type = this.type();
          this.expect(')');
          x = { k: 'assert', x, type, pos: x.pos, end: this.toks[this.i - 1].end, line: x.line };
        } else {
          const sel = this.ident();
          x = { k: 'sel', x, sel, pos: x.pos, end: this.toks[this.i - 1].end, line: x.line };
        }
      } else if (this.is('[')) {
        this.next();
        this.exprLev++;
        const parts = [null];
        let colons = 0;
        const indices = [];
        while (!this.is(']')) {
          if (this.got(':')) { colons++; parts.push(null); continue; }
          if (this.got(',')) { indices.push(parts.pop()); parts.push(null); continue; }
          const e = this.expr();
          parts[parts.length - 1] = e;
        }
        this.exprLev--;
        this.expect(']');
        if (colons) x = { k: 'slice', x, parts, pos: x.pos, end: this.toks[this.i - 1].end, line: x.line };
        else { indices.push(parts.pop()); x = { k: 'index', x, indices, pos: x.pos, end: this.toks[this.i - 1].end, line: x.line }; }
      } else if (this.is('(')) {
        this.next();
        this.exprLev++;
        const args = [];
        let ellipsis = false;
        this.skipSemis();
        while (!this.is(')')) {
          args.push(this.expr());
          if (this.got('...')) ellipsis = true;
          if (!this.got(',')) break;
          this.skipSemis();
        }
        this.skipSemis();
        this.exprLev--;
        this.expect(')');
        x = { k: 'call', fn: x, args, ellipsis, pos: x.pos, end: this.toks[this.i - 1].end, line: x.line };
      } else if (this.is('{') && this.isLiteralType(x) && (this.exprLev >= 0 || x.k === 'typeexpr')) {
        x = this.compositeLit(x);
      } else {
        return x;
      }
    }
  }

  isLiteralType(x) {
    if (x.k === 'ident') return true;
    if (x.k === 'sel') return x.x.k === 'ident';
    if (x.k === 'index') return this.isLiteralType(x.x);
    if (x.k === 'typeexpr') return ['tslice', 'tarray', 'tmap', 'tstruct', 'tname', 'tptr'].includes(x.type.k);
    return false;
  }

  compositeLit(type) {
    const s0 = this.tok;
    this.expect('{');
    this.exprLev++;
    const elts = [];
    this.skipSemis();
    while (!this.is('}')) {
      let value = this.element();
      let key = null;
      if (this.got(':')) { key = value; value = this.element(); }
      elts.push({ key, value });
      if (!this.got(',')) break;
      this.skipSemis();
    }
    this.skipSemis();
    this.exprLev--;
    this.expect('}');
    const lit = this.node({ k: 'composite', type, elts }, s0);
    lit.pos = type ? type.pos : s0.pos;
    return lit;
  }

  element() {
    if (this.is('{')) return this.compositeLit(null);
    return this.expr();
  }

  // ---- statements ----

  block() {
    const s0 = this.tok;
    this.expect('{');
    const lev = this.exprLev;
    this.exprLev = 0;
    const list = this.stmtList();
    this.exprLev = lev;
    this.expect('}');
    return this.node({ k: 'block', list }, s0);
  }

  stmtList() {
    const list = [];
    this.skipSemis();
    while (!this.is('}') && !this.is('case') && !this.is('default') && this.tok.t !== 'eof') {
      list.push(this.stmt());
      if (!this.is('}') && !this.is('case') && !this.is('default')) this.expect(';');
      this.skipSemis();
    }
    return list;
  }

  stmt() {
    const s0 = this.tok;
    if (s0.t === 'kw') {
      switch (s0.v) {
        case 'var': case 'const': return this.genDecl();
        case 'type': { const d = this.typeDecl(); return this.node({ k: 'typedecl', decls: d }, s0); }
        case 'if': return this.ifStmt();
        case 'for': return this.forStmt();
        case 'switch': return this.switchStmt();
        case 'select': return this.selectStmt();
        case 'return': {
          this.next();
          const results = this.is(';') || this.is('}') ? [] : this.exprList();
          return this.node({ k: 'return', results }, s0);
        }
        case 'break': case 'continue': case 'goto': {
          this.next();
          if (this.tok.t === 'ident') this.next();
          return this.node({ k: 'branch', v: s0.v }, s0);
        }
        case 'fallthrough': this.next(); return this.node({ k: 'branch', v: 'fallthrough' }, s0);
        case 'go': case 'defer': { this.next(); const call = this.expr(); return this.node({ k: s0.v, call }, s0); }
        default: break;
      }
    }
    if (this.is('{')) return this.block();
    if (this.is(';')) return this.node({ k: 'empty' }, s0);
    if (s0.t === 'ident' && this.isAt(1, ':') ) {
      this.next(); this.next();
      this.skipSemis();
      if (this.is('}')) return this.node({ k: 'empty' }, s0);
      return this.node({ k: 'labeled', label: s0.v, stmt: this.stmt() }, s0);
    }
    return this.simpleStmt();
  }

  /** Simple statement; with `rangeOk`, also `k, v := range x` (returns k: 'rangeclause'). */
  simpleStmt(rangeOk = false) {
    const s0 = this.tok;
    if (rangeOk && this.is('range')) {
      this.next();
      return this.node({ k: 'rangeclause', lhs: [], define: false, x: this.expr() }, s0);
    }
    const lhs = this.exprList();
    const t = this.tok;
    if (t.t === 'op') {
      if (t.v === ':=' || t.v === '=' || (t.v.endsWith('=') && t.v.length >= 2 && !['==', '!=', '<=', '>='].includes(t.v))) {
        this.next();
        if (rangeOk && this.is('range')) {
          this.next();
          return this.node({ k: 'rangeclause', lhs, define: t.v === ':=', x: this.expr() }, s0);
        }
        const rhs = this.exprList();
        return this.node({ k: 'assign', op: t.v, lhs, rhs }, s0);
      }
      if (t.v === '++' || t.v === '--') { this.next(); return this.node({ k: 'incdec', x: lhs[0] }, s0); }
      if (t.v === '<-') { this.next(); const v = this.expr(); return this.node({ k: 'send', ch: lhs[0], v }, s0); }
    }
    return this.node({ k: 'expr', x: lhs[0] }, s0);
  }

  ifStmt() {
    const s0 = this.next();
    const lev = this.exprLev;
    this.exprLev = -1;
    let init = null;
    let cond;
    if (!this.is(';')) {
      const s = this.simpleStmt();
      if (this.got(';')) { init = s; cond = this.expr(); } else cond = s.k === 'expr' ? s.x : s;
    } else { this.next(); cond = this.expr(); }
    this.exprLev = lev;
    const then = this.block();
    let els = null;
    if (this.got('else')) els = this.is('if') ? this.ifStmt() : this.block();
    return this.node({ k: 'if', init, cond, then, els }, s0);
  }

  forStmt() {
    const s0 = this.next();
    const lev = this.exprLev;
    this.exprLev = -1;
    let init = null; let cond = null; let post = null; let range = null;
    if (!this.is('{')) {
      if (!this.is(';')) {
        const s = this.simpleStmt(true);
        if (s.k === 'rangeclause') range = s;
        else if (this.is(';')) init = s;
        else cond = s.k === 'expr' ? s.x : s;
      }
      if (!range && this.got(';')) {
        if (!this.is(';')) cond = this.expr();
        this.expect(';');
        if (!this.is('{')) post = this.simpleStmt();
      }
    }
    this.exprLev = lev;
    const body = this.block();
    if (range) return this.node({ k: 'range', lhs: range.lhs, define: range.define, x: range.x, body }, s0);
    return this.node({ k: 'for', init, cond, post, body }, s0);
  }

  switchStmt() {
    const s0 = this.next();
    const lev = this.exprLev;
    this.exprLev = -1;
    let init = null; let tag = null;
    if (!this.is('{')) {
      let s = this.is(';') ? null : this.simpleStmt();
      if (this.got(';')) { init = s; s = this.is('{') ? null : this.simpleStmt(); }
      tag = s;
    }
    this.exprLev = lev;
    this.expect('{');
    const clauses = [];
    this.skipSemis();
    while (!this.is('}')) {
      const c0 = this.tok;
      let exprs;
      if (this.got('default')) exprs = null;
      else {
        this.expect('case');
        exprs = [];
        do { exprs.push(this.expr()); } while (this.got(','));
      }
      this.expect(':');
      const body = this.stmtList();
      clauses.push(this.node({ exprs, body }, c0));
    }
    this.expect('}');
    return this.node({ k: 'switch', init, tag, clauses }, s0);
  }

  selectStmt() {
    const s0 = this.next();
    this.expect('{');
    const clauses = [];
    this.skipSemis();
    while (!this.is('}')) {
      const c0 = this.tok;
      let comm = null;
      if (!this.got('default')) { this.expect('case'); comm = this.simpleStmt(); }
      this.expect(':');
      clauses.push(this.node({ comm, body: this.stmtList() }, c0));
    }
    this.expect('}');
    return this.node({ k: 'select', clauses }, s0);
  }
}

const BINARY_PREC = {
  '||': 1, '&&': 2,
  '==': 3, '!=': 3, '<': 3, '<=': 3, '>': 3, '>=': 3,
  '+': 4, '-': 4, '|': 4, '^': 4,
  '*': 5, '/': 5, '%': 5, '<<': 5, '>>': 5, '&': 5, '&^': 5,
};

/** Parses a file's declarations; function bodies stay unparsed (see parseBody). */
export function parseFile(src, file) {
  const p = new Parser(src, file);
  const ast = p.parseFile();
  ast.parser = p;
  ast.src = src;
  ast.file = file;
  return ast;
}

/** The statements of a function declaration's body (parsed once, cached). */
export function parseBody(fileAst, decl) {
  if (decl.parsedBody) return decl.parsedBody;
  const p = fileAst.parser;
  p.i = decl.body.open;
  p.exprLev = 0;
  decl.parsedBody = p.block();
  return decl.parsedBody;
}
