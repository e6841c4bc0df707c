import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, test } from 'vitest';
import { addToCart, removeLine, setQuantity, UnknownVariantError } from '../../src/db/cart-writes';
import { db } from '../../src/db/db';
import { products } from './core-fixture';

beforeEach(async () => {
  await db.transaction('rw', db.products, db.cartLines, async () => {
    await db.cartLines.clear();
    await db.products.clear();
    await db.products.bulkPut(products);
  });
});

const lines = () => db.cartLines.orderBy('addedAt').toArray();

describe('addToCart', () => {
  test('adds a line, and adding again increments it', async () => {
    await addToCart('oak-lounge-chair', 'OAK-CHAIR-NAT');
    await addToCart('linen-cushion', 'LINEN-CUSH-SND', 2);
    await addToCart('oak-lounge-chair', 'OAK-CHAIR-NAT');
    const stored = await lines();
    expect(stored.map(({ sku, productId, qty }) => ({ sku, productId, qty }))).toEqual([
      { sku: 'OAK-CHAIR-NAT', productId: 'oak-lounge-chair', qty: 2 },
      { sku: 'LINEN-CUSH-SND', productId: 'linen-cushion', qty: 2 },
    ]);
    expect(stored[0]?.addedAt).toBeGreaterThan(0);
  });

  test('caps a line at 99 units', async () => {
    await addToCart('linen-cushion', 'LINEN-CUSH-SND', 60);
    await addToCart('linen-cushion', 'LINEN-CUSH-SND', 60);
    expect((await db.cartLines.get('LINEN-CUSH-SND'))?.qty).toBe(99);
    await addToCart('linen-cushion', 'LINEN-CUSH-RST', 500);
    expect((await db.cartLines.get('LINEN-CUSH-RST'))?.qty).toBe(99);
  });

  test('rejects a sku that is not a variant of the product, and an unknown product', async () => {
    await expect(addToCart('oak-lounge-chair', 'LINEN-CUSH-SND')).rejects.toBeInstanceOf(UnknownVariantError);
    await expect(addToCart('no-such-product', 'OAK-CHAIR-NAT')).rejects.toBeInstanceOf(UnknownVariantError);
    await expect(addToCart('oak-lounge-chair', 'NO-SUCH-SKU')).rejects.toThrow(/NO-SUCH-SKU/);
    expect(await lines()).toEqual([]);
  });
});

describe('setQuantity and removeLine', () => {
  test('sets and clamps the quantity', async () => {
    await addToCart('oak-lounge-chair', 'OAK-CHAIR-SMK');
    await setQuantity('OAK-CHAIR-SMK', 5);
    expect((await db.cartLines.get('OAK-CHAIR-SMK'))?.qty).toBe(5);
    await setQuantity('OAK-CHAIR-SMK', 1000);
    expect((await db.cartLines.get('OAK-CHAIR-SMK'))?.qty).toBe(99);
    await setQuantity('OAK-CHAIR-SMK', 2.7);
    expect((await db.cartLines.get('OAK-CHAIR-SMK'))?.qty).toBe(2);
    await expect(setQuantity('OAK-CHAIR-SMK', Number.NaN)).rejects.toThrow(RangeError);
    expect((await db.cartLines.get('OAK-CHAIR-SMK'))?.qty).toBe(2);
  });

  test('quantity 0 removes the line; a missing line stays missing', async () => {
    await addToCart('oak-lounge-chair', 'OAK-CHAIR-SMK');
    await setQuantity('OAK-CHAIR-SMK', 0);
    expect(await db.cartLines.get('OAK-CHAIR-SMK')).toBeUndefined();
    await setQuantity('OAK-CHAIR-SMK', 3);
    expect(await db.cartLines.get('OAK-CHAIR-SMK')).toBeUndefined();
  });

  test('removeLine removes only that line', async () => {
    await addToCart('oak-lounge-chair', 'OAK-CHAIR-SMK');
    await addToCart('linen-cushion', 'LINEN-CUSH-RST');
    await removeLine('OAK-CHAIR-SMK');
    expect((await lines()).map((l) => l.sku)).toEqual(['LINEN-CUSH-RST']);
  });
});
