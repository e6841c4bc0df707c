import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Migrator } from 'kysely';
import { ApiError, CatalogChanges, CatalogSnapshot, type Product } from '../../src/protocol/catalog';
import {
  deleteProduct,
  deleteShowroom,
  findProduct,
  putProduct,
  putShowroom,
  readChangePage,
  readCursor,
  writeCatalog,
} from '../../src/server/storage/catalog-store';
import { connectDatabase, openDatabase } from '../../src/server/storage/connection';
import { migrations } from '../../src/server/storage/migrations';
import { backends, type TestStore } from '../support/backends';
import { closeAll, startServer, type RunningServer } from './server-harness';

afterAll(closeAll);

describe.each(backends)('catalog changes on $name', (backend) => {
  let server: RunningServer;
  let store: TestStore;

  beforeAll(async () => {
    store = await backend.open();
    // The server shares the store's database; the tests write through `store.db` as a publishing tool would.
    server = await startServer({ dataDir: store.dataDir, databaseUrl: store.databaseUrl });
  });
  afterAll(async () => {
    await server.app.close();
    await store.close();
  });

  async function changes(query: string): Promise<CatalogChanges> {
    const response = await server.get(`/api/v1/catalog/changes${query}`);
    expect(response.status, query).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    return CatalogChanges.parse(await response.json());
  }

  async function product(id: string): Promise<Product> {
    const found = await findProduct(store.db, id);
    if (!found) throw new Error(`no product ${id}`);
    return found;
  }

  describe('GET /api/v1/catalog/changes', () => {
    it('from 0 sends every seeded record once, in log order, with the cursor of the last change', async () => {
      const page = await changes('');
      expect(page.cursor).toBe('6');
      expect(page.hasMore).toBe(false);
      expect(page.changes.map((c) => `${c.entity}:${c.id}:${c.op}`)).toEqual([
        'brand:mini:put',
        'category:seating:put',
        'category:tables:put',
        'product:cube-stool:put',
        'product:slab-table:put',
        'showroom:mini-room:put',
      ]);
      // The records are the snapshot's records, and the snapshot's cursor is the feed's.
      const snapshot = CatalogSnapshot.parse(await (await server.get('/api/v1/catalog')).json());
      expect(snapshot.cursor).toBe(page.cursor);
      const records = page.changes.map((c) => (c.op === 'put' ? c.record : null));
      expect(records).toEqual([
        ...snapshot.brands,
        ...snapshot.categories,
        ...snapshot.products,
        ...snapshot.showrooms,
      ]);
      expect(await changes('?since=0&limit=200')).toEqual(page);
    });

    it('pages with a small limit: each cursor continues where the last page stopped', async () => {
      const seen: string[] = [];
      const cursors: string[] = [];
      let since = '0';
      for (let i = 0; i < 10; i++) {
        const page = await changes(`?since=${since}&limit=4`);
        seen.push(...page.changes.map((c) => c.id));
        cursors.push(page.cursor);
        since = page.cursor;
        if (!page.hasMore) break;
      }
      expect(cursors).toEqual(['4', '6']);
      expect(seen).toEqual(['mini', 'seating', 'tables', 'cube-stool', 'slab-table', 'mini-room']);
      expect(await changes('?since=6')).toEqual({ cursor: '6', hasMore: false, changes: [] });
    });

    it('sends only what changed since a cursor: puts with the new record, deletes as tombstones', async () => {
      const before = await readCursor(store.db);
      const stool = await product('cube-stool');
      const renamed: Product = {
        ...stool,
        name: 'Cube stool, renamed',
        updatedAt: new Date().toISOString(),
      };
      const afterPut = await putProduct(store.db, renamed);
      expect(Number(afterPut)).toBe(Number(before) + 1);

      const delta = await changes(`?since=${before}`);
      expect(delta).toEqual({
        cursor: afterPut,
        hasMore: false,
        changes: [{ entity: 'product', id: 'cube-stool', op: 'put', record: renamed }],
      });
      // The whole catalog agrees, and the product keeps its place in its brand's list.
      const snapshot = CatalogSnapshot.parse(await (await server.get('/api/v1/catalog')).json());
      expect(snapshot.cursor).toBe(afterPut);
      expect(snapshot.products.map((p) => p.name)).toEqual(['Cube stool, renamed', 'Slab Table']);

      const slab = await product('slab-table');
      const afterDelete = await deleteProduct(store.db, 'slab-table');
      expect(await deleteProduct(store.db, 'slab-table')).toBeUndefined();
      expect(await changes(`?since=${afterPut}`)).toEqual({
        cursor: afterDelete,
        hasMore: false,
        changes: [{ entity: 'product', id: 'slab-table', op: 'delete' }],
      });
      expect(await (await server.get('/api/v1/products/slab-table')).json()).toMatchObject({
        error: { code: 'NOT_FOUND' },
      });

      // Put back for the tests after this one.
      await putProduct(store.db, stool);
      await putProduct(store.db, slab);
    });

    it('collapses a record changed several times in a page to its latest op', async () => {
      const start = await readCursor(store.db);
      const room = (await changes('')).changes.find((c) => c.entity === 'showroom');
      if (room?.op !== 'put' || room.entity !== 'showroom') throw new Error('no showroom put');
      await putShowroom(store.db, { ...room.record, name: 'First name' });
      await putShowroom(store.db, { ...room.record, name: 'Second name' });
      const two = await changes(`?since=${start}`);
      expect(two.changes).toEqual([
        { entity: 'showroom', id: 'mini-room', op: 'put', record: { ...room.record, name: 'Second name' } },
      ]);
      expect(Number(two.cursor)).toBe(Number(start) + 2);

      // Put then deleted: one tombstone. Paged one entry at a time, the put (already gone) is sent as a delete.
      await deleteShowroom(store.db, 'mini-room');
      const collapsed = await changes(`?since=${start}`);
      expect(collapsed.changes).toEqual([{ entity: 'showroom', id: 'mini-room', op: 'delete' }]);
      const first = await changes(`?since=${start}&limit=1`);
      expect(first).toEqual({
        cursor: String(Number(start) + 1),
        hasMore: true,
        changes: [{ entity: 'showroom', id: 'mini-room', op: 'delete' }],
      });
      await putShowroom(store.db, room.record);
      const restored = await changes(`?since=${start}`);
      expect(restored.changes).toEqual([room]);
      expect(restored.hasMore).toBe(false);
    });

    it('numbers concurrent writes of different records one after another, none lost or refused', async () => {
      const before = Number(await readCursor(store.db));
      const originals = [await product('cube-stool'), await product('slab-table')];
      const writes = Array.from({ length: 8 }, (_, i) => {
        const original = originals[i % 2];
        if (original === undefined) throw new Error('no product');
        return { ...original, name: `Renamed ${i}` };
      });
      const cursors = await Promise.all(writes.map((p) => putProduct(store.db, p)));
      expect(cursors.map(Number).sort((a, b) => a - b)).toEqual(writes.map((_, i) => before + i + 1));
      const delta = await changes(`?since=${before}`);
      expect(delta.cursor).toBe(String(before + writes.length));
      // Each product is sent as the write numbered last for it stored it.
      const lastWrite = (id: string) =>
        writes
          .map((p, i) => ({ p, seq: Number(cursors[i]) }))
          .filter(({ p }) => p.id === id)
          .sort((a, b) => b.seq - a.seq)[0]?.p;
      expect(delta.changes.map((c) => (c.op === 'put' ? c.record : undefined))).toEqual(
        expect.arrayContaining([lastWrite('cube-stool'), lastWrite('slab-table')]),
      );
      expect(delta.changes).toHaveLength(2);
      for (const original of originals) await putProduct(store.db, original);
    });

    it('answers 400 CURSOR_AHEAD to a cursor newer than the catalog', async () => {
      const current = Number(await readCursor(store.db));
      const response = await server.get(`/api/v1/catalog/changes?since=${current + 1}`);
      expect(response.status).toBe(400);
      const body = ApiError.parse(await response.json());
      expect(body.error.code).toBe('CURSOR_AHEAD');
      expect(body.error.message).toContain('pull again from 0');
    });

    it.each([
      ['since=abc', 'since'],
      ['since=-1', 'since'],
      ['since=1.5', 'since'],
      ['since=', 'since'],
      ['limit=0', 'limit'],
      ['limit=1001', 'limit'],
      ['limit=ten', 'limit'],
      ['since=1&since=2', 'since'],
    ])('answers 400 JSON to a malformed query (%s)', async (query, field) => {
      const response = await server.get(`/api/v1/catalog/changes?${query}`);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const body = ApiError.parse(await response.json());
      expect(body.error.code).toBe('BAD_REQUEST');
      expect(body.error.message).toContain(field);
    });

    it('accepts the largest page size', async () => {
      const page = await changes('?limit=1000');
      expect(page.hasMore).toBe(false);
      expect(page.cursor).toBe(await readCursor(store.db));
    });
  });

  describe('the catalog write lock', () => {
    it('runs two first writes to an empty catalog one after the other: both land, numbered in turn', async () => {
      const snapshot = CatalogSnapshot.parse(await (await server.get('/api/v1/catalog')).json());
      const [brand] = snapshot.brands;
      if (brand === undefined) throw new Error('no brand');
      const empty = await backend.createEmpty();
      const db = await openDatabase(empty.dataDir, { databaseUrl: empty.databaseUrl });
      try {
        const write = (id: string) =>
          writeCatalog(db, {
            brands: [{ ...brand, id, name: id }],
            categories: [],
            products: [],
            showrooms: [],
            assets: [],
            reason: `seed ${id}`,
          });
        const cursors = await Promise.all([write('first'), write('second'), write('third')]);
        expect(cursors.map(Number).sort()).toEqual([1, 2, 3]);
        const versions = await db.selectFrom('catalog_versions').select('version').execute();
        expect(versions.map((v) => v.version).sort()).toEqual([1, 2, 3]);
      } finally {
        await db.destroy();
        await empty.drop();
      }
    });
  });

  describe('the change-log migration', () => {
    it('logs one put per record of a database seeded before the log existed', async () => {
      const snapshot = CatalogSnapshot.parse(await (await server.get('/api/v1/catalog')).json());
      const empty = await backend.createEmpty();
      try {
        const old = connectDatabase(empty.dataDir, { databaseUrl: empty.databaseUrl });
        const migrator = new Migrator({
          db: old,
          provider: { getMigrations: () => Promise.resolve(migrations) },
        });
        expect((await migrator.migrateTo('0001-catalog-tables')).error).toBeUndefined();
        const now = new Date().toISOString();
        for (const brand of snapshot.brands) {
          await old
            .insertInto('brands')
            .values({ id: brand.id, name: brand.name, document: JSON.stringify(brand), updated_at: now })
            .execute();
        }
        for (const [position, category] of snapshot.categories.entries()) {
          await old
            .insertInto('categories')
            .values({ id: category.id, brand_id: 'mini', name: category.name, position })
            .execute();
        }
        for (const [position, p] of [...snapshot.products].reverse().entries()) {
          await old
            .insertInto('products')
            .values({
              id: p.id,
              brand_id: p.brandId,
              category_id: p.category,
              name: p.name,
              price_min: 1,
              currency: 'EUR',
              position,
              document: JSON.stringify(p),
              updated_at: now,
            })
            .execute();
        }
        await old
          .insertInto('catalog_versions')
          .values({ version: 1, created_at: now, reason: 'seed' })
          .execute();
        await old.destroy();

        const upgraded = await openDatabase(empty.dataDir, { databaseUrl: empty.databaseUrl });
        try {
          expect(await readCursor(upgraded)).toBe('5');
          const result = await readChangePage(upgraded, 0, 100);
          if (result.ahead) throw new Error('cursor 0 cannot be ahead');
          expect(result.page.changes.map((c) => `${c.entity}:${c.id}`)).toEqual([
            'brand:mini',
            'category:seating',
            'category:tables',
            'product:slab-table',
            'product:cube-stool',
          ]);
          expect(result.page.changes.every((c) => c.op === 'put')).toBe(true);
        } finally {
          await upgraded.destroy();
        }
      } finally {
        await empty.drop();
      }
    });
  });
});
