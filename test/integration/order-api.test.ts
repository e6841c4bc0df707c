import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CartResponse, NewCart, Order, OrderList } from '../../src/protocol/cart';
import type { ReturnRequest } from '../../src/protocol/cart';
import { findProduct, putProduct } from '../../src/server/storage/catalog-store';
import { openDatabase } from '../../src/server/storage/connection';
import type { Database } from '../../src/server/storage/schema';
import { OAK, op, push, TABLE, WALNUT } from '../support/cart-ops';
import { closeAll, copyOfBrandMini, startServer, type RunningServer } from './server-harness';

let server: RunningServer;
/** A second connection to the server's SQLite file, to change the catalog and look at rows. */
let store: Kysely<Database>;

beforeAll(async () => {
  server = await startServer();
  store = await openDatabase(server.dataDir);
});
afterAll(async () => {
  await store.destroy();
  await closeAll();
});

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const eur = (amount: number) => ({ amount, currency: 'EUR' });

const DETAILS = {
  name: 'Ana Silva',
  email: 'ana@example.com',
  phone: '+351 21 123 4567',
  address: {
    line1: 'Rua Augusta 1',
    line2: '2º esq.',
    city: 'Lisboa',
    postalCode: '1100-048',
    country: 'PT',
  },
};

async function newCart(srv: RunningServer = server): Promise<NewCart> {
  const response = await srv.get('/api/v1/carts', { method: 'POST' });
  expect(response.status).toBe(201);
  return NewCart.parse(await response.json());
}

let clients = 0;

/** Pushes one op per [sku, qty] from a new client; returns the cart as the server answers. */
async function fill(cart: NewCart, lines: [string, number][], srv: RunningServer = server) {
  clients += 1;
  const response = await srv.get(`/api/v1/carts/${cart.cartId}/ops`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth(cart.token) },
    body: JSON.stringify(
      push(
        `orders${clients}`,
        lines.map(([sku, qty], i) => op(i + 1, sku, qty)),
      ),
    ),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return CartResponse.parse(await response.json()).cart;
}

async function readCart(cart: NewCart) {
  const response = await server.get(`/api/v1/carts/${cart.cartId}`, { headers: auth(cart.token) });
  expect(response.status).toBe(200);
  return CartResponse.parse(await response.json()).cart;
}

/** POSTs a checkout; `body` is JSON-encoded unless a string. */
function checkout(
  cart: NewCart,
  body: unknown,
  headers: Record<string, string> = { ...auth(cart.token), 'idempotency-key': randomUUID() },
  srv: RunningServer = server,
) {
  return srv.get(`/api/v1/carts/${cart.cartId}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const placeBody = (expectedVersion: number) => ({
  expectedVersion,
  details: DETAILS,
  payment: 'pay-on-delivery',
});

async function placed(response: Response, status = 201): Promise<Order> {
  expect(response.status, await response.clone().text()).toBe(status);
  expect(response.headers.get('cache-control')).toBe('no-store');
  return Order.parse(await response.json());
}

/** A cart with 2 oak stools and 1 table, ordered; returns the cart and the order. */
async function orderedCart(srv: RunningServer = server) {
  const cart = await newCart(srv);
  const { version } = await fill(
    cart,
    [
      [OAK.sku, 2],
      [TABLE.sku, 1],
    ],
    srv,
  );
  const order = await placed(await checkout(cart, placeBody(version), undefined, srv));
  return { cart, order };
}

/** Rows that an order or a return could change. */
async function rows(db: Kysely<Database> = store) {
  return {
    carts: await db.selectFrom('carts').select(['id', 'version']).orderBy('id').execute(),
    lines: await db.selectFrom('cart_lines').selectAll().orderBy('cart_id').orderBy('sku').execute(),
    orders: await db.selectFrom('orders').selectAll().orderBy('id').execute(),
    returns: await db.selectFrom('return_requests').selectAll().orderBy('id').execute(),
    reserved: await db.selectFrom('stock_reservations').selectAll().orderBy('sku').execute(),
  };
}

/** Sends, expects the error status and code, checks nothing changed, and returns the error body. */
async function refused(send: () => Promise<Response>, status: number, code: string, db = store) {
  const before = await rows(db);
  const response = await send();
  const text = await response.text();
  expect(response.status, text).toBe(status);
  const body = JSON.parse(text) as {
    error: { code: string; message: string; details?: Record<string, unknown> };
  };
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(0);
  expect(await rows(db)).toEqual(before);
  return body.error;
}

/** Clears the stock reservations, so each test starts with brand-mini's full stock. */
async function restock() {
  await store.deleteFrom('stock_reservations').execute();
}

describe('checkout', () => {
  test('places an order: 201, lines and totals, cart emptied, listed and readable by id', async () => {
    await restock();
    const cart = await newCart();
    const { version } = await fill(cart, [
      [OAK.sku, 2],
      [TABLE.sku, 1],
    ]);
    const order = await placed(await checkout(cart, placeBody(version)));

    expect(order).toMatchObject({ cartId: cart.cartId, status: 'placed', payment: 'pay-on-delivery' });
    expect(order.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(order.details).toEqual(DETAILS);
    expect(order.lines.map((l) => [l.productName, l.variantName, l.qty, l.lineTotal.amount])).toEqual([
      ['Cube Stool', 'Oak', 2, 25800],
      ['Slab Table', 'Ash', 1, 89000],
    ]);
    expect(order.totals).toEqual([eur(114800)]);
    const until = new Date(Date.parse(order.createdAt.slice(0, 10)) + 30 * 86_400_000)
      .toISOString()
      .slice(0, 10);
    expect(order.returnUntil).toEqual({ [OAK.sku]: until, [TABLE.sku]: until });

    const after = await readCart(cart);
    expect(after.lines).toEqual([]);
    expect(after.version).toBe(version + 1);

    const list = await server.get(`/api/v1/carts/${cart.cartId}/orders`, { headers: auth(cart.token) });
    expect(list.status).toBe(200);
    expect(list.headers.get('cache-control')).toBe('no-store');
    expect(OrderList.parse(await list.json()).orders).toEqual([order]);
    expect(
      await placed(await server.get(`/api/v1/orders/${order.id}`, { headers: auth(cart.token) }), 200),
    ).toEqual(order);

    // The order holds the table: another cart asking for 2 gets 1.
    const other = await newCart();
    expect((await fill(other, [[TABLE.sku, 2]])).warnings).toEqual([
      { code: 'QTY_CLAMPED', sku: TABLE.sku, requested: 2, available: 1 },
    ]);
  });

  test('the same Idempotency-Key again answers 200 with the same order, even after the cart changed', async () => {
    await restock();
    const cart = await newCart();
    const { version } = await fill(cart, [[OAK.sku, 1]]);
    const headers = { ...auth(cart.token), 'idempotency-key': randomUUID() };
    const first = await placed(await checkout(cart, placeBody(version), headers));
    await fill(cart, [[OAK.sku, 3]]);
    const again = await placed(await checkout(cart, placeBody(version), headers), 200);
    expect(again).toEqual(first);
    // The key in upper case is the same key.
    const upper = { ...headers, 'idempotency-key': headers['idempotency-key'].toUpperCase() };
    expect(await placed(await checkout(cart, placeBody(version), upper), 200)).toEqual(first);
    expect(
      OrderList.parse(await (await server.get(`/api/v1/carts/${cart.cartId}/orders`, { headers })).json())
        .orders,
    ).toHaveLength(1);
    expect((await readCart(cart)).lines.map((l) => l.qty)).toEqual([3]);
  });

  test('two concurrent requests with one key: one order, one reservation', async () => {
    await restock();
    const cart = await newCart();
    const { version } = await fill(cart, [[TABLE.sku, 1]]);
    const headers = { ...auth(cart.token), 'idempotency-key': randomUUID() };
    const responses = await Promise.all([
      checkout(cart, placeBody(version), headers),
      checkout(cart, placeBody(version), headers),
    ]);
    expect(responses.map((r) => r.status).sort()).toEqual([200, 201]);
    const [a, b] = await Promise.all(responses.map((r) => r.json() as Promise<Order>));
    expect(a).toEqual(b);
    const orders = await store.selectFrom('orders').select('id').where('cart_id', '=', cart.cartId).execute();
    expect(orders).toHaveLength(1);
    const reserved = await store
      .selectFrom('stock_reservations')
      .select('reserved')
      .where('sku', '=', TABLE.sku)
      .executeTakeFirst();
    expect(Number(reserved?.reserved)).toBe(1);
  });

  test('a key already used on another cart is 422 IDEMPOTENCY_KEY_REUSED', async () => {
    await restock();
    const { cart: first } = await orderedCart();
    const key = (
      await store
        .selectFrom('orders')
        .select('idempotency_key')
        .where('cart_id', '=', first.cartId)
        .executeTakeFirstOrThrow()
    ).idempotency_key;
    const cart = await newCart();
    const { version } = await fill(cart, [[OAK.sku, 1]]);
    await refused(
      () => checkout(cart, placeBody(version), { ...auth(cart.token), 'idempotency-key': key }),
      422,
      'IDEMPOTENCY_KEY_REUSED',
    );
  });

  test('a key already used for a different request on the same cart is 422 IDEMPOTENCY_KEY_REUSED', async () => {
    await restock();
    const cart = await newCart();
    const { version } = await fill(cart, [[OAK.sku, 1]]);
    const headers = { ...auth(cart.token), 'idempotency-key': randomUUID() };
    const first = await placed(await checkout(cart, placeBody(version), headers));
    expect(first.lines[0]?.returnPolicy).toMatchObject({ merchantReturnDays: 30, refundType: 'FullRefund' });
    const other = { ...placeBody(version), details: { ...DETAILS, email: 'rui@example.com' } };
    const error = await refused(() => checkout(cart, other, headers), 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(error.message).toMatch(/different order request/);
    // The same request again, spaces around a field trimmed as before: the same order.
    const spaced = { ...placeBody(version), details: { ...DETAILS, name: `  ${DETAILS.name} ` } };
    expect(await placed(await checkout(cart, spaced, headers), 200)).toEqual(first);
  });

  test('an op a device made before the order emptied the cart comes back as STALE_CHANGE, not as a line', async () => {
    await restock();
    const cart = await newCart();
    const { version } = await fill(cart, [[OAK.sku, 2]]);
    await placed(await checkout(cart, placeBody(version)));
    const pushOf = (ops: ReturnType<typeof op>[]) =>
      server.get(`/api/v1/carts/${cart.cartId}/ops`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth(cart.token) },
        body: JSON.stringify(push('stale-device', ops)),
      });
    const stale = await pushOf([op(1, OAK.sku, 3, undefined, version)]);
    expect(stale.status).toBe(200);
    const answer = CartResponse.parse(await stale.json());
    expect(answer).toEqual({
      ackedSeq: 1,
      cart: {
        id: cart.cartId,
        version: version + 1,
        lines: [],
        warnings: [{ code: 'STALE_CHANGE', sku: OAK.sku }],
      },
    });
    expect(await readCart(cart)).toEqual({ id: cart.cartId, version: version + 1, lines: [], warnings: [] });
    // Made after seeing the empty cart: applied.
    const fresh = CartResponse.parse(
      await (await pushOf([op(2, OAK.sku, 1, undefined, version + 1)])).json(),
    );
    expect(fresh.cart.lines.map((l) => [l.sku, l.qty])).toEqual([[OAK.sku, 1]]);
    expect(fresh.cart.warnings).toEqual([]);
  });

  test('a missing or malformed Idempotency-Key is 400', async () => {
    const cart = await newCart();
    const { version } = await fill(cart, [[OAK.sku, 1]]);
    for (const headers of [
      auth(cart.token),
      { ...auth(cart.token), 'idempotency-key': 'not-a-uuid' },
      { ...auth(cart.token), 'idempotency-key': `${randomUUID()}0` },
    ]) {
      const error = await refused(() => checkout(cart, placeBody(version), headers), 400, 'BAD_REQUEST');
      expect(error.message).toContain('Idempotency-Key');
    }
  });

  test('an empty cart, a changed cart and a price change are refused with 409', async () => {
    await restock();
    const empty = await newCart();
    await refused(() => checkout(empty, placeBody(0)), 409, 'CART_EMPTY');

    const cart = await newCart();
    const { version } = await fill(cart, [[OAK.sku, 1]]);
    await refused(() => checkout(cart, placeBody(version + 1)), 409, 'CART_CHANGED');

    const product = await findProduct(store, 'cube-stool');
    if (product === undefined) throw new Error('no cube-stool');
    await putProduct(store, {
      ...product,
      variants: product.variants.map((v) => (v.sku === OAK.sku ? { ...v, price: eur(13500) } : v)),
    });
    try {
      expect((await readCart(cart)).warnings).toEqual([
        { code: 'PRICE_CHANGED', sku: OAK.sku, old: eur(OAK.price), new: eur(13500) },
      ]);
      await refused(() => checkout(cart, placeBody(version)), 409, 'CART_HAS_WARNINGS');
    } finally {
      await putProduct(store, product);
    }
    // Back at the price the shopper saw: the order goes through.
    await placed(await checkout(cart, placeBody(version)));
  });

  test('stock another order took in between is refused (the cart now warns OUT_OF_STOCK)', async () => {
    await restock();
    const a = await newCart();
    const b = await newCart();
    const cartA = await fill(a, [[TABLE.sku, 2]]);
    const cartB = await fill(b, [[TABLE.sku, 2]]);
    expect(cartA.warnings).toEqual([]);
    await placed(await checkout(b, placeBody(cartB.version)));
    const error = await refused(() => checkout(a, placeBody(cartA.version)), 409, 'CART_HAS_WARNINGS');
    expect(error.message).toMatch(/stock/);
    expect((await readCart(a)).warnings).toEqual([{ code: 'OUT_OF_STOCK', sku: TABLE.sku }]);
  });

  test('bad details are 400 with every bad field named in details.fields', async () => {
    const cart = await newCart();
    const { version } = await fill(cart, [[OAK.sku, 1]]);
    const error = await refused(
      () =>
        checkout(cart, {
          expectedVersion: version,
          details: {
            name: '   ',
            email: 'ana.example.com',
            phone: 'call me',
            address: { line1: 'Rua Augusta 1', postalCode: '!', country: 'Portugal' },
          },
          payment: 'card',
        }),
      400,
      'BAD_REQUEST',
    );
    expect(error.details).toEqual({
      fields: {
        name: 'Enter your full name.',
        email: 'Enter an email address like name@example.com.',
        phone: 'Enter a phone number of digits, like +351 21 123 4567.',
        'address.city': 'Enter the town or city.',
        'address.postalCode': 'Enter the postal code, letters, digits and dashes.',
        'address.country': expect.stringContaining('ISO 3166-1') as unknown as string,
        payment: expect.any(String) as unknown as string,
      },
    });

    const missing = await refused(() => checkout(cart, { details: DETAILS }), 400, 'BAD_REQUEST');
    expect(Object.keys((missing.details as { fields: object }).fields)).toEqual([
      'expectedVersion',
      'payment',
    ]);
    await refused(() => checkout(cart, '{"expectedVersion": 1,'), 400, 'BAD_REQUEST');
    await refused(
      () => checkout(cart, JSON.stringify({ ...placeBody(version), padding: 'x'.repeat(1024 * 1024) })),
      413,
      'PAYLOAD_TOO_LARGE',
    );
  });

  test('a wrong or missing token is 403, an unknown cart 404', async () => {
    const cart = await newCart();
    const { version } = await fill(cart, [[OAK.sku, 1]]);
    const other = await newCart();
    const key = { 'idempotency-key': randomUUID() };
    await refused(
      () => checkout(cart, placeBody(version), { ...auth(other.token), ...key }),
      403,
      'CART_FORBIDDEN',
    );
    await refused(() => checkout(cart, placeBody(version), key), 403, 'CART_FORBIDDEN');
    await refused(
      () => checkout({ cartId: 'AAAAAAAAAAAAAAAAAAAAAA', token: cart.token }, placeBody(version)),
      404,
      'CART_NOT_FOUND',
    );
    await refused(
      () => server.get(`/api/v1/carts/${cart.cartId}/orders`, { headers: auth(other.token) }),
      403,
      'CART_FORBIDDEN',
    );
    await refused(() => server.get(`/api/v1/carts/${cart.cartId}/orders`), 403, 'CART_FORBIDDEN');
  });
});

describe('orders and returns', () => {
  const returnOf = (
    order: Order,
    request: ReturnRequest,
    token: string,
    srv: RunningServer = server,
    /** `null` sends no Idempotency-Key. */
    key: string | null = randomUUID(),
  ) =>
    srv.get(`/api/v1/orders/${order.id}/returns`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...auth(token),
        ...(key === null ? {} : { 'idempotency-key': key }),
      },
      body: JSON.stringify(request),
    });

  test('an order is read only with its cart token', async () => {
    await restock();
    const { order } = await orderedCart();
    const other = await newCart();
    await refused(
      () => server.get(`/api/v1/orders/${order.id}`, { headers: auth(other.token) }),
      403,
      'CART_FORBIDDEN',
    );
    await refused(() => server.get(`/api/v1/orders/${order.id}`), 403, 'CART_FORBIDDEN');
    await refused(
      () => server.get('/api/v1/orders/AAAAAAAAAAAAAAAAAAAAAA', { headers: auth(other.token) }),
      404,
      'ORDER_NOT_FOUND',
    );
    await refused(
      () => server.get('/api/v1/orders/short', { headers: auth(other.token) }),
      404,
      'ORDER_NOT_FOUND',
    );
    await refused(
      () => returnOf(order, { sku: OAK.sku, qty: 1, kind: 'return', reason: 'other' }, other.token),
      403,
      'CART_FORBIDDEN',
    );
  });

  test('a return and an exchange are accepted: 201 with the order and its returns', async () => {
    await restock();
    const { cart, order } = await orderedCart();
    const afterReturn = await placed(
      await returnOf(
        order,
        { sku: TABLE.sku, qty: 1, kind: 'return', reason: 'damaged', comment: 'Scratched' },
        cart.token,
      ),
    );
    expect(afterReturn.returns).toEqual([
      expect.objectContaining({
        sku: TABLE.sku,
        qty: 1,
        kind: 'return',
        reason: 'damaged',
        comment: 'Scratched',
        status: 'requested',
        fee: eur(0),
        refundType: 'FullRefund',
      }),
    ]);
    const afterExchange = await placed(
      await returnOf(
        order,
        { sku: OAK.sku, qty: 1, kind: 'exchange', reason: 'does-not-fit', exchangeSku: WALNUT.sku },
        cart.token,
      ),
    );
    expect(afterExchange.returns[1]).toMatchObject({
      kind: 'exchange',
      sku: OAK.sku,
      exchangeSku: WALNUT.sku,
    });
    const read = await placed(
      await server.get(`/api/v1/orders/${order.id}`, { headers: auth(cart.token) }),
      200,
    );
    expect(read).toEqual(afterExchange);
  });

  test('a return needs an Idempotency-Key: a retry answers 200 and files nothing, another request 422', async () => {
    await restock();
    const { cart, order } = await orderedCart();
    const ask: ReturnRequest = { sku: OAK.sku, qty: 1, kind: 'return', reason: 'damaged' };
    for (const key of [null, 'not-a-uuid']) {
      const error = await refused(() => returnOf(order, ask, cart.token, server, key), 400, 'BAD_REQUEST');
      expect(error.message).toContain('Idempotency-Key');
    }
    const key = randomUUID();
    const first = await placed(await returnOf(order, ask, cart.token, server, key));
    expect(first.returns).toHaveLength(1);
    const before = await rows();
    expect(await placed(await returnOf(order, ask, cart.token, server, key.toUpperCase()), 200)).toEqual(
      first,
    );
    expect(await rows()).toEqual(before);
    const error = await refused(
      () => returnOf(order, { ...ask, qty: 2 }, cart.token, server, key),
      422,
      'IDEMPOTENCY_KEY_REUSED',
    );
    expect(error.message).toMatch(/different return request/);
  });

  test('a cancelled order is 409 ORDER_CANCELLED', async () => {
    await restock();
    const { cart, order } = await orderedCart();
    await store.updateTable('orders').set({ status: 'cancelled' }).where('id', '=', order.id).execute();
    await refused(
      () => returnOf(order, { sku: OAK.sku, qty: 1, kind: 'return', reason: 'other' }, cart.token),
      409,
      'ORDER_CANCELLED',
    );
  });

  test('refusals: quantity across two requests, other product, bad body, window closed', async () => {
    await restock();
    const { cart, order } = await orderedCart();
    await placed(
      await returnOf(order, { sku: OAK.sku, qty: 1, kind: 'return', reason: 'changed-mind' }, cart.token),
    );
    const exceeded = await refused(
      () => returnOf(order, { sku: OAK.sku, qty: 2, kind: 'return', reason: 'changed-mind' }, cart.token),
      409,
      'RETURN_QTY_EXCEEDED',
    );
    expect(exceeded.details).toMatchObject({ returnable: 1 });
    await refused(
      () =>
        returnOf(
          order,
          { sku: OAK.sku, qty: 1, kind: 'exchange', reason: 'other', exchangeSku: TABLE.sku },
          cart.token,
        ),
      422,
      'EXCHANGE_SKU_INVALID',
    );
    const bad = await refused(
      () =>
        returnOf(
          order,
          { sku: OAK.sku, qty: 0, kind: 'swap', reason: 'other' } as unknown as ReturnRequest,
          cart.token,
        ),
      400,
      'BAD_REQUEST',
    );
    expect(Object.keys((bad.details as { fields: object }).fields).sort()).toEqual(['kind', 'qty']);

    // 31 days after placement the 30-day window has closed.
    await store
      .updateTable('orders')
      .set({ created_at: new Date(Date.now() - 31 * 86_400_000).toISOString() })
      .where('id', '=', order.id)
      .execute();
    const moved = await placed(
      await server.get(`/api/v1/orders/${order.id}`, { headers: auth(cart.token) }),
      200,
    );
    expect(moved.returnUntil[OAK.sku]).toBe(new Date(Date.now() - 86_400_000).toISOString().slice(0, 10));
    await refused(
      () => returnOf(order, { sku: OAK.sku, qty: 1, kind: 'return', reason: 'changed-mind' }, cart.token),
      409,
      'RETURN_WINDOW_CLOSED',
    );
  });

  test('a brand that takes no returns: 409 RETURNS_NOT_ACCEPTED', async () => {
    const brandDir = await copyOfBrandMini();
    const brandFile = path.join(brandDir, 'brand.json');
    const brand = JSON.parse(await readFile(brandFile, 'utf8')) as { returnPolicy: object };
    brand.returnPolicy = { ...brand.returnPolicy, returnPolicyCategory: 'MerchantReturnNotPermitted' };
    await writeFile(brandFile, JSON.stringify(brand));
    const strict = await startServer({ brandDirs: [brandDir] });
    const strictStore = await openDatabase(strict.dataDir);
    try {
      const { cart, order } = await orderedCart(strict);
      expect(order.returnUntil).toEqual({});
      await refused(
        () =>
          returnOf(order, { sku: OAK.sku, qty: 1, kind: 'return', reason: 'damaged' }, cart.token, strict),
        409,
        'RETURNS_NOT_ACCEPTED',
        strictStore,
      );
    } finally {
      await strictStore.destroy();
    }
  });
});
