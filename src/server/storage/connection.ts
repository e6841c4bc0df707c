/**
 * Opens the server database on one of two backends, both wrapped in Kysely so everything else talks to the
 * database through Kysely only:
 * - SQLite (the default, embedded): this module owns the file `<dataDir>/vitrine.sqlite`; it creates the data
 *   folder, opens better-sqlite3 in WAL mode with foreign keys on.
 * - PostgreSQL, when a `postgres://` (or `postgresql://`) URL is given: a `pg` connection pool owned by the
 *   returned handle. The pool parses `int8` (counts, sums) as JavaScript numbers, on this pool only.
 * Either way the schema is migrated to the latest version before the handle is returned.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import type { Dialect } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from './migrations';
import type { Database } from './schema';

/** File name of the SQLite database inside the data folder. */
export const SQLITE_FILE = 'vitrine.sqlite';

/** Where the database lives. */
export interface DatabaseOptions {
  /**
   * A PostgreSQL connection URL (`postgres://user:password@host:5432/name`). When absent or empty the embedded
   * SQLite database in the data folder is used.
   */
  databaseUrl?: string | undefined;
}

/** True for a URL this module opens with PostgreSQL. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** Parses a PostgreSQL `int8` as a number; values beyond 2^53 would lose digits, so they are refused. */
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`PostgreSQL returned the integer ${text}, too large for a JavaScript number`);
  }
  return value;
}

/** pg's type parsers with `int8` (OID 20) as a number: for the pool of this module only, not process-wide. */
const poolTypes: pg.CustomTypesConfig = {
  getTypeParser: (oid, format) =>
    oid === pg.types.builtins.INT8 && format !== 'binary' ? parseInt8 : pg.types.getTypeParser(oid, format),
};

function postgresDialect(databaseUrl: string): Dialect {
  const pool = new pg.Pool({ connectionString: databaseUrl, types: poolTypes });
  // An idle connection the server closes (restart, admin command) emits 'error' on the pool; without a
  // listener that would end the process. The pool drops that connection and opens a new one when needed.
  pool.on('error', (error) => {
    process.emitWarning(`an idle PostgreSQL connection failed: ${error.message}`);
  });
  return new PostgresDialect({ pool });
}

function sqliteDialect(dataDir: string): Dialect {
  const sqlite = new SqliteDatabase(path.join(dataDir, SQLITE_FILE));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return new SqliteDialect({ database: sqlite });
}

/**
 * A Kysely handle on the database, not migrated: for tools and tests that manage the schema themselves.
 * Creates `dataDir` when missing. Throws on a database URL that is not a PostgreSQL one (before creating anything). The caller closes it with `db.destroy()`.
 */
export function connectDatabase(dataDir: string, options: DatabaseOptions = {}): Kysely<Database> {
  const url = options.databaseUrl ?? '';
  if (url !== '' && !isPostgresUrl(url)) {
    throw new Error(
      'DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@localhost:5432/vitrine ' +
        '(leave it unset for the embedded SQLite database)',
    );
  }
  // The data folder holds the asset store on either backend, and the SQLite file on SQLite.
  mkdirSync(dataDir, { recursive: true });
  const dialect = url === '' ? sqliteDialect(dataDir) : postgresDialect(url);
  return new Kysely<Database>({ dialect });
}

/** The URL without its password, fit for an error message or a log. */
function redacted(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the PostgreSQL URL';
  }
}

/** Throws a message naming the server when PostgreSQL does not answer (instead of a failed migration). */
async function checkConnection(db: Kysely<Database>, url: string): Promise<void> {
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    throw new Error(`Cannot connect to PostgreSQL at ${redacted(url)}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * Opens the database and migrates it to the latest schema: PostgreSQL at `options.databaseUrl` when given,
 * else (creating when missing) the SQLite database in `dataDir`. The caller owns the returned handle and
 * closes it with `db.destroy()`.
 */
export async function openDatabase(
  dataDir: string,
  options: DatabaseOptions = {},
): Promise<Kysely<Database>> {
  const db = connectDatabase(dataDir, options);
  try {
    if (options.databaseUrl) await checkConnection(db, options.databaseUrl);
    await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return db;
}
