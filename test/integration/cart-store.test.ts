import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CartResponse, ServerCart } from '../../src/protocol/cart';
import type { PushRequest } from '../../src/protocol/cart';
import {
  authorizeCart,
  bumpVersion,
  clearCartLines,
  createCart,
  priceCart,
  pushOps,
  readCart,
} from '../../src/server/carts/cart-store';
import { hashToken } from '../../src/server/carts/cart-tokens';
import { deleteProduct, findProduct, putProduct } from '../../src/server/storage/catalog-store';
import { openDatabase } from '../../src/server/storage/connection';
import type { Database } from '../../src/server/storage/schema';
import { backends, type TestStore } from '../support/backends';
import { cartRows, clientId, OAK, op, push, TABLE, WALNUT } from '../support/cart-ops';

describe.each(backends)('cart store on $name', (backend) => {
  let store: TestStore;
  let db: Kysely<Database>;
  let cartId: string;
  let token: string;

  beforeEach(async () => {
    store = await backend.open();
    db = store.db;
    ({ cartId, token } = await createCart(db));
  });
  afterEach(async () => {
    await store.close();
  });

  /** Pushes and checks the answer against the wire schema. */
  async function pushed(request: PushRequest): Promise<CartResponse> {
    return CartResponse.parse(await pushOps(db, cartId, request));
  }

  /** Expects `request` to be refused with `status`/`code`/`details` and to leave every cart row as it was. */
  async function refused(request: PushRequest, status: number, code: string, details?: object) {
    const before = await cartRows(db, cartId);
    await expect(pushOps(db, cartId, request)).rejects.toMatchObject({
      statusCode: status,
      code,
      ...(details === undefined ? {} : { details }),
    });
    expect(await cartRows(db, cartId)).toEqual(before);
  }

  async function setPrice(sku: string, amount: number): Promise<void> {
    const product = await findProduct(db, 'cube-stool');
    if (!product) throw new Error('cube-stool missing');
    const variants = product.variants.map((v) =>
      v.sku === sku ? { ...v, price: { ...v.price, amount } } : v,
    );
    await putProduct(db, { ...product, variants });
  }

  async function reserve(sku: string, reserved: number): Promise<void> {
    await db.deleteFrom('stock_reservations').where('sku', '=', sku).execute();
    await db.insertInto('stock_reservations').values({ sku, reserved }).execute();
  }

  it('creates a cart with a random id and token, storing only the token hash', async () => {
    expect(cartId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const other = await createCart(db);
    expect(other.cartId).not.toBe(cartId);
    expect(other.token).not.toBe(token);
    const row = await db.selectFrom('carts').selectAll().where('id', '=', cartId).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(hashToken(token));
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(Number(row.version)).toBe(0);
    expect(ServerCart.parse(await readCart(db, cartId))).toEqual({
      id: cartId,
      version: 0,
      lines: [],
      warnings: [],
    });
  });

  it('authorizes only the right token: 404 for an unknown cart, 403 for a wrong or missing token', async () => {
    await expect(authorizeCart(db, cartId, token)).resolves.toBeUndefined();
    const other = await createCart(db);
    await expect(authorizeCart(db, cartId, other.token)).rejects.toMatchObject({
      statusCode: 403,
      code: 'CART_FORBIDDEN',
    });
    await expect(authorizeCart(db, cartId, undefined)).rejects.toMatchObject({ statusCode: 403 });
    await expect(authorizeCart(db, cartId, token.slice(1))).rejects.toMatchObject({ statusCode: 403 });
    await expect(authorizeCart(db, 'A'.repeat(22), token)).rejects.toMatchObject({
      statusCode: 404,
      code: 'CART_NOT_FOUND',
    });
    await expect(pushOps(db, 'A'.repeat(22), push('a', [op(1, OAK.sku, 1)]))).rejects.toMatchObject({
      statusCode: 404,
      code: 'CART_NOT_FOUND',
    });
    await expect(readCart(db, 'A'.repeat(22))).rejects.toMatchObject({ statusCode: 404 });
  });

  it('applies new ops once, bumping the version per op, and answers the priced cart', async () => {
    const answer = await pushed(push('a', [op(1, OAK.sku, 2), op(2, TABLE.sku, 1)]));
    expect(answer.ackedSeq).toBe(2);
    expect(answer.cart.version).toBe(2);
    expect(answer.cart.warnings).toEqual([]);
    expect(answer.cart.lines).toMatchObject([
      {
        sku: OAK.sku,
        productId: 'cube-stool',
        qty: 2,
        requestedQty: 2,
        unitPrice: { amount: OAK.price, currency: 'EUR' },
        priceSeen: { amount: OAK.price, currency: 'EUR' },
      },
      { sku: TABLE.sku, productId: 'slab-table', qty: 1, requestedQty: 1 },
    ]);
    // Lines are listed in the order they were first added, and an update keeps the first addedAt.
    const [oakAdded, tableAdded] = answer.cart.lines.map((l) => l.addedAt);
    expect(oakAdded !== undefined && tableAdded !== undefined && oakAdded < tableAdded).toBe(true);
    const updated = await pushed(push('a', [op(3, OAK.sku, 5)]));
    expect(updated.cart.lines.map((l) => [l.sku, l.requestedQty, l.addedAt])).toEqual([
      [OAK.sku, 5, oakAdded],
      [TABLE.sku, 1, tableAdded],
    ]);
    expect(updated.cart.version).toBe(3);
    expect(await readCart(db, cartId)).toEqual(updated.cart);
    const ops = await db.selectFrom('cart_ops').selectAll().where('cart_id', '=', cartId).execute();
    expect(ops).toHaveLength(3);
  });

  it('acknowledges a replayed push again without applying it twice', async () => {
    const request = push('a', [op(1, OAK.sku, 2), op(2, TABLE.sku, 1)]);
    const first = await pushed(request);
    const rows = await cartRows(db, cartId);
    const again = await pushed(request);
    expect(again).toEqual(first);
    expect(again.ackedSeq).toBe(2);
    expect(again.cart.version).toBe(2);
    expect(await cartRows(db, cartId)).toEqual(rows);
    // A replay of only the first op acknowledges everything applied so far.
    const older = await pushed({ ...request, ops: request.ops.slice(0, 1) });
    expect(older.ackedSeq).toBe(2);
    expect(older.cart.version).toBe(2);
    // An empty push reads the cart.
    expect((await pushed(push('a', []))).ackedSeq).toBe(2);
    expect((await pushed(push('b', []))).ackedSeq).toBe(0);
  });

  it('applies only the new ops of a push that repeats older ones', async () => {
    const ops = [op(1, OAK.sku, 1), op(2, OAK.sku, 2), op(3, TABLE.sku, 1), op(4, OAK.sku, 4)];
    await pushed(push('a', ops.slice(0, 2)));
    const answer = await pushed(push('a', ops));
    expect(answer.ackedSeq).toBe(4);
    expect(answer.cart.version).toBe(4);
    expect(answer.cart.lines.map((l) => [l.sku, l.requestedQty])).toEqual([
      [OAK.sku, 4],
      [TABLE.sku, 1],
    ]);
    const seqs = await db
      .selectFrom('cart_ops')
      .select('seq')
      .where('cart_id', '=', cartId)
      .orderBy('seq')
      .execute();
    expect(seqs.map((r) => Number(r.seq))).toEqual([1, 2, 3, 4]);
  });

  it('refuses a gap in the sequence with the expected seq, applying nothing', async () => {
    await refused(push('a', [op(2, OAK.sku, 1)]), 409, 'SEQ_GAP', { expectedSeq: 1 });
    await pushed(push('a', [op(1, OAK.sku, 1)]));
    await refused(push('a', [op(3, OAK.sku, 3)]), 409, 'SEQ_GAP', { expectedSeq: 2 });
    // A gap after a valid new op refuses the whole push too.
    await refused(push('a', [op(2, TABLE.sku, 1), op(4, OAK.sku, 2)]), 409, 'SEQ_GAP', { expectedSeq: 2 });
    expect((await readCart(db, cartId)).version).toBe(1);
  });

  it('refuses a seen seq carrying another opId, applying nothing', async () => {
    const first = op(1, OAK.sku, 1);
    await pushed(push('a', [first]));
    await refused(push('a', [op(1, OAK.sku, 1), op(2, TABLE.sku, 1)]), 409, 'OP_CONFLICT', { seq: 1 });
    // The same seq twice in one push must carry the same opId as well.
    await refused(push('a', [first, op(2, TABLE.sku, 1), op(2, TABLE.sku, 1)]), 409, 'OP_CONFLICT', {
      seq: 2,
    });
    const second = op(2, TABLE.sku, 1);
    const answer = await pushed(push('a', [first, second, second]));
    expect(answer.ackedSeq).toBe(2);
    expect(answer.cart.version).toBe(2);
  });

  it('refuses an unknown sku, applying none of the push', async () => {
    await refused(push('a', [op(1, OAK.sku, 1), op(2, 'NO-SUCH-SKU', 1)]), 422, 'UNKNOWN_SKU', {
      seq: 2,
      sku: 'NO-SUCH-SKU',
    });
    // Skus are matched exactly (SQLite's LIKE ignores case; the store must not).
    await refused(push('a', [op(1, OAK.sku.toLowerCase(), 1)]), 422, 'UNKNOWN_SKU', {
      seq: 1,
      sku: OAK.sku.toLowerCase(),
    });
    await refused(push('a', [op(1, 'MINI-STOOL', 1)]), 422, 'UNKNOWN_SKU');
    await refused(push('a', [op(1, '%', 1)]), 422, 'UNKNOWN_SKU');
    expect(await readCart(db, cartId)).toEqual({ id: cartId, version: 0, lines: [], warnings: [] });
  });

  it('removes a line with qty 0, and a replay of an older op does not bring it back', async () => {
    const add = op(1, OAK.sku, 2);
    await pushed(push('a', [add, op(2, TABLE.sku, 1)]));
    const removed = await pushed(push('a', [op(3, OAK.sku, 0)]));
    expect(removed.cart.lines.map((l) => l.sku)).toEqual([TABLE.sku]);
    expect(removed.cart.version).toBe(3);
    const replay = await pushed(push('a', [add]));
    expect(replay.cart.lines.map((l) => l.sku)).toEqual([TABLE.sku]);
    expect(replay.cart.version).toBe(3);
    expect(replay.ackedSeq).toBe(3);
    // Removing a line that is not there is still an applied op.
    const again = await pushed(push('a', [op(4, OAK.sku, 0)]));
    expect(again.cart.version).toBe(4);
    expect(again.cart.lines.map((l) => l.sku)).toEqual([TABLE.sku]);
  });

  it('keeps one sequence per client: two devices share one cart', async () => {
    const phoneAdd = op(1, OAK.sku, 1);
    const phone = await pushed(push('phone', [phoneAdd]));
    const laptop = await pushed(push('laptop', [op(1, TABLE.sku, 1), op(2, OAK.sku, 3)]));
    expect(phone.ackedSeq).toBe(1);
    expect(laptop.ackedSeq).toBe(2);
    expect(laptop.cart.version).toBe(3);
    expect(laptop.cart.lines.map((l) => [l.sku, l.requestedQty])).toEqual([
      [OAK.sku, 3],
      [TABLE.sku, 1],
    ]);
    // The phone re-sends its old op (it missed the answer): acknowledged, the laptop's change stays.
    const replay = await pushed(push('phone', [phoneAdd, op(2, TABLE.sku, 0)]));
    expect(replay.ackedSeq).toBe(2);
    expect(replay.cart.version).toBe(4);
    expect(replay.cart.lines.map((l) => [l.sku, l.requestedQty])).toEqual([[OAK.sku, 3]]);
    const clients = await db
      .selectFrom('cart_clients')
      .select(['client_id', 'last_seq'])
      .where('cart_id', '=', cartId)
      .orderBy('client_id')
      .execute();
    expect(clients.map((c) => [c.client_id, Number(c.last_seq)])).toEqual([
      [clientId('laptop'), 2],
      [clientId('phone'), 2],
    ]);
  });

  it('serializes concurrent pushes to one cart', async () => {
    const answers = await Promise.all(
      ['a', 'b', 'c', 'd'].map((name, i) => pushOps(db, cartId, push(name, [op(1, OAK.sku, i + 1)]))),
    );
    expect(answers.map((a) => a.ackedSeq)).toEqual([1, 1, 1, 1]);
    expect(new Set(answers.map((a) => a.cart.version))).toEqual(new Set([1, 2, 3, 4]));
    expect((await readCart(db, cartId)).version).toBe(4);
    // One device retrying the same push at once: applied once, both acknowledged.
    const retry = push('a', [op(2, TABLE.sku, 1), op(3, TABLE.sku, 2)]);
    const twice = await Promise.all([pushOps(db, cartId, retry), pushOps(db, cartId, retry)]);
    expect(twice.map((a) => [a.ackedSeq, a.cart.version])).toEqual([
      [3, 6],
      [3, 6],
    ]);
  });

  it('reprices from the catalog and warns until an op carries the new price', async () => {
    await pushed(push('a', [op(1, OAK.sku, 1), op(2, TABLE.sku, 1)]));
    await setPrice(OAK.sku, 9900);
    const cart = await readCart(db, cartId);
    expect(cart.lines[0]).toMatchObject({
      sku: OAK.sku,
      unitPrice: { amount: 9900, currency: 'EUR' },
      priceSeen: { amount: OAK.price, currency: 'EUR' },
    });
    expect(cart.warnings).toEqual([
      {
        code: 'PRICE_CHANGED',
        sku: OAK.sku,
        old: { amount: OAK.price, currency: 'EUR' },
        new: { amount: 9900, currency: 'EUR' },
      },
    ]);
    expect(cart.version).toBe(2);
    // An op still carrying the old price keeps the warning; one with the new price clears it.
    expect((await pushed(push('a', [op(3, OAK.sku, 2, OAK.price)]))).cart.warnings).toHaveLength(1);
    const accepted = await pushed(push('a', [op(4, OAK.sku, 2, 9900)]));
    expect(accepted.cart.warnings).toEqual([]);
    expect(accepted.cart.lines[0]?.priceSeen).toEqual({ amount: 9900, currency: 'EUR' });
  });

  it('limits quantities to unreserved stock with QTY_CLAMPED and OUT_OF_STOCK', async () => {
    const answer = await pushed(push('a', [op(1, OAK.sku, 9), op(2, WALNUT.sku, 1), op(3, TABLE.sku, 2)]));
    expect(answer.cart.lines.map((l) => [l.sku, l.qty, l.requestedQty])).toEqual([
      [OAK.sku, 7, 9],
      [WALNUT.sku, 0, 1],
      [TABLE.sku, 2, 2],
    ]);
    expect(answer.cart.warnings).toEqual([
      { code: 'QTY_CLAMPED', sku: OAK.sku, requested: 9, available: 7 },
      { code: 'OUT_OF_STOCK', sku: WALNUT.sku },
    ]);
    await reserve(OAK.sku, 5);
    await reserve(TABLE.sku, 1);
    let cart = await readCart(db, cartId);
    expect(cart.lines.map((l) => l.qty)).toEqual([2, 0, 1]);
    expect(cart.warnings).toEqual([
      { code: 'QTY_CLAMPED', sku: OAK.sku, requested: 9, available: 2 },
      { code: 'OUT_OF_STOCK', sku: WALNUT.sku },
      { code: 'QTY_CLAMPED', sku: TABLE.sku, requested: 2, available: 1 },
    ]);
    // More reserved than the catalog's stock never makes availability negative.
    await reserve(OAK.sku, 10);
    cart = await readCart(db, cartId);
    expect(cart.lines[0]).toMatchObject({ sku: OAK.sku, qty: 0, requestedQty: 9 });
    expect(cart.warnings[0]).toEqual({ code: 'OUT_OF_STOCK', sku: OAK.sku });
    // Lowering the quantity to what is left clears the warning.
    await reserve(OAK.sku, 4);
    cart = (await pushed(push('a', [op(4, OAK.sku, 3), op(5, WALNUT.sku, 0)]))).cart;
    expect(cart.lines.map((l) => [l.sku, l.qty])).toEqual([
      [OAK.sku, 3],
      [TABLE.sku, 1],
    ]);
    expect(cart.warnings).toEqual([{ code: 'QTY_CLAMPED', sku: TABLE.sku, requested: 2, available: 1 }]);
  });

  it('keeps a line whose sku left the catalog as UNAVAILABLE until the shopper removes it', async () => {
    await pushed(push('a', [op(1, OAK.sku, 1), op(2, TABLE.sku, 2, 88000)]));
    const table = await findProduct(db, 'slab-table');
    if (table === undefined) throw new Error('brand-mini has no slab-table');
    expect(await deleteProduct(db, 'slab-table')).toBeDefined();
    const cart = ServerCart.parse(await readCart(db, cartId));
    expect(cart.lines.map((l) => l.sku)).toEqual([OAK.sku, TABLE.sku]);
    expect(cart.lines[1]).toEqual({
      sku: TABLE.sku,
      productId: 'slab-table',
      qty: 0,
      requestedQty: 2,
      unitPrice: { amount: 88000, currency: 'EUR' },
      priceSeen: { amount: 88000, currency: 'EUR' },
      addedAt: expect.any(String) as unknown as string,
    });
    expect(cart.warnings).toEqual([{ code: 'UNAVAILABLE', sku: TABLE.sku }]);
    // A push answers the same cart.
    expect((await pushed(push('b', []))).cart).toEqual(cart);

    // Setting a quantity of it is refused; removing it is accepted and deletes the line.
    await refused(push('a', [op(3, TABLE.sku, 2)]), 422, 'UNKNOWN_SKU', { seq: 3, sku: TABLE.sku });
    const removed = await pushed(push('a', [op(3, TABLE.sku, 0)]));
    expect(removed.ackedSeq).toBe(3);
    expect(removed.cart.version).toBe(3);
    expect(removed.cart.lines.map((l) => l.sku)).toEqual([OAK.sku]);
    expect(removed.cart.warnings).toEqual([]);
    // Removing a sku the catalog never held is an applied op too.
    expect((await pushed(push('a', [op(4, 'NO-SUCH-SKU', 0)]))).cart.version).toBe(4);

    // The brand publishes the table again: the line the shopper removed stays removed.
    await putProduct(db, table);
    expect((await readCart(db, cartId)).lines.map((l) => l.sku)).toEqual([OAK.sku]);
  });

  it('reads the cart in one snapshot: a push committed while it reads is not half seen', async () => {
    await pushed(push('a', [op(1, OAK.sku, 1)]));
    const before = await readCart(db, cartId);
    // A second connection pushes (a new line, a new version) right after the cart's first statement.
    const other = await openDatabase(store.dataDir, { databaseUrl: store.databaseUrl });
    try {
      let statements = 0;
      const interleaved = db.withPlugin({
        transformQuery: ({ node }) => node,
        async transformResult({ result }) {
          statements += 1;
          if (statements === 1) await pushOps(other, cartId, push('b', [op(1, TABLE.sku, 1)]));
          return result;
        },
      });
      expect(await readCart(interleaved, cartId)).toEqual(before);
      expect(statements).toBeGreaterThan(1);
    } finally {
      await other.destroy();
    }
    const after = await readCart(db, cartId);
    expect(after.version).toBe(2);
    expect(after.lines.map((l) => l.sku)).toEqual([OAK.sku, TABLE.sku]);
  });

  it('offers priceCart, bumpVersion and clearCartLines inside a caller transaction', async () => {
    await pushed(push('a', [op(1, OAK.sku, 1)]));
    await expect(
      db.transaction().execute(async (trx) => {
        expect((await priceCart(trx, cartId)).lines).toHaveLength(1);
        await clearCartLines(trx, cartId);
        expect(await bumpVersion(trx, cartId)).toBe(2);
        expect(await readCart(trx, cartId)).toEqual({ id: cartId, version: 2, lines: [], warnings: [] });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect((await readCart(db, cartId)).version).toBe(1);
    await db.transaction().execute(async (trx) => {
      await clearCartLines(trx, cartId);
      await bumpVersion(trx, cartId);
    });
    expect(await readCart(db, cartId)).toEqual({ id: cartId, version: 2, lines: [], warnings: [] });
  });
});
