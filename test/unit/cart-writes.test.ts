// Cart writes with the outbox: each change writes the line and its op in one Dexie transaction (fake-indexeddb).
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import {
  acceptPriceChanges,
  addToCart,
  CART_WRITTEN_EVENT,
  cartWritesFor,
  removeLine,
  setQuantity,
  UnknownVariantError,
} from '../../src/db/cart-writes';
import { db, VitrineDB } from '../../src/db/db';
import { products } from './core-fixture';

beforeEach(async () => {
  await db.transaction('rw', [db.products, db.cartLines, db.outbox, db.cartSync], async () => {
    await Promise.all([db.cartLines.clear(), db.products.clear(), db.outbox.clear(), db.cartSync.clear()]);
    await db.products.bulkPut(products);
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
});

const ops = () => db.outbox.orderBy('seq').toArray();
const brief = async () =>
  (await ops()).map(({ seq, sku, qty, observedPrice }) => ({ seq, sku, qty, observedPrice }));
const eur = (amount: number) => ({ amount, currency: 'EUR' });

describe('each write queues an op in the same transaction', () => {
  test('addToCart queues the absolute quantity with the local price, numbering from 1', async () => {
    await addToCart('oak-lounge-chair', 'OAK-CHAIR-NAT');
    await addToCart('linen-cushion', 'LINEN-CUSH-SND', 2);
    await addToCart('oak-lounge-chair', 'OAK-CHAIR-NAT');
    expect(await brief()).toEqual([
      { seq: 1, sku: 'OAK-CHAIR-NAT', qty: 1, observedPrice: eur(89000) },
      { seq: 2, sku: 'LINEN-CUSH-SND', qty: 2, observedPrice: eur(4500) },
      { seq: 3, sku: 'OAK-CHAIR-NAT', qty: 2, observedPrice: eur(89000) },
    ]);
    const state = await db.cartSync.get('cart');
    expect(state?.nextSeq).toBe(4);
    const stored = await ops();
    expect(stored.every((op) => op.clientId === state?.clientId && op.cartId === null)).toBe(true);
    expect(new Set(stored.map((op) => op.opId)).size).toBe(3);
    expect(stored[0]?.opId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await db.cartLines.get('OAK-CHAIR-NAT'))?.qty).toBe(2);
  });

  test('ops carry the cart id once the device has a server cart', async () => {
    await addToCart('oak-lounge-chair', 'OAK-CHAIR-NAT');
    await db.cartSync.update('cart', { cartId: 'c'.repeat(22), token: 't'.repeat(43) });
    await addToCart('oak-lounge-chair', 'OAK-CHAIR-NAT');
    expect((await ops()).map((op) => op.cartId)).toEqual([null, 'c'.repeat(22)]);
  });

  test('when the op cannot be written the line is not written either', async () => {
    await addToCart('oak-lounge-chair', 'OAK-CHAIR-NAT');
    // Occupy the next seq so adding the op fails inside the write's transaction.
    const taken = (await ops())[0];
    if (!taken) throw new Error('no op');
    await db.outbox.add({ ...taken, seq: 2, opId: crypto.randomUUID() });
    await expect(addToCart('linen-cushion', 'LINEN-CUSH-SND')).rejects.toThrow();
    expect(await db.cartLines.get('LINEN-CUSH-SND')).toBeUndefined();
    await expect(setQuantity('OAK-CHAIR-NAT', 5)).rejects.toThrow();
    expect((await db.cartLines.get('OAK-CHAIR-NAT'))?.qty).toBe(1);
    expect((await db.cartSync.get('cart'))?.nextSeq).toBe(2);
  });

  test('an unknown variant writes neither a line nor an op', async () => {
    await expect(addToCart('oak-lounge-chair', 'NOPE')).rejects.toBeInstanceOf(UnknownVariantError);
    expect(await db.cartLines.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
  });

  test('setQuantity queues the new quantity; the same quantity or a missing line queues nothing', async () => {
    await addToCart('oak-lounge-chair', 'OAK-CHAIR-SMK');
    await setQuantity('OAK-CHAIR-SMK', 5);
    await setQuantity('OAK-CHAIR-SMK', 5);
    await setQuantity('NOT-IN-CART', 3);
    await setQuantity('OAK-CHAIR-SMK', 0);
    expect(await brief()).toEqual([
      { seq: 1, sku: 'OAK-CHAIR-SMK', qty: 1, observedPrice: eur(95000) },
      { seq: 2, sku: 'OAK-CHAIR-SMK', qty: 5, observedPrice: eur(95000) },
      { seq: 3, sku: 'OAK-CHAIR-SMK', qty: 0, observedPrice: eur(95000) },
    ]);
    expect(await db.cartLines.count()).toBe(0);
  });

  test('removeLine queues qty 0, also for a variant that left the catalog; a missing line queues nothing', async () => {
    await addToCart('cafe-table', 'CAFE-TABLE-WHT');
    await db.products.delete('cafe-table');
    await removeLine('CAFE-TABLE-WHT');
    await removeLine('CAFE-TABLE-WHT');
    expect((await brief()).map(({ sku, qty }) => [sku, qty])).toEqual([
      ['CAFE-TABLE-WHT', 1],
      ['CAFE-TABLE-WHT', 0],
    ]);
    expect((await ops())[1]?.observedPrice.amount).toBe(0);
  });

  test('adding to a line the server held short grows from what the shopper asked for', async () => {
    await db.cartLines.put({
      sku: 'OAK-CHAIR-SMK',
      productId: 'oak-lounge-chair',
      qty: 2,
      requestedQty: 4,
      addedAt: 7,
    });
    await addToCart('oak-lounge-chair', 'OAK-CHAIR-SMK');
    expect(await db.cartLines.get('OAK-CHAIR-SMK')).toEqual({
      sku: 'OAK-CHAIR-SMK',
      productId: 'oak-lounge-chair',
      qty: 5,
      addedAt: 7,
    });
    expect((await brief()).map((op) => op.qty)).toEqual([5]);
  });

  test('a shopper write clears a stored sync error', async () => {
    await addToCart('oak-lounge-chair', 'OAK-CHAIR-NAT');
    await db.cartSync.update('cart', { error: { code: 'UNKNOWN_SKU', message: 'gone', sku: 'X' } });
    await setQuantity('OAK-CHAIR-NAT', 3);
    expect((await db.cartSync.get('cart'))?.error).toBeUndefined();
  });

  test('a committed write tells the window; a write that changes nothing does not', async () => {
    const target = new EventTarget();
    vi.stubGlobal('window', target);
    let events = 0;
    target.addEventListener(CART_WRITTEN_EVENT, () => (events += 1));
    await addToCart('oak-lounge-chair', 'OAK-CHAIR-NAT');
    await setQuantity('OAK-CHAIR-NAT', 1);
    await removeLine('NOT-IN-CART');
    await expect(addToCart('oak-lounge-chair', 'NOPE')).rejects.toThrow();
    expect(events).toBe(1);
    await removeLine('OAK-CHAIR-NAT');
    expect(events).toBe(2);
  });

  test('cartWritesFor writes to its own database only', async () => {
    const other = new VitrineDB(`writes-other-${Math.random().toString(36).slice(2)}`);
    await other.products.bulkPut(products);
    await cartWritesFor(other).addToCart('linen-cushion', 'LINEN-CUSH-RST', 3);
    expect(await other.outbox.count()).toBe(1);
    expect((await other.cartLines.get('LINEN-CUSH-RST'))?.qty).toBe(3);
    expect(await db.outbox.count()).toBe(0);
    other.close();
  });
});

describe('acceptPriceChanges', () => {
  test('re-sends each PRICE_CHANGED line at its asked quantity with the new price and clears those warnings', async () => {
    await addToCart('oak-lounge-chair', 'OAK-CHAIR-NAT', 2);
    await addToCart('linen-cushion', 'LINEN-CUSH-SND', 1);
    await db.cartLines.update('LINEN-CUSH-SND', { qty: 1, requestedQty: 3 });
    await db.outbox.clear();
    await db.cartSync.update('cart', {
      warnings: [
        { code: 'PRICE_CHANGED', sku: 'OAK-CHAIR-NAT', old: eur(89000), new: eur(91000) },
        { code: 'PRICE_CHANGED', sku: 'LINEN-CUSH-SND', old: eur(4500), new: eur(4000) },
        { code: 'PRICE_CHANGED', sku: 'NOT-IN-CART', old: eur(1), new: eur(2) },
        { code: 'QTY_CLAMPED', sku: 'LINEN-CUSH-SND', requested: 3, available: 1 },
      ],
    });
    expect(await acceptPriceChanges()).toBe(2);
    expect(await brief()).toEqual([
      { seq: 3, sku: 'OAK-CHAIR-NAT', qty: 2, observedPrice: eur(91000) },
      { seq: 4, sku: 'LINEN-CUSH-SND', qty: 3, observedPrice: eur(4000) },
    ]);
    expect((await db.cartSync.get('cart'))?.warnings).toEqual([
      { code: 'QTY_CLAMPED', sku: 'LINEN-CUSH-SND', requested: 3, available: 1 },
    ]);
    expect(await acceptPriceChanges()).toBe(0);
    expect(await db.outbox.count()).toBe(2);
  });
});
