import { ChildProcess, spawn } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';

/** A running server process started by {@link startDaemon}. */
export interface Daemon {
  readonly name: string;
  readonly pid: number;
  /** Everything it wrote to stdout and stderr so far (the tail, if huge). */
  logs(): string;
  /** Whether it has not exited yet. */
  running(): boolean;
  /** SIGTERM (a graceful shutdown), SIGKILL if still alive after 5 s; resolves once it exited. */
  stop(): Promise<void>;
  /** SIGKILL (a crash); resolves once it exited. */
  kill9(): Promise<void>;
}

export interface DaemonOptions {
  /** Shown in errors. */
  readonly name: string;
  /** Absolute path of the executable, e.g. from `tool()`. */
  readonly command: string;
  readonly args: string[];
  readonly cwd?: string;
  /** Added to the test process's environment; `undefined` removes a variable. */
  readonly env?: Record<string, string | undefined>;
  /** Polled until it answers 200. */
  readonly readyUrl: string;
  /** @default 15000 */
  readonly timeoutMs?: number;
}

const STOP_GRACE_MS = 5_000;
const MAX_LOG_CHARS = 1_000_000;

// Everything a test file started, cleaned up after its last test even when a test
// or a hook failed. Jest gives each test file its own module registry, so this is per file.
const daemons = new Set<Daemon>();
const tempDirs = new Set<string>();

async function cleanup(): Promise<void> {
  // Daemons first: they may still be writing into the temp dirs.
  await Promise.all([...daemons].map(d => d.stop()));
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

try {
  // Registered at import time, i.e. while Jest collects the test file.
  if (typeof afterAll === 'function') afterAll(cleanup, 2 * STOP_GRACE_MS + 5_000);
} catch {
  // Imported lazily from inside a test, where hooks cannot be added: the exit handler still runs.
}
// Last resort when the process exits without afterAll (e.g. a crash): only synchronous work works here.
// Ctrl-C needs nothing: the children share the terminal's process group and get the SIGINT too.
process.on('exit', () => {
  for (const d of daemons) {
    if (d.running()) {
      try {
        process.kill(d.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** A TCP port that was free a moment ago on 127.0.0.1 (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

/** A fresh directory under the OS temp dir, removed after the test file's last test. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `${prefix.replace(/[^A-Za-z0-9_.-]/g, '-')}-`));
  tempDirs.add(dir);
  return dir;
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/**
 * Polls `fn` until it resolves true. A throwing `fn` counts as "not yet".
 * @throws after `timeoutMs`, naming `what` and the last error
 */
export async function waitFor(fn: () => Promise<boolean>, timeoutMs: number, intervalMs = 200, what = 'a condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await fn()) return;
      lastError = undefined;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() >= deadline) {
      const cause = lastError ? ` (last error: ${(lastError as Error).message ?? lastError})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await sleep(intervalMs);
  }
}

/** Whether `url` answers 200 now. Never throws. */
async function answers200(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await res.arrayBuffer(); // drain, so the connection is released
    return res.status === 200;
  } catch {
    return false;
  }
}

/**
 * Starts a server process and resolves once `readyUrl` answers 200.
 * It is stopped after the test file's last test even if the caller forgets to.
 * @throws with the process's output if it exits early or is not ready in time
 */
export async function startDaemon(options: DaemonOptions): Promise<Daemon> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const child: ChildProcess = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const append = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (output.length > MAX_LOG_CHARS) output = output.slice(-MAX_LOG_CHARS);
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);

  let exitStatus: string | undefined;
  const exited = new Promise<void>(resolve => {
    child.once('exit', (code, signal) => {
      exitStatus = signal ? `killed by ${signal}` : `exited with code ${code}`;
      resolve();
    });
    // e.g. ENOENT: 'exit' never comes.
    child.once('error', e => {
      exitStatus ??= `failed to start: ${e.message}`;
      resolve();
    });
  });
  const running = () => exitStatus === undefined;
  const signalAndWait = async (signal: NodeJS.Signals, graceMs?: number) => {
    if (!running()) return;
    child.kill(signal);
    if (graceMs === undefined) return exited;
    const timer = new Promise<'timeout'>(resolve => setTimeout(() => resolve('timeout'), graceMs).unref());
    if (await Promise.race([exited, timer]) === 'timeout' && running()) {
      child.kill('SIGKILL');
      await exited;
    }
  };

  const daemon: Daemon = {
    name: options.name,
    pid: child.pid ?? -1,
    logs: () => output,
    running,
    stop: async () => {
      await signalAndWait('SIGTERM', STOP_GRACE_MS);
      daemons.delete(daemon);
    },
    kill9: async () => {
      await signalAndWait('SIGKILL');
      daemons.delete(daemon);
    },
  };
  daemons.add(daemon);

  const describe = `${options.name} (${options.command} ${options.args.join(' ')})`;
  const deadline = Date.now() + timeoutMs;
  while (running()) {
    if (await answers200(options.readyUrl)) return daemon;
    if (Date.now() >= deadline) {
      await daemon.kill9();
      throw new Error(`${describe} was not ready at ${options.readyUrl} within ${timeoutMs} ms. Output:\n${output}`);
    }
    await sleep(200);
  }
  daemons.delete(daemon);
  throw new Error(`${describe} ${exitStatus} before it was ready. Output:\n${output}`);
}
