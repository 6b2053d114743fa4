// Go source at a git revision, and the Go modules a repository requires
// (go.mod `require`/`replace`), read from local bare mirrors: a module
// github.com/OWNER/NAME[/sub] is looked for in <mirrors>/OWNER+NAME/repo.

import { execFileSync } from 'child_process';
import { existsSync } from 'fs';
import { join } from 'path';

function git(gitDir, args) {
  return execFileSync('git', ['--git-dir', gitDir, ...args], { maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
}

/** One repository at one revision. */
export class GitTree {
  constructor(gitDir, rev, label) {
    this.gitDir = gitDir;
    this.rev = rev;
    this.label = label; // e.g. github.com/thanos-io/thanos
    this.commit = git(gitDir, ['rev-parse', `${rev}^{commit}`]).trim();
    this.cache = new Map();
    this.dirs = new Map();
  }

  static exists(gitDir, rev) {
    try { git(gitDir, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]); return true; } catch { return false; }
  }

  read(path) {
    if (!this.cache.has(path)) {
      let text;
      try { text = git(this.gitDir, ['show', `${this.commit}:${path}`]); } catch { text = null; }
      this.cache.set(path, text);
    }
    return this.cache.get(path);
  }

  /** Entries of a directory: [{ name, type: 'blob'|'tree' }], or null when absent. */
  list(dir) {
    if (!this.dirs.has(dir)) {
      let out;
      try {
        const spec = dir ? `${this.commit}:${dir}` : `${this.commit}:`;
        out = git(this.gitDir, ['ls-tree', spec]).split('\n').filter(Boolean).map(l => {
          const [meta, name] = l.split('\t');
          return { name, type: meta.split(' ')[1] };
        });
      } catch { out = null; }
      this.dirs.set(dir, out);
    }
    return this.dirs.get(dir);
  }
}

/** Parses go.mod: { module, requires: Map<path, version>, replaces: Map<path, {path, version}> }. */
export function parseGoMod(text) {
  const out = { module: null, requires: new Map(), replaces: new Map() };
  let block = null;
  for (let raw of text.split('\n')) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (!line) continue;
    if (block) {
      if (line === ')') { block = null; continue; }
      handle(block, line);
      continue;
    }
    const m = /^(module|require|replace|exclude|retract|go|toolchain|godebug|tool)\s*(.*)$/.exec(line);
    if (!m) continue;
    if (m[2] === '(') { block = m[1]; continue; }
    if (m[1] === 'module') out.module = m[2].replace(/"/g, '');
    else handle(m[1], m[2]);
  }
  function handle(kind, line) {
    if (kind === 'require') {
      const [path, version] = line.split(/\s+/);
      out.requires.set(path, version);
    } else if (kind === 'replace') {
      const [from, to] = line.split('=>').map(s => s.trim().split(/\s+/));
      out.replaces.set(from[0], { path: to[0], version: to[1] || null });
    }
  }
  return out;
}

const GOOS = ['aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'js', 'linux', 'nacl', 'netbsd', 'openbsd', 'plan9', 'solaris', 'wasip1', 'windows', 'zos'];
const GOARCH = ['386', 'amd64', 'arm', 'arm64', 'loong64', 'mips', 'mipsle', 'mips64', 'mips64le', 'ppc64', 'ppc64le', 'riscv64', 's390x', 'wasm', 'sparc64'];
const TAGS = new Set(['linux', 'amd64', 'unix', 'gc']);

function tagTrue(tag) {
  if (TAGS.has(tag)) return true;
  if (/^go1\.\d+$/.test(tag)) return true;
  return false;
}

/** Evaluates a //go:build expression for linux/amd64 without cgo or custom tags. */
export function evalBuildExpr(expr) {
  const toks = expr.match(/!|&&|\|\||\(|\)|[A-Za-z0-9_.]+/g) || [];
  let i = 0;
  const or = () => { let v = and(); while (toks[i] === '||') { i++; const w = and(); v = v || w; } return v; };
  const and = () => { let v = not(); while (toks[i] === '&&') { i++; const w = not(); v = v && w; } return v; };
  const not = () => {
    if (toks[i] === '!') { i++; return !not(); }
    if (toks[i] === '(') { i++; const v = or(); i++; return v; }
    return tagTrue(toks[i++]);
  };
  return or();
}

/** Whether a Go file is compiled into a linux/amd64 binary. */
export function fileBuilds(name, text) {
  if (!name.endsWith('.go') || name.endsWith('_test.go')) return false;
  const parts = name.slice(0, -3).split('_');
  const last = parts[parts.length - 1];
  const prev = parts[parts.length - 2];
  if (parts.length > 1) {
    if (GOARCH.includes(last) && last !== 'amd64') return false;
    if (GOOS.includes(last) && last !== 'linux') return false;
    if (GOARCH.includes(last) && parts.length > 2 && GOOS.includes(prev) && prev !== 'linux') return false;
  }
  const head = text.slice(0, text.search(/^package\s/m) >= 0 ? text.search(/^package\s/m) : 0);
  const goBuild = /^\/\/go:build\s+(.*)$/m.exec(head);
  if (goBuild) return evalBuildExpr(goBuild[1]);
  const plusBuild = [...head.matchAll(/^\/\/ \+build\s+(.*)$/gm)];
  for (const m of plusBuild) {
    const ok = m[1].trim().split(/\s+/).some(alt => alt.split(',').every(t => (t.startsWith('!') ? !tagTrue(t.slice(1)) : tagTrue(t))));
    if (!ok) return false;
  }
  return true;
}

const KINGPIN = /^(github\.com\/alecthomas\/kingpin(\/v2)?|gopkg\.in\/alecthomas\/kingpin\.v2)$/;

/**
 * The modules visible from a main module: resolves an import path to a
 * directory in a GitTree, or says why it cannot (`std`, `kingpin`, `missing`).
 */
export class Modules {
  constructor({ gitDir, rev, mirrors, label }) {
    this.mirrors = mirrors;
    this.main = new GitTree(gitDir, rev, label);
    const gomod = this.main.read('go.mod');
    if (!gomod) throw new Error(`${gitDir} has no go.mod at ${rev}`);
    this.mod = parseGoMod(gomod);
    this.trees = new Map();
    this.unresolved = new Map(); // module path → reason
    this.used = new Map(); // module path → { repo, version, commit }
  }

  classify(importPath) {
    if (KINGPIN.test(importPath)) return { kind: 'kingpin' };
    const first = importPath.split('/')[0];
    if (!first.includes('.')) return { kind: 'std' };
    return null;
  }

  /** { tree, dir, module } | { kind, reason } */
  resolve(importPath) {
    const special = this.classify(importPath);
    if (special) return special;
    const mainPath = this.mod.module;
    if (importPath === mainPath || importPath.startsWith(mainPath + '/')) {
      return { tree: this.main, dir: importPath.slice(mainPath.length + 1), module: mainPath };
    }
    // Longest required module that prefixes the import path.
    let best = null;
    for (const m of this.mod.requires.keys()) {
      if ((importPath === m || importPath.startsWith(m + '/')) && (!best || m.length > best.length)) best = m;
    }
    if (!best) return { kind: 'missing', reason: `no module in go.mod provides ${importPath}` };
    let version = this.mod.requires.get(best);
    let target = best;
    const rep = this.mod.replaces.get(best);
    if (rep) {
      if (rep.path.startsWith('.')) {
        return { tree: this.main, dir: join(rep.path, importPath.slice(best.length + 1)).replace(/^\.\//, ''), module: best };
      }
      target = rep.path; version = rep.version || version;
    }
    if (KINGPIN.test(target)) return { kind: 'kingpin' };
    const tree = this.moduleTree(target, version);
    if (!tree.tree) return { kind: 'missing', reason: tree.reason };
    let rest = importPath.slice(best.length + 1);
    let dir = [tree.subdir, rest].filter(Boolean).join('/');
    return { tree: tree.tree, dir, module: target, version };
  }

  moduleTree(modPath, version) {
    const key = `${modPath}@${version}`;
    if (this.trees.has(key)) return this.trees.get(key);
    const out = (() => {
      const m = /^github\.com\/([^/]+)\/([^/]+)(?:\/(.*))?$/.exec(modPath);
      if (!m) return { reason: `${modPath}: only github.com modules can be read from mirrors` };
      const gitDir = join(this.mirrors, `${m[1]}+${m[2]}`, 'repo');
      if (!existsSync(gitDir)) return { reason: `${modPath}@${version}: no mirror at ${gitDir}` };
      let subdir = m[3] || '';
      const pseudo = /[-.]\d{14}-([0-9a-f]{12})(\+incompatible)?$/.exec(version);
      const plain = version.replace(/\+incompatible$/, '');
      const modSub = subdir.replace(/(^|\/)v\d+$/, '');
      const candidates = pseudo ? [pseudo[1]] : [modSub ? `${modSub}/${plain}` : plain];
      const rev = candidates.find(r => GitTree.exists(gitDir, r));
      if (!rev) return { reason: `${modPath}@${version}: revision ${candidates.join(' or ')} not in ${gitDir}` };
      const tree = new GitTree(gitDir, rev, `github.com/${m[1]}/${m[2]}`);
      // A /vN suffix is a directory only in "major subdirectory" layouts.
      if (/(^|\/)v\d+$/.test(subdir) && !tree.list(subdir)) subdir = subdir.replace(/\/?v\d+$/, '');
      this.used.set(modPath, { repo: `github.com/${m[1]}/${m[2]}`, version, commit: tree.commit, subdir });
      return { tree, subdir };
    })();
    if (!out.tree) this.unresolved.set(modPath, out.reason);
    this.trees.set(key, out);
    return out;
  }
}
