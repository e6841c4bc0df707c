import 'fake-indexeddb/auto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { VitrineDB } from '../../src/db/db';
import { pullCatalog } from '../../src/sync/catalog-pull';
import { getPullStatus, subscribePullStatus, type PullStatus } from '../../src/sync/pull-status';
import { productById, snapshot } from './core-fixture';

/** What the test server answers to the next `GET /api/v1/catalog`. */
let reply: { status: number; body: string; type?: string } = { status: 200, body: '' };
let requests: string[] = [];
let server: Server;
let baseUrl = '';
let db: VitrineDB;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    if (req.url !== '/api/v1/catalog') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(reply.status, { 'content-type': reply.type ?? 'application/json' }).end(reply.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
});

beforeEach(async () => {
  db = new VitrineDB(`pull-test-${Math.random().toString(36).slice(2)}`);
  requests = [];
});

/** Seeds a first catalog (two products) and a cart line through a successful pull. */
async function seed(): Promise<void> {
  reply = {
    status: 200,
    body: JSON.stringify(snapshot('c1', [productById('oak-lounge-chair'), productById('cafe-table')])),
  };
  expect(await pullCatalog({ db, baseUrl })).toBe(true);
  await db.cartLines.add({ sku: 'OAK-CHAIR-NAT', productId: 'oak-lounge-chair', qty: 3, addedAt: 1 });
}

const productIds = async () => (await db.products.toArray()).map((p) => p.id).sort();

describe('pullCatalog', () => {
  test('a successful pull replaces the catalog, records the cursor and keeps cart lines', async () => {
    await seed();
    expect(await productIds()).toEqual(['cafe-table', 'oak-lounge-chair']);

    const seen: PullStatus['state'][] = [];
    const unsubscribe = subscribePullStatus(() => seen.push(getPullStatus().state));
    reply = { status: 200, body: JSON.stringify(snapshot('c2', [productById('linen-cushion')])) };
    const ok = await pullCatalog({ db, baseUrl });
    unsubscribe();

    expect(ok).toBe(true);
    expect(seen).toEqual(['pulling', 'idle']);
    expect(getPullStatus()).toEqual({ state: 'idle' });
    expect(await productIds()).toEqual(['linen-cushion']);
    expect(await db.brands.count()).toBe(1);
    expect(await db.categories.count()).toBe(4);
    expect((await db.meta.get('catalogCursor'))?.value).toBe('c2');
    expect(Date.parse((await db.meta.get('catalogPulledAt'))?.value ?? '')).toBeGreaterThan(
      Date.now() - 60_000,
    );
    // The cart line of a product that left the catalog is still there, for the cart to flag.
    expect(await db.cartLines.toArray()).toEqual([
      { sku: 'OAK-CHAIR-NAT', productId: 'oak-lounge-chair', qty: 3, addedAt: 1 },
    ]);
    expect(requests.every((r) => r === 'GET /api/v1/catalog')).toBe(true);
  });

  test('a 500 leaves the previous catalog intact and reports the server’s message', async () => {
    await seed();
    reply = {
      status: 500,
      body: JSON.stringify({ error: { code: 'internal', message: 'database locked' } }),
    };
    expect(await pullCatalog({ db, baseUrl })).toBe(false);
    const status = getPullStatus();
    expect(status.state).toBe('error');
    expect(status.state === 'error' && status.message).toBe(
      'The server could not send the catalog (HTTP 500): database locked',
    );
    expect(await productIds()).toEqual(['cafe-table', 'oak-lounge-chair']);
    expect((await db.meta.get('catalogCursor'))?.value).toBe('c1');
    expect(await db.cartLines.count()).toBe(1);
  });

  test('invalid JSON leaves the previous catalog intact', async () => {
    await seed();
    reply = { status: 200, body: '{"cursor": "c3", "brands": [' };
    expect(await pullCatalog({ db, baseUrl })).toBe(false);
    expect(getPullStatus()).toEqual({
      state: 'error',
      message: 'The server sent a catalog that could not be read.',
    });
    expect(await productIds()).toEqual(['cafe-table', 'oak-lounge-chair']);
  });

  test('JSON that breaks the wire schema is refused with where it breaks', async () => {
    await seed();
    const bad = snapshot('c4');
    reply = {
      status: 200,
      body: JSON.stringify({ ...bad, products: [{ ...bad.products[0], variants: [] }] }),
    };
    expect(await pullCatalog({ db, baseUrl })).toBe(false);
    const status = getPullStatus();
    expect(status.state === 'error' && status.message).toMatch(
      /does not understand \(at products\.0\.variants\)/,
    );
    expect(await productIds()).toEqual(['cafe-table', 'oak-lounge-chair']);
  });

  test('an unreachable server is reported as a connection problem; a retry then succeeds', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    expect(await pullCatalog({ db, baseUrl: deadUrl })).toBe(false);
    expect(getPullStatus()).toEqual({
      state: 'error',
      message: 'Could not reach the server. Check your connection and try again.',
    });
    expect(await db.products.count()).toBe(0);

    reply = { status: 200, body: JSON.stringify(snapshot('c5')) };
    expect(await pullCatalog({ db, baseUrl })).toBe(true);
    expect(getPullStatus()).toEqual({ state: 'idle' });
    expect(await db.products.count()).toBe(5);
  });

  test('a second call while a pull runs joins it instead of fetching twice', async () => {
    reply = { status: 200, body: JSON.stringify(snapshot('c6')) };
    const [a, b] = await Promise.all([pullCatalog({ db, baseUrl }), pullCatalog({ db, baseUrl })]);
    expect([a, b]).toEqual([true, true]);
    expect(requests).toEqual(['GET /api/v1/catalog']);
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
