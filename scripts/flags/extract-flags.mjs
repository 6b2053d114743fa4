#!/usr/bin/env node
// Prints the command-line flags a Go program built on kingpin defines, per
// (sub)command, read from its source at a git tag. No Go toolchain: the
// program's `main` is run by an abstract interpreter (lib/interp.mjs) that
// records every kingpin `Flag`/`Command` registration, following helpers
// across packages and into required modules (go.mod) that have a local
// mirror. Nothing is built or executed.
//
//   node scripts/flags/extract-flags.mjs <git-dir> <tag> [--entry <dir>] [--mirrors <dir>] [--sites] [--text]
//
//   <git-dir>   a bare mirror, e.g. /work/.mirror/thanos-io+thanos/repo
//   <tag>       e.g. v0.42.4
//   --entry     package directory of the binary (default: known per repository, see ENTRIES)
//   --mirrors   where mirrors of required modules live, as <dir>/<owner>+<name>/repo
//               (default: two levels above <git-dir>)
//   --sites     also print where each flag is registered (file:line)
//   --text      print "command<TAB>flag" lines instead of JSON
//
// Output (JSON): { repo, tag, commit, entry,
//                  commands: { "": [app flags], "<sub>": [...], "<sub> <subsub>": [...] },
//                  booleans: { same keys: the boolean flags, which kingpin also accepts as --no-<name> },
//                  sites?: { command: { flag: ["file:line", ...] } },
//                  files: [files with a registration], modules: { <module>: {repo, version, commit} },
//                  warnings: [registrations it could not follow], opaquePackages: { <import path>: why } }
// Not listed: kingpin's own --help, --help-long, --help-man, --completion-* and --version.

import { resolve } from 'path';
import { fileURLToPath } from 'url';
import { Interp } from './lib/interp.mjs';
import { Modules } from './lib/source.mjs';

/** The package directory of each binary, by module path. */
export const ENTRIES = {
  'github.com/thanos-io/thanos': 'cmd/thanos',
  'github.com/prometheus/prometheus': 'cmd/prometheus',
  'github.com/prometheus/alertmanager': 'cmd/alertmanager',
  'github.com/prometheus/pushgateway': '',
  'github.com/prometheus-operator/prometheus-operator': 'cmd/prometheus-config-reloader',
};

/**
 * Extracts the flags of a binary.
 * @returns {{ repo, tag, commit, entry, commands: Record<string,string[]>, sites: Record<string, Record<string, string[]>>, modules, warnings: string[], files: string[] }}
 */
export function extractFlags({ gitDir, tag, entry, mirrors, hints }) {
  mirrors = mirrors || resolve(gitDir, '..', '..');
  const modules = new Modules({ gitDir, rev: tag, mirrors, label: null });
  const modPath = modules.mod.module;
  modules.main.label = modPath.replace(/\/v\d+$/, '');
  if (entry === undefined) entry = ENTRIES[modules.main.label];
  if (entry === undefined) throw new Error(`no default entry for ${modPath}: pass --entry`);
  const interp = new Interp(modules, { hints });
  const importPath = entry ? `${modPath}/${entry}` : modPath;
  interp.runMain(importPath);
  // The application is the root with the most registrations (a program may
  // make throwaway apps, e.g. Prometheus' `boilerplateFlags := kingpin.New("", "")`).
  const size = n => n.flags.size + [...n.children.values()].reduce((a, c) => a + size(c), 0);
  const root = [...interp.roots].sort((a, b) => size(b) - size(a))[0];
  if (!root) throw new Error(`${importPath}@${tag}: no kingpin application found`);
  const commands = {};
  const booleans = {};
  const sites = {};
  const files = new Set();
  const walk = (node, prefix) => {
    commands[prefix] = [...node.flags.keys()].sort();
    booleans[prefix] = [...node.bools].filter(b => node.flags.has(b)).sort();
    sites[prefix] = {};
    for (const [flag, ss] of [...node.flags.entries()].sort()) {
      sites[prefix][flag] = [...new Set(ss.map(s => `${s.repo === modules.main.label ? '' : `${s.repo}@${s.commit.slice(0, 12)}:`}${s.file}:${s.line}`))];
      for (const s of ss) files.add(s.repo === modules.main.label ? s.file : `${s.repo}@${s.commit.slice(0, 12)}:${s.file}`);
    }
    for (const child of node.children.values()) walk(child, prefix ? `${prefix} ${child.name}` : child.name);
  };
  walk(root, '');
  return {
    repo: modules.main.label,
    tag,
    commit: modules.main.commit,
    entry: entry || '.',
    commands,
    booleans,
    sites,
    files: [...files].sort(),
    modules: Object.fromEntries([...modules.used.entries()].sort()),
    warnings: interp.warnings,
    opaquePackages: Object.fromEntries([...interp.opaque.entries()].sort()),
    interp,
  };
}

function main(argv) {
  const pos = [];
  const opts = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--entry') opts.entry = argv[++i];
    else if (a === '--mirrors') opts.mirrors = argv[++i];
    else if (a === '--sites') opts.sites = true;
    else if (a === '--text') opts.text = true;
    else if (a === '-h' || a === '--help') { pos.length = 0; break; }
    else pos.push(a);
  }
  if (pos.length !== 2) {
    process.stderr.write('usage: extract-flags.mjs <git-dir> <tag> [--entry <dir>] [--mirrors <dir>] [--sites] [--text]\n');
    process.exit(2);
  }
  const out = extractFlags({ gitDir: pos[0], tag: pos[1], entry: opts.entry, mirrors: opts.mirrors });
  for (const w of out.warnings) process.stderr.write(`warning: ${w}\n`);
  if (opts.text) {
    for (const [cmd, flags] of Object.entries(out.commands)) {
      for (const f of flags) process.stdout.write(`${cmd || '(app)'}\t${f}${opts.sites ? `\t${out.sites[cmd][f].join(' ')}` : ''}\n`);
    }
    return;
  }
  if (!opts.sites) delete out.sites;
  delete out.interp;
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
