/**
 * Opens the server database. This module owns the SQLite file `<dataDir>/vitrine.sqlite`: it creates the
 * data folder, opens better-sqlite3 in WAL mode with foreign keys on, and wraps it in Kysely. Everything else
 * talks to the database through Kysely only, so a PostgreSQL dialect can replace this module later.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { migrateToLatest } from './migrations';
import type { Database } from './schema';

/** File name of the SQLite database inside the data folder. */
export const SQLITE_FILE = 'vitrine.sqlite';

/**
 * Opens (creating when missing) the SQLite database in `dataDir` and migrates it to the latest schema.
 * The caller owns the returned handle and closes it with `db.destroy()`.
 */
export async function openDatabase(dataDir: string): Promise<Kysely<Database>> {
  mkdirSync(dataDir, { recursive: true });
  const sqlite = new SqliteDatabase(path.join(dataDir, SQLITE_FILE));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return db;
}
