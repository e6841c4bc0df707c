import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CartApiError, CartResponse, MAX_OPS_PER_PUSH, NewCart } from '../../src/protocol/cart';
import type { CartOp } from '../../src/protocol/cart';
import { deleteProduct, findProduct, putProduct } from '../../src/server/storage/catalog-store';
import { openDatabase } from '../../src/server/storage/connection';
import { MAX_MONEY_AMOUNT } from '../../src/protocol/catalog';
import type { Database } from '../../src/server/storage/schema';
import { cartRows, clientId, OAK, op, push, TABLE } from '../support/cart-ops';
import { backends } from '../support/backends';
import { closeAll, startServer, stopServer, type RunningServer } from './server-harness';

let server: RunningServer;
let store: Kysely<Database>;

beforeAll(async () => {
  server = await startServer();
  // A second connection to the server's SQLite file, to look at the rows behind the answers.
  store = await openDatabase(server.dataDir);
});
afterAll(async () => {
  await store.destroy();
  await closeAll();
});

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

async function newCart(): Promise<NewCart> {
  const response = await server.get('/api/v1/carts', { method: 'POST' });
  expect(response.status).toBe(201);
  expect(response.headers.get('cache-control')).toBe('no-store');
  return NewCart.parse(await response.json());
}

/** POSTs `body` (JSON-encoded unless a string) to the cart's ops. */
function postOps(cart: NewCart, body: unknown, headers: Record<string, string> = auth(cart.token)) {
  return server.get(`/api/v1/carts/${cart.cartId}/ops`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function ok(response: Response): Promise<CartResponse> {
  expect(response.status, await response.clone().text()).toBe(200);
  expect(response.headers.get('cache-control')).toBe('no-store');
  return CartResponse.parse(await response.json());
}

/** Expects the error status and code (and returns the parsed error) and that no cart row changed. */
async function refused(
  cart: NewCart,
  send: () => Promise<Response>,
  status: number,
  code: string,
): Promise<CartApiError['error'] & { details?: Record<string, unknown> }> {
  const before = await cartRows(store, cart.cartId);
  const response = await send();
  const text = await response.text();
  expect(response.status, text).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const body = JSON.parse(text) as { error: CartApiError['error'] & { details?: Record<string, unknown> } };
  expect(CartApiError.safeParse(body).success).toBe(true);
  expect(body.error.code).toBe(code);
  expect(await cartRows(store, cart.cartId)).toEqual(before);
  return body.error;
}

describe('POST /api/v1/carts', () => {
  it('creates distinct carts and stores only the SHA-256 of the token', async () => {
    const a = await newCart();
    const b = await newCart();
    expect(a.cartId).not.toBe(b.cartId);
    expect(a.token).not.toBe(b.token);
    const row = await store
      .selectFrom('carts')
      .selectAll()
      .where('id', '=', a.cartId)
      .executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(createHash('sha256').update(a.token).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(a.token);
  });
});

describe('GET /api/v1/carts/:cartId and POST …/ops', () => {
  it('reads an empty cart, applies a push and reads it back the same, without ackedSeq', async () => {
    const cart = await newCart();
    const empty = await ok(await server.get(`/api/v1/carts/${cart.cartId}`, { headers: auth(cart.token) }));
    expect(empty).toEqual({ cart: { id: cart.cartId, version: 0, lines: [], warnings: [] } });

    const answer = await ok(await postOps(cart, push('a', [op(1, OAK.sku, 2), op(2, TABLE.sku, 1)])));
    expect(answer.ackedSeq).toBe(2);
    expect(answer.cart.version).toBe(2);
    expect(answer.cart.lines.map((l) => [l.sku, l.qty, l.unitPrice.amount])).toEqual([
      [OAK.sku, 2, OAK.price],
      [TABLE.sku, 1, TABLE.price],
    ]);
    const read = await ok(await server.get(`/api/v1/carts/${cart.cartId}`, { headers: auth(cart.token) }));
    expect(read).toEqual({ cart: answer.cart });
    expect('ackedSeq' in read).toBe(false);
  });

  it('acknowledges a replayed push without applying it again', async () => {
    const cart = await newCart();
    const request = push('a', [op(1, OAK.sku, 1), op(2, OAK.sku, 3)]);
    const first = await ok(await postOps(cart, request));
    const rows = await cartRows(store, cart.cartId);
    const second = await ok(await postOps(cart, request));
    expect(second).toEqual(first);
    expect(second).toMatchObject({ ackedSeq: 2, cart: { version: 2 } });
    expect(await cartRows(store, cart.cartId)).toEqual(rows);
    const partial = await ok(await postOps(cart, { ...request, ops: [...request.ops, op(3, TABLE.sku, 1)] }));
    expect(partial).toMatchObject({ ackedSeq: 3, cart: { version: 3 } });
  });

  it('shows two devices the same cart', async () => {
    const cart = await newCart();
    await ok(await postOps(cart, push('phone', [op(1, OAK.sku, 1)])));
    const laptop = await ok(await postOps(cart, push('laptop', [op(1, TABLE.sku, 1)])));
    expect(laptop.ackedSeq).toBe(1);
    expect(laptop.cart.lines.map((l) => l.sku)).toEqual([OAK.sku, TABLE.sku]);
    const phone = await ok(await postOps(cart, push('phone', [])));
    expect(phone.cart).toEqual(laptop.cart);
    expect(phone.ackedSeq).toBe(1);
  });

  it('reports a price change until an op carries the new price', async () => {
    const cart = await newCart();
    await ok(await postOps(cart, push('a', [op(1, OAK.sku, 1)])));
    const product = await findProduct(store, 'cube-stool');
    if (!product) throw new Error('cube-stool missing');
    await putProduct(store, {
      ...product,
      variants: product.variants.map((v) =>
        v.sku === OAK.sku ? { ...v, price: { ...v.price, amount: 15500 } } : v,
      ),
    });
    try {
      const read = await ok(await server.get(`/api/v1/carts/${cart.cartId}`, { headers: auth(cart.token) }));
      expect(read.cart.warnings).toEqual([
        {
          code: 'PRICE_CHANGED',
          sku: OAK.sku,
          old: { amount: OAK.price, currency: 'EUR' },
          new: { amount: 15500, currency: 'EUR' },
        },
      ]);
      const accepted = await ok(await postOps(cart, push('a', [op(2, OAK.sku, 1, 15500)])));
      expect(accepted.cart.warnings).toEqual([]);
    } finally {
      await putProduct(store, product);
    }
  });

  it('answers 404 for an unknown or malformed cart id and 403 for a missing or wrong token', async () => {
    const cart = await newCart();
    const other = await newCart();
    const request = push('a', [op(1, OAK.sku, 1)]);
    const unknown = { ...cart, cartId: 'A'.repeat(22) };
    for (const send of [
      () => server.get(`/api/v1/carts/${unknown.cartId}`, { headers: auth(cart.token) }),
      () => postOps(unknown, request),
      () => server.get('/api/v1/carts/not-a-cart', { headers: auth(cart.token) }),
    ]) {
      await refused(cart, send, 404, 'CART_NOT_FOUND');
    }
    for (const headers of [{}, auth(other.token), { authorization: cart.token }, auth(`${cart.token}x`)]) {
      await refused(
        cart,
        () => server.get(`/api/v1/carts/${cart.cartId}`, { headers }),
        403,
        'CART_FORBIDDEN',
      );
      await refused(cart, () => postOps(cart, request, headers), 403, 'CART_FORBIDDEN');
    }
  });

  it('refuses SEQ_GAP, OP_CONFLICT and UNKNOWN_SKU with the details a client recovers with', async () => {
    const cart = await newCart();
    const first = op(1, OAK.sku, 1);
    await ok(await postOps(cart, push('a', [first])));

    const gap = await refused(cart, () => postOps(cart, push('a', [op(3, OAK.sku, 2)])), 409, 'SEQ_GAP');
    expect(gap.details).toEqual({ expectedSeq: 2 });

    const conflict = await refused(
      cart,
      () => postOps(cart, push('a', [{ ...first, opId: op(1, OAK.sku, 1).opId }, op(2, OAK.sku, 2)])),
      409,
      'OP_CONFLICT',
    );
    expect(conflict.details).toEqual({ seq: 1 });

    const unknown = await refused(
      cart,
      () => postOps(cart, push('a', [op(2, TABLE.sku, 1), op(3, 'MINI-NOPE', 1)])),
      422,
      'UNKNOWN_SKU',
    );
    expect(unknown.details).toEqual({ seq: 3, sku: 'MINI-NOPE' });
  });

  it('refuses malformed JSON and bodies that do not match PushRequest with 400 naming the field', async () => {
    const cart = await newCart();
    await ok(await postOps(cart, push('a', [op(1, OAK.sku, 1)])));
    const good = op(2, OAK.sku, 1);
    const many: CartOp[] = Array.from({ length: MAX_OPS_PER_PUSH + 1 }, (_, i) => op(i + 2, OAK.sku, 1));
    const cases: [unknown, string][] = [
      [push('a', [{ ...good, qty: -1 }]), 'ops.0.qty'],
      [push('a', [{ ...good, qty: 1000 }]), 'ops.0.qty'],
      [push('a', [{ ...good, qty: 1.5 }]), 'ops.0.qty'],
      [push('a', many), 'ops'],
      [{ clientId: 'short', ops: [good] }, 'clientId'],
      [{ clientId: 'x'.repeat(16) + '!', ops: [good] }, 'clientId'],
      [{ ops: [good] }, 'clientId'],
      [push('a', [{ ...good, opId: 'not-a-uuid' }]), 'ops.0.opId'],
      [push('a', [{ ...good, seq: 0 }]), 'ops.0.seq'],
      [push('a', [{ ...good, sku: '' }]), 'ops.0.sku'],
      [
        push('a', [{ ...good, observedPrice: { amount: -5, currency: 'EUR' } }]),
        'ops.0.observedPrice.amount',
      ],
      [[good], 'body'],
    ];
    for (const [body, field] of cases) {
      const error = await refused(cart, () => postOps(cart, body), 400, 'BAD_REQUEST');
      expect(error.message, field).toContain(field);
      expect(Object.keys((error.details?.fields ?? {}) as object), field).toContain(field);
    }
    for (const raw of ['{"clientId":', 'null', 'not json']) {
      const error = await refused(cart, () => postOps(cart, raw), 400, 'BAD_REQUEST');
      expect(error.message.length, raw).toBeGreaterThan(0);
    }
  });

  it('answers a line whose sku left the catalog as UNAVAILABLE, and accepts its removal', async () => {
    const cart = await newCart();
    await ok(await postOps(cart, push('a', [op(1, OAK.sku, 1), op(2, TABLE.sku, 1)])));
    const table = await findProduct(store, 'slab-table');
    if (!table) throw new Error('slab-table missing');
    await deleteProduct(store, 'slab-table');
    try {
      const read = await ok(await server.get(`/api/v1/carts/${cart.cartId}`, { headers: auth(cart.token) }));
      expect(read.cart.lines.map((l) => [l.sku, l.productId, l.qty, l.unitPrice.amount])).toEqual([
        [OAK.sku, 'cube-stool', 1, OAK.price],
        [TABLE.sku, 'slab-table', 0, TABLE.price],
      ]);
      expect(read.cart.warnings).toEqual([{ code: 'UNAVAILABLE', sku: TABLE.sku }]);
      await refused(cart, () => postOps(cart, push('a', [op(3, TABLE.sku, 2)])), 422, 'UNKNOWN_SKU');
      const removed = await ok(await postOps(cart, push('a', [op(3, TABLE.sku, 0)])));
      expect(removed).toMatchObject({ ackedSeq: 3, cart: { version: 3, warnings: [] } });
      expect(removed.cart.lines.map((l) => l.sku)).toEqual([OAK.sku]);
    } finally {
      await putProduct(store, table);
    }
    // Back in the catalog, the removed line does not come back.
    const read = await ok(await server.get(`/api/v1/carts/${cart.cartId}`, { headers: auth(cart.token) }));
    expect(read.cart.lines.map((l) => l.sku)).toEqual([OAK.sku]);
  });

  it('refuses a body over 1 MiB with 413', async () => {
    const cart = await newCart();
    const body = JSON.stringify({ ...push('a', [op(1, OAK.sku, 1)]), padding: 'x'.repeat(1024 * 1024) });
    await refused(cart, () => postOps(cart, body), 413, 'PAYLOAD_TOO_LARGE');
    // The cart still works afterwards, from the first seq.
    expect((await ok(await postOps(cart, push('a', [op(1, OAK.sku, 1)])))).ackedSeq).toBe(1);
  });

  it('uses the client id exactly as sent', async () => {
    const cart = await newCart();
    await ok(await postOps(cart, push('a', [op(1, OAK.sku, 1)])));
    const row = await store
      .selectFrom('cart_clients')
      .selectAll()
      .where('cart_id', '=', cart.cartId)
      .executeTakeFirstOrThrow();
    expect(row.client_id).toBe(clientId('a'));
  });
});

describe.each(backends)('money bounds on $name', (backend) => {
  it('refuses an observed price beyond MAX_MONEY_AMOUNT with 400 and stores the largest one', async () => {
    const empty = await backend.createEmpty();
    const srv = await startServer({ dataDir: empty.dataDir, databaseUrl: empty.databaseUrl });
    const db = await openDatabase(empty.dataDir, { databaseUrl: empty.databaseUrl });
    try {
      const created = await srv.get('/api/v1/carts', { method: 'POST' });
      const cart = NewCart.parse(await created.json());
      const send = (amount: number) =>
        srv.get(`/api/v1/carts/${cart.cartId}/ops`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...auth(cart.token) },
          body: JSON.stringify(
            push('a', [{ ...op(1, OAK.sku, 1), observedPrice: { amount, currency: 'EUR' } }]),
          ),
        });
      for (const amount of [MAX_MONEY_AMOUNT + 1, 2 ** 53 - 1]) {
        const before = await cartRows(db, cart.cartId);
        const response = await send(amount);
        const text = await response.text();
        expect(response.status, text).toBe(400);
        const body = JSON.parse(text) as { error: { code: string; details: { fields: object } } };
        expect(body.error.code).toBe('BAD_REQUEST');
        expect(Object.keys(body.error.details.fields)).toEqual(['ops.0.observedPrice.amount']);
        expect(await cartRows(db, cart.cartId)).toEqual(before);
      }
      const answer = CartResponse.parse(await (await send(MAX_MONEY_AMOUNT)).json());
      expect(answer.cart.lines[0]?.priceSeen).toEqual({ amount: MAX_MONEY_AMOUNT, currency: 'EUR' });
    } finally {
      await db.destroy();
      await stopServer(srv);
      await empty.drop();
    }
  });
});
