/**
 * The storage backends every storage test runs against: SQLite in a temporary folder, and PostgreSQL with one
 * fresh database per `open()` (`CREATE DATABASE vitrine_test_<random>`) on the test run's server (see
 * postgres-setup.ts). Each `open()` gives a migrated database seeded with the brand-mini fixture, and a
 * `close()` that drops it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { inject } from 'vitest';
import { assetsDirOf } from '../../src/server/asset-store';
import { openDatabase } from '../../src/server/storage/connection';
import type { Database } from '../../src/server/storage/schema';
import { seedIfEmpty } from '../../src/server/seed';
import { databaseUrlOf, runAdminStatement } from './postgres';

/** The two-product test brand. */
export const BRAND_MINI_DIR = fileURLToPath(new URL('../fixtures/brand-mini/', import.meta.url));

/**
 * A fresh, empty database (no tables yet) and where it lives: what `buildServer`, `openDatabase` and
 * `connectDatabase` take (`dataDir` and `{ databaseUrl }`).
 */
export interface EmptyDatabase {
  /** A new temporary folder: the SQLite file (sqlite only) and the asset store. */
  dataDir: string;
  /** The PostgreSQL URL of the database (postgres only). */
  databaseUrl: string | undefined;
  /** Deletes the database and the folder. Close every handle on it first. */
  drop(): Promise<void>;
}

/** An open test database and how to dispose of it. */
export interface TestStore {
  db: Kysely<Database>;
  /** Where the database lives: a server started with these options shares it. */
  dataDir: string;
  databaseUrl: string | undefined;
  /** Closes `db` and drops the database. */
  close(): Promise<void>;
}

/** A storage backend under test. */
export interface TestBackend {
  name: 'sqlite' | 'postgres';
  /** A fresh database seeded with `brandDirs` (default: brand-mini). */
  open(brandDirs?: string[]): Promise<TestStore>;
  /** A fresh database without any table, for tests of migrations and first starts. */
  createEmpty(): Promise<EmptyDatabase>;
}

const tempDataDir = (): Promise<string> => mkdtemp(path.join(tmpdir(), 'vitrine-store-'));

/** `open` of a backend: an empty database, migrated and seeded. */
async function openSeeded(empty: EmptyDatabase, brandDirs: string[]): Promise<TestStore> {
  let db: Kysely<Database> | undefined;
  try {
    db = await openDatabase(empty.dataDir, { databaseUrl: empty.databaseUrl });
    await seedIfEmpty(db, { brandDirs, assetsDir: assetsDirOf(empty.dataDir) });
  } catch (error) {
    await db?.destroy();
    await empty.drop();
    throw error;
  }
  const handle = db;
  return {
    db: handle,
    dataDir: empty.dataDir,
    databaseUrl: empty.databaseUrl,
    async close() {
      await handle.destroy();
      await empty.drop();
    },
  };
}

async function emptySqlite(): Promise<EmptyDatabase> {
  const dataDir = await tempDataDir();
  return {
    dataDir,
    databaseUrl: undefined,
    drop: () => rm(dataDir, { recursive: true, force: true }),
  };
}

async function emptyPostgres(): Promise<EmptyDatabase> {
  // The server of this test run (postgres-setup.ts): private, or the one DATABASE_URL names.
  const serverUrl = inject('postgresUrl');
  const name = `vitrine_test_${randomBytes(8).toString('hex')}`;
  await runAdminStatement(serverUrl, `CREATE DATABASE ${name}`);
  const dataDir = await tempDataDir();
  return {
    dataDir,
    databaseUrl: databaseUrlOf(serverUrl, name),
    async drop() {
      await runAdminStatement(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

const sqlite: TestBackend = {
  name: 'sqlite',
  createEmpty: emptySqlite,
  open: async (brandDirs = [BRAND_MINI_DIR]) => openSeeded(await emptySqlite(), brandDirs),
};

const postgres: TestBackend = {
  name: 'postgres',
  createEmpty: emptyPostgres,
  open: async (brandDirs = [BRAND_MINI_DIR]) => openSeeded(await emptyPostgres(), brandDirs),
};

/** Every backend storage tests run against. */
export const backends: TestBackend[] = [sqlite, postgres];
