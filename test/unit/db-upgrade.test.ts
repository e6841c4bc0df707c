import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { describe, expect, test } from 'vitest';
import { db, VitrineDB } from '../../src/db/db';
import { pinAssets, recordCached, unpinAssets } from '../../src/db/asset-index';
import { products } from './core-fixture';

/** Creates a database exactly as schema version 2 left it, with a cart and a catalog. */
async function makeVersion2(name: string): Promise<void> {
  const old = new Dexie(name);
  old.version(1).stores({
    brands: 'id',
    categories: 'id',
    products: 'id, brandId, category',
    showrooms: 'id, brandId',
    cartLines: 'sku, productId, addedAt',
    meta: 'key',
  });
  old.version(2).stores({});
  await old.open();
  await old.table('products').bulkPut(products);
  await old
    .table('cartLines')
    .put({ sku: 'OAK-CHAIR-NAT', productId: 'oak-lounge-chair', qty: 2, addedAt: 5 });
  await old.table('meta').put({ key: 'catalogCursor', value: '42' });
  expect(old.verno).toBe(2);
  old.close();
}

describe('schema version 3', () => {
  test('a version-2 database with a cart and a catalog upgrades in place, keeping both', async () => {
    await makeVersion2('upgrade-2-to-3');
    const upgraded = new VitrineDB('upgrade-2-to-3');
    await upgraded.open();
    expect(upgraded.verno).toBe(5);
    expect(await upgraded.cartLines.toArray()).toEqual([
      { sku: 'OAK-CHAIR-NAT', productId: 'oak-lounge-chair', qty: 2, addedAt: 5 },
    ]);
    expect((await upgraded.products.toArray()).map((p) => p.id).sort()).toEqual(
      products.map((p) => p.id).sort(),
    );
    expect((await upgraded.meta.get('catalogCursor'))?.value).toBe('42');
    expect(await upgraded.assets.count()).toBe(0);
    await upgraded.assets.put({
      url: '/assets/a.glb',
      bytes: 1,
      cached: 1,
      pinnedBy: ['showroom:x'],
      lastUsed: 1,
    });
    expect(await upgraded.assets.where('pinnedBy').equals('showroom:x').count()).toBe(1);
    expect(await upgraded.assets.where('cached').equals(1).count()).toBe(1);
    upgraded.close();
  });
});

describe('asset index pins', () => {
  test('unpinning releases only files no other pin holds', async () => {
    await db.assets.clear();
    await recordCached('/assets/shared.glb', 100, 1);
    await pinAssets('showroom:a', [
      { url: '/assets/shared.glb', bytes: 100 },
      { url: '/assets/only-a.glb', bytes: 50 },
    ]);
    await pinAssets('product:p', [{ url: '/assets/shared.glb', bytes: 100 }]);
    await recordCached('/assets/only-a.glb', 50, 2);
    expect((await db.assets.get('/assets/shared.glb'))?.pinnedBy).toEqual(['showroom:a', 'product:p']);

    expect(await unpinAssets('showroom:a')).toEqual(['/assets/only-a.glb']);
    expect((await db.assets.get('/assets/shared.glb'))?.pinnedBy).toEqual(['product:p']);
    expect(await unpinAssets('product:p')).toEqual(['/assets/shared.glb']);
  });

  test('unpinning a file that never got cached drops it from the index', async () => {
    await db.assets.clear();
    await pinAssets('product:q', [{ url: '/assets/never.glb', bytes: 10 }]);
    expect(await unpinAssets('product:q')).toEqual([]);
    expect(await db.assets.get('/assets/never.glb')).toBeUndefined();
  });
});

/** Creates a database exactly as schema version 3 left it: a catalog, a cart of three lines, the asset index. */
async function makeVersion3(name: string): Promise<void> {
  const old = new Dexie(name);
  old.version(1).stores({
    brands: 'id',
    categories: 'id',
    products: 'id, brandId, category',
    showrooms: 'id, brandId',
    cartLines: 'sku, productId, addedAt',
    meta: 'key',
  });
  old.version(2).stores({});
  old.version(3).stores({ assets: 'url, cached, *pinnedBy, lastUsed' });
  await old.open();
  await old.table('products').bulkPut(products);
  await old.table('cartLines').bulkPut([
    { sku: 'LINEN-CUSH-RST', productId: 'linen-cushion', qty: 3, addedAt: 20 },
    { sku: 'OAK-CHAIR-NAT', productId: 'oak-lounge-chair', qty: 2, addedAt: 10 },
    { sku: 'GONE-1', productId: 'no-longer-sold', qty: 1, addedAt: 30 },
  ]);
  expect(old.verno).toBe(3);
  old.close();
}

describe('schema version 4', () => {
  test('a version-3 database with a cart upgrades: one outbox op per line, the lines kept', async () => {
    await makeVersion3('upgrade-3-to-4');
    const upgraded = new VitrineDB('upgrade-3-to-4');
    await upgraded.open();
    expect(upgraded.verno).toBe(5);
    expect(await upgraded.cartLines.orderBy('addedAt').toArray()).toEqual([
      { sku: 'OAK-CHAIR-NAT', productId: 'oak-lounge-chair', qty: 2, addedAt: 10 },
      { sku: 'LINEN-CUSH-RST', productId: 'linen-cushion', qty: 3, addedAt: 20 },
      { sku: 'GONE-1', productId: 'no-longer-sold', qty: 1, addedAt: 30 },
    ]);
    const state = await upgraded.cartSync.get('cart');
    const ops = await upgraded.outbox.orderBy('seq').toArray();
    // A line whose variant is not in the local catalog has no price to send: it gets no op.
    expect(
      ops.map(({ seq, sku, qty, observedPrice, cartId }) => ({ seq, sku, qty, observedPrice, cartId })),
    ).toEqual([
      {
        seq: 1,
        sku: 'OAK-CHAIR-NAT',
        qty: 2,
        observedPrice: { amount: 89000, currency: 'EUR' },
        cartId: null,
      },
      {
        seq: 2,
        sku: 'LINEN-CUSH-RST',
        qty: 3,
        observedPrice: { amount: 4900, currency: 'EUR' },
        cartId: null,
      },
    ]);
    expect(ops.every((op) => op.clientId === state?.clientId)).toBe(true);
    expect(state).toMatchObject({ cartId: null, token: null, nextSeq: 3, serverVersion: 0, warnings: [] });
    expect(state?.clientId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(await upgraded.orders.count()).toBe(0);
    upgraded.close();
  });
});

describe('schema version 5', () => {
  test('a version-4 database keeps its cart, and the current cart secret lands in `carts`', async () => {
    const name = 'upgrade-4-to-5';
    const old = new Dexie(name);
    old.version(1).stores({
      brands: 'id',
      categories: 'id',
      products: 'id, brandId, category',
      showrooms: 'id, brandId',
      cartLines: 'sku, productId, addedAt',
      meta: 'key',
    });
    old.version(2).stores({});
    old.version(3).stores({ assets: 'url, cached, *pinnedBy, lastUsed' });
    old.version(4).stores({ outbox: 'seq, sku, cartId', cartSync: 'key', orders: 'id, createdAt' });
    await old.open();
    const cartId = 'C'.repeat(22);
    const token = 'T'.repeat(43);
    await old.table('cartSync').put({
      key: 'cart',
      cartId,
      token,
      clientId: 'K'.repeat(22),
      nextSeq: 4,
      serverVersion: 7,
      warnings: [],
    });
    await old
      .table('cartLines')
      .put({ sku: 'OAK-CHAIR-NAT', productId: 'oak-lounge-chair', qty: 2, addedAt: 5 });
    old.close();

    const upgraded = new VitrineDB(name);
    await upgraded.open();
    expect(upgraded.verno).toBe(5);
    expect(await upgraded.carts.toArray()).toMatchObject([{ cartId, token }]);
    expect(await upgraded.cartSync.get('cart')).toMatchObject({
      cartId,
      token,
      nextSeq: 4,
      serverVersion: 7,
    });
    expect(await upgraded.cartLines.count()).toBe(1);
    expect(await upgraded.returnAttempts.count()).toBe(0);
    upgraded.close();
  });
});
