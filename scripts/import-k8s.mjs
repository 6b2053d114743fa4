#!/usr/bin/env node
// `cdk8s import` for the Kubernetes API without the network: runs the project's
// own cdk8s-cli, but the schema it would download for `k8s@X.Y.Z` is read from
// test/schema/k8s-vX.Y.Z-definitions.json (the copy the schema tests check).
// Everything else, the code generation included, is the normal CLI.
//
// The arguments are those of `cdk8s import`; `--no-check-upgrade` is added
// unless given, so the CLI does not ask the npm registry for a newer version.
//
//   npm run import:k8s      (node scripts/import-k8s.mjs k8s@1.27.0 -l typescript -o imports --no-save)
//   node scripts/import-k8s.mjs k8s@1.27.0 -l typescript -o "$(mktemp -d)" --no-save
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SCHEMA_DIR = path.join(REPO, 'test', 'schema');
// The path cdk8s-cli downloads a Kubernetes schema from, whatever the host and branch.
const SCHEMA_PATH = /\/kubernetes-schemas\/v(\d+\.\d+\.\d+)\/_definitions\.json$/;

const require = createRequire(path.join(REPO, 'package.json'));
let cliRoot;
try {
  cliRoot = path.dirname(require.resolve('cdk8s-cli/package.json'));
} catch {
  console.error('cdk8s-cli is not installed: run npm ci first');
  process.exit(1);
}

// cdk8s-cli's k8s importer calls `download` through its util module's exports
// (`(0, util_1.download)(url)`), so replacing the export redirects it.
const util = require(path.join(cliRoot, 'lib', 'util.js'));
if (typeof util.download !== 'function') {
  console.error(`${cliRoot}/lib/util.js exports no download(): this cdk8s-cli version is not supported`);
  process.exit(1);
}
const download = util.download;
util.download = async function localSchema(url) {
  const match = SCHEMA_PATH.exec(new URL(url).pathname);
  if (!match) return download.call(this, url);
  const file = path.join(SCHEMA_DIR, `k8s-v${match[1]}-definitions.json`);
  if (!existsSync(file)) {
    throw new Error(`no local schema for Kubernetes ${match[1]}: ${path.relative(process.cwd(), file)} does not exist`);
  }
  console.error(`Using the local Kubernetes schema ${path.relative(process.cwd(), file)}`);
  return readFileSync(file, 'utf8');
};

const args = process.argv.slice(2);
if (!args.some(a => a === '--check-upgrade' || a === '--no-check-upgrade')) args.push('--no-check-upgrade');
process.argv = [process.argv[0], path.join(cliRoot, 'bin', 'cdk8s'), 'import', ...args];
require(path.join(cliRoot, 'lib', 'cli'));
