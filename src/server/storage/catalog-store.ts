/**
 * The query layer of the catalog: every read and write of catalog tables goes through these functions.
 * Queries use Kysely's builder only (no dialect-specific SQL), so SQLite and PostgreSQL share them.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Brand, CatalogSnapshot, Category, Product, Showroom } from '../../protocol/catalog';
import type { AssetRow, Database, NewAsset } from './schema';

type Executor = Kysely<Database> | Transaction<Database>;

/** The cursor of a catalog that has never been written. */
export const EMPTY_CURSOR = '0';

/** Everything one catalog write stores, already validated against the protocol schemas. */
export interface CatalogWrite {
  brands: Brand[];
  /** Categories with the brand that declared them; the first brand to declare an id keeps it. */
  categories: { brandId: string; category: Category }[];
  products: Product[];
  showrooms: Showroom[];
  assets: NewAsset[];
  /** Why the catalog changed, kept with the new version ("seed"). */
  reason: string;
}

/** The current catalog cursor: the latest version number as a string, `"0"` before any write. */
export async function readCursor(db: Executor): Promise<string> {
  const row = await db
    .selectFrom('catalog_versions')
    .select((eb) => eb.fn.max('version').as('version'))
    .executeTakeFirst();
  const version = row?.version;
  return version === null || version === undefined ? EMPTY_CURSOR : String(version);
}

/** True until the first catalog write (seed or publish). */
export async function isCatalogEmpty(db: Executor): Promise<boolean> {
  const row = await db.selectFrom('catalog_versions').select('version').limit(1).executeTakeFirst();
  return row === undefined;
}

const parse = <T>(document: string): T => JSON.parse(document) as T;

/** The whole catalog as one consistent snapshot (read in a single transaction). */
export async function readCatalogSnapshot(db: Kysely<Database>): Promise<CatalogSnapshot> {
  return db.transaction().execute(async (trx) => {
    const cursor = await readCursor(trx);
    const brands = await trx.selectFrom('brands').select('document').orderBy('id').execute();
    const categories = await trx
      .selectFrom('categories')
      .select(['id', 'name'])
      .orderBy('brand_id')
      .orderBy('position')
      .execute();
    const products = await trx
      .selectFrom('products')
      .select('document')
      .orderBy('brand_id')
      .orderBy('position')
      .execute();
    const showrooms = await trx
      .selectFrom('showrooms')
      .select('document')
      .orderBy('brand_id')
      .orderBy('position')
      .execute();
    return {
      cursor,
      brands: brands.map((r) => parse<Brand>(r.document)),
      categories: categories.map((r) => ({ id: r.id, name: r.name })),
      products: products.map((r) => parse<Product>(r.document)),
      showrooms: showrooms.map((r) => parse<Showroom>(r.document)),
    };
  });
}

/** One product by id, or undefined. */
export async function findProduct(db: Executor, id: string): Promise<Product | undefined> {
  const row = await db.selectFrom('products').select('document').where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : parse<Product>(row.document);
}

/** One showroom by id, or undefined. */
export async function findShowroom(db: Executor, id: string): Promise<Showroom | undefined> {
  const row = await db.selectFrom('showrooms').select('document').where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : parse<Showroom>(row.document);
}

/** One stored asset by its SHA-256, or undefined. */
export async function findAsset(db: Executor, sha256: string): Promise<AssetRow | undefined> {
  return db.selectFrom('assets').selectAll().where('sha256', '=', sha256).executeTakeFirst();
}

/** Every stored asset, ordered by hash. */
export async function listAssets(db: Executor): Promise<AssetRow[]> {
  return db.selectFrom('assets').selectAll().orderBy('sha256').execute();
}

/**
 * Stores brands, categories, products, showrooms and assets and records a new catalog version, all in one
 * transaction: either the whole write lands or none of it. Returns the new cursor.
 */
export async function writeCatalog(db: Kysely<Database>, write: CatalogWrite): Promise<string> {
  const now = new Date().toISOString();
  return db.transaction().execute(async (trx) => {
    for (const brand of write.brands) {
      await trx
        .insertInto('brands')
        .values({ id: brand.id, name: brand.name, document: JSON.stringify(brand), updated_at: now })
        .execute();
    }
    for (const [position, { brandId, category }] of write.categories.entries()) {
      await trx
        .insertInto('categories')
        .values({ id: category.id, brand_id: brandId, name: category.name, position })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    }
    for (const [position, product] of write.products.entries()) {
      const prices = product.variants.map((v) => v.price.amount);
      await trx
        .insertInto('products')
        .values({
          id: product.id,
          brand_id: product.brandId,
          category_id: product.category,
          name: product.name,
          price_min: Math.min(...prices),
          currency: product.variants[0]?.price.currency ?? 'EUR',
          position,
          document: JSON.stringify(product),
          updated_at: product.updatedAt,
        })
        .execute();
    }
    for (const [position, showroom] of write.showrooms.entries()) {
      await trx
        .insertInto('showrooms')
        .values({
          id: showroom.id,
          brand_id: showroom.brandId,
          name: showroom.name,
          position,
          document: JSON.stringify(showroom),
          updated_at: now,
        })
        .execute();
    }
    for (const asset of write.assets) {
      await trx
        .insertInto('assets')
        .values(asset)
        .onConflict((oc) => oc.column('sha256').doNothing())
        .execute();
    }
    const version = Number(await readCursor(trx)) + 1;
    await trx
      .insertInto('catalog_versions')
      .values({ version, created_at: now, reason: write.reason })
      .execute();
    return String(version);
  });
}
