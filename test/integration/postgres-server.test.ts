import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { CatalogSnapshot } from '../../src/protocol/catalog';
import { findProduct, putProduct } from '../../src/server/storage/catalog-store';
import { openDatabase, SQLITE_FILE } from '../../src/server/storage/connection';
import { backends, type EmptyDatabase, type TestBackend } from '../support/backends';
import { findFreePort, startServer as startMain } from '../support/server';
import { BRAND_MINI, closeAll, startServer, tempDir } from './server-harness';

function postgresBackend(): TestBackend {
  const found = backends.find((b) => b.name === 'postgres');
  if (found === undefined) throw new Error('the postgres backend is missing from test/support/backends.ts');
  return found;
}
const postgres = postgresBackend();

const databases: EmptyDatabase[] = [];
afterAll(async () => {
  await closeAll();
  for (const db of databases) await db.drop();
});

async function emptyPostgres(): Promise<EmptyDatabase & { databaseUrl: string }> {
  const db = await postgres.createEmpty();
  databases.push(db);
  if (db.databaseUrl === undefined) throw new Error('a postgres database has a URL');
  return { ...db, databaseUrl: db.databaseUrl };
}

/** Runs one query on `url` over its own connection, with pg's default type parsing. */
async function query<R extends pg.QueryResultRow>(url: string, text: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text)).rows;
  } finally {
    await client.end();
  }
}

describe('the server on PostgreSQL', () => {
  it('buildServer with databaseUrl seeds PostgreSQL and serves /api/v1/catalog from it', async () => {
    const db = await emptyPostgres();
    const server = await startServer({ dataDir: db.dataDir, databaseUrl: db.databaseUrl });
    const snapshot = CatalogSnapshot.parse(await (await server.get('/api/v1/catalog')).json());
    expect(snapshot.cursor).toBe('6');
    expect(snapshot.products.map((p) => p.id)).toEqual(['cube-stool', 'slab-table']);

    // The rows are in PostgreSQL; the data folder holds the asset store and no SQLite file.
    const rows = await query<{ id: string }>(db.databaseUrl, 'SELECT id FROM products ORDER BY position');
    expect(rows.map((r) => r.id)).toEqual(['cube-stool', 'slab-table']);
    expect(existsSync(path.join(db.dataDir, SQLITE_FILE))).toBe(false);
    const poster = await server.get(snapshot.products[0]?.poster.url ?? '/missing');
    expect(poster.status).toBe(200);

    // A write through another connection to the same database is what the server answers next.
    const store = await openDatabase(db.dataDir, { databaseUrl: db.databaseUrl });
    try {
      const stool = await findProduct(store, 'cube-stool');
      if (stool === undefined) throw new Error('no cube-stool');
      const cursor = await putProduct(store, { ...stool, name: 'Stool from PostgreSQL' });
      const after = CatalogSnapshot.parse(await (await server.get('/api/v1/catalog')).json());
      expect(after.cursor).toBe(cursor);
      expect(after.products[0]?.name).toBe('Stool from PostgreSQL');
    } finally {
      await store.destroy();
    }
  });

  it('main.ts reads DATABASE_URL from the environment', async () => {
    const db = await emptyPostgres();
    const server = await startMain({
      label: 'vitrine-main-env',
      env: { DATABASE_URL: db.databaseUrl, VITRINE_BRANDS: BRAND_MINI },
      healthTimeoutMs: 60_000,
    });
    try {
      const snapshot = CatalogSnapshot.parse(await (await fetch(`${server.baseUrl}/api/v1/catalog`)).json());
      expect(snapshot.products.map((p) => p.id)).toEqual(['cube-stool', 'slab-table']);
      const [count] = await query<{ n: string }>(db.databaseUrl, 'SELECT count(*) AS n FROM catalog_changes');
      expect(count?.n).toBe('6');
      expect(existsSync(path.join(server.dataDir, SQLITE_FILE))).toBe(false);
    } finally {
      await server.stop();
      // The log folder is kept by stop() for failed e2e runs; this test read what it needed.
      await rm(path.dirname(server.logPath), { recursive: true, force: true });
    }
  }, 90_000);

  it('returns PostgreSQL int8 results (count, sum) as numbers, without changing pg for other clients', async () => {
    const db = await emptyPostgres();
    const store = await openDatabase(db.dataDir, { databaseUrl: db.databaseUrl });
    try {
      const row = await store
        .selectFrom('catalog_changes')
        .select((eb) => [eb.fn.countAll().as('n'), eb.fn.sum('seq').as('total')])
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ n: 0, total: null });
    } finally {
      await store.destroy();
    }
    // pg's process-wide parsers are untouched: a plain client still gets int8 as a string.
    const [plain] = await query<{ n: unknown }>(db.databaseUrl, 'SELECT count(*) AS n FROM pg_class');
    expect(typeof plain?.n).toBe('string');
  });

  it('refuses a URL that is not PostgreSQL, and fails (not hangs) when the server is unreachable', async () => {
    const dataDir = await tempDir('vitrine-data-');
    await expect(openDatabase(dataDir, { databaseUrl: 'mysql://root@localhost/vitrine' })).rejects.toThrow(
      /DATABASE_URL must be a PostgreSQL URL/,
    );
    const closedPort = await findFreePort();
    const error = await openDatabase(dataDir, {
      databaseUrl: `postgres://postgres:secret@127.0.0.1:${closedPort}/vitrine`,
    }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(
      /^Cannot connect to PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/vitrine: .*ECONNREFUSED/,
    );
    expect(error?.message).not.toContain('secret');
  });
});
