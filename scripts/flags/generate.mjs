#!/usr/bin/env node
// Regenerates lib/images/flags/*.json from upstream sources: for each binary
// and tag below, the flags its kingpin application (and subcommands)
// defines, extracted by extract-flags.mjs, checked against the `--help`
// output upstream embeds in its docs where it does (Thanos, Prometheus).
//
//   node scripts/flags/generate.mjs [--mirrors /work/.mirror] [--check]
//
// --check: write nothing; exit 1 if a JSON file would change.
// Mirrors are bare git dirs <mirrors>/<owner>+<name>/repo (what the `fetch`
// tool makes of github:<owner>/<name>); required modules whose helpers
// register flags (efficientgo/tools, prometheus/common, prometheus/exporter-toolkit)
// must be mirrored too, or their flags are missing (reported as warnings).

import { execFileSync } from 'child_process';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'fs';
import { dirname, join, resolve } from 'path';
import { fileURLToPath } from 'url';
import { extractFlags } from './extract-flags.mjs';
import { parseBody } from './lib/go-parser.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = resolve(HERE, '../../lib/images/flags');

/** What to extract. `tags`: the boundary releases the library supports, plus the default image's tag. */
export const BINARIES = {
  'thanos': {
    mirror: 'thanos-io+thanos',
    image: 'quay.io/thanos/thanos',
    tags: ['v0.31.0', 'v0.32.0', 'v0.37.0', 'v0.38.0', 'v0.42.4'],
    commands: ['sidecar', 'query', 'store', 'compact', 'rule', 'query-frontend'],
    docs: 'thanos',
  },
  'prometheus': {
    mirror: 'prometheus+prometheus',
    image: 'quay.io/prometheus/prometheus',
    tags: ['v2.53.0', 'v3.0.0', 'v3.5.0', 'v3.5.5', 'v3.14.0'],
    docs: 'prometheus',
    features: 'prometheus',
  },
  'alertmanager': {
    mirror: 'prometheus+alertmanager',
    image: 'quay.io/prometheus/alertmanager',
    tags: ['v0.27.0', 'v0.28.0', 'v0.30.0', 'v0.34.0'],
    features: 'alertmanager',
  },
  'pushgateway': {
    mirror: 'prometheus+pushgateway',
    image: 'quay.io/prometheus/pushgateway',
    tags: ['v1.9.0', 'v1.11.3'],
  },
  'prometheus-config-reloader': {
    mirror: 'prometheus-operator+prometheus-operator',
    image: 'quay.io/prometheus-operator/prometheus-config-reloader',
    tags: ['v0.75.0', 'v0.93.0'],
  },
};

/**
 * Flags added by hand, with the reason: registrations the extractor cannot
 * follow. Empty: every flag of every tag above is extracted from source
 * (the extractor's warnings list would say otherwise, and generation fails).
 * Shape: { binary: [{ tags: [...], command: 'query' | 'flags', flag, reason }] }
 */
export const MANUAL = {};

function git(gitDir, args) {
  return execFileSync('git', ['--git-dir', gitDir, ...args], { maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
}

function semverKey(tag) {
  const m = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(tag);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

/** The tag itself when present, else the nearest release tag (same major.minor first). */
function pickTag(gitDir, want) {
  const tags = git(gitDir, ['tag']).split('\n').filter(Boolean);
  if (tags.includes(want)) return { tag: want };
  const w = semverKey(want);
  const releases = tags.map(t => ({ t, k: semverKey(t) })).filter(x => x.k);
  const dist = k => Math.abs(k[0] - w[0]) * 1e6 + Math.abs(k[1] - w[1]) * 1e3 + Math.abs(k[2] - w[2]);
  releases.sort((a, b) => dist(a.k) - dist(b.k));
  if (!releases.length) throw new Error(`${gitDir}: no release tags`);
  return { tag: releases[0].t, requested: want, note: `${want} is not in the mirror; nearest release tag ${releases[0].t} used` };
}

function newestRelease(gitDir, major) {
  const tags = git(gitDir, ['tag']).split('\n').map(t => ({ t, k: semverKey(t) })).filter(x => x.k && (major === undefined || x.k[0] === major));
  tags.sort((a, b) => b.k[0] - a.k[0] || b.k[1] - a.k[1] || b.k[2] - a.k[2]);
  return tags[0] && tags[0].t;
}

// ---- cross-checks against upstream docs (the `--help` output they embed) ----

/** Thanos docs/components/*.md: ```$ mdox-exec="thanos <cmd> --help" blocks → { cmd: Set(flags) }. */
function thanosDocFlags(gitDir, tag) {
  const files = git(gitDir, ['ls-tree', '--name-only', tag, 'docs/components/']).split('\n').filter(f => f.endsWith('.md'));
  const out = {};
  for (const f of files) {
    const md = git(gitDir, ['show', `${tag}:${f}`]);
    for (const m of md.matchAll(/```\$? ?mdox-exec="thanos ([a-z -]+?) --help"\n([\s\S]*?)```/g)) {
      out[m[1].trim()] = { file: f, flags: flagsInHelp(m[2]) };
    }
  }
  return out;
}

/** Flag names in kingpin `--help` output: lines "  -x, --name" / "  --[no-]name" (help text is indented deeper). */
function flagsInHelp(text) {
  const flags = new Set();
  for (const m of text.matchAll(/^ {1,6}(?:-\w, )?--(\[no-\])?([a-z0-9][a-z0-9._-]*[a-z0-9_])/gm)) flags.add(m[2]);
  return flags;
}

/** Prometheus docs/command-line/prometheus.md: table rows "| <code …>--name</code> |". */
function prometheusDocFlags(gitDir, tag) {
  const file = 'docs/command-line/prometheus.md';
  let md;
  try { md = git(gitDir, ['show', `${tag}:${file}`]); } catch { return {}; }
  const section = md.split(/^## /m)[0] + (md.split(/^## Flags/m)[1] || '').split(/^## /m)[0];
  const flags = new Set([...section.matchAll(/^\|(?: <code class="text-nowrap">-\w<\/code>,)? <code class="text-nowrap">--(?:\[no-\])?([a-z0-9._-]+)<\/code>/gm)].map(m => m[1]));
  return { '': { file, flags } };
}

const KINGPIN_BUILTINS = new Set(['help', 'help-long', 'help-man', 'version', 'completion-bash', 'completion-script-bash', 'completion-script-zsh']);

/**
 * Compares extracted flags with documented ones. A documented flag must be
 * extracted (else the extractor missed it: an error); extracted flags not
 * in the docs are hidden flags (or docs lagging behind).
 */
function docsCheck(docs, commands, booleans) {
  const out = {};
  const errors = [];
  for (const [cmd, { file, flags }] of Object.entries(docs)) {
    if (!(cmd in commands)) continue;
    // A subcommand's --help also shows its parents' flags.
    const parts = cmd ? cmd.split(' ') : [];
    const have = new Set(commands['']);
    const bools = new Set(booleans['']);
    for (let i = 1; i <= parts.length; i++) {
      const key = parts.slice(0, i).join(' ');
      (commands[key] || []).forEach(f => have.add(f));
      (booleans[key] || []).forEach(f => bools.add(f));
    }
    const missing = [...flags].filter(f => !have.has(f) && !KINGPIN_BUILTINS.has(f) && !(f.startsWith('no-') && bools.has(f.slice(3))));
    const undocumented = [...(commands[cmd] || [])].filter(f => !flags.has(f)).sort();
    if (missing.length) errors.push(`${file} (${cmd || 'app'}) documents flags not extracted: ${missing.join(', ')}`);
    out[cmd || 'flags'] = { file, documented: [...flags].filter(f => !KINGPIN_BUILTINS.has(f)).length, undocumented };
  }
  return { out, errors };
}

/**
 * A second, dumb extraction to catch what the interpreter might not reach:
 * every `Flag("literal"` in the entry package's files must be among the
 * extracted flags (of any command, including ones not kept here).
 */
function literalCheck(result) {
  const interp = result.interp;
  const pkg = interp.pkg(result.entry === '.' ? interp.modules.mod.module : `${interp.modules.mod.module}/${result.entry}`);
  const all = new Set(Object.values(result.commands).flat());
  const missing = [];
  for (const fc of pkg.files) {
    for (const m of fc.ast.src.matchAll(/\bFlag\(\s*"([^"]+)"/g)) {
      if (!all.has(m[1])) missing.push(`${fc.path}: Flag("${m[1]}")`);
    }
  }
  return missing;
}

// ---- --enable-feature values ----

/**
 * Prometheus: the `case "…"` names of the switch in (*flagConfig).setFeatureListOptions
 * (cmd/prometheus/main.go). Unknown names are only warned about at startup.
 */
function prometheusFeatures(result) {
  const pkg = result.interp.pkg(`${result.interp.modules.mod.module}/cmd/prometheus`);
  const entry = pkg.methods.get('flagConfig')?.get('setFeatureListOptions');
  if (!entry) throw new Error(`${result.tag}: (*flagConfig).setFeatureListOptions not found`);
  const body = parseBody(entry.fc.ast, entry.decl);
  const src = entry.fc.ast.src;
  const features = new Set();
  const noop = new Set();
  const walk = n => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) { n.forEach(walk); return; }
    if (n.k === 'switch') {
      for (const c of n.clauses) {
        const names = (c.exprs || []).filter(x => x.k === 'lit' && x.kind === 'str' && x.v).map(x => x.v);
        const text = c.body.length ? src.slice(c.body[0].pos, c.body[c.body.length - 1].end) : '';
        for (const name of names) {
          features.add(name);
          if (/(?:is|therefore) a no-op|permanently enabled/.test(text)) noop.add(name);
        }
      }
    }
    for (const [k, v] of Object.entries(n)) if (k !== 'parent' && v && typeof v === 'object') walk(v);
  };
  walk(body);
  return { features: [...features].sort(), featuresNoop: [...noop].sort(), file: `${entry.fc.path} (*flagConfig).setFeatureListOptions`, unknown: 'warned at startup, then ignored' };
}

/** Alertmanager: featurecontrol.AllowedFlags; an unknown name is an error at startup. */
function alertmanagerFeatures(result) {
  const interp = result.interp;
  const pkg = interp.pkg(`${interp.modules.mod.module}/featurecontrol`);
  if (!pkg || !pkg.vars.has('AllowedFlags')) throw new Error(`${result.tag}: featurecontrol.AllowedFlags not found`);
  const v = interp.pkgVar(pkg, 'AllowedFlags');
  if (v.k !== 'slice' || v.items.some(x => x.k !== 'str')) throw new Error(`${result.tag}: featurecontrol.AllowedFlags not computable`);
  const file = pkg.vars.get('AllowedFlags').fc.path;
  return { features: v.items.map(x => x.v).sort(), file: `${file} AllowedFlags`, unknown: 'error at startup' };
}

// ---- main ----

function generate(mirrors) {
  const files = {};
  const problems = [];
  for (const [binary, cfg] of Object.entries(BINARIES)) {
    const gitDir = join(mirrors, cfg.mirror, 'repo');
    if (!existsSync(gitDir)) { problems.push(`${binary}: no mirror ${gitDir}`); continue; }
    const doc = {
      binary,
      image: cfg.image,
      source: { repo: null, mirror: `github:${cfg.mirror.replace('+', '/')}`, entry: null, generator: 'scripts/flags/generate.mjs', files: [], tags: {} },
      versions: {},
      booleans: {},
    };
    const allFiles = new Set();
    for (const want of cfg.tags) {
      const pick = pickTag(gitDir, want);
      if (pick.note) problems.push(`${binary}: ${pick.note}`);
      const r = extractFlags({ gitDir, tag: pick.tag, mirrors });
      doc.source.repo = r.repo;
      doc.source.entry = r.entry;
      const version = {};
      const bools = {};
      const keyOf = cmd => (cfg.commands ? (cmd === '' ? 'global' : cmd) : 'flags');
      const wanted = cfg.commands ? ['', ...cfg.commands] : [''];
      for (const cmd of wanted) {
        if (!(cmd in r.commands)) { if (cmd) version[keyOf(cmd)] = null; continue; }
        version[keyOf(cmd)] = r.commands[cmd];
        bools[keyOf(cmd)] = r.booleans[cmd];
      }
      for (const m of MANUAL[binary] || []) {
        if (!m.tags.includes(want)) continue;
        const list = version[m.command] || (version[m.command] = []);
        if (!list.includes(m.flag)) { list.push(m.flag); list.sort(); }
      }
      // Only files that registered a flag of a command kept here.
      const kept = new Set();
      for (const cmd of wanted) {
        for (const sites of Object.values(r.sites[cmd] || {})) {
          for (const s of sites) kept.add(s.replace(/:\d+$/, ''));
        }
      }
      const tagInfo = { tag: pick.tag, commit: r.commit, files: [...kept].sort() };
      if (pick.requested) tagInfo.requested = pick.requested;
      if (Object.keys(r.modules).length) {
        tagInfo.modules = Object.fromEntries(Object.entries(r.modules)
          .filter(([, m]) => [...kept].some(f => f.startsWith(`${m.repo}@${m.commit.slice(0, 12)}:`)))
          .map(([path, m]) => [path, { version: m.version, commit: m.commit }]));
      }
      if (cfg.docs) {
        const docs = cfg.docs === 'thanos' ? thanosDocFlags(gitDir, pick.tag) : prometheusDocFlags(gitDir, pick.tag);
        const { out, errors } = docsCheck(docs, r.commands, r.booleans);
        const keptDocs = Object.fromEntries(Object.entries(out).filter(([k]) => k === 'flags' || cfg.commands.includes(k)));
        tagInfo.docsCheck = keptDocs;
        for (const e of errors) {
          const cmd = /\((.*)\)/.exec(e)[1];
          if (cmd === 'app' || wanted.includes(cmd)) problems.push(`${binary} ${pick.tag}: ${e}`);
        }
      }
      if (cfg.features === 'prometheus' || cfg.features === 'alertmanager') {
        const f = cfg.features === 'prometheus' ? prometheusFeatures(r) : alertmanagerFeatures(r);
        version.features = f.features;
        if (f.featuresNoop) version.featuresNoop = f.featuresNoop;
        tagInfo.features = { file: f.file, unknownName: f.unknown };
      }
      for (const m of literalCheck(r)) problems.push(`${binary} ${pick.tag}: literal flag registration not reached by the extractor: ${m}`);
      if (r.warnings.length) tagInfo.warnings = r.warnings;
      for (const w of r.warnings) problems.push(`${binary} ${pick.tag}: ${w}`);
      tagInfo.files.forEach(f => allFiles.add(f.replace(/@[0-9a-f]+:/, ':')));
      doc.versions[want] = version;
      doc.booleans[want] = bools;
      doc.source.tags[want] = tagInfo;
    }
    doc.source.files = [...allFiles].sort();
    const newest = newestRelease(gitDir, semverKey(cfg.tags[cfg.tags.length - 1])[0]);
    doc.source.newestReleaseInMirror = newest;
    files[`${binary}.json`] = JSON.stringify(doc, null, 2) + '\n';
  }
  return { files, problems };
}

function main(argv) {
  let mirrors = '/work/.mirror';
  let check = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--mirrors') mirrors = argv[++i];
    else if (argv[i] === '--check') check = true;
    else { process.stderr.write('usage: generate.mjs [--mirrors DIR] [--check]\n'); process.exit(2); }
  }
  const { files, problems } = generate(mirrors);
  for (const p of problems) process.stderr.write(`problem: ${p}\n`);
  mkdirSync(OUT, { recursive: true });
  let changed = 0;
  for (const [name, text] of Object.entries(files)) {
    const path = join(OUT, name);
    const old = existsSync(path) ? readFileSync(path, 'utf8') : null;
    if (old === text) continue;
    changed++;
    if (check) process.stderr.write(`${name} is out of date\n`);
    else { writeFileSync(path, text); process.stdout.write(`wrote ${path}\n`); }
  }
  if (check && changed) process.exit(1);
  if (problems.some(p => !/nearest release tag/.test(p))) process.exit(1);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
