/**
 * A large catalog for the IndexedDB and search benchmarks, made deterministically from the demo catalog the
 * server publishes: product `i` copies demo product `i mod n` with its own id, name, skus and prices (a seeded
 * generator, so every run measures the same records). The result is validated once with the wire schema
 * (`CatalogChanges`, page by page), so the benches import exactly what a device could receive.
 */
import { CatalogChanges, type CatalogSnapshot, type Product } from '../../src/protocol/catalog';

/** Products in the scaled catalog. */
export const SCALED_PRODUCTS = 10_000;

/** Words put in front of the demo names so that names differ (and searches match a realistic share). */
const COLLECTIONS = [
  'Nordic',
  'Coastal',
  'Heritage',
  'Atelier',
  'Alpine',
  'Harbour',
  'Meadow',
  'Urban',
  'Terra',
  'Solstice',
  'Willow',
  'Granite',
] as const;

/** mulberry32: a small seeded generator, good enough to spread prices. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` products derived from the catalog's products (see the module comment). */
export function scaleProducts(catalog: CatalogSnapshot, count = SCALED_PRODUCTS): Product[] {
  const demo = catalog.products;
  if (demo.length === 0) throw new Error('the demo catalog has no products to scale');
  const random = seeded(20261125);
  const out: Product[] = [];
  for (let i = 0; i < count; i++) {
    const base = demo[i % demo.length] as Product;
    const copy = structuredClone(base);
    const collection = COLLECTIONS[Math.floor(i / demo.length) % COLLECTIONS.length] ?? '';
    copy.id = `${base.id.slice(0, 60)}-${i}`;
    copy.name = `${collection} ${base.name} ${i}`;
    const factor = 0.5 + random() * 1.5;
    copy.variants = base.variants.map((v, j) => ({
      ...v,
      sku: `${v.sku.slice(0, 28)}-${i}-${j}`,
      price: { ...v.price, amount: Math.max(100, Math.round(v.price.amount * factor)) },
      stock: Math.floor(random() * 50),
    }));
    copy.updatedAt = new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString();
    out.push(copy);
  }
  return out;
}

/**
 * The products as the change feed would send them to a new device: puts in pages of `limit`, cursors
 * counting changes. Parsed with `CatalogChanges` (throws if a generated record breaks the wire contract).
 */
export function toChangePages(products: readonly Product[], limit: number): CatalogChanges[] {
  const pages: CatalogChanges[] = [];
  for (let start = 0; start < products.length; start += limit) {
    const end = Math.min(start + limit, products.length);
    pages.push(
      CatalogChanges.parse({
        cursor: String(end),
        hasMore: end < products.length,
        changes: products
          .slice(start, end)
          .map((record) => ({ entity: 'product', id: record.id, op: 'put', record })),
      }),
    );
  }
  return pages;
}
