// Cart sync end to end: devices are Dexie databases on fake-indexeddb, the server is the real Vitrine server on
// loopback (brand-mini, fresh data folder per test). Each device's sync gets a fetch wrapper that can be cut off,
// answer 503, lose an answer after the server applied the push, or hang; and timers the test fires itself.
import 'fake-indexeddb/auto';
import type { Kysely } from 'kysely';
import { afterAll, afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { CART_WRITTEN_EVENT, cartWritesFor } from '../../src/db/cart-writes';
import { VitrineDB } from '../../src/db/db';
import type { Product } from '../../src/protocol/catalog';
import { CartResponse, type PushRequest, type ServerCart } from '../../src/protocol/cart';
import { findProduct, putProduct } from '../../src/server/storage/catalog-store';
import { openDatabase } from '../../src/server/storage/connection';
import type { Database } from '../../src/server/storage/schema';
import { pullCatalog } from '../../src/sync/catalog-pull';
import {
  createCartSync,
  PULL_INTERVAL_MS,
  PUSH_LOCK,
  REQUEST_TIMEOUT_MS,
  type CartSyncTimers,
  type PushLocks,
} from '../../src/sync/cart-sync';
import { closeAll, startServer, type RunningServer } from './server-harness';

let server: RunningServer;
let store: Kysely<Database>;
const opened: VitrineDB[] = [];

beforeEach(async () => {
  server = await startServer();
  store = await openDatabase(server.dataDir);
});

afterEach(async () => {
  vi.unstubAllGlobals();
  for (const db of opened.splice(0)) db.close();
  await store.destroy();
});

afterAll(closeAll);

type TimerKind = 'backoff' | 'timeout' | 'poll';

/** What a timer is, from its length: request timeouts, the periodic pull, and backoff delays (the rest). */
const kindOf = (ms: number): TimerKind =>
  ms === REQUEST_TIMEOUT_MS ? 'timeout' : ms === PULL_INTERVAL_MS ? 'poll' : 'backoff';

/** Timers the test fires by hand; request timeouts, the periodic pull and backoff delays are told apart by length. */
class ManualTimers implements CartSyncTimers {
  private next = 1;
  readonly pending = new Map<number, { callback: () => void; ms: number }>();
  /** Every backoff delay asked for, in order. */
  readonly backoffs: number[] = [];
  setTimeout(callback: () => void, ms: number): number {
    const id = this.next++;
    this.pending.set(id, { callback, ms });
    if (kindOf(ms) === 'backoff') this.backoffs.push(ms);
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  /** Fires the pending timers of the given kind; returns how many. */
  fire(kind: TimerKind): number {
    let fired = 0;
    for (const [id, timer] of [...this.pending]) {
      if (kindOf(timer.ms) !== kind) continue;
      this.pending.delete(id);
      timer.callback();
      fired += 1;
    }
    return fired;
  }
  count(kind: TimerKind): number {
    return [...this.pending.values()].filter((t) => kindOf(t.ms) === kind).length;
  }
}

/** A device's connection: forwards to the real server unless told to fail. */
class Network {
  online = true;
  /** Answer this many requests with 503 without forwarding them. */
  fail5xx = 0;
  /** Forward the next ops push, then throw as if the connection dropped before the answer arrived. */
  loseNextPushAnswer = false;
  /** Never answer (until the request is aborted). */
  hang = false;
  /** Pushes wait for this before reaching the server. */
  gate: Promise<void> | undefined;
  /** Runs while a push is at the server, before its answer reaches the device. */
  duringPush: (() => Promise<void>) | undefined;
  /** Method and path of every request that reached the server, with its status. */
  readonly log: string[] = [];
  /** Body of every ops push that reached the server. */
  readonly pushes: PushRequest[] = [];

  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    const what = `${init?.method ?? 'GET'} ${url.pathname.replace(/carts\/[^/]+/, 'carts/:id')}`;
    if (!this.online) throw new TypeError('fetch failed');
    if (this.hang) {
      return new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    }
    if (this.fail5xx > 0) {
      this.fail5xx -= 1;
      this.log.push(`${what} 503*`);
      return new Response(JSON.stringify({ error: { code: 'UNAVAILABLE', message: 'busy' } }), {
        status: 503,
        headers: { 'content-type': 'application/json' },
      });
    }
    if (what.endsWith('/ops') && this.gate) await this.gate;
    if (what.endsWith('/ops')) this.pushes.push(JSON.parse(String(init?.body)) as PushRequest);
    const response = await fetch(input, init);
    this.log.push(`${what} ${response.status}`);
    if (what.endsWith('/ops')) {
      const during = this.duringPush;
      this.duringPush = undefined;
      if (during) await during();
      if (this.loseNextPushAnswer) {
        this.loseNextPushAnswer = false;
        await response.arrayBuffer();
        throw new TypeError('fetch failed');
      }
    }
    return response;
  };
}

/** A simulated device: its own database (catalog pulled from the server), network, timers and sync. */
async function device(name: string) {
  const dbName = `cart-sync-${name}-${Math.random().toString(36).slice(2)}`;
  const db = new VitrineDB(dbName);
  opened.push(db);
  expect(await pullCatalog({ db, baseUrl: server.url })).toBe(true);
  const net = new Network();
  const timers = new ManualTimers();
  const events = new EventTarget();
  const sync = createCartSync({
    db,
    baseUrl: server.url,
    fetch: net.fetch,
    timers,
    random: () => 0.5,
    events,
    visibility: new EventTarget(),
    isOnline: () => net.online,
    locks: null,
  });
  return { db, dbName, net, timers, events, sync, writes: cartWritesFor(db) };
}
type Device = Awaited<ReturnType<typeof device>>;

/** The server's cart as the device's credentials open it. */
async function serverCartOf(d: Device): Promise<ServerCart> {
  const state = await d.db.cartSync.get('cart');
  if (!state?.cartId || !state.token) throw new Error('the device has no server cart');
  const response = await fetch(`${server.url}/api/v1/carts/${state.cartId}`, {
    headers: { authorization: `Bearer ${state.token}` },
  });
  expect(response.status).toBe(200);
  return CartResponse.parse(await response.json()).cart;
}

const localLines = async (d: Device) =>
  (await d.db.cartLines.orderBy('addedAt').toArray()).map(({ sku, productId, qty }) => ({
    sku,
    productId,
    qty,
  }));
const serverLines = (cart: ServerCart) =>
  cart.lines.map(({ sku, productId, qty }) => ({ sku, productId, qty }));

/** Waits until `check` holds (async work started by an event or a timer). */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function changePrice(id: string, amount: number): Promise<Product> {
  const product = await findProduct(store, id);
  if (!product) throw new Error(`no product ${id}`);
  const [first, ...rest] = product.variants;
  if (!first) throw new Error('no variant');
  const changed = { ...product, variants: [{ ...first, price: { ...first.price, amount } }, ...rest] };
  await putProduct(store, changed);
  return changed;
}

describe('offline and coming back online', () => {
  test('writes made offline stay in the outbox, survive reopening the database, and drain on `online`', async () => {
    const d = await device('offline');
    d.net.online = false;
    const stop = d.sync.start();
    await d.writes.addToCart('cube-stool', 'MINI-STOOL-OAK', 2);
    await d.writes.addToCart('slab-table', 'MINI-TABLE-ASH');
    await d.writes.setQuantity('MINI-STOOL-OAK', 3);
    expect(await d.sync.push()).toBe('offline');
    expect(d.net.log).toEqual([]);

    // Reopen the database as after a reload: the outbox and the lines are still there.
    d.db.close();
    const reopened = new VitrineDB(d.dbName);
    opened.push(reopened);
    expect(
      (await reopened.outbox.orderBy('seq').toArray()).map(({ seq, sku, qty }) => [seq, sku, qty]),
    ).toEqual([
      [1, 'MINI-STOOL-OAK', 2],
      [2, 'MINI-TABLE-ASH', 1],
      [3, 'MINI-STOOL-OAK', 3],
    ]);
    expect((await reopened.cartLines.orderBy('addedAt').toArray()).map((l) => [l.sku, l.qty])).toEqual([
      ['MINI-STOOL-OAK', 3],
      ['MINI-TABLE-ASH', 1],
    ]);
    stop();

    // A sync on the reopened database pushes when the connection comes back.
    const net = d.net;
    const events = new EventTarget();
    const again = createCartSync({
      db: reopened,
      baseUrl: server.url,
      fetch: net.fetch,
      timers: d.timers,
      random: () => 0.5,
      events,
      visibility: new EventTarget(),
      isOnline: () => net.online,
      locks: null,
    });
    const stopAgain = again.start();
    await until(async () => (await reopened.outbox.count()) === 3, 'the start to settle');
    net.online = true;
    events.dispatchEvent(new Event('online'));
    await until(async () => (await reopened.outbox.count()) === 0, 'the outbox to drain');
    await again.push();
    stopAgain();

    const state = await reopened.cartSync.get('cart');
    const response = await fetch(`${server.url}/api/v1/carts/${state?.cartId}`, {
      headers: { authorization: `Bearer ${state?.token}` },
    });
    const cart = CartResponse.parse(await response.json()).cart;
    expect(serverLines(cart)).toEqual([
      { sku: 'MINI-STOOL-OAK', productId: 'cube-stool', qty: 3 },
      { sku: 'MINI-TABLE-ASH', productId: 'slab-table', qty: 1 },
    ]);
    expect(
      (await reopened.cartLines.orderBy('addedAt').toArray()).map(({ sku, productId, qty }) => ({
        sku,
        productId,
        qty,
      })),
    ).toEqual(serverLines(cart));
    expect(cart.version).toBe(3);
    expect(state).toMatchObject({ serverVersion: 3, nextSeq: 4, warnings: [] });
    expect(state?.syncedAt).toBeGreaterThan(Date.now() - 60_000);
    expect(net.log).toEqual(['POST /api/v1/carts 201', 'POST /api/v1/carts/:id/ops 200']);
  });

  test('a network error schedules a retry with backoff; the timer pushes once the server answers', async () => {
    const d = await device('neterr');
    d.net.online = true;
    await d.writes.addToCart('cube-stool', 'MINI-STOOL-OAK');
    const real = d.net.fetch;
    let failing = true;
    const flaky: typeof fetch = (input, init) =>
      failing ? Promise.reject(new TypeError('fetch failed')) : real(input, init);
    const sync = createCartSync({
      db: d.db,
      baseUrl: server.url,
      fetch: flaky,
      timers: d.timers,
      random: () => 0,
      locks: null,
      isOnline: () => true,
    });
    expect(await sync.push()).toBe('retrying');
    expect(await sync.push()).toBe('retrying');
    expect(d.timers.backoffs).toEqual([500, 1000]);
    expect(d.timers.count('backoff')).toBe(1);
    expect(await d.db.outbox.count()).toBe(1);
    failing = false;
    d.timers.fire('backoff');
    await until(async () => (await d.db.outbox.count()) === 0, 'the retry');
    expect(serverLines(await serverCartOf(d))).toEqual(await localLines(d));
  });
});

describe('exactly once', () => {
  test('a push whose answer is lost is acknowledged on retry without being applied twice', async () => {
    const d = await device('lost');
    await d.writes.addToCart('cube-stool', 'MINI-STOOL-OAK', 2);
    await d.writes.addToCart('slab-table', 'MINI-TABLE-ASH');
    d.net.loseNextPushAnswer = true;
    expect(await d.sync.push()).toBe('retrying');
    // The server applied both ops; the device still holds them.
    expect((await serverCartOf(d)).version).toBe(2);
    expect(await d.db.outbox.count()).toBe(2);

    expect(await d.sync.push()).toBe('synced');
    const cart = await serverCartOf(d);
    expect(cart.version).toBe(2);
    expect(serverLines(cart)).toEqual([
      { sku: 'MINI-STOOL-OAK', productId: 'cube-stool', qty: 2 },
      { sku: 'MINI-TABLE-ASH', productId: 'slab-table', qty: 1 },
    ]);
    expect(await d.db.outbox.count()).toBe(0);
    expect(await localLines(d)).toEqual(serverLines(cart));

    // The next op continues the sequence.
    await d.writes.setQuantity('MINI-STOOL-OAK', 4);
    expect(await d.sync.push()).toBe('synced');
    expect((await serverCartOf(d)).version).toBe(3);
  });

  test('a change made while a push is in flight is kept: the removed line stays removed and is sent next', async () => {
    const d = await device('inflight');
    await d.writes.addToCart('cube-stool', 'MINI-STOOL-OAK', 2);
    await d.writes.addToCart('slab-table', 'MINI-TABLE-ASH');
    d.net.duringPush = async () => {
      await d.writes.removeLine('MINI-STOOL-OAK');
      d.net.online = false; // the removal cannot be sent yet
    };
    expect(await d.sync.push()).toBe('retrying');
    // The answer (both lines) was folded in with the pending removal on top.
    expect(serverLines(await serverCartOf(d)).map((l) => l.sku)).toEqual([
      'MINI-STOOL-OAK',
      'MINI-TABLE-ASH',
    ]);
    expect(await localLines(d)).toEqual([{ sku: 'MINI-TABLE-ASH', productId: 'slab-table', qty: 1 }]);
    expect((await d.db.outbox.toArray()).map(({ seq, sku, qty }) => [seq, sku, qty])).toEqual([
      [3, 'MINI-STOOL-OAK', 0],
    ]);
    expect((await d.db.cartSync.get('cart'))?.serverVersion).toBe(2);

    d.net.online = true;
    expect(await d.sync.push()).toBe('synced');
    expect(await d.db.outbox.count()).toBe(0);
    const cart = await serverCartOf(d);
    expect(serverLines(cart)).toEqual([{ sku: 'MINI-TABLE-ASH', productId: 'slab-table', qty: 1 }]);
    expect(await localLines(d)).toEqual(serverLines(cart));
    expect(d.net.log.filter((l) => l.includes('/ops'))).toHaveLength(2);
  });

  test('a request that hangs is aborted after the timeout and retried', async () => {
    const d = await device('hang');
    await d.writes.addToCart('cube-stool', 'MINI-STOOL-OAK');
    d.net.hang = true;
    const pushing = d.sync.push();
    await until(async () => d.timers.count('timeout') === 1, 'the request');
    d.net.hang = false;
    expect(d.timers.fire('timeout')).toBe(1);
    expect(await pushing).toBe('retrying');
    expect(d.timers.count('backoff')).toBe(1);
    expect(await d.sync.push()).toBe('synced');
  });
});

describe('5xx', () => {
  test('is retried with backoff (1 s doubling, jittered), and a success resets the backoff', async () => {
    const d = await device('5xx');
    await d.writes.addToCart('cube-stool', 'MINI-STOOL-OAK');
    d.net.fail5xx = 3;
    expect(await d.sync.push()).toBe('retrying');
    for (let i = 0; i < 2; i += 1) {
      expect(d.timers.fire('backoff')).toBe(1);
      await until(async () => d.timers.count('backoff') === 1, `retry ${i + 1}`);
    }
    expect(d.timers.fire('backoff')).toBe(1);
    await until(async () => (await d.db.outbox.count()) === 0, 'the fourth attempt');
    // random() = 0.5: half the ceiling plus a quarter of it.
    expect(d.timers.backoffs).toEqual([750, 1500, 3000]);
    expect(d.net.log).toEqual([
      'POST /api/v1/carts 503*',
      'POST /api/v1/carts 503*',
      'POST /api/v1/carts 503*',
      'POST /api/v1/carts 201',
      'POST /api/v1/carts/:id/ops 200',
    ]);
    expect(serverLines(await serverCartOf(d))).toEqual(await localLines(d));

    await d.writes.setQuantity('MINI-STOOL-OAK', 2);
    d.net.fail5xx = 1;
    expect(await d.sync.push()).toBe('retrying');
    expect(d.timers.backoffs.at(-1)).toBe(750);
    expect((await d.db.cartSync.get('cart'))?.error).toBeUndefined();
  });
});

describe('two devices on one cart', () => {
  test('joinCart moves the second device to the cart with its pending ops; both converge after pushing', async () => {
    const a = await device('a');
    const b = await device('b');
    await a.writes.addToCart('cube-stool', 'MINI-STOOL-OAK', 2);
    expect(await a.sync.push()).toBe('synced');
    const link = await a.sync.ensureServerCart();
    expect(link.cartId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(link.token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // B made a change of its own before joining (never pushed).
    b.net.online = false;
    await b.writes.addToCart('slab-table', 'MINI-TABLE-ASH');
    const bClientBefore = (await b.db.cartSync.get('cart'))?.clientId;
    b.net.online = true;
    let release = (): void => undefined;
    b.net.gate = new Promise<void>((resolve) => (release = resolve));
    await b.sync.join(link.cartId, link.token);
    const bState = await b.db.cartSync.get('cart');
    expect(bState).toMatchObject({ cartId: link.cartId, token: link.token, nextSeq: 2 });
    expect(bState?.clientId).not.toBe(bClientBefore);
    expect(
      (await b.db.outbox.toArray()).map(({ seq, sku, cartId, clientId }) => [seq, sku, cartId, clientId]),
    ).toEqual([[1, 'MINI-TABLE-ASH', link.cartId, bState?.clientId]]);
    expect(await localLines(b)).toEqual([
      { sku: 'MINI-STOOL-OAK', productId: 'cube-stool', qty: 2 },
      { sku: 'MINI-TABLE-ASH', productId: 'slab-table', qty: 1 },
    ]);
    // The join started a push of B's pending op, held at the gate until now.
    release();
    b.net.gate = undefined;
    expect(await b.sync.push()).toBe('synced');
    expect(b.net.log.filter((l) => l.includes('/ops'))).toEqual(['POST /api/v1/carts/:id/ops 200']);

    // Both change the cart, then both push and pull.
    await a.writes.setQuantity('MINI-STOOL-OAK', 5);
    await b.writes.removeLine('MINI-STOOL-OAK');
    await a.writes.addToCart('slab-table', 'MINI-TABLE-ASH');
    expect(await a.sync.push()).toBe('synced');
    expect(await b.sync.push()).toBe('synced');
    expect(await a.sync.pull()).toBe(true);
    expect(await b.sync.pull()).toBe(true);

    const cart = await serverCartOf(a);
    expect(serverLines(cart)).toEqual([{ sku: 'MINI-TABLE-ASH', productId: 'slab-table', qty: 1 }]);
    expect(await localLines(a)).toEqual(serverLines(cart));
    expect(await localLines(b)).toEqual(serverLines(cart));
    expect((await a.db.cartSync.get('cart'))?.serverVersion).toBe(cart.version);
    expect((await b.db.cartSync.get('cart'))?.serverVersion).toBe(cart.version);
  });

  test('joining refuses a wrong token and a malformed link, changing nothing', async () => {
    const a = await device('a2');
    const b = await device('b2');
    await a.writes.addToCart('cube-stool', 'MINI-STOOL-OAK');
    const link = await a.sync.ensureServerCart();
    // Creating the cart also sends A's pending op.
    expect(await a.sync.push()).toBe('synced');
    expect(serverLines(await serverCartOf(a))).toEqual([
      { sku: 'MINI-STOOL-OAK', productId: 'cube-stool', qty: 1 },
    ]);
    await b.writes.addToCart('slab-table', 'MINI-TABLE-ASH');
    const before = await b.db.cartSync.get('cart');
    await expect(b.sync.join(link.cartId, 'x'.repeat(43))).rejects.toMatchObject({ code: 'CART_FORBIDDEN' });
    await expect(b.sync.join('short', link.token)).rejects.toMatchObject({ code: 'BAD_LINK' });
    expect(await b.db.cartSync.get('cart')).toEqual(before);
    expect(await b.db.outbox.count()).toBe(1);
  });
});

describe("joining keeps this device's cart", () => {
  test('pending ops go to the old cart first; local lines the joined cart lacks are merged; the old secret is kept', async () => {
    const a = await device('join-a');
    const b = await device('join-b');
    await a.writes.addToCart('cube-stool', 'MINI-STOOL-OAK', 2);
    expect(await a.sync.push()).toBe('synced');
    const link = await a.sync.ensureServerCart();

    // B has a cart of its own on the server, and a change of it not yet sent.
    await b.writes.addToCart('slab-table', 'MINI-TABLE-ASH', 1);
    await b.writes.addToCart('cube-stool', 'MINI-STOOL-OAK', 1);
    expect(await b.sync.push()).toBe('synced');
    const old = await b.db.cartSync.get('cart');
    b.net.online = false;
    await b.writes.setQuantity('MINI-TABLE-ASH', 2);
    b.net.online = true;

    const result = await b.sync.join(link.cartId, link.token);
    expect(result).toEqual({ joined: true, added: 1 });
    // The pending change reached the old cart under the old client id (acknowledged there, not renumbered).
    expect(b.net.pushes[b.net.pushes.length - 1]).toMatchObject({
      clientId: old?.clientId,
      ops: [{ seq: 3, sku: 'MINI-TABLE-ASH', qty: 2 }],
    });
    const oldCart = await fetch(`${server.url}/api/v1/carts/${old?.cartId}`, {
      headers: { authorization: `Bearer ${old?.token}` },
    });
    expect(serverLines(CartResponse.parse(await oldCart.json()).cart)).toEqual([
      { sku: 'MINI-TABLE-ASH', productId: 'slab-table', qty: 2 },
      { sku: 'MINI-STOOL-OAK', productId: 'cube-stool', qty: 1 },
    ]);
    // Only the line the joined cart lacks is queued for it; the stool it holds keeps the joined cart's quantity.
    const state = await b.db.cartSync.get('cart');
    expect(state).toMatchObject({ cartId: link.cartId, token: link.token, nextSeq: 2 });
    expect(state?.clientId).not.toBe(old?.clientId);
    expect(
      (await b.db.outbox.toArray()).map(({ seq, sku, qty, cartId, baseVersion }) => [
        seq,
        sku,
        qty,
        cartId,
        baseVersion,
      ]),
    ).toEqual([[1, 'MINI-TABLE-ASH', 2, link.cartId, 1]]);
    expect(await b.db.carts.get(old?.cartId ?? '')).toMatchObject({ token: old?.token });
    expect(await b.db.carts.get(link.cartId)).toMatchObject({ token: link.token });

    expect(await b.sync.push()).toBe('synced');
    const cart = await serverCartOf(a);
    expect(serverLines(cart)).toEqual([
      { sku: 'MINI-STOOL-OAK', productId: 'cube-stool', qty: 2 },
      { sku: 'MINI-TABLE-ASH', productId: 'slab-table', qty: 2 },
    ]);
    expect(await localLines(b)).toEqual(serverLines(cart));
  });

  test('joining the cart the device already holds changes nothing', async () => {
    const a = await device('join-same');
    await a.writes.addToCart('cube-stool', 'MINI-STOOL-OAK', 2);
    expect(await a.sync.push()).toBe('synced');
    const link = await a.sync.ensureServerCart();
    await a.writes.setQuantity('MINI-STOOL-OAK', 3);
    const before = { state: await a.db.cartSync.get('cart'), outbox: await a.db.outbox.toArray() };
    const requests = a.net.log.length;

    expect(await a.sync.join(link.cartId, link.token)).toEqual({ joined: false, added: 0 });
    expect(await a.db.cartSync.get('cart')).toEqual(before.state);
    expect(await a.db.outbox.toArray()).toEqual(before.outbox);
    expect(a.net.log.length).toBe(requests);
  });
});

describe('ops carry the version they were made against', () => {
  test('each op records cartSync.serverVersion and sends it as baseVersion', async () => {
    const d = await device('base');
    await d.writes.addToCart('cube-stool', 'MINI-STOOL-OAK', 1);
    expect(await d.sync.push()).toBe('synced');
    await d.writes.addToCart('slab-table', 'MINI-TABLE-ASH', 1);
    await d.writes.setQuantity('MINI-STOOL-OAK', 2);
    expect((await d.db.outbox.orderBy('seq').toArray()).map((op) => op.baseVersion)).toEqual([1, 1]);
    expect(await d.sync.push()).toBe('synced');
    expect(d.net.pushes.map((p) => p.ops.map((op) => [op.seq, op.baseVersion]))).toEqual([
      [[1, 0]],
      [
        [2, 1],
        [3, 1],
      ],
    ]);
  });

  test('a change made before an order emptied the cart comes back as STALE_CHANGE, kept until the next change', async () => {
    const a = await device('stale-a');
    const b = await device('stale-b');
    await a.writes.addToCart('cube-stool', 'MINI-STOOL-OAK', 1);
    expect(await a.sync.push()).toBe('synced');
    const link = await a.sync.ensureServerCart();
    await b.sync.join(link.cartId, link.token);
    // B raises the stool while offline; A orders the cart meanwhile.
    b.net.online = false;
    await b.writes.setQuantity('MINI-STOOL-OAK', 4);
    b.net.online = true;
    const state = await a.db.cartSync.get('cart');
    const placed = await fetch(`${server.url}/api/v1/carts/${link.cartId}/orders`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${link.token}`,
        'content-type': 'application/json',
        'idempotency-key': crypto.randomUUID(),
      },
      body: JSON.stringify({
        expectedVersion: state?.serverVersion,
        payment: 'pay-on-delivery',
        details: {
          name: 'Ana Lima',
          email: 'ana@example.com',
          address: { line1: 'Rua 1', city: 'Porto', postalCode: '4050-262', country: 'PT' },
        },
      }),
    });
    expect(placed.status).toBe(201);

    expect(await b.sync.push()).toBe('synced');
    expect(serverLines(await serverCartOf(b))).toEqual([]);
    expect(await localLines(b)).toEqual([]);
    const stale = [{ code: 'STALE_CHANGE', sku: 'MINI-STOOL-OAK' }];
    expect((await b.db.cartSync.get('cart'))?.warnings).toEqual(stale);
    // A pull does not hide it; the shopper's next change does.
    expect(await b.sync.pull()).toBe(true);
    expect((await b.db.cartSync.get('cart'))?.warnings).toEqual(stale);
    await b.writes.addToCart('slab-table', 'MINI-TABLE-ASH', 1);
    expect((await b.db.cartSync.get('cart'))?.warnings).toEqual([]);
    expect(await b.sync.push()).toBe('synced');
    expect(serverLines(await serverCartOf(b))).toEqual([
      { sku: 'MINI-TABLE-ASH', productId: 'slab-table', qty: 1 },
    ]);
  });
});

describe('a variant that left the catalog', () => {
  test('stays as an UNAVAILABLE line at 0 until removed, and removing it reaches the server', async () => {
    const d = await device('gone');
    await d.writes.addToCart('cube-stool', 'MINI-STOOL-WAL', 1);
    await d.writes.addToCart('slab-table', 'MINI-TABLE-ASH', 1);
    expect(await d.sync.push()).toBe('synced');
    const product = await findProduct(store, 'cube-stool');
    if (!product) throw new Error('no cube-stool');
    await putProduct(store, {
      ...product,
      variants: product.variants.filter((v) => v.sku !== 'MINI-STOOL-WAL'),
    });
    expect(await pullCatalog({ db: d.db, baseUrl: server.url })).toBe(true);

    expect(await d.sync.pull()).toBe(true);
    expect((await d.db.cartSync.get('cart'))?.warnings).toEqual([
      { code: 'UNAVAILABLE', sku: 'MINI-STOOL-WAL' },
    ]);
    expect(await d.db.cartLines.get('MINI-STOOL-WAL')).toMatchObject({ qty: 0 });

    await d.writes.removeLine('MINI-STOOL-WAL');
    expect(await d.sync.push()).toBe('synced');
    const cart = await serverCartOf(d);
    expect(serverLines(cart)).toEqual([{ sku: 'MINI-TABLE-ASH', productId: 'slab-table', qty: 1 }]);
    expect(cart.warnings).toEqual([]);
    expect(await localLines(d)).toEqual(serverLines(cart));
    expect((await d.db.cartSync.get('cart'))?.warnings).toEqual([]);
    expect((await d.db.cartSync.get('cart'))?.error).toBeUndefined();
  });
});

describe('a page that stays open', () => {
  test('pulls every 30 s while visible, online and with nothing to send', async () => {
    const a = await device('poll-a');
    const b = await device('poll-b');
    await a.writes.addToCart('cube-stool', 'MINI-STOOL-OAK', 1);
    expect(await a.sync.push()).toBe('synced');
    const link = await a.sync.ensureServerCart();
    await b.sync.join(link.cartId, link.token);

    const visibility = Object.assign(new EventTarget(), { visibilityState: 'visible' });
    const sync = createCartSync({
      db: a.db,
      baseUrl: server.url,
      fetch: a.net.fetch,
      timers: a.timers,
      events: a.events,
      visibility,
      isOnline: () => a.net.online,
      locks: null,
    });
    const stop = sync.start();
    await until(async () => a.net.log.some((l) => l.startsWith('GET')), 'the pull on start');
    expect(a.timers.count('poll')).toBe(1);
    const gets = () => a.net.log.filter((l) => l.startsWith('GET')).length;

    await b.writes.setQuantity('MINI-STOOL-OAK', 4);
    expect(await b.sync.push()).toBe('synced');
    expect(a.timers.fire('poll')).toBe(1);
    await until(async () => (await a.db.cartLines.get('MINI-STOOL-OAK'))?.qty === 4, 'the periodic pull');
    await until(async () => a.timers.count('poll') === 1, 'the next pull to be scheduled');

    // Hidden, offline, or with changes waiting: the timer fires but nothing is fetched.
    const quiet = async (): Promise<void> => {
      const before = gets();
      expect(a.timers.fire('poll')).toBe(1);
      await until(async () => a.timers.count('poll') === 1, 'the next pull to be scheduled');
      expect(gets()).toBe(before);
    };
    visibility.visibilityState = 'hidden';
    await quiet();
    visibility.visibilityState = 'visible';
    a.net.online = false;
    await quiet();
    a.net.online = true;
    await a.db.outbox.add({
      opId: crypto.randomUUID(),
      seq: 99,
      clientId: 'x'.repeat(22),
      cartId: link.cartId,
      sku: 'MINI-STOOL-OAK',
      qty: 1,
      observedPrice: { amount: 12900, currency: 'EUR' },
      createdAt: 0,
    });
    await quiet();
    await a.db.outbox.clear();

    stop();
    expect(a.timers.count('poll')).toBe(0);
  });
});

describe('4xx recovery', () => {
  test('UNKNOWN_SKU drops the op and its line, renumbers the later ops, and the rest goes through', async () => {
    const d = await device('unknown');
    // A product the device knows but the server's catalog does not.
    const stool = await d.db.products.get('cube-stool');
    if (!stool) throw new Error('no stool');
    const ghost: Product = {
      ...stool,
      id: 'ghost-stool',
      variants: stool.variants.slice(0, 1).map((v) => ({ ...v, sku: 'GHOST-STOOL-1' })),
    };
    await d.db.products.put(ghost);
    await d.writes.addToCart('cube-stool', 'MINI-STOOL-OAK');
    await d.writes.addToCart('ghost-stool', 'GHOST-STOOL-1');
    await d.writes.addToCart('slab-table', 'MINI-TABLE-ASH');

    expect(await d.sync.push()).toBe('synced');
    expect(d.net.log.filter((l) => l.includes('/ops'))).toEqual([
      'POST /api/v1/carts/:id/ops 422',
      'POST /api/v1/carts/:id/ops 200',
    ]);
    const cart = await serverCartOf(d);
    expect(cart.version).toBe(2);
    expect(serverLines(cart)).toEqual([
      { sku: 'MINI-STOOL-OAK', productId: 'cube-stool', qty: 1 },
      { sku: 'MINI-TABLE-ASH', productId: 'slab-table', qty: 1 },
    ]);
    expect(await localLines(d)).toEqual(serverLines(cart));
    const state = await d.db.cartSync.get('cart');
    expect(state?.nextSeq).toBe(3);
    expect(state?.error).toMatchObject({ code: 'UNKNOWN_SKU', sku: 'GHOST-STOOL-1' });
    expect(state?.error?.message).toMatch(/no longer sold/);

    // The sequence goes on without a gap; the shopper's next change clears the message.
    await d.writes.setQuantity('MINI-TABLE-ASH', 2);
    expect(await d.sync.push()).toBe('synced');
    expect((await d.db.cartSync.get('cart'))?.error).toBeUndefined();
    expect((await serverCartOf(d)).version).toBe(3);
  });

  test('SEQ_GAP renumbers the pending ops from the expected seq', async () => {
    const d = await device('gap');
    await d.writes.addToCart('cube-stool', 'MINI-STOOL-OAK');
    expect(await d.sync.push()).toBe('synced');
    // As if ops 2..4 had been lost from the outbox: the next op is numbered 5.
    await d.db.cartSync.update('cart', { nextSeq: 5 });
    await d.writes.setQuantity('MINI-STOOL-OAK', 3);
    expect((await d.db.outbox.toArray()).map((op) => op.seq)).toEqual([5]);
    expect(await d.sync.push()).toBe('synced');
    expect(d.net.log.filter((l) => l.includes('/ops')).slice(1)).toEqual([
      'POST /api/v1/carts/:id/ops 409',
      'POST /api/v1/carts/:id/ops 200',
    ]);
    expect((await d.db.cartSync.get('cart'))?.nextSeq).toBe(3);
    expect((await d.db.cartSync.get('cart'))?.error).toBeUndefined();
    expect(serverLines(await serverCartOf(d))).toEqual([
      { sku: 'MINI-STOOL-OAK', productId: 'cube-stool', qty: 3 },
    ]);
  });

  test('CART_FORBIDDEN forgets the cart and sends every local line to a new one', async () => {
    const d = await device('forbidden');
    await d.writes.addToCart('cube-stool', 'MINI-STOOL-OAK', 2);
    await d.writes.addToCart('slab-table', 'MINI-TABLE-ASH');
    expect(await d.sync.push()).toBe('synced');
    const old = await d.db.cartSync.get('cart');
    await d.db.cartSync.update('cart', { token: 'y'.repeat(43) });
    await d.writes.setQuantity('MINI-TABLE-ASH', 2);
    expect(await d.sync.push()).toBe('synced');
    const state = await d.db.cartSync.get('cart');
    expect(state?.cartId).not.toBe(old?.cartId);
    expect(state?.clientId).not.toBe(old?.clientId);
    expect(state?.error).toMatchObject({ code: 'CART_FORBIDDEN' });
    const cart = await serverCartOf(d);
    expect(serverLines(cart)).toEqual([
      { sku: 'MINI-STOOL-OAK', productId: 'cube-stool', qty: 2 },
      { sku: 'MINI-TABLE-ASH', productId: 'slab-table', qty: 2 },
    ]);
    expect(await localLines(d)).toEqual(serverLines(cart));
  });
});

describe('prices and stock', () => {
  test('a price change on the server is stored as a warning; acceptPriceChanges clears it there and here', async () => {
    const d = await device('price');
    await d.writes.addToCart('cube-stool', 'MINI-STOOL-OAK', 2);
    expect(await d.sync.push()).toBe('synced');
    expect((await d.db.cartSync.get('cart'))?.warnings).toEqual([]);

    await changePrice('cube-stool', 15900);
    expect(await d.sync.pull()).toBe(true);
    expect((await d.db.cartSync.get('cart'))?.warnings).toEqual([
      {
        code: 'PRICE_CHANGED',
        sku: 'MINI-STOOL-OAK',
        old: { amount: 12900, currency: 'EUR' },
        new: { amount: 15900, currency: 'EUR' },
      },
    ]);

    expect(await d.writes.acceptPriceChanges()).toBe(1);
    expect((await d.db.cartSync.get('cart'))?.warnings).toEqual([]);
    const [op] = await d.db.outbox.toArray();
    expect(op).toMatchObject({
      sku: 'MINI-STOOL-OAK',
      qty: 2,
      observedPrice: { amount: 15900, currency: 'EUR' },
    });
    expect(await d.sync.push()).toBe('synced');
    const cart = await serverCartOf(d);
    expect(cart.warnings).toEqual([]);
    expect(cart.lines[0]).toMatchObject({
      qty: 2,
      unitPrice: { amount: 15900 },
      priceSeen: { amount: 15900 },
    });
    expect((await d.db.cartSync.get('cart'))?.warnings).toEqual([]);
  });

  test('a quantity above stock comes back clamped with requestedQty and a warning', async () => {
    const d = await device('stock');
    await d.writes.addToCart('slab-table', 'MINI-TABLE-ASH', 5);
    expect(await d.sync.push()).toBe('synced');
    expect(await d.db.cartLines.get('MINI-TABLE-ASH')).toMatchObject({ qty: 2, requestedQty: 5 });
    expect((await d.db.cartSync.get('cart'))?.warnings).toEqual([
      { code: 'QTY_CLAMPED', sku: 'MINI-TABLE-ASH', requested: 5, available: 2 },
    ]);
  });
});

describe('triggers and the push lock', () => {
  test('a cart write pushes through the window event; the page becoming visible pulls', async () => {
    const d = await device('triggers');
    // The window the cart writes tell is the one the sync listens to.
    vi.stubGlobal('window', d.events);
    const visibility = Object.assign(new EventTarget(), { visibilityState: 'hidden' });
    const sync = createCartSync({
      db: d.db,
      baseUrl: server.url,
      fetch: d.net.fetch,
      timers: d.timers,
      events: d.events,
      visibility,
      isOnline: () => true,
      locks: null,
    });
    const stop = sync.start();
    await d.writes.addToCart('cube-stool', 'MINI-STOOL-OAK');
    await until(async () => (await d.db.cartSync.get('cart'))?.serverVersion === 1, 'the push');
    expect(await d.db.outbox.count()).toBe(0);

    await changePrice('cube-stool', 13900);
    visibility.dispatchEvent(new Event('visibilitychange'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await d.db.cartSync.get('cart'))?.warnings).toEqual([]);
    visibility.visibilityState = 'visible';
    visibility.dispatchEvent(new Event('visibilitychange'));
    await until(async () => ((await d.db.cartSync.get('cart'))?.warnings.length ?? 0) > 0, 'the pull');
    expect((await d.db.cartSync.get('cart'))?.warnings[0]).toMatchObject({
      code: 'PRICE_CHANGED',
      sku: 'MINI-STOOL-OAK',
    });

    stop();
    const before = d.net.log.length;
    d.events.dispatchEvent(new Event(CART_WRITTEN_EVENT));
    d.events.dispatchEvent(new Event('online'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(d.net.log.length).toBe(before);
  });

  test('two tabs on one database push one at a time: the second finds the outbox already sent', async () => {
    const d = await device('tabs');
    // A first-come lock manager shared by both tabs, as navigator.locks is.
    let tail: Promise<unknown> = Promise.resolve();
    const names: string[] = [];
    const locks: PushLocks = {
      request<T>(name: string, task: () => Promise<T>): Promise<T> {
        names.push(name);
        const run = tail.then(task);
        tail = run.catch(() => undefined);
        return run;
      },
    };
    const tab = () =>
      createCartSync({
        db: d.db,
        baseUrl: server.url,
        fetch: d.net.fetch,
        timers: d.timers,
        locks,
        isOnline: () => true,
      });
    const [one, two] = [tab(), tab()];
    await d.writes.addToCart('cube-stool', 'MINI-STOOL-OAK');
    await d.writes.addToCart('slab-table', 'MINI-TABLE-ASH');
    const results = await Promise.all([one.push(), two.push()]);
    expect(results).toEqual(['synced', 'nothing']);
    expect(names).toEqual([PUSH_LOCK, PUSH_LOCK]);
    expect(d.net.log).toEqual(['POST /api/v1/carts 201', 'POST /api/v1/carts/:id/ops 200']);
    expect((await serverCartOf(d)).version).toBe(2);
  });
});
