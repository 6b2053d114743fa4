// An abstract interpreter for the part of a Go program that registers
// kingpin flags. It runs a package's `main` (after its package variables and
// `init`s) over values it can know — string constants, struct values,
// kingpin applications and commands — and records every `.Flag(name, …)` and
// `.Command(name, …)` made on a kingpin application or command, with the
// file and line of the call.
//
// It is deliberately over-approximating: both branches of an `if`, every
// `case` and every loop body run (a loop over a known slice literal runs
// once per element); function literals run only when called directly
// (`func(){…}()`), so `cmd.Setup(func…)`/`Action(func…)` bodies are skipped.
// A called function is entered only when it can register flags: it receives
// (as receiver or argument, at any depth) a kingpin application or command,
// or its body names the kingpin package or calls something's `Flag`/
// `Command`, or it is tiny (a getter such as `func (c component) String()`).
// Calls into packages it cannot read (standard library, modules without a
// mirror) are opaque; if such a call receives a command, it is reported.

import { parseBody, parseFile } from './go-parser.mjs';
import { fileBuilds } from './source.mjs';

const UNK = Object.freeze({ k: 'unk' });
const unk = t => (t ? { k: 'unk', t } : UNK);
const str = v => ({ k: 'str', v });

const BUILTIN_TYPES = new Set(['bool', 'byte', 'complex64', 'complex128', 'error', 'float32', 'float64', 'int', 'int8', 'int16', 'int32', 'int64', 'rune', 'string', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr', 'any', 'comparable']);
const BUILTIN_FUNCS = new Set(['append', 'cap', 'clear', 'close', 'complex', 'copy', 'delete', 'imag', 'len', 'make', 'max', 'min', 'new', 'panic', 'print', 'println', 'real', 'recover']);
// kingpin methods that return their receiver (application or command).
const NODE_CHAINERS = new Set(['Version', 'UsageWriter', 'ErrorWriter', 'Author', 'DefaultEnvars', 'Interspersed', 'Terminate', 'UsageTemplate', 'UsageFuncs', 'Help', 'Hidden', 'Alias', 'Default', 'PreAction', 'Action', 'Validate', 'VersionFlag', 'Writer', 'UsageContext', 'ParseContext']);
const MAX_DEPTH = 40;

class Scope {
  constructor(parent) { this.parent = parent; this.vars = new Map(); }
  lookup(name) {
    if (this.vars.has(name)) return { scope: this, value: this.vars.get(name) };
    return this.parent ? this.parent.lookup(name) : null;
  }
  define(name, v) { if (name !== '_') this.vars.set(name, v); }
  set(name, v) {
    const hit = this.lookup(name);
    if (hit) { hit.scope.vars.set(name, v); return true; }
    return false;
  }
}

export class Interp {
  /**
   * @param modules a Modules (source.mjs)
   * @param opts.hints { 'file:line': 'name' } names for flags or commands whose name the interpreter cannot compute
   */
  constructor(modules, opts = {}) {
    this.modules = modules;
    this.hints = opts.hints || {};
    this.packages = new Map();
    this.roots = [];
    this.commandLine = null;
    this.warnings = [];
    this.opaque = new Map(); // import path → why it cannot be read (calls into it are opaque)
    this.stack = [];
    this.nodeSeq = 0;
    this.entered = new Set(); // files with a function body that ran
  }

  warn(msg) { if (!this.warnings.includes(msg)) this.warnings.push(msg); }

  // ---- packages ----

  /** A package by import path, parsed; null when it cannot be read. */
  pkg(importPath) {
    if (this.packages.has(importPath)) return this.packages.get(importPath);
    const res = this.modules.resolve(importPath);
    let pkg = null;
    if (res.tree) {
      const entries = res.tree.list(res.dir) || [];
      const files = [];
      for (const e of entries) {
        if (e.type !== 'blob' || !e.name.endsWith('.go')) continue;
        const path = res.dir ? `${res.dir}/${e.name}` : e.name;
        const text = res.tree.read(path);
        if (text === null || !fileBuilds(e.name, text)) continue;
        const ast = parseFile(text, path);
        if (ast.pkg.endsWith('_test') || ast.pkg === 'documentation') continue;
        files.push({ ast, path, tree: res.tree });
      }
      if (files.length) pkg = this.indexPackage(importPath, files, res);
    }
    if (!pkg && res.kind === 'missing') this.opaque.set(importPath, res.reason);
    this.packages.set(importPath, pkg);
    return pkg;
  }

  indexPackage(importPath, files, res) {
    // The main package of a directory; ignore stray files of another package (e.g. `package main` generators).
    const counts = new Map();
    for (const f of files) counts.set(f.ast.pkg, (counts.get(f.ast.pkg) || 0) + 1);
    const name = [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
    const pkg = { path: importPath, name, res, funcs: new Map(), methods: new Map(), types: new Map(), vars: new Map(), inits: [], files: [] };
    for (const f of files) {
      if (f.ast.pkg !== name) continue;
      const fc = { pkg, ast: f.ast, path: f.path, tree: f.tree, imports: f.ast.imports, aliasCache: new Map() };
      pkg.files.push(fc);
      for (const d of f.ast.decls) {
        if (d.k === 'bad') { this.warn(`${f.tree.label}@${f.tree.rev}:${d.error} (declaration skipped)`); continue; }
        if (d.k === 'func') {
          if (d.recv) {
            const base = recvTypeName(d.recv.type);
            if (!pkg.methods.has(base)) pkg.methods.set(base, new Map());
            pkg.methods.get(base).set(d.name, { decl: d, fc });
          } else if (d.name === 'init') pkg.inits.push({ decl: d, fc });
          else pkg.funcs.set(d.name, { decl: d, fc });
        } else if (d.k === 'type') pkg.types.set(d.name, { decl: d, fc });
        else if (d.k === 'var' || d.k === 'const') {
          d.names.forEach((n, idx) => pkg.vars.set(n, { spec: d, idx, fc, state: 'new', value: null, kind: d.k }));
        }
      }
    }
    return pkg;
  }

  /** The import path an identifier names as a package in a file, or null. */
  importOf(fc, name) {
    if (fc.aliasCache.has(name)) return fc.aliasCache.get(name);
    let hit = null;
    for (const imp of fc.imports) {
      if (imp.alias === name) { hit = imp.path; break; }
    }
    if (!hit) {
      for (const imp of fc.imports) {
        if (imp.alias) continue;
        if (defaultName(imp.path) === name) { hit = imp.path; break; }
      }
    }
    if (!hit) {
      // The package clause may differ from the last path element (e.g. …/promslog/flag is package flag).
      for (const imp of fc.imports) {
        if (imp.alias) continue;
        const p = this.modules.classify(imp.path) ? null : this.pkg(imp.path);
        if (p && p.name === name) { hit = imp.path; break; }
      }
    }
    fc.aliasCache.set(name, hit);
    return hit;
  }

  // ---- entry ----

  /** Runs package `importPath`: its package variables, `init`s, then `main`. */
  runMain(importPath) {
    const pkg = this.pkg(importPath);
    if (!pkg) throw new Error(`cannot read package ${importPath}`);
    for (const [name] of pkg.vars) this.pkgVar(pkg, name);
    for (const init of pkg.inits) this.callDecl(init, null, [], null, true);
    const main = pkg.funcs.get('main');
    if (!main) throw new Error(`${importPath} has no func main`);
    this.callDecl(main, null, [], null, true);
    return this.roots;
  }

  // ---- kingpin ----

  newNode(name, parent, site) {
    const node = { id: ++this.nodeSeq, name, parent, flags: new Map(), bools: new Set(), children: new Map(), site };
    if (!parent) this.roots.push(node);
    return node;
  }

  getCommandLine(site) {
    if (!this.commandLine) this.commandLine = this.newNode('(kingpin.CommandLine)', null, site);
    return this.commandLine;
  }

  site(fc, e) {
    return { repo: fc.tree.label, rev: fc.tree.rev, commit: fc.tree.commit, file: fc.path, line: e ? e.line : 0, fn: this.stack.length ? this.stack[this.stack.length - 1].name : null };
  }

  srcText(fc, e) { return fc.ast.src.slice(e.pos, e.end).replace(/\s+/g, ' '); }

  nameArg(v, fc, callExpr, what) {
    if (v && v.k === 'str') return v.v;
    const site = this.site(fc, callExpr);
    const hint = this.hints[`${site.file}:${site.line}`];
    if (hint) return hint;
    const arg = callExpr.args[0];
    this.warn(`${site.repo}@${site.rev}:${site.file}:${site.line}: ${what} name not computable: ${arg ? this.srcText(fc, arg) : '(none)'} (in ${site.fn || '?'})`);
    return null;
  }

  nodeMethod(node, name, args, callExpr, fc) {
    if (name === 'Flag') {
      const flag = this.nameArg(args[0], fc, callExpr, 'flag');
      if (flag !== null) {
        if (!node.flags.has(flag)) node.flags.set(flag, []);
        node.flags.get(flag).push(this.site(fc, callExpr));
      }
      return { k: 'flag', node, name: flag };
    }
    if (name === 'Command') {
      const cmd = this.nameArg(args[0], fc, callExpr, 'command') ?? `?${callExpr.line}`;
      if (!node.children.has(cmd)) node.children.set(cmd, this.newNode(cmd, node, this.site(fc, callExpr)));
      return { k: 'node', node: node.children.get(cmd) };
    }
    if (name === 'GetFlag') return { k: 'flag', node, name: null };
    if (NODE_CHAINERS.has(name)) return { k: 'node', node };
    return UNK;
  }

  kingpinFunc(name, args, callExpr, fc) {
    if (name === 'New') {
      const n = args[0] && args[0].k === 'str' ? args[0].v : '(kingpin.New)';
      return { k: 'node', node: this.newNode(n, null, this.site(fc, callExpr)) };
    }
    if (name === 'Flag' || name === 'Command' || name === 'GetFlag' || NODE_CHAINERS.has(name)) {
      return this.nodeMethod(this.getCommandLine(this.site(fc, callExpr)), name, args, callExpr, fc);
    }
    return UNK;
  }

  // ---- types ----

  /** A type AST in a file → { named: {pkg, name} } | { builtin } | { slice } | { struct } | { opaque } … */
  typeOf(t, fc) {
    if (!t) return null;
    switch (t.k) {
      case 'tname': {
        if (!t.pkg) {
          if (fc.pkg.types.has(t.name)) return { pkg: fc.pkg, name: t.name };
          if (BUILTIN_TYPES.has(t.name)) return { builtin: t.name };
          return null; // type parameter or local type
        }
        const path = this.importOf(fc, t.pkg);
        if (!path) return null;
        const special = this.modules.classify(path);
        if (special) return { opaque: path, name: t.name };
        const p = this.pkg(path);
        if (p && p.types.has(t.name)) return { pkg: p, name: t.name };
        return { opaque: path, name: t.name };
      }
      case 'tptr': return this.typeOf(t.elem, fc);
      case 'tslice': case 'tarray': return { slice: this.typeOf(t.elem, fc) };
      case 'tmap': return { map: true };
      case 'tstruct': return { struct: t.fields, fc };
      case 'tfunc': return { func: true };
      case 'tiface': return { iface: true };
      case 'tchan': return { chan: true };
      default: return null;
    }
  }

  /** Resolves named types down to a struct: { fields, fc } or null. */
  structOf(tref, depth = 0) {
    if (!tref || depth > 10) return null;
    if (tref.struct) return { fields: tref.struct, fc: tref.fc };
    if (tref.pkg) {
      const td = tref.pkg.types.get(tref.name);
      if (!td) return null;
      return this.structOf(this.typeOf(td.decl.type, td.fc), depth + 1);
    }
    return null;
  }

  /** The method `name` of a named type (value or pointer receiver), following `type A B`? no: Go does not. */
  methodOf(tref, name) {
    if (!tref || !tref.pkg) return null;
    const ms = tref.pkg.methods.get(tref.name);
    return ms && ms.get(name) ? ms.get(name) : null;
  }

  zero(tref) {
    if (tref && this.structOf(tref)) return { k: 'obj', t: tref, f: new Map() };
    return unk(tref);
  }

  fieldDecl(tref, name) {
    const st = this.structOf(tref);
    if (!st) return null;
    for (const fd of st.fields) {
      if (fd.names.includes(name)) return { fd, fc: st.fc };
    }
    return null;
  }

  /** A field's value in a struct value, creating its zero value on first use (so writes through it persist). */
  field(obj, name) {
    if (obj.f.has(name)) return obj.f.get(name);
    const d = this.fieldDecl(obj.t, name);
    if (!d) return undefined;
    const v = this.zero(this.typeOf(d.fd.type, d.fc));
    obj.f.set(name, v);
    return v;
  }

  embeddedNames(tref) {
    const st = this.structOf(tref);
    return st ? st.fields.filter(f => f.embedded).map(f => f.names[0]) : [];
  }

  /**
   * What `v.name` denotes, searching embedded fields breadth-first as Go does:
   * { field: value } | { method: {decl, fc}, recv } | { node } | null.
   */
  member(v, name) {
    let level = [v];
    const seen = new Set();
    for (let depth = 0; depth < 6 && level.length; depth++) {
      for (const x of level) {
        if (x.k === 'node') return { node: x.node };
        if (x.k === 'obj') {
          if (x.f.has(name) || this.fieldDecl(x.t, name)) return { field: this.field(x, name) };
        }
        if ((x.k === 'obj' || x.k === 'unk') && x.t) {
          const m = this.methodOf(x.t, name);
          if (m) return { method: m, recv: x };
          if (x.k === 'unk' && this.fieldDecl(x.t, name)) return { field: this.zero(this.typeOf(this.fieldDecl(x.t, name).fd.type, this.fieldDecl(x.t, name).fc)) };
        }
      }
      const next = [];
      for (const x of level) {
        if (seen.has(x)) continue;
        seen.add(x);
        if (x.k !== 'obj' && !(x.k === 'unk' && x.t)) continue;
        for (const en of this.embeddedNames(x.t)) {
          if (x.k === 'obj') next.push(this.field(x, en));
          else { const d = this.fieldDecl(x.t, en); next.push(this.zero(this.typeOf(d.fd.type, d.fc))); }
        }
      }
      level = next;
    }
    return null;
  }

  containsNode(v, seen = new Set(), depth = 0) {
    if (!v || depth > 6 || seen.has(v)) return false;
    seen.add(v);
    if (v.k === 'node') return true;
    if (v.k === 'obj') { for (const x of v.f.values()) if (this.containsNode(x, seen, depth + 1)) return true; }
    if (v.k === 'slice' || v.k === 'tuple') { for (const x of v.items) if (this.containsNode(x, seen, depth + 1)) return true; }
    return false;
  }

  // ---- package variables ----

  pkgVar(pkg, name) {
    const ent = pkg.vars.get(name);
    if (ent.state === 'done') return ent.value;
    if (ent.state === 'busy') return UNK;
    ent.state = 'busy';
    const env = new Scope(null);
    const { spec, idx, fc } = ent;
    let v;
    const tref = this.typeOf(spec.type, fc);
    if (spec.values && spec.values.length === spec.names.length) v = this.eval(spec.values[idx], env, fc);
    else if (spec.values && spec.values.length === 1) {
      const r = this.eval(spec.values[0], env, fc);
      v = r.k === 'tuple' ? r.items[idx] || UNK : (idx === 0 ? r : UNK);
    } else v = this.zero(tref);
    if (v.k === 'unk' && tref && !v.t) v = unk(tref);
    ent.value = v;
    ent.state = 'done';
    return v;
  }

  // ---- calls ----

  mayRegister(entry) {
    const { decl, fc } = entry;
    if (decl.mayRegister !== undefined) return decl.mayRegister;
    let yes = false;
    if (decl.body) {
      const toks = fc.ast.parser.toks;
      const kingpinAliases = new Set(fc.imports.filter(i => this.modules.classify(i.path)?.kind === 'kingpin').map(i => i.alias || 'kingpin'));
      for (let i = decl.body.open; i < decl.body.close; i++) {
        const t = toks[i];
        if (t.t !== 'ident') continue;
        if (kingpinAliases.has(t.v) && toks[i + 1].v === '.') { yes = true; break; }
        if ((t.v === 'Flag' || t.v === 'Command') && toks[i - 1].v === '.' && toks[i + 1].v === '(') { yes = true; break; }
      }
    }
    decl.mayRegister = yes;
    return yes;
  }

  isTiny(entry) {
    const { decl, fc } = entry;
    if (!decl.body) return false;
    let body;
    try { body = parseBody(fc.ast, decl); } catch { return false; }
    return body.list.length <= 3 && body.list.every(s => !['for', 'range', 'switch', 'select'].includes(s.k));
  }

  /** Calls a declared function or method. `force`: enter regardless of the heuristics. */
  callDecl(entry, recv, args, callExpr, force = false) {
    const { decl, fc } = entry;
    const resultType = () => {
      const rs = decl.sig.results;
      if (rs.length > 1) return { k: 'tuple', items: rs.map(r => unk(this.typeOf(r.type, fc))) };
      if (rs.length === 1) return this.zeroish(this.typeOf(rs[0].type, fc));
      return UNK;
    };
    if (!decl.body) return resultType();
    const enter = force || this.containsNode(recv) || args.some(a => this.containsNode(a)) || this.mayRegister(entry) || this.isTiny(entry);
    if (!enter) return resultType();
    if (this.stack.length > MAX_DEPTH || this.stack.filter(s => s.decl === decl).length >= 2) return resultType();
    let body;
    try { body = parseBody(fc.ast, decl); } catch (e) {
      this.warn(`${fc.tree.label}@${fc.tree.rev}: ${e.message} (function ${decl.name} not read)`);
      return resultType();
    }
    const env = new Scope(null);
    if (decl.recv && decl.recv.name) {
      const rt = this.typeOf(decl.recv.type, fc);
      env.define(decl.recv.name, recv || this.zero(rt));
    }
    this.bindParams(decl.sig.params, args, env, fc);
    const frame = { name: decl.recv ? `(${recvTypeName(decl.recv.type)}).${decl.name}` : decl.name, decl, returns: [] };
    this.stack.push(frame);
    this.entered.add(`${fc.tree.label}@${fc.tree.rev}:${fc.path}`);
    try { this.execList(body.list, env, fc, frame); } finally { this.stack.pop(); }
    return this.pickReturn(frame, resultType);
  }

  zeroish(tref) { return tref ? unk(tref) : UNK; }

  bindParams(params, args, env, fc) {
    params.forEach((p, i) => {
      if (!p.name) return;
      const tref = this.typeOf(p.type, fc);
      if (p.variadic) { env.define(p.name, { k: 'slice', items: args.slice(i) }); return; }
      let a = args[i];
      if (!a || (a.k === 'unk' && !a.t)) a = this.zero(tref);
      env.define(p.name, a);
    });
  }

  pickReturn(frame, fallback) {
    const interesting = v => v && v.k !== 'unk' && v.k !== 'nil';
    for (const r of frame.returns) {
      if (r.length === 1 && interesting(r[0])) return r[0];
      if (r.length > 1 && r.some(interesting)) return { k: 'tuple', items: r };
    }
    return fallback();
  }

  callFuncLit(fn, args) {
    if (this.stack.length > MAX_DEPTH) return UNK;
    const env = new Scope(fn.env);
    this.bindParams(fn.lit.sig.params, args, env, fn.fc);
    const frame = { name: `${this.stack.length ? this.stack[this.stack.length - 1].name : ''}.func`, decl: fn.lit, returns: [] };
    this.stack.push(frame);
    try { this.execList(fn.lit.body.list, env, fn.fc, frame); } finally { this.stack.pop(); }
    return this.pickReturn(frame, () => UNK);
  }

  callValue(fv, args, callExpr, fc, recv) {
    switch (fv.k) {
      case 'fn': return this.callDecl(fv.entry, recv || fv.recv || null, args, callExpr);
      case 'lit': return this.callFuncLit(fv, args);
      case 'kfn': return this.kingpinFunc(fv.name, args, callExpr, fc);
      case 'ofn': return this.opaqueCall(fv.path, fv.name, args, callExpr, fc);
      case 'type': return args[0] && args[0].k !== 'unk' ? args[0] : this.zeroish(fv.t);
      case 'builtin': return this.builtin(fv.name, args);
      default:
        if (args.some(a => this.containsNode(a))) {
          const s = this.site(fc, callExpr);
          this.warn(`${s.repo}@${s.rev}:${s.file}:${s.line}: call of an unknown function value receives a command: ${this.srcText(fc, callExpr.fn)}`);
        }
        return UNK;
    }
  }

  builtin(name, args) {
    if (name === 'new') return this.zero(args[0] && args[0].k === 'type' ? args[0].t : null);
    if (name === 'append') {
      const base = args[0] && args[0].k === 'slice' ? args[0].items : [];
      return { k: 'slice', items: [...base, ...args.slice(1)] };
    }
    return UNK;
  }

  opaqueCall(path, name, args, callExpr, fc) {
    const strs = args.map(a => (a && a.k === 'str' ? a.v : a && a.k === 'num' ? String(a.v) : null));
    if (path === 'fmt' && name === 'Sprintf' && strs[0] !== null) {
      let i = 1;
      let ok = true;
      const out = strs[0].replace(/%[-+# 0-9.]*([a-zA-Z%])/g, (m, verb) => {
        if (verb === '%') return '%';
        const a = strs[i++];
        if (a === null || a === undefined) { ok = false; return m; }
        return verb === 'q' ? JSON.stringify(a) : a;
      });
      return ok ? str(out) : UNK;
    }
    if (path === 'strings') {
      if (name === 'Join' && args[0] && args[0].k === 'slice' && strs[1] !== null) {
        const parts = args[0].items.map(x => (x.k === 'str' ? x.v : null));
        if (parts.every(p => p !== null)) return str(parts.join(strs[1]));
      }
      if (name === 'ToLower' && strs[0] !== null) return str(strs[0].toLowerCase());
      if (name === 'ToUpper' && strs[0] !== null) return str(strs[0].toUpperCase());
      if (name === 'TrimSuffix' && strs[0] !== null && strs[1] !== null) return str(strs[0].endsWith(strs[1]) ? strs[0].slice(0, strs[0].length - strs[1].length) : strs[0]);
      if (name === 'TrimPrefix' && strs[0] !== null && strs[1] !== null) return str(strs[0].startsWith(strs[1]) ? strs[0].slice(strs[1].length) : strs[0]);
      if (name === 'ReplaceAll' && strs.slice(0, 3).every(s => s !== null)) return str(strs[0].split(strs[1]).join(strs[2]));
    }
    if (args.some(a => this.containsNode(a))) {
      const s = this.site(fc, callExpr);
      this.warn(`${s.repo}@${s.rev}:${s.file}:${s.line}: opaque call ${path}.${name} receives a command: flags it registers are not seen`);
    }
    return UNK;
  }

  // ---- expressions ----

  lookup(name, env, fc) {
    const hit = env && env.lookup(name);
    if (hit) return hit.value;
    const pkg = fc.pkg;
    if (pkg.vars.has(name)) return this.pkgVar(pkg, name);
    if (pkg.funcs.has(name)) return { k: 'fn', entry: pkg.funcs.get(name) };
    if (pkg.types.has(name)) return { k: 'type', t: { pkg, name } };
    if (name === 'nil') return { k: 'nil' };
    if (name === 'true' || name === 'false' || name === 'iota') return UNK;
    if (BUILTIN_TYPES.has(name)) return { k: 'type', t: { builtin: name } };
    if (BUILTIN_FUNCS.has(name)) return { k: 'builtin', name };
    return UNK;
  }

  /** If `e` is an identifier naming an imported package (not shadowed), its import path. */
  pkgRef(e, env, fc) {
    if (e.k !== 'ident') return null;
    if (env && env.lookup(e.name)) return null;
    const pkg = fc.pkg;
    if (pkg.vars.has(e.name) || pkg.funcs.has(e.name) || pkg.types.has(e.name)) return null;
    return this.importOf(fc, e.name);
  }

  pkgMember(path, name) {
    const special = this.modules.classify(path);
    if (special && special.kind === 'kingpin') {
      if (name === 'CommandLine') return { k: 'node', node: this.getCommandLine(null) };
      return { k: 'kfn', name };
    }
    const p = special ? null : this.pkg(path);
    if (!p) return { k: 'ofn', path, name };
    if (p.vars.has(name)) return this.pkgVar(p, name);
    if (p.funcs.has(name)) return { k: 'fn', entry: p.funcs.get(name) };
    if (p.types.has(name)) return { k: 'type', t: { pkg: p, name } };
    return { k: 'ofn', path, name };
  }

  eval(e, env, fc) {
    switch (e.k) {
      case 'ident': return this.lookup(e.name, env, fc);
      case 'lit':
        if (e.kind === 'str') return str(e.v);
        if (e.kind === 'num') return { k: 'num', v: Number(e.v.replace(/_/g, '')) };
        return UNK;
      case 'paren': return this.eval(e.x, env, fc);
      case 'binary': {
        const x = this.eval(e.x, env, fc);
        const y = this.eval(e.y, env, fc);
        if (e.op === '+' && x.k === 'str' && y.k === 'str') return str(x.v + y.v);
        return UNK;
      }
      case 'unary': {
        const x = this.eval(e.x, env, fc);
        return e.op === '&' || e.op === '*' ? x : UNK;
      }
      case 'sel': {
        const path = this.pkgRef(e.x, env, fc);
        if (path) return this.pkgMember(path, e.sel);
        const base = this.eval(e.x, env, fc);
        const m = this.member(base, e.sel);
        if (!m) return UNK;
        if ('field' in m) return m.field === undefined ? UNK : m.field;
        if (m.method) return { k: 'fn', entry: m.method, recv: m.recv };
        return UNK;
      }
      case 'call': return this.evalCall(e, env, fc);
      case 'index': {
        const x = this.eval(e.x, env, fc);
        const idx = e.indices.map(i => (i ? this.eval(i, env, fc) : UNK));
        if (x.k === 'slice' && idx[0] && idx[0].k === 'num') return x.items[idx[0].v] || UNK;
        if (x.k === 'fn' || x.k === 'type') return x; // generic instantiation
        return UNK;
      }
      case 'slice': { this.eval(e.x, env, fc); return UNK; }
      case 'assert': {
        const x = this.eval(e.x, env, fc);
        if (x.k === 'unk' && e.type) return this.zeroish(this.typeOf(e.type, fc));
        return x;
      }
      case 'composite': return this.composite(e, null, env, fc);
      case 'funclit': return { k: 'lit', lit: e, env, fc };
      case 'typeexpr': return { k: 'type', t: this.typeOf(e.type, fc) };
      default: return UNK;
    }
  }

  /** Type named by an expression (composite literal types, conversions). */
  exprType(e, env, fc) {
    if (!e) return null;
    if (e.k === 'typeexpr') return this.typeOf(e.type, fc);
    if (e.k === 'ident' || e.k === 'sel' || e.k === 'index') {
      const v = this.eval(e.k === 'index' ? e.x : e, env, fc);
      return v.k === 'type' ? v.t : null;
    }
    return null;
  }

  composite(e, elided, env, fc) {
    const tref = e.type ? this.exprType(e.type, env, fc) : elided;
    const st = this.structOf(tref);
    if (st) {
      const obj = { k: 'obj', t: tref, f: new Map() };
      const names = st.fields.flatMap(f => f.names);
      e.elts.forEach((el, i) => {
        const fname = el.key && el.key.k === 'ident' ? el.key.name : names[i];
        const fd = this.fieldDecl(tref, fname);
        const ft = fd ? this.typeOf(fd.fd.type, fd.fc) : null;
        const v = el.value.k === 'composite' && !el.value.type ? this.composite(el.value, ft, env, fc) : this.eval(el.value, env, fc);
        if (fname) obj.f.set(fname, v);
      });
      return obj;
    }
    const elem = tref && tref.slice ? tref.slice : null;
    const items = e.elts.map(el => {
      if (el.key) this.eval(el.key, env, fc);
      return el.value.k === 'composite' && !el.value.type ? this.composite(el.value, elem, env, fc) : this.eval(el.value, env, fc);
    });
    if (tref && tref.map) return UNK;
    return { k: 'slice', items };
  }

  evalCall(e, env, fc) {
    const args = e.args.map(a => this.eval(a, env, fc));
    const fn = e.fn;
    if (fn.k === 'sel') {
      const path = this.pkgRef(fn.x, env, fc);
      if (path) return this.callValue(this.pkgMember(path, fn.sel), args, e, fc);
      const base = this.eval(fn.x, env, fc);
      if (base.k === 'node') return this.nodeMethod(base.node, fn.sel, args, e, fc);
      if (base.k === 'flag') {
        // kingpin accepts --no-<name> for boolean flags.
        if ((fn.sel === 'Bool' || fn.sel === 'BoolVar') && base.name) base.node.bools.add(base.name);
        return base;
      }
      const m = this.member(base, fn.sel);
      if (m) {
        if (m.node) return this.nodeMethod(m.node, fn.sel, args, e, fc);
        if (m.method) return this.callDecl(m.method, m.recv, args, e);
        if ('field' in m && m.field) return this.callValue(m.field, args, e, fc);
      }
      if (args.some(a => this.containsNode(a)) || (this.containsNode(base) && base.k !== 'node')) {
        const s = this.site(fc, e);
        this.warn(`${s.repo}@${s.rev}:${s.file}:${s.line}: unresolved method call receives a command: ${this.srcText(fc, fn)}`);
      }
      return UNK;
    }
    if (fn.k === 'funclit') return this.callFuncLit({ k: 'lit', lit: fn, env, fc }, args);
    const fv = this.eval(fn, env, fc);
    return this.callValue(fv, args, e, fc);
  }

  // ---- statements ----

  execList(list, env, fc, frame) {
    for (const s of list) this.exec(s, env, fc, frame);
  }

  assignTo(lhs, v, env, fc, define) {
    if (lhs.k === 'ident') {
      if (lhs.name === '_') return;
      if (define) { env.define(lhs.name, v); return; }
      if (!env.set(lhs.name, v)) {
        const ent = fc.pkg.vars.get(lhs.name);
        if (ent) { this.pkgVar(fc.pkg, lhs.name); ent.value = v; }
      }
      return;
    }
    if (lhs.k === 'sel') {
      const path = this.pkgRef(lhs.x, env, fc);
      if (path) return;
      const base = this.eval(lhs.x, env, fc);
      if (base.k === 'obj') {
        // Set on the struct that declares the field (possibly embedded).
        let target = base;
        if (!base.f.has(lhs.sel) && !this.fieldDecl(base.t, lhs.sel)) {
          for (const en of this.embeddedNames(base.t)) {
            const inner = this.field(base, en);
            if (inner && inner.k === 'obj' && (inner.f.has(lhs.sel) || this.fieldDecl(inner.t, lhs.sel))) { target = inner; break; }
          }
        }
        target.f.set(lhs.sel, v);
      }
      return;
    }
    if (lhs.k === 'unary' || lhs.k === 'paren') return this.assignTo(lhs.x, v, env, fc, false);
    if (lhs.k === 'index') { this.eval(lhs.x, env, fc); lhs.indices.forEach(i => i && this.eval(i, env, fc)); }
  }

  exec(s, env, fc, frame) {
    switch (s.k) {
      case 'expr': this.eval(s.x, env, fc); return;
      case 'assign': {
        if (s.op === ':=' || s.op === '=') {
          let vals;
          if (s.rhs.length === s.lhs.length) vals = s.rhs.map(r => this.eval(r, env, fc));
          else {
            const r = this.eval(s.rhs[0], env, fc);
            vals = r.k === 'tuple' ? r.items : [r];
          }
          s.lhs.forEach((l, i) => this.assignTo(l, vals[i] || UNK, env, fc, s.op === ':='));
        } else {
          const r = this.eval(s.rhs[0], env, fc);
          if (s.op === '+=' && s.lhs[0].k === 'ident') {
            const cur = this.eval(s.lhs[0], env, fc);
            this.assignTo(s.lhs[0], cur.k === 'str' && r.k === 'str' ? str(cur.v + r.v) : UNK, env, fc, false);
          }
        }
        return;
      }
      case 'var': case 'const':
        for (const spec of s.specs) {
          const tref = this.typeOf(spec.type, fc);
          let vals;
          if (!spec.values) vals = spec.names.map(() => this.zero(tref));
          else if (spec.values.length === spec.names.length) vals = spec.values.map(v => this.eval(v, env, fc));
          else { const r = this.eval(spec.values[0], env, fc); vals = r.k === 'tuple' ? r.items : [r]; }
          spec.names.forEach((n, i) => env.define(n, vals[i] || this.zero(tref)));
        }
        return;
      case 'typedecl': return;
      case 'block': this.execList(s.list, new Scope(env), fc, frame); return;
      case 'if': {
        const inner = new Scope(env);
        if (s.init) this.exec(s.init, inner, fc, frame);
        if (s.cond) { if (s.cond.k) { if (s.cond.k === 'assign' || s.cond.k === 'expr') this.exec(s.cond, inner, fc, frame); else this.eval(s.cond, inner, fc); } }
        this.execList(s.then.list, new Scope(inner), fc, frame);
        if (s.els) this.exec(s.els, inner, fc, frame);
        return;
      }
      case 'for': {
        const inner = new Scope(env);
        if (s.init) this.exec(s.init, inner, fc, frame);
        if (s.cond && s.cond.k !== 'assign') this.eval(s.cond, inner, fc);
        this.execList(s.body.list, new Scope(inner), fc, frame);
        if (s.post) this.exec(s.post, inner, fc, frame);
        return;
      }
      case 'range': {
        const x = this.eval(s.x, env, fc);
        const runOnce = (key, val) => {
          const inner = new Scope(env);
          if (s.lhs[0]) this.assignTo(s.lhs[0], key, inner, fc, s.define);
          if (s.lhs[1]) this.assignTo(s.lhs[1], val, inner, fc, s.define);
          this.execList(s.body.list, inner, fc, frame);
        };
        if (x.k === 'slice' && x.items.length && x.items.length <= 200) x.items.forEach((it, i) => runOnce({ k: 'num', v: i }, it));
        else runOnce(UNK, UNK);
        return;
      }
      case 'switch': {
        const inner = new Scope(env);
        if (s.init) this.exec(s.init, inner, fc, frame);
        if (s.tag) {
          if (s.tag.k === 'assign') this.exec(s.tag, inner, fc, frame);
          else if (s.tag.k === 'expr') this.eval(s.tag.x, inner, fc);
        }
        for (const c of s.clauses) {
          if (c.exprs) for (const x of c.exprs) if (x.k !== 'typeexpr') this.eval(x, inner, fc);
          this.execList(c.body, new Scope(inner), fc, frame);
        }
        return;
      }
      case 'select':
        for (const c of s.clauses) {
          const inner = new Scope(env);
          if (c.comm) this.exec(c.comm, inner, fc, frame);
          this.execList(c.body, inner, fc, frame);
        }
        return;
      case 'return': frame.returns.push(s.results.map(r => this.eval(r, env, fc))); return;
      case 'labeled': this.exec(s.stmt, env, fc, frame); return;
      case 'send': this.eval(s.v, env, fc); return;
      case 'go': case 'defer': case 'incdec': case 'branch': case 'empty': return;
      default: return;
    }
  }
}

function recvTypeName(t) {
  let x = t;
  while (x && x.k === 'tptr') x = x.elem;
  return x && x.k === 'tname' ? x.name : '?';
}

/** The name a package is imported under by default: the last path element, minus a major-version suffix. */
function defaultName(path) {
  const parts = path.split('/');
  let last = parts[parts.length - 1];
  if (/^v\d+$/.test(last) && parts.length > 1) last = parts[parts.length - 2];
  last = last.replace(/\.v\d+$/, '');
  return last.replace(/^go-/, '').replace(/-go$/, '').replace(/[-.]/g, '_');
}

/** The flags of a command tree: { name, flags: [names], sites, children: [...] }. */
export function describe(node) {
  return {
    name: node.name,
    flags: [...node.flags.keys()].sort(),
    sites: Object.fromEntries([...node.flags.entries()].map(([k, v]) => [k, v])),
    children: [...node.children.values()].map(describe),
  };
}
