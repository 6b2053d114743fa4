import { spawnSync } from 'child_process';
import { accessSync, constants } from 'fs';
import { delimiter, join, resolve } from 'path';

/** The real Prometheus ecosystem binaries (and kustomize) the tests run. */
export type ToolName = 'prometheus' | 'promtool' | 'alertmanager' | 'amtool' | 'pushgateway' | 'kustomize' | 'node-exporter' | 'blackbox-exporter';

const REPO_ROOT = resolve(__dirname, '..', '..');
/** Where scripts/install-tools.sh unpacks the Debian packages. */
export const TOOLS_BIN = join(REPO_ROOT, '.tools', 'root', 'usr', 'bin');
const INSTALL_HINT = 'run `npm run tools` (i.e. `bash scripts/install-tools.sh`) from the repository root';

/** Debian renames some upstream binaries; the upstream name is tried too, on PATH. */
const FILE_NAMES: Record<ToolName, string[]> = {
  prometheus: ['prometheus'],
  promtool: ['promtool'],
  alertmanager: ['prometheus-alertmanager', 'alertmanager'],
  amtool: ['amtool'],
  pushgateway: ['prometheus-pushgateway', 'pushgateway'],
  kustomize: ['kustomize'],
  'node-exporter': ['prometheus-node-exporter', 'node_exporter'],
  'blackbox-exporter': ['prometheus-blackbox-exporter', 'blackbox_exporter'],
};

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Absolute path of a tool: the repo-local install first, then PATH.
 * @throws if it is missing: a test that needs a real tool must fail, never silently skip.
 */
export function tool(name: ToolName): string {
  const dirs = [TOOLS_BIN, ...(process.env.PATH ?? '').split(delimiter).filter(Boolean)];
  for (const dir of dirs) {
    for (const file of FILE_NAMES[name]) {
      const path = join(dir, file);
      if (isExecutable(path)) return path;
    }
  }
  throw new Error(`The '${name}' binary (${FILE_NAMES[name].join(' or ')}) is not installed in ${TOOLS_BIN} nor on PATH: ${INSTALL_HINT}`);
}

export interface RunOptions {
  readonly cwd?: string;
  /** Written to the tool's stdin. */
  readonly input?: string;
  /** Killed (SIGKILL) after this long; a hung tool must not hang the test run. */
  readonly timeoutMs: number;
}

export interface RunResult {
  /** Exit code; null when killed by a signal (e.g. on timeout). */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a tool to completion. @throws if it cannot be started or times out */
export function runTool(name: ToolName, args: string[], options: RunOptions): RunResult {
  const path = tool(name);
  const result = spawnSync(path, args, {
    cwd: options.cwd,
    input: options.input,
    encoding: 'utf8',
    timeout: options.timeoutMs,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) {
    throw new Error(`${name} ${args.join(' ')} failed: ${result.error.message}\n${result.stdout ?? ''}${result.stderr ?? ''}`);
  }
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
