/**
 * Starts and stops the real Vitrine server for end-to-end tests and benchmarks.
 * Side effects owned here: a child Node process (the server, run as `npm start` runs it: tsx on
 * src/server/main.ts), a fresh temporary VITRINE_DATA directory, and a log file capturing the server's
 * stdout and stderr. A watchdog preloaded into the child stops it when this process goes away, and an
 * `exit` hook kills it if the caller never calls `stop()` (a crashed test run leaves no server behind).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (this file lives in test/support/). */
export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** A server started by {@link startServer}. */
export interface RunningServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly baseUrl: string;
  /** The server's VITRINE_DATA directory (removed by `stop()`). */
  readonly dataDir: string;
  /** File holding everything the server printed (kept after `stop()`). */
  readonly logPath: string;
  /** Process id of the server. */
  readonly pid: number;
  /** Last `lines` lines of the server log. */
  logTail(lines?: number): string;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and removes its data directory. */
  stop(): Promise<void>;
}

/** Options of {@link startServer}. */
export interface StartServerOptions {
  /** How long to wait for `/api/v1/health` to answer 200 (the first start may seed the demo brand). */
  healthTimeoutMs?: number;
  /** Extra environment for the server. */
  env?: Record<string, string>;
  /** Prefix of the temporary directory name, to tell runs apart. */
  label?: string;
}

/** Finds a TCP port that is free on `host` right now (the OS picks it). */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      if (address === null || typeof address === 'string') {
        probe.close();
        reject(new Error('could not read the probe port'));
        return;
      }
      const { port } = address;
      probe.close(() => resolvePort(port));
    });
  });
}

/** Throws unless the production build exists (the server serves dist/app). */
export function assertAppBuilt(): void {
  const index = join(repoRoot, 'dist', 'app', 'index.html');
  if (!existsSync(index)) {
    throw new Error(
      `${index} is missing: run npm run build (npm run test:e2e and npm run bench build first)`,
    );
  }
}

function tailOf(path: string, lines: number): string {
  try {
    const text = readFileSync(path, 'utf8');
    return text.split('\n').slice(-lines).join('\n');
  } catch {
    return '(no server log)';
  }
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Runs synchronously on any normal exit of this process, including after an uncaught error.
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolveExit) => {
    const timer = setTimeout(() => resolveExit(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveExit(true);
    });
  });
}

/**
 * Starts src/server/main.ts on a free loopback port with a fresh VITRINE_DATA directory and waits until
 * `GET /api/v1/health` answers 200. Throws with the log tail when the server exits or never gets healthy.
 */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const healthTimeoutMs = options.healthTimeoutMs ?? 180_000;
  const workDir = mkdtempSync(join(tmpdir(), `${options.label ?? 'vitrine-test'}-`));
  const dataDir = join(workDir, 'data');
  const logPath = join(workDir, 'server.log');
  const port = await findFreePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const logFd = openSync(logPath, 'a');

  // `node --import tsx` is what the `tsx` command runs, minus its wrapper process, so that the pid we
  // hold is the server itself and a signal reaches it directly.
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', './test/support/exit-with-parent.mjs', 'src/server/main.ts'],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        ...options.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        VITRINE_DATA: dataDir,
      },
      stdio: ['ignore', logFd, logFd],
    },
  );
  closeSync(logFd);
  installExitHook();
  live.add(child);
  child.once('exit', () => live.delete(child));

  let exited = false;
  child.once('exit', () => {
    exited = true;
  });

  const stop = async (): Promise<void> => {
    if (!exited) {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, 5_000))) {
        child.kill('SIGKILL');
        await waitForExit(child, 5_000);
      }
    }
    live.delete(child);
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + healthTimeoutMs;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(
        `the server exited (code ${String(child.exitCode)}, signal ${String(child.signalCode)}) before ` +
          `${baseUrl}/api/v1/health answered; log ${logPath}:\n${tailOf(logPath, 40)}`,
      );
    }
    try {
      const res = await fetch(`${baseUrl}/api/v1/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `${baseUrl}/api/v1/health did not answer 200 within ${healthTimeoutMs} ms; log ${logPath}:\n${tailOf(logPath, 40)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }

  return {
    baseUrl,
    dataDir,
    logPath,
    pid: child.pid ?? -1,
    logTail: (lines = 40) => tailOf(logPath, lines),
    stop,
  };
}
