// Catalog pull against a real server on loopback (brand-mini, fresh data folder per test), through a small
// pass-through proxy that counts requests and bytes and can break a chosen request (500, bad JSON, dropped
// connection) to interrupt a pull midway. Dexie runs on fake-indexeddb.
import 'fake-indexeddb/auto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Dexie } from 'dexie';
import type { Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { VitrineDB } from '../../src/db/db';
import type { Product } from '../../src/protocol/catalog';
import { pullCatalog } from '../../src/sync/catalog-pull';
import {
  getPullStatus,
  OFFLINE_MESSAGE,
  subscribePullStatus,
  type PullStatus,
} from '../../src/sync/pull-status';
import {
  deleteProduct,
  deleteShowroom,
  findProduct,
  putProduct,
} from '../../src/server/storage/catalog-store';
import { openDatabase } from '../../src/server/storage/connection';
import type { Database } from '../../src/server/storage/schema';
import { closeAll, startServer, type RunningServer } from '../integration/server-harness';

/** How the proxy answers one request instead of forwarding it; `undefined` forwards. */
type Breakage = 'drop' | { status: number; body: string } | undefined;

let proxy: Server;
let baseUrl = '';
let upstream: RunningServer;
let store: Kysely<Database>;
let db: VitrineDB;
/** Request URLs the proxy saw, in order. */
let requests: string[] = [];
/** Response body bytes the proxy sent back. */
let bytes = 0;
/** Decides, per request (0-based), whether to break it. */
let breakRequest: (index: number, url: string) => Breakage = () => undefined;

function send(res: ServerResponse, status: number, body: string): void {
  bytes += Buffer.byteLength(body);
  res.writeHead(status, { 'content-type': 'application/json' }).end(body);
}

beforeAll(async () => {
  proxy = createServer((req, res) => {
    const url = req.url ?? '/';
    const index = requests.push(url) - 1;
    const breakage = breakRequest(index, url);
    if (breakage === 'drop') {
      req.socket.destroy();
      return;
    }
    if (breakage) {
      send(res, breakage.status, breakage.body);
      return;
    }
    void fetch(upstream.url + url).then(async (answer) => send(res, answer.status, await answer.text()));
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => proxy.close((err) => (err ? reject(err) : resolve())));
  await closeAll();
});

beforeEach(async () => {
  upstream = await startServer();
  store = await openDatabase(upstream.dataDir);
  db = new VitrineDB(`pull-test-${Math.random().toString(36).slice(2)}`);
  await db.cartLines.add({ sku: 'CUBE-STOOL-OAK', productId: 'cube-stool', qty: 3, addedAt: 1 });
  requests = [];
  bytes = 0;
  breakRequest = () => undefined;
});

afterEach(async () => {
  db.close();
  await store.destroy();
});

const CART = [{ sku: 'CUBE-STOOL-OAK', productId: 'cube-stool', qty: 3, addedAt: 1 }];
const ids = async (table: 'products' | 'brands' | 'categories' | 'showrooms') =>
  (await db[table].toArray()).map((r) => r.id).sort();
const cursor = async () => (await db.meta.get('catalogCursor'))?.value;
const pulledAt = async () => (await db.meta.get('catalogPulledAt'))?.value;
const since = (url: string) => new URL(url, baseUrl).searchParams.get('since');

async function serverProduct(id: string): Promise<Product> {
  const product = await findProduct(store, id);
  if (!product) throw new Error(`no product ${id}`);
  return product;
}

/** Renames a product and changes its first variant's price on the server. */
async function changeOnServer(id: string, name: string, amount: number): Promise<Product> {
  const product = await serverProduct(id);
  const [first, ...rest] = product.variants;
  if (!first) throw new Error(`${id} has no variant`);
  const changed: Product = {
    ...product,
    name,
    variants: [{ ...first, price: { ...first.price, amount } }, ...rest],
    updatedAt: new Date().toISOString(),
  };
  await putProduct(store, changed);
  return changed;
}

describe('pullCatalog', () => {
  test('a first pull fills every catalog table, records the cursor and keeps the cart', async () => {
    const seen: PullStatus['state'][] = [];
    const unsubscribe = subscribePullStatus(() => seen.push(getPullStatus().state));
    expect(await pullCatalog({ db, baseUrl })).toBe(true);
    unsubscribe();

    expect(seen).toEqual(['pulling', 'idle']);
    expect(await ids('brands')).toEqual(['mini']);
    expect(await ids('categories')).toEqual(['seating', 'tables']);
    expect(await ids('products')).toEqual(['cube-stool', 'slab-table']);
    expect(await ids('showrooms')).toEqual(['mini-room']);
    expect(await db.products.get('cube-stool')).toEqual(await serverProduct('cube-stool'));
    expect(await cursor()).toBe('6');
    expect(Date.parse((await pulledAt()) ?? '')).toBeGreaterThan(Date.now() - 60_000);
    expect(await db.cartLines.toArray()).toEqual(CART);
    expect(requests).toEqual(['/api/v1/catalog/changes?since=0&limit=200']);
  });

  test('a pull asked for while one runs gets a pull of its own after it, shared by every such call', async () => {
    expect(await pullCatalog({ db, baseUrl })).toBe(true);
    requests = [];
    const running = pullCatalog({ db, baseUrl });
    // A change lands on the server after the running pull may already have read it; the calls made now must
    // still see it.
    const changed = await changeOnServer('cube-stool', 'Cube stool (changed mid-pull)', 4444);
    const [first, second, third] = await Promise.all([
      running,
      pullCatalog({ db, baseUrl }),
      pullCatalog({ db, baseUrl }),
    ]);
    expect([first, second, third]).toEqual([true, true, true]);
    expect((await db.products.get('cube-stool'))?.name).toBe(changed.name);
    // The running pull and one follow-up: not one pull per call.
    expect(requests.length).toBe(2);
  });

  test('the next pull transfers only what changed: one product changed, one deleted', async () => {
    expect(await pullCatalog({ db, baseUrl })).toBe(true);
    const fullBytes = bytes;
    requests = [];
    bytes = 0;
    // Nothing changed: one request, no change.
    expect(await pullCatalog({ db, baseUrl })).toBe(true);
    expect(requests).toEqual(['/api/v1/catalog/changes?since=6&limit=200']);
    const emptyBytes = bytes;

    requests = [];
    bytes = 0;
    const changed = await changeOnServer('cube-stool', 'Cube stool (new finish)', 4321);
    await deleteProduct(store, 'slab-table');
    expect(await pullCatalog({ db, baseUrl })).toBe(true);
    const deltaBytes = bytes;

    expect(requests).toEqual(['/api/v1/catalog/changes?since=6&limit=200']);
    // Exactly the two changes came over: the changed product and a tombstone.
    const page = (await (await fetch(`${baseUrl}/api/v1/catalog/changes?since=6`)).json()) as {
      changes: unknown[];
    };
    expect(page.changes).toHaveLength(2);
    expect(await ids('products')).toEqual(['cube-stool']);
    expect(await db.products.get('cube-stool')).toEqual(changed);
    expect((await db.products.get('cube-stool'))?.variants[0]?.price.amount).toBe(4321);
    expect(await ids('brands')).toEqual(['mini']);
    expect(await ids('showrooms')).toEqual(['mini-room']);
    expect(await cursor()).toBe('8');
    expect(await db.cartLines.toArray()).toEqual(CART);
    // One changed product and a tombstone cost a fraction of the full catalog.
    console.info(`catalog pull bytes: full ${fullBytes}, nothing new ${emptyBytes}, delta ${deltaBytes}`);
    expect(deltaBytes).toBeLessThan(fullBytes / 2);
    expect(emptyBytes).toBeLessThan(100);
  });

  test('pages with a small limit, all stored at once with the last cursor', async () => {
    const cursors: (string | undefined)[] = [];
    db.meta.hook('creating', (_key, entry) => {
      if (entry.key === 'catalogCursor') cursors.push(entry.value);
    });
    db.meta.hook('updating', (changes, _key, entry) => {
      if (entry.key === 'catalogCursor') cursors.push((changes as { value?: string }).value);
    });
    expect(await pullCatalog({ db, baseUrl, limit: 2 })).toBe(true);
    expect(requests.map(since)).toEqual(['0', '2', '4']);
    expect(cursors).toEqual(['6']);
    expect(await ids('products')).toEqual(['cube-stool', 'slab-table']);
    expect(await ids('categories')).toEqual(['seating', 'tables']);
    expect(await ids('showrooms')).toEqual(['mini-room']);
    expect(await cursor()).toBe('6');
  });

  test('a page answering 500 midway changes nothing on the device; the next pull starts again', async () => {
    expect(await pullCatalog({ db, baseUrl })).toBe(true);
    const firstPulledAt = await pulledAt();
    const oldStool = await db.products.get('cube-stool');
    const oldTable = await db.products.get('slab-table');
    const stool = await changeOnServer('cube-stool', 'Cube stool v2', 1111);
    const table = await changeOnServer('slab-table', 'Slab table v2', 2222);
    await deleteShowroom(store, 'mini-room');
    requests = [];
    breakRequest = (index) =>
      index === 1
        ? { status: 500, body: JSON.stringify({ error: { code: 'INTERNAL', message: 'disk on fire' } }) }
        : undefined;

    expect(await pullCatalog({ db, baseUrl, limit: 2 })).toBe(false);
    expect(getPullStatus()).toEqual({
      state: 'error',
      message: 'The server could not send the catalog (HTTP 500): disk on fire',
    });
    expect(requests.map(since)).toEqual(['6', '8']);
    // The first page was read but not stored: the device still shows the catalog it had, whole.
    expect(await db.products.get('cube-stool')).toEqual(oldStool);
    expect(await db.products.get('slab-table')).toEqual(oldTable);
    expect(await ids('showrooms')).toEqual(['mini-room']);
    expect(await cursor()).toBe('6');
    expect(await pulledAt()).toBe(firstPulledAt);

    requests = [];
    breakRequest = () => undefined;
    expect(await pullCatalog({ db, baseUrl, limit: 2 })).toBe(true);
    expect(requests.map(since)).toEqual(['6', '8']);
    expect(await db.products.get('cube-stool')).toEqual(stool);
    expect(await db.products.get('slab-table')).toEqual(table);
    expect(await ids('showrooms')).toEqual([]);
    expect(await cursor()).toBe('9');
    expect(await pulledAt()).not.toBe(firstPulledAt);
    expect(await db.cartLines.toArray()).toEqual(CART);
  });

  test('a first pull cut off by a dropped connection stores nothing, then starts again, without console errors', async () => {
    const consoleError = vi.spyOn(console, 'error');
    breakRequest = (index) => (index === 1 ? 'drop' : undefined);
    expect(await pullCatalog({ db, baseUrl, limit: 2 })).toBe(false);
    expect(getPullStatus()).toEqual({ state: 'error', message: OFFLINE_MESSAGE });
    expect(await ids('brands')).toEqual([]);
    expect(await ids('categories')).toEqual([]);
    expect(await db.products.count()).toBe(0);
    expect(await cursor()).toBeUndefined();
    expect(await pulledAt()).toBeUndefined();

    requests = [];
    breakRequest = () => undefined;
    expect(await pullCatalog({ db, baseUrl, limit: 2 })).toBe(true);
    expect(requests.map(since)).toEqual(['0', '2', '4']);
    expect(await ids('products')).toEqual(['cube-stool', 'slab-table']);
    expect(await cursor()).toBe('6');
    expect(consoleError).not.toHaveBeenCalled();
    consoleError.mockRestore();
  });

  test('a cursor the server does not know restarts from 0 and replaces the catalog at the end', async () => {
    expect(await pullCatalog({ db, baseUrl })).toBe(true);
    // As if the server's database had been reset: this device is ahead and holds a record the server lacks.
    await db.meta.put({ key: 'catalogCursor', value: '999' });
    const ghost = { ...(await serverProduct('cube-stool')), id: 'ghost-stool', name: 'Ghost' };
    await db.products.put(ghost);
    await changeOnServer('slab-table', 'Slab table, reset', 3333);

    // A rebuild that fails halfway changes nothing.
    requests = [];
    breakRequest = (index) => (index === 2 ? 'drop' : undefined);
    expect(await pullCatalog({ db, baseUrl, limit: 4 })).toBe(false);
    expect(requests.map(since)).toEqual(['999', '0', '4']);
    expect(await ids('products')).toEqual(['cube-stool', 'ghost-stool', 'slab-table']);
    expect(await cursor()).toBe('999');

    requests = [];
    breakRequest = () => undefined;
    expect(await pullCatalog({ db, baseUrl, limit: 4 })).toBe(true);
    expect(requests.map(since)).toEqual(['999', '0', '4']);
    expect(await ids('products')).toEqual(['cube-stool', 'slab-table']);
    expect((await db.products.get('slab-table'))?.name).toBe('Slab table, reset');
    expect(await ids('showrooms')).toEqual(['mini-room']);
    expect(await cursor()).toBe('7');
    expect(await db.cartLines.toArray()).toEqual(CART);
  });

  test('invalid JSON and JSON that breaks the wire schema are refused; the catalog stays', async () => {
    expect(await pullCatalog({ db, baseUrl })).toBe(true);
    await changeOnServer('cube-stool', 'Not seen', 1);
    breakRequest = () => ({ status: 200, body: '{"cursor": "7", "changes": [' });
    expect(await pullCatalog({ db, baseUrl })).toBe(false);
    expect(getPullStatus()).toEqual({
      state: 'error',
      message: 'The server sent a catalog that could not be read.',
    });
    const product = await serverProduct('cube-stool');
    breakRequest = () => ({
      status: 200,
      body: JSON.stringify({
        cursor: '7',
        hasMore: false,
        changes: [{ entity: 'product', id: 'cube-stool', op: 'put', record: { ...product, variants: [] } }],
      }),
    });
    expect(await pullCatalog({ db, baseUrl })).toBe(false);
    const status = getPullStatus();
    expect(status.state === 'error' && status.message).toMatch(/does not understand \(at changes\.0/);
    expect((await db.products.get('cube-stool'))?.name).toBe('Cube Stool');
    expect(await cursor()).toBe('6');
  });

  test('an unreachable server reads as offline, without a console error; a retry then succeeds', async () => {
    const consoleError = vi.spyOn(console, 'error');
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    expect(await pullCatalog({ db, baseUrl: deadUrl })).toBe(false);
    expect(getPullStatus()).toEqual({ state: 'error', message: OFFLINE_MESSAGE });
    expect(OFFLINE_MESSAGE).toMatch(/^You are offline/);
    expect(await db.products.count()).toBe(0);
    expect(consoleError).not.toHaveBeenCalled();
    consoleError.mockRestore();

    expect(await pullCatalog({ db, baseUrl })).toBe(true);
    expect(getPullStatus()).toEqual({ state: 'idle' });
    expect(await db.products.count()).toBe(2);
  });

  test('calls made while a pull runs share one follow-up pull instead of one each', async () => {
    const calls = [1, 2, 3, 4].map(() => pullCatalog({ db, baseUrl }));
    expect(await Promise.all(calls)).toEqual([true, true, true, true]);
    // The first pull fills the catalog (one page); the follow-up finds nothing new (one request).
    expect(requests).toEqual([
      '/api/v1/catalog/changes?since=0&limit=200',
      '/api/v1/catalog/changes?since=6&limit=200',
    ]);
  });

  test('the server refuses a malformed query with a 400 JSON error', async () => {
    const response = await fetch(`${baseUrl}/api/v1/catalog/changes?since=abc&limit=0`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'BAD_REQUEST' } });
  });
});

describe('database version 2', () => {
  test('upgrades a version 1 database in place: the cart stays, the old cursor goes, the next pull rebuilds', async () => {
    const name = `upgrade-test-${Math.random().toString(36).slice(2)}`;
    const v1 = new Dexie(name);
    v1.version(1).stores({
      brands: 'id',
      categories: 'id',
      products: 'id, brandId, category',
      showrooms: 'id, brandId',
      cartLines: 'sku, productId, addedAt',
      meta: 'key',
    });
    const stale = { ...(await serverProduct('cube-stool')), id: 'old-stool', name: 'Old stool' };
    await v1.table('products').put(stale);
    await v1
      .table('cartLines')
      .bulkPut([...CART, { sku: 'OLD-1', productId: 'old-stool', qty: 2, addedAt: 2 }]);
    await v1.table('meta').bulkPut([
      { key: 'catalogCursor', value: '1' },
      { key: 'catalogPulledAt', value: '2026-01-01T00:00:00.000Z' },
    ]);
    v1.close();

    const upgraded = new VitrineDB(name);
    await upgraded.open();
    expect(upgraded.verno).toBe(5);
    expect(await upgraded.cartLines.orderBy('addedAt').toArray()).toEqual([
      ...CART,
      { sku: 'OLD-1', productId: 'old-stool', qty: 2, addedAt: 2 },
    ]);
    expect(await upgraded.meta.get('catalogCursor')).toBeUndefined();
    expect((await upgraded.products.get('old-stool'))?.name).toBe('Old stool');
    expect(await upgraded.products.where('brandId').equals('mini').count()).toBe(1);

    expect(await pullCatalog({ db: upgraded, baseUrl })).toBe(true);
    expect(requests.map(since)).toEqual(['0']);
    expect((await upgraded.products.toArray()).map((p) => p.id).sort()).toEqual(['cube-stool', 'slab-table']);
    expect((await upgraded.meta.get('catalogCursor'))?.value).toBe('6');
    expect(await upgraded.cartLines.count()).toBe(2);
    upgraded.close();
  });
});

describe('requestCatalogPull', () => {
  test('says "pulling" at once, before the pull module has loaded', async () => {
    const { requestCatalogPull } = await import('../../src/sync/request-pull');
    // The app's own database and origin: in Node a relative URL cannot be fetched, so this pull fails,
    // which is the path that must end in a readable error rather than a rejection.
    const running = requestCatalogPull();
    expect(getPullStatus()).toEqual({ state: 'pulling' });
    await expect(running).resolves.toBeUndefined();
    const status = getPullStatus();
    expect(status.state).toBe('error');
    expect(status.state === 'error' && status.message.length).toBeGreaterThan(10);
  });
});
