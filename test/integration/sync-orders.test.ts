// Orders from the device's side against a real server on loopback (brand-mini, fresh data folder per test):
// placing an order pushes the outbox first, keeps its idempotency key until a 2xx, stores the order and empties
// the cart; refreshOrders and requestReturn keep db.orders in step. Dexie runs on fake-indexeddb; each simulated
// device has its own database and its own cart sync.
import 'fake-indexeddb/auto';
import { afterAll, afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { cartWritesFor, type CartWrites } from '../../src/db/cart-writes';
import { VitrineDB } from '../../src/db/db';
import type { CheckoutDetails } from '../../src/protocol/cart';
import { createCartSync, type CartSync } from '../../src/sync/cart-sync';
import { pullCatalog } from '../../src/sync/catalog-pull';
import {
  OrderError,
  placeOrder,
  reviewedCartOf,
  refreshOrder,
  refreshOrders,
  requestReturn,
  type OrderOptions,
} from '../../src/sync/orders';
import { closeAll, startServer, type RunningServer } from './server-harness';

const details: CheckoutDetails = {
  name: 'Ana Lima',
  email: 'ana@example.com',
  address: { line1: 'Rua das Flores 12', city: 'Porto', postalCode: '4050-262', country: 'PT' },
};

interface Device {
  db: VitrineDB;
  writes: CartWrites;
  sync: CartSync;
  options: OrderOptions;
}

let server: RunningServer;

/** A device with the catalog pulled from the server and its own cart sync (no timers or listeners started). */
async function device(): Promise<Device> {
  const db = new VitrineDB(`orders-test-${Math.random().toString(36).slice(2)}`);
  await pullCatalog({ db, baseUrl: server.url });
  const sync = createCartSync({
    db,
    baseUrl: server.url,
    events: new EventTarget(),
    visibility: Object.assign(new EventTarget(), { visibilityState: 'visible' }),
    isOnline: () => true,
    locks: null,
  });
  return { db, writes: cartWritesFor(db), sync, options: { db, baseUrl: server.url, cartSync: sync } };
}

/** The error a promise rejects with (fails the test when it resolves). */
async function failure(promise: Promise<unknown>): Promise<OrderError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(OrderError);
    return err as OrderError;
  }
  throw new Error('expected the call to fail');
}

beforeEach(async () => {
  server = await startServer();
});

afterEach(() => {
  vi.unstubAllGlobals();
});

afterAll(async () => {
  await closeAll();
});

describe('placeOrder', () => {
  test('sends pending cart changes first, places the order, stores it and empties the cart', async () => {
    const a = await device();
    await a.writes.addToCart('cube-stool', 'MINI-STOOL-OAK', 2);
    await a.writes.addToCart('slab-table', 'MINI-TABLE-ASH', 1);
    expect(await a.db.outbox.count()).toBe(2);

    const order = await placeOrder(details, 'pay-on-delivery', await reviewedCartOf(a.db), a.options);

    expect(order.lines.map((l) => [l.sku, l.qty])).toEqual([
      ['MINI-STOOL-OAK', 2],
      ['MINI-TABLE-ASH', 1],
    ]);
    expect(order.totals).toEqual([{ amount: 2 * 12900 + 89000, currency: 'EUR' }]);
    expect(order.details.address.city).toBe('Porto');
    expect(await a.db.orders.get(order.id)).toEqual(order);
    expect(await a.db.outbox.count()).toBe(0);
    expect(await a.db.cartLines.count()).toBe(0);
    const state = await a.db.cartSync.get('cart');
    expect(state?.checkoutKey).toBeUndefined();

    // The server's cart is empty too, and lists the order.
    const cart = await fetch(`${server.url}/api/v1/carts/${state?.cartId}`, {
      headers: { authorization: `Bearer ${state?.token}` },
    });
    expect(((await cart.json()) as { cart: { lines: unknown[] } }).cart.lines).toEqual([]);
    await a.db.orders.clear();
    const listed = await refreshOrders(a.options);
    expect(listed.map((o) => o.id)).toEqual([order.id]);
    expect(await a.db.orders.get(order.id)).toEqual(order);
  });

  test('a lost answer keeps the key, and the retry gets the same order instead of a second one', async () => {
    const a = await device();
    await a.writes.addToCart('cube-stool', 'MINI-STOOL-OAK', 1);
    const realFetch = globalThis.fetch;
    let dropped = 0;
    vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
      const answer = await realFetch(input, init);
      // The server placed the order; the device never hears of it (the connection broke on the way back).
      if (String(input).endsWith('/orders') && init?.method === 'POST' && dropped === 0) {
        dropped += 1;
        throw new TypeError('fetch failed');
      }
      return answer;
    });

    const lost = await failure(placeOrder(details, 'pay-on-delivery', await reviewedCartOf(a.db), a.options));
    expect(lost.code).toBe('NETWORK');
    const key = (await a.db.cartSync.get('cart'))?.checkoutKey;
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    expect(await a.db.orders.count()).toBe(0);

    const order = await placeOrder(details, 'pay-on-delivery', await reviewedCartOf(a.db), a.options);
    expect(dropped).toBe(1);
    expect((await a.db.cartSync.get('cart'))?.checkoutKey).toBeUndefined();
    const listed = await refreshOrders(a.options);
    expect(listed.map((o) => o.id)).toEqual([order.id]);
    // After the replay the pull brought the (empty) server cart.
    expect(await a.db.cartLines.count()).toBe(0);
  });

  test('details that fail CheckoutDetails are refused on the device with a message per field', async () => {
    const a = await device();
    await a.writes.addToCart('cube-stool', 'MINI-STOOL-OAK', 1);
    const bad = { ...details, email: 'ana', address: { ...details.address, city: '  ' } };
    const err = await failure(placeOrder(bad, 'pay-on-delivery', await reviewedCartOf(a.db), a.options));
    expect(err.code).toBe('BAD_REQUEST');
    expect(err.fields).toEqual({
      email: 'Enter an email address like name@example.com.',
      'address.city': 'Enter the town or city.',
    });
    // Nothing was sent: the op still waits, no server cart exists.
    expect(await a.db.outbox.count()).toBe(1);
    expect((await a.db.cartSync.get('cart'))?.cartId ?? null).toBeNull();
  });

  test('an empty cart cannot be ordered', async () => {
    const a = await device();
    expect(
      (await failure(placeOrder(details, 'pay-on-delivery', await reviewedCartOf(a.db), a.options))).code,
    ).toBe('NO_CART');
    await a.sync.ensureServerCart();
    const err = await failure(placeOrder(details, 'pay-on-delivery', await reviewedCartOf(a.db), a.options));
    expect(err.code).toBe('CART_EMPTY');
    expect(err.message).toBe('Your cart is empty.');
  });

  test('a cart changed on another device is refused, pulled, and the next attempt orders what it holds now', async () => {
    const a = await device();
    await a.writes.addToCart('cube-stool', 'MINI-STOOL-OAK', 1);
    expect(await a.sync.push()).toBe('synced');
    const { cartId, token } = await a.sync.ensureServerCart();
    const reviewed = await reviewedCartOf(a.db);

    const b = await device();
    await b.sync.join(cartId, token);
    await b.writes.addToCart('slab-table', 'MINI-TABLE-ASH', 1);
    expect(await b.sync.push()).toBe('synced');

    const err = await failure(placeOrder(details, 'pay-on-delivery', reviewed, a.options));
    expect(err.code).toBe('CART_CHANGED_ELSEWHERE');
    expect(err.message).toBe('Your cart changed on another device — please review it.');
    // Device A now shows B's line and may order it once reviewed.
    expect((await a.db.cartLines.toArray()).map((l) => l.sku).sort()).toEqual([
      'MINI-STOOL-OAK',
      'MINI-TABLE-ASH',
    ]);
    expect(await refreshOrders(a.options)).toEqual([]);
    const order = await placeOrder(details, 'pay-on-delivery', await reviewedCartOf(a.db), a.options);
    expect(order.lines.map((l) => l.sku).sort()).toEqual(['MINI-STOOL-OAK', 'MINI-TABLE-ASH']);
  });

  test("this device's own pending change goes through, but another device's change pushed meanwhile stops the order", async () => {
    const a = await device();
    await a.writes.addToCart('cube-stool', 'MINI-STOOL-OAK', 1);
    expect(await a.sync.push()).toBe('synced');
    const { cartId, token } = await a.sync.ensureServerCart();
    const b = await device();
    await b.sync.join(cartId, token);

    // A raises its own quantity (not yet sent) and reviews the summary showing 2; B adds a table meanwhile.
    await a.writes.setQuantity('MINI-STOOL-OAK', 2);
    const reviewed = await reviewedCartOf(a.db);
    expect(reviewed.lines).toEqual([{ sku: 'MINI-STOOL-OAK', qty: 2 }]);
    await b.writes.addToCart('slab-table', 'MINI-TABLE-ASH', 1);
    expect(await b.sync.push()).toBe('synced');

    // Pushing A's change answers with B's table too: ordering now would buy a table A never saw.
    const err = await failure(placeOrder(details, 'pay-on-delivery', reviewed, a.options));
    expect(err.code).toBe('CART_CHANGED_ELSEWHERE');
    expect(await a.db.outbox.count()).toBe(0);
    expect(await refreshOrders(a.options)).toEqual([]);
    expect((await a.db.cartSync.get('cart'))?.checkoutKey).toBeUndefined();

    // With only A's own change pending, the order goes through with exactly what was reviewed.
    await b.writes.removeLine('MINI-TABLE-ASH');
    expect(await b.sync.push()).toBe('synced');
    expect(await a.sync.pull()).toBe(true);
    await a.writes.setQuantity('MINI-STOOL-OAK', 3);
    const order = await placeOrder(details, 'pay-on-delivery', await reviewedCartOf(a.db), a.options);
    expect(order.lines.map((l) => [l.sku, l.qty])).toEqual([['MINI-STOOL-OAK', 3]]);
  });

  test('after an order only the ordered skus leave the cart; a line that arrived meanwhile stays', async () => {
    const a = await device();
    await a.writes.addToCart('cube-stool', 'MINI-STOOL-OAK', 1);
    expect(await a.sync.push()).toBe('synced');
    const { cartId, token } = await a.sync.ensureServerCart();
    const b = await device();
    await b.sync.join(cartId, token);
    const reviewed = await reviewedCartOf(a.db);

    const realFetch = globalThis.fetch;
    let during = false;
    vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
      const answer = await realFetch(input, init);
      if (String(input).endsWith('/orders') && init?.method === 'POST' && !during) {
        during = true;
        // While the order's answer travels, B (having seen the emptied cart) adds a table, and A pulls it.
        expect(await b.sync.pull()).toBe(true);
        await b.writes.addToCart('slab-table', 'MINI-TABLE-ASH', 1);
        expect(await b.sync.push()).toBe('synced');
        expect(await a.sync.pull()).toBe(true);
      }
      return answer;
    });
    // The pull after the order fails (the connection dropped): the device keeps what it knows.
    const order = await placeOrder(details, 'pay-on-delivery', reviewed, {
      ...a.options,
      cartSync: { push: () => a.sync.push(), pull: () => (during ? Promise.resolve(false) : a.sync.pull()) },
    });
    expect(during).toBe(true);
    expect(order.lines.map((l) => l.sku)).toEqual(['MINI-STOOL-OAK']);
    expect((await a.db.cartLines.toArray()).map((l) => l.sku)).toEqual(['MINI-TABLE-ASH']);
  });

  test('a cart with stock warnings is refused until the shopper lowers the quantity', async () => {
    const a = await device();
    await a.writes.addToCart('slab-table', 'MINI-TABLE-ASH', 3); // 2 in stock
    const err = await failure(placeOrder(details, 'pay-on-delivery', await reviewedCartOf(a.db), a.options));
    expect(err.code).toBe('CART_HAS_WARNINGS');
    expect(err.message).toMatch(/Review the changes in your cart/);
    expect((await a.db.cartSync.get('cart'))?.warnings).toEqual([
      { code: 'QTY_CLAMPED', sku: 'MINI-TABLE-ASH', requested: 3, available: 2 },
    ]);
    await a.writes.setQuantity('MINI-TABLE-ASH', 2);
    const order = await placeOrder(details, 'pay-on-delivery', await reviewedCartOf(a.db), a.options);
    expect(order.lines).toMatchObject([{ sku: 'MINI-TABLE-ASH', qty: 2 }]);
  });
});

describe('returns', () => {
  test('requestReturn stores the answered order; the server refuses more units than are left', async () => {
    const a = await device();
    await a.writes.addToCart('cube-stool', 'MINI-STOOL-OAK', 2);
    const order = await placeOrder(details, 'pay-on-delivery', await reviewedCartOf(a.db), a.options);
    expect(order.returnUntil['MINI-STOOL-OAK']).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const returned = await requestReturn(
      order.id,
      {
        sku: 'MINI-STOOL-OAK',
        qty: 1,
        kind: 'exchange',
        reason: 'does-not-fit',
        exchangeSku: 'MINI-STOOL-WAL',
      },
      a.options,
    );
    expect(returned.returns).toMatchObject([
      { sku: 'MINI-STOOL-OAK', qty: 1, kind: 'exchange', status: 'requested', exchangeSku: 'MINI-STOOL-WAL' },
    ]);
    expect((await a.db.orders.get(order.id))?.returns).toHaveLength(1);

    const tooMany = await failure(
      requestReturn(order.id, { sku: 'MINI-STOOL-OAK', qty: 2, kind: 'return', reason: 'other' }, a.options),
    );
    expect(tooMany.code).toBe('RETURN_QTY_EXCEEDED');
    expect(tooMany.message).toBe('That is more units than are left to return on this line.');
    const wrongExchange = await failure(
      requestReturn(
        order.id,
        { sku: 'MINI-STOOL-OAK', qty: 1, kind: 'exchange', reason: 'other', exchangeSku: 'MINI-TABLE-ASH' },
        a.options,
      ),
    );
    expect(wrongExchange.code).toBe('EXCHANGE_SKU_INVALID');

    // What the server holds now is what refreshOrder stores.
    await a.db.orders.clear();
    await a.db.orders.put(order);
    expect((await refreshOrder(order.id, a.options)).returns).toHaveLength(1);
    expect((await a.db.orders.get(order.id))?.returns).toHaveLength(1);
  });

  test('orders of the cart a device left by joining another stay refreshable and returnable', async () => {
    const a = await device();
    await a.writes.addToCart('cube-stool', 'MINI-STOOL-OAK', 1);
    const order = await placeOrder(details, 'pay-on-delivery', await reviewedCartOf(a.db), a.options);
    const other = await device();
    await other.writes.addToCart('slab-table', 'MINI-TABLE-ASH', 1);
    expect(await other.sync.push()).toBe('synced');
    const otherOrder = await placeOrder(
      details,
      'pay-on-delivery',
      await reviewedCartOf(other.db),
      other.options,
    );
    const { cartId, token } = await other.sync.ensureServerCart();
    await a.sync.join(cartId, token);

    // Both carts' orders are listed: the old cart's secret was kept.
    await a.db.orders.clear();
    expect((await refreshOrders(a.options)).map((o) => o.id).sort()).toEqual(
      [order.id, otherOrder.id].sort(),
    );
    expect((await refreshOrder(order.id, a.options)).id).toBe(order.id);
    const returned = await requestReturn(
      order.id,
      { sku: 'MINI-STOOL-OAK', qty: 1, kind: 'return', reason: 'other' },
      a.options,
    );
    expect(returned.returns).toHaveLength(1);

    // Without the secret of an order's cart nothing can be asked about it.
    await a.db.carts.delete(order.cartId);
    const err = await failure(
      requestReturn(order.id, { sku: 'MINI-STOOL-OAK', qty: 1, kind: 'return', reason: 'other' }, a.options),
    );
    expect(err.code).toBe('ORDER_NOT_OURS');
  });

  test('a return whose answer is lost is sent again under the same key and filed once', async () => {
    const a = await device();
    await a.writes.addToCart('cube-stool', 'MINI-STOOL-OAK', 3);
    const order = await placeOrder(details, 'pay-on-delivery', await reviewedCartOf(a.db), a.options);
    const realFetch = globalThis.fetch;
    const keys: (string | null)[] = [];
    let dropped = 0;
    vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
      const answer = await realFetch(input, init);
      if (String(input).endsWith('/returns')) {
        keys.push(new Headers(init?.headers).get('idempotency-key'));
        if (dropped === 0) {
          dropped += 1;
          throw new TypeError('fetch failed');
        }
      }
      return answer;
    });
    const request = { sku: 'MINI-STOOL-OAK', qty: 1, kind: 'return', reason: 'damaged' } as const;

    const lost = await failure(requestReturn(order.id, request, a.options));
    expect(lost.code).toBe('NETWORK');
    // The message is about the return, not the order.
    expect(lost.message).toMatch(/return request/);
    expect(lost.message).not.toMatch(/order/);
    expect(await a.db.returnAttempts.count()).toBe(1);

    const returned = await requestReturn(order.id, request, a.options);
    expect(returned.returns).toHaveLength(1);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(await a.db.returnAttempts.count()).toBe(0);

    // A new request gets a new key and is filed as a second one.
    const again = await requestReturn(order.id, request, a.options);
    expect(again.returns).toHaveLength(2);
    expect(keys[2]).not.toBe(keys[0]);
  });
});
