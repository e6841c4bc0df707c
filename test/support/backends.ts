/**
 * The storage backends every storage test runs against. Each `open()` gives a fresh, migrated database seeded
 * with the brand-mini fixture, and a `close()` that drops it. SQLite runs in a temporary folder.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { assetsDirOf } from '../../src/server/asset-store';
import { openDatabase } from '../../src/server/storage/connection';
import type { Database } from '../../src/server/storage/schema';
import { seedIfEmpty } from '../../src/server/seed';

/** The two-product test brand. */
export const BRAND_MINI_DIR = fileURLToPath(new URL('../fixtures/brand-mini/', import.meta.url));

/** An open test database and how to dispose of it. */
export interface TestStore {
  db: Kysely<Database>;
  close(): Promise<void>;
}

/** A storage backend under test. */
export interface TestBackend {
  name: 'sqlite' | 'postgres';
  /** A fresh database seeded with `brandDirs` (default: brand-mini). */
  open(brandDirs?: string[]): Promise<TestStore>;
}

const sqlite: TestBackend = {
  name: 'sqlite',
  async open(brandDirs = [BRAND_MINI_DIR]) {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'vitrine-store-'));
    const db = await openDatabase(dataDir);
    await seedIfEmpty(db, { brandDirs, assetsDir: assetsDirOf(dataDir) });
    return {
      db,
      async close() {
        await db.destroy();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  },
};

/** Every backend storage tests run against. */
export const backends: TestBackend[] = [sqlite];
