/**
 * A private PostgreSQL server for one test run, or the server `DATABASE_URL` names.
 * Finds Debian's PostgreSQL binaries (and, as root, installs the `postgresql` package when they are missing),
 * creates a cluster in a temporary folder (owned by the `postgres` user when running as root, since PostgreSQL
 * refuses to run as root), and runs `postgres` as a child of this process on a free loopback port, with its
 * socket inside that folder and durability off (fsync=off: a test cluster is thrown away).
 * Side effects owned here: may run apt-get; creates the temporary folder and the server process, both removed
 * by `stop()` (and the process is killed when this process exits without calling it).
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdtempSync,
  openSync,
  closeSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { findFreePort } from './server';

const run = promisify(execFile);

/** Where Debian's `postgresql-<major>` packages put their programs. */
const DEBIAN_PG_ROOT = '/usr/lib/postgresql';

/** A PostgreSQL server the tests may create databases on. */
export interface RunningPostgres {
  /** Superuser URL of its `postgres` database, e.g. `postgres://postgres@127.0.0.1:40123/postgres`. */
  readonly url: string;
  /** True when this module started the server (false for `DATABASE_URL`). */
  readonly private: boolean;
  /** Stops the private server and removes its folder; nothing for `DATABASE_URL`. */
  stop(): Promise<void>;
}

/** The `bin` folder of the newest PostgreSQL in /usr/lib/postgresql that has `initdb`, or undefined. */
export function findPostgresBin(): string | undefined {
  if (!existsSync(DEBIAN_PG_ROOT)) return undefined;
  const majors = readdirSync(DEBIAN_PG_ROOT)
    .filter((name) => /^\d+(\.\d+)?$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  return majors
    .map((major) => path.join(DEBIAN_PG_ROOT, major, 'bin'))
    .find((bin) => existsSync(path.join(bin, 'initdb')) && existsSync(path.join(bin, 'postgres')));
}

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * Makes sure PostgreSQL's programs exist. When they are missing and this process runs as root, installs
 * Debian's package (printing the commands); otherwise throws an error saying what to run.
 */
export function ensurePostgres(): string {
  const found = findPostgresBin();
  if (found !== undefined) return found;
  const command = 'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql';
  if (!isRoot()) {
    throw new Error(
      `PostgreSQL not found in ${DEBIAN_PG_ROOT}/*/bin. The storage tests run on SQLite and PostgreSQL; ` +
        `install it with: sudo sh -c '${command}' (or set DATABASE_URL to a PostgreSQL server whose user may ` +
        'create databases).',
    );
  }
  console.log(`[postgres] PostgreSQL not found in ${DEBIAN_PG_ROOT}/*/bin; running: ${command}`);
  execFileSync('sh', ['-c', command], { stdio: 'inherit' });
  const installed = findPostgresBin();
  if (installed === undefined) {
    throw new Error(`"${command}" ran but ${DEBIAN_PG_ROOT}/*/bin/initdb still does not exist.`);
  }
  return installed;
}

/** The uid and gid to run PostgreSQL as: the `postgres` user when root, else this process's own. */
function serverIdentity(): { uid: number; gid: number } | undefined {
  if (!isRoot()) return undefined;
  try {
    const id = (flag: string): number =>
      Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error(
      'Running as root, the tests start PostgreSQL as the "postgres" user, which does not exist; ' +
        "install Debian's postgresql package (it creates the user) or run the tests as another user.",
    );
  }
}

function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no server log)';
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `url` accepts a connection; rejects when `failed()` says the server is gone or on timeout. */
async function waitUntilReady(
  url: string,
  failed: () => string | undefined,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reason = failed();
    if (reason !== undefined) throw new Error(reason);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw new Error(`PostgreSQL did not accept connections within ${timeoutMs} ms`, { cause: error });
      }
    } finally {
      await client.end().catch(() => undefined);
    }
    await sleep(50);
  }
}

/** Checks that the server at `url` answers, with a message naming the URL when it does not. */
async function checkReachable(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    const safe = url.replace(/\/\/[^@/]*@/, '//…@');
    throw new Error(`DATABASE_URL (${safe}) does not answer: ${(error as Error).message}`, { cause: error });
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Starts a private PostgreSQL server (or uses `DATABASE_URL` when set) and returns its superuser URL.
 * Takes a second or two: initdb without fsync, then a server with fsync off.
 */
export async function startPostgres(): Promise<RunningPostgres> {
  const external = process.env.DATABASE_URL;
  if (external !== undefined && external !== '') {
    await checkReachable(external);
    return { url: external, private: false, stop: () => Promise.resolve() };
  }

  const bin = ensurePostgres();
  const identity = serverIdentity();
  const root = mkdtempSync(path.join(tmpdir(), 'vitrine-pg-'));
  const remove = (): void => rmSync(root, { recursive: true, force: true });
  if (identity !== undefined) chownSync(root, identity.uid, identity.gid);
  const dataDir = path.join(root, 'data');
  const logFile = path.join(root, 'postgres.log');
  const asServerUser = identity === undefined ? {} : { uid: identity.uid, gid: identity.gid };

  try {
    await run(
      path.join(bin, 'initdb'),
      [
        '-D',
        dataDir,
        '-U',
        'postgres',
        '-A',
        'trust',
        '-E',
        'UTF8',
        '--locale=C',
        '--no-sync',
        '--no-instructions',
      ],
      { ...asServerUser, cwd: root },
    );
  } catch (error) {
    remove();
    const { stderr } = error as { stderr?: string };
    throw new Error(`initdb failed: ${stderr ?? (error as Error).message}`, { cause: error });
  }

  const port = await findFreePort();
  const log = openSync(logFile, 'a');
  if (identity !== undefined) chownSync(logFile, identity.uid, identity.gid);
  // A child in this process group: Ctrl-C reaches it too, and it never outlives a clean exit of this process.
  const child = spawn(
    path.join(bin, 'postgres'),
    [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-k',
      root,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=200',
      '-c',
      'shared_buffers=32MB',
    ],
    { ...asServerUser, cwd: root, stdio: ['ignore', log, log] },
  );
  closeSync(log);
  let exited: string | undefined;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = `PostgreSQL exited (${signal ?? `code ${String(code)}`}) while starting:\n${tail(logFile)}`;
      resolve();
    });
    child.once('error', (error) => {
      exited = `PostgreSQL could not be started: ${error.message}`;
      resolve();
    });
  });
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const stop = async (): Promise<void> => {
    process.off('exit', killOnExit);
    if (exited === undefined) {
      // Fast shutdown: ends open sessions and stops without a checkpoint worth waiting for (fsync is off).
      child.kill('SIGINT');
      const escalate = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(escalate);
    }
    remove();
  };

  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  try {
    await waitUntilReady(url, () => exited, 30_000);
  } catch (error) {
    const detail = `${(error as Error).message}\n${tail(logFile)}`;
    await stop();
    throw new Error(detail, { cause: error });
  }
  return { url, private: true, stop };
}

/** The URL of database `name` on the server of `url` (same user, host and options). */
export function databaseUrlOf(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** Runs one statement on the server's `url` over a short-lived connection (CREATE or DROP DATABASE). */
export async function runAdminStatement(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
