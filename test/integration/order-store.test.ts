import { randomBytes, randomUUID } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { PlaceOrderRequest, ReturnRequest } from '../../src/protocol/cart';
import { Order } from '../../src/protocol/cart';
import type { ReturnPolicy } from '../../src/protocol/catalog';
import { createCart, priceCart, pushOps } from '../../src/server/carts/cart-store';
import { getOrder, listOrders, placeOrder, reserveStock } from '../../src/server/orders/order-store';
import { requestReturn } from '../../src/server/orders/return-store';
import { deleteProduct, findProduct, putProduct } from '../../src/server/storage/catalog-store';
import type { Database } from '../../src/server/storage/schema';
import { backends, BRAND_MINI_DIR } from '../support/backends';
import type { TestStore } from '../support/backends';

const STOOL = 'MINI-STOOL-OAK'; // stock 7, €129.00
const WALNUT = 'MINI-STOOL-WAL'; // same product, stock 0
const TABLE = 'MINI-TABLE-ASH'; // stock 2, €890.00
const eur = (amount: number) => ({ amount, currency: 'EUR' });

/** brand-mini's return policy (its brand.json). */
const MINI_POLICY: ReturnPolicy = {
  returnPolicyCategory: 'MerchantReturnFiniteReturnWindow',
  merchantReturnDays: 30,
  returnFees: 'FreeReturn',
  refundType: 'FullRefund',
  returnMethod: 'ReturnByMail',
  conditions: 'Unused, in the original packaging.',
};

const request = (expectedVersion: number): PlaceOrderRequest => ({
  expectedVersion,
  details: {
    name: 'Ana Silva',
    email: 'ana@example.com',
    address: { line1: 'Rua Augusta 1', city: 'Lisboa', postalCode: '1100-048', country: 'PT' },
  },
  payment: 'pay-on-delivery',
});

/** Sets a cart line through a real push from a fresh client; returns the new cart version. */
async function put(db: Kysely<Database>, cartId: string, sku: string, qty: number, price: number) {
  const answer = await pushOps(db, cartId, {
    clientId: randomBytes(16).toString('base64url'),
    ops: [{ opId: randomUUID(), seq: 1, sku, qty, observedPrice: eur(price) }],
  });
  return answer.cart.version;
}

/** A cart holding 2 oak stools and 1 table; returns its id and version. */
async function fullCart(db: Kysely<Database>) {
  const { cartId } = await createCart(db);
  await put(db, cartId, STOOL, 2, 12900);
  const version = await put(db, cartId, TABLE, 1, 89000);
  return { cartId, version };
}

/** Everything an order or a return could change. */
async function snapshot(db: Kysely<Database>, cartId: string) {
  return {
    cart: await priceCart(db, cartId),
    orders: await db.selectFrom('orders').selectAll().orderBy('id').execute(),
    returns: await db.selectFrom('return_requests').selectAll().orderBy('id').execute(),
    reserved: await db.selectFrom('stock_reservations').selectAll().orderBy('sku').execute(),
  };
}

const reservedOf = async (db: Kysely<Database>, sku: string) =>
  Number(
    (await db.selectFrom('stock_reservations').select('reserved').where('sku', '=', sku).executeTakeFirst())
      ?.reserved ?? 0,
  );

const dayPlus = (iso: string, days: number) =>
  new Date(Date.parse(iso.slice(0, 10)) + days * 86_400_000).toISOString().slice(0, 10);

/** A return request under a fresh Idempotency-Key; answers the order. */
async function fileReturn(
  db: Kysely<Database>,
  orderId: string,
  req: ReturnRequest,
  now?: Date,
): Promise<Order> {
  return (await requestReturn(db, orderId, randomUUID(), req, now)).order;
}

const tempDirs: string[] = [];

/** A copy of brand-mini whose brand has `policy` as its return policy. */
async function brandWithPolicy(policy: ReturnPolicy): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vitrine-policy-'));
  tempDirs.push(dir);
  const brandDir = path.join(dir, 'mini');
  await cp(BRAND_MINI_DIR, brandDir, { recursive: true, filter: (src) => !src.endsWith('make.ts') });
  const brand = JSON.parse(await readFile(path.join(brandDir, 'brand.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  await writeFile(path.join(brandDir, 'brand.json'), JSON.stringify({ ...brand, returnPolicy: policy }));
  return brandDir;
}

afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe.each(backends)('orders on $name', (backend) => {
  let store: TestStore;
  let db: Kysely<Database>;
  beforeEach(async () => {
    store = await backend.open();
    db = store.db;
  });
  afterEach(async () => {
    await store.close();
  });

  test('placing an order stores lines, names, totals and return windows, reserves stock, empties the cart', async () => {
    const { cartId, version } = await fullCart(db);
    expect(version).toBe(2);
    const key = randomUUID();
    const { order, replayed } = await placeOrder(db, cartId, key, request(version));

    expect(replayed).toBe(false);
    expect(Order.safeParse(order).success).toBe(true);
    expect(order.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(order).toMatchObject({ cartId, status: 'placed', payment: 'pay-on-delivery', returns: [] });
    expect(order.details.address.city).toBe('Lisboa');
    expect(order.lines).toEqual([
      {
        sku: STOOL,
        productId: 'cube-stool',
        brandId: 'mini',
        productName: 'Cube Stool',
        variantName: 'Oak',
        qty: 2,
        unitPrice: eur(12900),
        lineTotal: eur(25800),
        returnPolicy: MINI_POLICY,
      },
      {
        sku: TABLE,
        productId: 'slab-table',
        brandId: 'mini',
        productName: 'Slab Table',
        variantName: 'Ash',
        qty: 1,
        unitPrice: eur(89000),
        lineTotal: eur(89000),
        returnPolicy: MINI_POLICY,
      },
    ]);
    expect(order.totals).toEqual([eur(25800 + 89000)]);
    // brand-mini: 30 days, counted from placement until delivery.
    expect(order.returnUntil).toEqual({
      [STOOL]: dayPlus(order.createdAt, 30),
      [TABLE]: dayPlus(order.createdAt, 30),
    });
    expect(Math.abs(Date.parse(order.createdAt) - Date.now())).toBeLessThan(60_000);

    expect(await reservedOf(db, STOOL)).toBe(2);
    expect(await reservedOf(db, TABLE)).toBe(1);
    const cart = await priceCart(db, cartId);
    expect(cart.lines).toEqual([]);
    expect(cart.version).toBe(3);

    expect(await getOrder(db, order.id)).toEqual(order);
    expect(await listOrders(db, cartId)).toEqual([order]);
    expect(await getOrder(db, 'AAAAAAAAAAAAAAAAAAAAAA')).toBeUndefined();

    // The stock the order holds is gone for the next cart: only 1 table is left.
    const other = await createCart(db);
    await put(db, other.cartId, TABLE, 2, 89000);
    expect((await priceCart(db, other.cartId)).warnings).toEqual([
      { code: 'QTY_CLAMPED', sku: TABLE, requested: 2, available: 1 },
    ]);
  });

  test('the same key places one order, even retried after the cart changed', async () => {
    const { cartId, version } = await fullCart(db);
    const key = randomUUID();
    const first = await placeOrder(db, cartId, key, request(version));
    await put(db, cartId, STOOL, 1, 12900);
    const again = await placeOrder(db, cartId, key, request(version));

    expect(again.replayed).toBe(true);
    expect(again.order).toEqual(first.order);
    expect(await db.selectFrom('orders').select('id').execute()).toHaveLength(1);
    expect(await reservedOf(db, STOOL)).toBe(2);
    // The line added after the order stays in the cart.
    expect((await priceCart(db, cartId)).lines.map((l) => [l.sku, l.qty])).toEqual([[STOOL, 1]]);
  });

  test('two concurrent placements with one key make one order and one reservation', async () => {
    const { cartId, version } = await fullCart(db);
    const key = randomUUID();
    const results = await Promise.all([
      placeOrder(db, cartId, key, request(version)),
      placeOrder(db, cartId, key, request(version)),
    ]);

    expect(results.map((r) => r.replayed).sort()).toEqual([false, true]);
    expect(results[0].order.id).toBe(results[1].order.id);
    expect(await db.selectFrom('orders').select('id').execute()).toHaveLength(1);
    expect(await reservedOf(db, STOOL)).toBe(2);
    expect(await reservedOf(db, TABLE)).toBe(1);
    expect((await priceCart(db, cartId)).version).toBe(version + 1);
  });

  test('a key used on another cart is refused and changes nothing', async () => {
    const a = await fullCart(db);
    const b = await fullCart(db);
    const key = randomUUID();
    await placeOrder(db, a.cartId, key, request(a.version));
    const before = await snapshot(db, b.cartId);

    await expect(placeOrder(db, b.cartId, key, request(b.version))).rejects.toMatchObject({
      statusCode: 422,
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
    expect(await snapshot(db, b.cartId)).toEqual(before);
  });

  test('a key reused with a different request is refused with 422; the same request replays', async () => {
    const { cartId, version } = await fullCart(db);
    const key = randomUUID();
    const first = await placeOrder(db, cartId, key, request(version));
    const row = await db
      .selectFrom('orders')
      .select('request_hash')
      .where('id', '=', first.order.id)
      .executeTakeFirstOrThrow();
    expect(row.request_hash).toMatch(/^[0-9a-f]{64}$/);

    const before = await snapshot(db, cartId);
    const other = request(version);
    const changed = { ...other, details: { ...other.details, name: 'Rui Costa' } };
    await expect(placeOrder(db, cartId, key, changed)).rejects.toMatchObject({
      statusCode: 422,
      code: 'IDEMPOTENCY_KEY_REUSED',
      message: expect.stringMatching(/different order request/) as unknown as string,
    });
    await expect(placeOrder(db, cartId, key, request(version + 1))).rejects.toMatchObject({
      statusCode: 422,
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
    expect(await snapshot(db, cartId)).toEqual(before);

    // The same request with its members in another order is the same request.
    const { payment, details, expectedVersion } = request(version);
    const reordered = {
      payment,
      details: { address: details.address, email: details.email, name: details.name },
      expectedVersion,
    };
    const again = await placeOrder(db, cartId, key, reordered);
    expect(again).toEqual({ order: first.order, replayed: true });
    expect(await snapshot(db, cartId)).toEqual(before);

    // An order stored before request hashes were kept replays for its own cart.
    await db.updateTable('orders').set({ request_hash: null }).where('id', '=', first.order.id).execute();
    expect((await placeOrder(db, cartId, key, changed)).order).toEqual(first.order);
  });

  test('each line keeps the return policy of its placement, also for an order stored before lines had it', async () => {
    const { cartId, version } = await fullCart(db);
    const { order } = await placeOrder(db, cartId, randomUUID(), request(version));
    // The brand stops taking returns after the order: the order keeps its policy, returns follow it.
    const brand = await db
      .selectFrom('brands')
      .select('document')
      .where('id', '=', 'mini')
      .executeTakeFirstOrThrow();
    const strict = {
      ...JSON.parse(brand.document),
      returnPolicy: { ...MINI_POLICY, returnPolicyCategory: 'MerchantReturnNotPermitted' },
    };
    await db
      .updateTable('brands')
      .set({ document: JSON.stringify(strict) })
      .where('id', '=', 'mini')
      .execute();
    const read = await getOrder(db, order.id);
    expect(read?.lines.map((l) => l.returnPolicy)).toEqual([MINI_POLICY, MINI_POLICY]);
    expect(Order.safeParse(read).success).toBe(true);
    expect(
      (await fileReturn(db, order.id, { sku: STOOL, qty: 1, kind: 'return', reason: 'other' })).returns,
    ).toHaveLength(1);

    // A document of the earlier shape: policies per brand, none on the lines.
    const stored = await db
      .selectFrom('orders')
      .select('document')
      .where('id', '=', order.id)
      .executeTakeFirstOrThrow();
    const { lines, ...rest } = JSON.parse(stored.document) as { lines: Record<string, unknown>[] };
    const legacy = {
      ...rest,
      lines: lines.map(({ returnPolicy: _policy, ...line }) => line),
      policies: { mini: { ...MINI_POLICY, merchantReturnDays: 60 } },
    };
    await db
      .updateTable('orders')
      .set({ document: JSON.stringify(legacy) })
      .where('id', '=', order.id)
      .execute();
    const old = await getOrder(db, order.id);
    expect(old?.lines.map((l) => l.returnPolicy.merchantReturnDays)).toEqual([60, 60]);
    expect(old?.returnUntil[STOOL]).toBe(dayPlus(order.createdAt, 60));
    expect(Order.safeParse(old).success).toBe(true);
  });

  test('a cart with a line whose sku left the catalog is refused with CART_HAS_WARNINGS', async () => {
    const { cartId, version } = await fullCart(db);
    await deleteProduct(db, 'slab-table');
    const before = await snapshot(db, cartId);
    expect(before.cart.warnings).toEqual([{ code: 'UNAVAILABLE', sku: TABLE }]);
    await expect(placeOrder(db, cartId, randomUUID(), request(version))).rejects.toMatchObject({
      statusCode: 409,
      code: 'CART_HAS_WARNINGS',
    });
    expect(await snapshot(db, cartId)).toEqual(before);
  });

  test('an op made before an order emptied the cart is acknowledged but not applied', async () => {
    const { cartId, version } = await fullCart(db);
    await placeOrder(db, cartId, randomUUID(), request(version));
    const cleared = version + 1;
    const row = await db
      .selectFrom('carts')
      .select('cleared_at_version')
      .where('id', '=', cartId)
      .executeTakeFirstOrThrow();
    expect(Number(row.cleared_at_version)).toBe(cleared);

    // A phone that had seen the cart at `version` set the stool to 3 while offline.
    const phone = randomBytes(16).toString('base64url');
    const staleOp = {
      opId: randomUUID(),
      seq: 1,
      sku: STOOL,
      qty: 3,
      observedPrice: eur(12900),
      baseVersion: version,
    };
    const answer = await pushOps(db, cartId, { clientId: phone, ops: [staleOp] });
    expect(answer.ackedSeq).toBe(1);
    expect(answer.cart).toEqual({
      id: cartId,
      version: cleared,
      lines: [],
      warnings: [{ code: 'STALE_CHANGE', sku: STOOL }],
    });
    const ops = await db
      .selectFrom('cart_ops')
      .select(['seq', 'op_id'])
      .where('client_id', '=', phone)
      .execute();
    expect(ops.map((o) => [Number(o.seq), o.op_id])).toEqual([[1, staleOp.opId]]);
    // The warning belongs to that answer only; a replay acknowledges without applying or warning.
    expect(await priceCart(db, cartId)).toEqual({ id: cartId, version: cleared, lines: [], warnings: [] });
    const replayed = await pushOps(db, cartId, { clientId: phone, ops: [staleOp] });
    expect(replayed).toEqual({
      ackedSeq: 1,
      cart: { id: cartId, version: cleared, lines: [], warnings: [] },
    });

    // A removal made before the order applies; an op made after seeing the empty cart applies.
    const after = await pushOps(db, cartId, {
      clientId: phone,
      ops: [
        { opId: randomUUID(), seq: 2, sku: TABLE, qty: 0, observedPrice: eur(89000), baseVersion: version },
        { opId: randomUUID(), seq: 3, sku: STOOL, qty: 1, observedPrice: eur(12900), baseVersion: cleared },
      ],
    });
    expect(after.ackedSeq).toBe(3);
    expect(after.cart.version).toBe(cleared + 2);
    expect(after.cart.warnings).toEqual([]);
    expect(after.cart.lines.map((l) => [l.sku, l.requestedQty])).toEqual([[STOOL, 1]]);
    // Ops without baseVersion behave as before: applied.
    expect(await put(db, cartId, TABLE, 1, 89000)).toBe(cleared + 3);
  });

  test('one key on two carts at once: one order, the other cart refused with 422', async () => {
    const a = await fullCart(db);
    const b = await fullCart(db);
    const key = randomUUID();
    const results = await Promise.allSettled([
      placeOrder(db, a.cartId, key, request(a.version)),
      placeOrder(db, b.cartId, key, request(b.version)),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused?.reason).toMatchObject({ statusCode: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await db.selectFrom('orders').select('id').execute()).toHaveLength(1);
    expect(await reservedOf(db, STOOL)).toBe(2);
  });

  test('an unknown cart is 404', async () => {
    await expect(placeOrder(db, 'AAAAAAAAAAAAAAAAAAAAAA', randomUUID(), request(0))).rejects.toMatchObject({
      statusCode: 404,
      code: 'CART_NOT_FOUND',
    });
  });

  test('an empty cart, a changed cart and a cart with warnings are refused and nothing changes', async () => {
    const empty = await createCart(db);
    let before = await snapshot(db, empty.cartId);
    await expect(placeOrder(db, empty.cartId, randomUUID(), request(0))).rejects.toMatchObject({
      statusCode: 409,
      code: 'CART_EMPTY',
    });
    expect(await snapshot(db, empty.cartId)).toEqual(before);

    const { cartId, version } = await fullCart(db);
    before = await snapshot(db, cartId);
    await expect(placeOrder(db, cartId, randomUUID(), request(version - 1))).rejects.toMatchObject({
      statusCode: 409,
      code: 'CART_CHANGED',
    });
    expect(await snapshot(db, cartId)).toEqual(before);

    // The brand raises the stool's price after the shopper added it.
    const stool = await findProduct(db, 'cube-stool');
    if (stool === undefined) throw new Error('brand-mini has no cube-stool');
    await putProduct(db, {
      ...stool,
      variants: stool.variants.map((v) => (v.sku === STOOL ? { ...v, price: eur(13900) } : v)),
    });
    before = await snapshot(db, cartId);
    expect(before.cart.warnings).toEqual([
      { code: 'PRICE_CHANGED', sku: STOOL, old: eur(12900), new: eur(13900) },
    ]);
    await expect(placeOrder(db, cartId, randomUUID(), request(version))).rejects.toMatchObject({
      statusCode: 409,
      code: 'CART_HAS_WARNINGS',
    });
    expect(await snapshot(db, cartId)).toEqual(before);

    // Accepting the new price (an op with it) clears the warning; the order is at the new price.
    const accepted = await put(db, cartId, STOOL, 2, 13900);
    const { order } = await placeOrder(db, cartId, randomUUID(), request(accepted));
    expect(order.lines[0]).toMatchObject({ sku: STOOL, unitPrice: eur(13900), lineTotal: eur(27800) });
  });

  test('stock another order took is refused: as a cart warning, and by the re-check at reservation', async () => {
    const a = await createCart(db);
    const b = await createCart(db);
    const va = await put(db, a.cartId, TABLE, 2, 89000);
    const vb = await put(db, b.cartId, TABLE, 2, 89000);
    // Cart A was priced (no warnings) before B took the tables.
    expect((await priceCart(db, a.cartId)).warnings).toEqual([]);
    await placeOrder(db, b.cartId, randomUUID(), request(vb));
    expect(await reservedOf(db, TABLE)).toBe(2);

    const before = await snapshot(db, a.cartId);
    expect(before.cart.warnings).toEqual([{ code: 'OUT_OF_STOCK', sku: TABLE }]);
    await expect(placeOrder(db, a.cartId, randomUUID(), request(va))).rejects.toMatchObject({
      statusCode: 409,
      code: 'CART_HAS_WARNINGS',
    });
    expect(await snapshot(db, a.cartId)).toEqual(before);

    // What placing A does after pricing it: the reservation re-check refuses and rolls back.
    await expect(
      db.transaction().execute((trx) => reserveStock(trx, [{ sku: TABLE, qty: 2, stock: 2 }])),
    ).rejects.toMatchObject({ statusCode: 409, code: 'OUT_OF_STOCK', details: { sku: TABLE } });
    expect(await snapshot(db, a.cartId)).toEqual(before);
  });

  test('two carts racing for the last units: one order, never more reserved than stock', async () => {
    const a = await createCart(db);
    const b = await createCart(db);
    const va = await put(db, a.cartId, TABLE, 2, 89000);
    const vb = await put(db, b.cartId, TABLE, 2, 89000);
    const results = await Promise.allSettled([
      placeOrder(db, a.cartId, randomUUID(), request(va)),
      placeOrder(db, b.cartId, randomUUID(), request(vb)),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected');
    expect(['OUT_OF_STOCK', 'CART_HAS_WARNINGS']).toContain(
      (refused as PromiseRejectedResult | undefined)?.reason?.code,
    );
    expect(await reservedOf(db, TABLE)).toBe(2);
    expect(await db.selectFrom('orders').select('id').execute()).toHaveLength(1);
  });

  test('orders of a cart are listed newest first', async () => {
    const { cartId, version } = await fullCart(db);
    const first = await placeOrder(db, cartId, randomUUID(), request(version));
    const v2 = await put(db, cartId, STOOL, 1, 12900);
    const second = await placeOrder(db, cartId, randomUUID(), request(v2));
    expect((await listOrders(db, cartId)).map((o) => o.id)).toEqual([second.order.id, first.order.id]);
    expect(await listOrders(db, (await createCart(db)).cartId)).toEqual([]);
  });

  describe('returns', () => {
    async function placed(now?: Date) {
      const { cartId, version } = await fullCart(db);
      const { order } = await placeOrder(db, cartId, randomUUID(), request(version), now);
      return order;
    }

    test('a return and an exchange are stored with the policy fee and refund type', async () => {
      const order = await placed();
      const returned = await fileReturn(db, order.id, {
        sku: TABLE,
        qty: 1,
        kind: 'return',
        reason: 'damaged',
        comment: '  Scratched top  ',
      });
      expect(returned.returns).toEqual([
        {
          id: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/) as unknown as string,
          sku: TABLE,
          qty: 1,
          kind: 'return',
          reason: 'damaged',
          comment: 'Scratched top',
          status: 'requested',
          fee: eur(0),
          refundType: 'FullRefund',
          createdAt: expect.any(String) as unknown as string,
        },
      ]);
      const exchanged = await fileReturn(db, order.id, {
        sku: STOOL,
        qty: 2,
        kind: 'exchange',
        reason: 'does-not-fit',
        exchangeSku: WALNUT,
      });
      expect(exchanged.returns).toHaveLength(2);
      expect(exchanged.returns[1]).toMatchObject({
        sku: STOOL,
        qty: 2,
        kind: 'exchange',
        exchangeSku: WALNUT,
        status: 'requested',
      });
      expect(exchanged.returns[1]).not.toHaveProperty('comment');
      expect(Order.safeParse(exchanged).success).toBe(true);
      expect(await getOrder(db, order.id)).toEqual(exchanged);
      expect((await listOrders(db, order.cartId))[0]).toEqual(exchanged);
    });

    test('one request per Idempotency-Key: a retry replays, another request with the key is refused', async () => {
      const order = await placed();
      const key = randomUUID();
      const ask: ReturnRequest = { sku: STOOL, qty: 1, kind: 'return', reason: 'damaged', comment: 'Wobbly' };
      const first = await requestReturn(db, order.id, key, ask);
      expect(first.replayed).toBe(false);
      expect(first.order.returns).toHaveLength(1);
      const row = await db
        .selectFrom('return_requests')
        .select(['idempotency_key', 'request_hash'])
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ idempotency_key: key, request_hash: expect.stringMatching(/^[0-9a-f]{64}$/) });

      const before = await snapshot(db, order.cartId);
      expect(await requestReturn(db, order.id, key, { ...ask })).toEqual({
        order: first.order,
        replayed: true,
      });
      expect(await snapshot(db, order.cartId)).toEqual(before);
      for (const other of [
        { ...ask, qty: 2 },
        { ...ask, comment: 'Broken' },
        { ...ask, sku: TABLE },
      ]) {
        await expect(requestReturn(db, order.id, key, other)).rejects.toMatchObject({
          statusCode: 422,
          code: 'IDEMPOTENCY_KEY_REUSED',
          message: expect.stringMatching(/different return request/) as unknown as string,
        });
      }
      // The key on another order is another request too.
      const second = await placed();
      const withSecond = await snapshot(db, second.cartId);
      await expect(requestReturn(db, second.id, key, ask)).rejects.toMatchObject({
        statusCode: 422,
        code: 'IDEMPOTENCY_KEY_REUSED',
      });
      expect(await snapshot(db, second.cartId)).toEqual(withSecond);
    });

    test('the same key sent twice at once files one request', async () => {
      const order = await placed();
      const key = randomUUID();
      const ask: ReturnRequest = { sku: STOOL, qty: 2, kind: 'return', reason: 'other' };
      const results = await Promise.all([
        requestReturn(db, order.id, key, ask),
        requestReturn(db, order.id, key, ask),
      ]);
      expect(results.map((r) => r.replayed).sort()).toEqual([false, true]);
      expect(results[0].order).toEqual(results[1].order);
      expect(await db.selectFrom('return_requests').select('id').execute()).toHaveLength(1);
    });

    test('a cancelled order takes no returns', async () => {
      const order = await placed();
      await db.updateTable('orders').set({ status: 'cancelled' }).where('id', '=', order.id).execute();
      const before = await snapshot(db, order.cartId);
      await expect(
        fileReturn(db, order.id, { sku: STOOL, qty: 1, kind: 'return', reason: 'other' }),
      ).rejects.toMatchObject({ statusCode: 409, code: 'ORDER_CANCELLED' });
      expect(await snapshot(db, order.cartId)).toEqual(before);
    });

    test('more units than bought, across two requests, are refused and change nothing', async () => {
      const order = await placed();
      await fileReturn(db, order.id, { sku: STOOL, qty: 1, kind: 'return', reason: 'changed-mind' });
      const before = await snapshot(db, order.cartId);
      await expect(
        fileReturn(db, order.id, { sku: STOOL, qty: 2, kind: 'return', reason: 'changed-mind' }),
      ).rejects.toMatchObject({ statusCode: 409, code: 'RETURN_QTY_EXCEEDED', details: { returnable: 1 } });
      expect(await snapshot(db, order.cartId)).toEqual(before);
      const after = await fileReturn(db, order.id, {
        sku: STOOL,
        qty: 1,
        kind: 'return',
        reason: 'changed-mind',
      });
      expect(after.returns.map((r) => r.qty)).toEqual([1, 1]);
    });

    test('exchanges for a variant of another product, or for nothing, are refused', async () => {
      const order = await placed();
      const before = await snapshot(db, order.cartId);
      for (const exchangeSku of [TABLE, 'NO-SUCH-SKU', STOOL, undefined]) {
        await expect(
          fileReturn(db, order.id, {
            sku: STOOL,
            qty: 1,
            kind: 'exchange',
            reason: 'other',
            ...(exchangeSku === undefined ? {} : { exchangeSku }),
          }),
        ).rejects.toMatchObject({ statusCode: 422, code: 'EXCHANGE_SKU_INVALID' });
      }
      await expect(
        fileReturn(db, order.id, {
          sku: STOOL,
          qty: 1,
          kind: 'return',
          reason: 'other',
          exchangeSku: WALNUT,
        }),
      ).rejects.toMatchObject({ statusCode: 400, details: { fields: { exchangeSku: expect.any(String) } } });
      await expect(
        fileReturn(db, order.id, { sku: WALNUT, qty: 1, kind: 'return', reason: 'other' }),
      ).rejects.toMatchObject({ statusCode: 422, code: 'SKU_NOT_IN_ORDER' });
      await expect(
        fileReturn(db, 'AAAAAAAAAAAAAAAAAAAAAA', { sku: STOOL, qty: 1, kind: 'return', reason: 'other' }),
      ).rejects.toMatchObject({ statusCode: 404, code: 'ORDER_NOT_FOUND' });
      expect(await snapshot(db, order.cartId)).toEqual(before);
    });

    test('the window closes 30 days after placement', async () => {
      const placedAt = new Date(Date.now() - 31 * 86_400_000);
      const order = await placed(placedAt);
      expect(order.createdAt).toBe(placedAt.toISOString());
      expect(order.returnUntil[STOOL]).toBe(dayPlus(placedAt.toISOString(), 30));
      const before = await snapshot(db, order.cartId);
      await expect(
        fileReturn(db, order.id, { sku: STOOL, qty: 1, kind: 'return', reason: 'other' }),
      ).rejects.toMatchObject({ statusCode: 409, code: 'RETURN_WINDOW_CLOSED' });
      expect(await snapshot(db, order.cartId)).toEqual(before);

      // On the last day it is still open.
      const lastDay = new Date(`${dayPlus(placedAt.toISOString(), 30)}T23:00:00Z`);
      const ok = await fileReturn(
        db,
        order.id,
        { sku: STOOL, qty: 1, kind: 'return', reason: 'other' },
        lastDay,
      );
      expect(ok.returns).toHaveLength(1);
    });
  });
});

describe.each(backends)('return policies on $name', (backend) => {
  const stores: TestStore[] = [];
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });

  async function orderUnder(policy: ReturnPolicy) {
    const store = await backend.open([await brandWithPolicy(policy)]);
    stores.push(store);
    const { cartId } = await createCart(store.db);
    const version = await put(store.db, cartId, STOOL, 2, 12900);
    const { order } = await placeOrder(store.db, cartId, randomUUID(), request(version));
    return { db: store.db, order };
  }

  const base: ReturnPolicy = {
    returnPolicyCategory: 'MerchantReturnFiniteReturnWindow',
    merchantReturnDays: 30,
    returnFees: 'FreeReturn',
    refundType: 'FullRefund',
    returnMethod: 'ReturnByMail',
    conditions: '',
  };

  test('a brand that takes no returns: no window, every request refused', async () => {
    const { db, order } = await orderUnder({ ...base, returnPolicyCategory: 'MerchantReturnNotPermitted' });
    expect(order.returnUntil).toEqual({});
    const before = await snapshot(db, order.cartId);
    await expect(
      fileReturn(db, order.id, { sku: STOOL, qty: 1, kind: 'return', reason: 'damaged' }),
    ).rejects.toMatchObject({ statusCode: 409, code: 'RETURNS_NOT_ACCEPTED' });
    expect(await snapshot(db, order.cartId)).toEqual(before);
  });

  test('an unlimited window with shipping fees and store credit', async () => {
    const { db, order } = await orderUnder({
      ...base,
      returnPolicyCategory: 'MerchantReturnUnlimitedWindow',
      returnFees: 'ReturnShippingFees',
      returnShippingFees: eur(595),
      refundType: 'StoreCreditRefund',
    });
    expect(order.returnUntil).toEqual({ [STOOL]: null });
    const after = await fileReturn(
      db,
      order.id,
      { sku: STOOL, qty: 2, kind: 'return', reason: 'changed-mind' },
      new Date('2099-01-01T00:00:00Z'),
    );
    expect(after.returns[0]).toMatchObject({ fee: eur(595), refundType: 'StoreCreditRefund' });
  });

  test('the shopper pays shipping themselves: no fee charged', async () => {
    const { db, order } = await orderUnder({ ...base, returnFees: 'ReturnFeesCustomerResponsibility' });
    const after = await fileReturn(db, order.id, { sku: STOOL, qty: 1, kind: 'return', reason: 'other' });
    expect(after.returns[0]?.fee).toEqual(eur(0));
  });
});
