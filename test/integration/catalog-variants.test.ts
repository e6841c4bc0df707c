import type { Kysely } from 'kysely';
import { Migrator } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Product } from '../../src/protocol/catalog';
import { createCart, findVariants, pushOps, readCart } from '../../src/server/carts/cart-store';
import {
  deleteProduct,
  findProduct,
  putProduct,
  readCatalogSnapshot,
  writeCatalog,
} from '../../src/server/storage/catalog-store';
import { openDatabase } from '../../src/server/storage/connection';
import { migrations } from '../../src/server/storage/migrations';
import type { Database } from '../../src/server/storage/schema';
import { backends, type TestStore } from '../support/backends';
import { OAK, op, push, TABLE } from '../support/cart-ops';

/** The `catalog_variants` rows every variant of `products` should have, by sku. */
function expectedRows(products: readonly Product[]): unknown[] {
  return products
    .flatMap((p) =>
      p.variants.map((v) => ({
        sku: v.sku,
        product_id: p.id,
        brand_id: p.brandId,
        product_name: p.name,
        variant_name: v.name,
        price_amount: v.price.amount,
        price_currency: v.price.currency,
        stock: v.stock,
      })),
    )
    .sort((a, b) => (a.sku < b.sku ? -1 : 1));
}

/** Every `catalog_variants` row, by sku (numbers as numbers on both backends). */
async function variantRows(db: Kysely<Database>): Promise<unknown[]> {
  const rows = await db.selectFrom('catalog_variants').selectAll().execute();
  return rows
    .map((r) => ({ ...r, price_amount: Number(r.price_amount), stock: Number(r.stock) }))
    .sort((a, b) => (a.sku < b.sku ? -1 : 1));
}

/** The products of the catalog as stored now. */
async function storedProducts(db: Kysely<Database>): Promise<Product[]> {
  return (await readCatalogSnapshot(db)).products;
}

async function product(db: Kysely<Database>, id: string): Promise<Product> {
  const found = await findProduct(db, id);
  if (found === undefined) throw new Error(`${id} missing`);
  return found;
}

describe.each(backends)('catalog variants on $name', (backend) => {
  let store: TestStore;
  let db: Kysely<Database>;

  beforeEach(async () => {
    store = await backend.open();
    db = store.db;
  });
  afterEach(async () => {
    await store.close();
  });

  it('holds one row per variant of the seeded catalog', async () => {
    const products = await storedProducts(db);
    expect(products.flatMap((p) => p.variants)).toHaveLength(3);
    expect(await variantRows(db)).toEqual(expectedRows(products));
  });

  it('follows putProduct: names, price and stock change, a dropped variant goes, a new one comes', async () => {
    const stool = await product(db, 'cube-stool');
    const [oak] = stool.variants;
    if (oak === undefined) throw new Error('no variant');
    const changed: Product = {
      ...stool,
      name: 'Cube Stool II',
      variants: [
        { ...oak, name: 'Light oak', price: { amount: 13900, currency: 'EUR' }, stock: 3 },
        { ...oak, sku: 'MINI-STOOL-ASH', name: 'Ash', materialVariant: 'Ash' },
      ],
    };
    await putProduct(db, changed);
    const rows = await variantRows(db);
    expect(rows).toEqual(expectedRows(await storedProducts(db)));
    expect(rows).toContainEqual(
      expect.objectContaining({
        sku: OAK.sku,
        product_name: 'Cube Stool II',
        variant_name: 'Light oak',
        price_amount: 13900,
        stock: 3,
      }),
    );
    expect(rows).toContainEqual(expect.objectContaining({ sku: 'MINI-STOOL-ASH', product_id: 'cube-stool' }));
    expect(rows).not.toContainEqual(expect.objectContaining({ sku: 'MINI-STOOL-WAL' }));

    const found = await findVariants(db, [OAK.sku, 'MINI-STOOL-WAL', 'MINI-STOOL-ASH']);
    expect([...found.keys()].sort()).toEqual(['MINI-STOOL-ASH', OAK.sku]);
    expect(found.get(OAK.sku)).toEqual({
      product: { id: 'cube-stool', brandId: stool.brandId, name: 'Cube Stool II' },
      variant: { sku: OAK.sku, name: 'Light oak', price: { amount: 13900, currency: 'EUR' }, stock: 3 },
    });
  });

  it('moves a sku that another product now names to that product', async () => {
    const table = await product(db, 'slab-table');
    const [first] = table.variants;
    if (first === undefined) throw new Error('no variant');
    await putProduct(db, { ...table, variants: [first, { ...first, sku: OAK.sku, name: 'Oak slab' }] });
    expect((await findVariants(db, [OAK.sku])).get(OAK.sku)?.product.id).toBe('slab-table');
  });

  it('follows deleteProduct, and a push naming its skus is refused', async () => {
    expect(await deleteProduct(db, 'slab-table')).toBeDefined();
    expect(await variantRows(db)).toEqual(expectedRows(await storedProducts(db)));
    expect((await findVariants(db, [TABLE.sku])).size).toBe(0);
    const { cartId } = await createCart(db);
    await expect(pushOps(db, cartId, push('a', [op(1, TABLE.sku, 1)]))).rejects.toMatchObject({
      statusCode: 422,
      code: 'UNKNOWN_SKU',
    });
  });

  it('finds nothing for skus the catalog cannot hold or does not hold', async () => {
    const found = await findVariants(db, ['mini-stool-oak', "X' OR 1=1", '%', 'MINI-NOPE', OAK.sku]);
    expect([...found.keys()]).toEqual([OAK.sku]);
  });

  it('serves pushes and priced carts without reading product documents', async () => {
    // Documents that cannot be parsed: the push path must get all it needs from catalog_variants.
    await db.updateTable('products').set({ document: 'not json' }).execute();
    const { cartId } = await createCart(db);
    const answer = await pushOps(db, cartId, push('a', [op(1, OAK.sku, 2), op(2, TABLE.sku, 1)]));
    expect(answer.ackedSeq).toBe(2);
    expect(answer.cart.lines.map((l) => [l.sku, l.productId, l.qty])).toEqual([
      [OAK.sku, 'cube-stool', 2],
      [TABLE.sku, 'slab-table', 1],
    ]);
    expect(await readCart(db, cartId)).toEqual(answer.cart);
  });

  it('is written in the same transaction as writeCatalog: a failing write leaves no variant', async () => {
    const snapshot = await readCatalogSnapshot(db);
    const empty = await backend.createEmpty();
    const fresh = await openDatabase(empty.dataDir, { databaseUrl: empty.databaseUrl });
    try {
      const brandId = snapshot.brands[0]?.id ?? 'mini';
      const write = {
        brands: snapshot.brands,
        categories: snapshot.categories.map((category) => ({ brandId, category })),
        products: snapshot.products,
        assets: [],
        reason: 'seed',
      };
      // The second showroom repeats the first one's id: its insert fails after the variants were written.
      const [showroom] = snapshot.showrooms;
      if (showroom === undefined) throw new Error('no showroom');
      await expect(writeCatalog(fresh, { ...write, showrooms: [showroom, showroom] })).rejects.toThrow();
      expect(await fresh.selectFrom('catalog_variants').selectAll().execute()).toEqual([]);
      expect(await fresh.selectFrom('products').selectAll().execute()).toEqual([]);

      await writeCatalog(fresh, { ...write, showrooms: snapshot.showrooms });
      expect(await variantRows(fresh)).toEqual(expectedRows(snapshot.products));
    } finally {
      await fresh.destroy();
      await empty.drop();
    }
  });

  it('migration 0004 backfills a database seeded before it, in many statements when it must', async () => {
    // 250 more variants than one backfill statement holds, on a product written before the migration.
    const table = await product(db, 'slab-table');
    const [first] = table.variants;
    if (first === undefined) throw new Error('no variant');
    const bulk = Array.from({ length: 250 }, (_, i) => ({
      ...first,
      sku: `MINI-BULK-${String(i).padStart(3, '0')}`,
      name: `Bulk ${i}`,
      price: { amount: 1000 + i, currency: 'EUR' },
      stock: i,
    }));
    await putProduct(db, { ...table, variants: [first, ...bulk] });

    const migrator = new Migrator({ db, provider: { getMigrations: () => Promise.resolve(migrations) } });
    // Back to the schema before 0004 (which drops the table), with the catalog already in place.
    const down = await migrator.migrateTo('0003-commerce');
    expect(down.error).toBeUndefined();
    const tables = (await db.introspection.getTables()).map((t) => t.name);
    expect(tables).toContain('products');
    expect(tables).not.toContain('catalog_variants');

    const up = await migrator.migrateToLatest();
    expect(up.error).toBeUndefined();
    expect(up.results?.map((r) => [r.migrationName, r.status])).toEqual([
      ['0004-catalog-variants', 'Success'],
      ['0005-idempotency-and-clears', 'Success'],
      ['0006-brand-publishing', 'Success'],
      ['0007-publish-keys-and-write-lock', 'Success'],
    ]);
    const products = await storedProducts(db);
    expect(products.flatMap((p) => p.variants)).toHaveLength(253);
    expect(await variantRows(db)).toEqual(expectedRows(products));

    // The backfilled table serves carts at once.
    const { cartId } = await createCart(db);
    const answer = await pushOps(db, cartId, push('a', [op(1, 'MINI-BULK-249', 1, 1249)]));
    expect(answer.cart.lines).toEqual([expect.objectContaining({ sku: 'MINI-BULK-249', qty: 1 })]);
    expect(answer.cart.warnings).toEqual([]);
  });
});
