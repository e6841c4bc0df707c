/**
 * The query layer of the catalog: every read and write of catalog tables goes through these functions.
 * Queries use Kysely's builder only (no dialect-specific SQL), so SQLite and PostgreSQL share them.
 */
import type { Kysely, Transaction } from 'kysely';
import type {
  Brand,
  CatalogChange,
  CatalogChanges,
  CatalogSnapshot,
  Category,
  Product,
  Showroom,
} from '../../protocol/catalog';
import type {
  AssetRow,
  CatalogEntity,
  CatalogVariantTable,
  Database,
  NewAsset,
  ProductTable,
  ShowroomTable,
} from './schema';

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

/** The current catalog cursor: the `seq` of the latest change as a string, `"0"` before any write. */
export async function readCursor(db: Executor): Promise<string> {
  const row = await db
    .selectFrom('catalog_changes')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirst();
  const seq = row?.seq;
  return seq === null || seq === undefined ? EMPTY_CURSOR : String(seq);
}

/** One record written or deleted, as the change log stores it. */
export interface ChangeEntry {
  entity: CatalogEntity;
  id: string;
  op: 'put' | 'delete';
}

/**
 * Appends changes to the log with the next sequence numbers, in order. Call it inside the transaction of the
 * write itself, which starts with `serializeCatalogWrites`, so that the log and the tables never disagree and
 * no two writes take the same number. Returns the new cursor.
 */
export async function appendChanges(trx: Transaction<Database>, changes: ChangeEntry[]): Promise<string> {
  const now = new Date().toISOString();
  let seq = Number(await readCursor(trx));
  for (const change of changes) {
    seq += 1;
    await trx
      .insertInto('catalog_changes')
      .values({ seq, entity: change.entity, entity_id: change.id, op: change.op, created_at: now })
      .execute();
  }
  return String(seq);
}

/**
 * Makes catalog writes run one at a time: the first statement of every write transaction. Each write numbers
 * its changes from the current cursor, so two at once would take the same `seq`. Updating the one row of
 * `catalog_write_lock` (made by its migration, so there even before the first catalog write) takes its row
 * lock on PostgreSQL, where a second writer waits here until the first commits and then sees its changes; on
 * SQLite it makes the transaction a writer at once (writers are serialized there anyway). Portable SQL.
 */
export async function serializeCatalogWrites(trx: Transaction<Database>): Promise<void> {
  await trx
    .updateTable('catalog_write_lock')
    .set((eb) => ({ id: eb.ref('id') }))
    .where('id', '=', 1)
    .execute();
}

/** True until the first catalog write (seed or publish). */
export async function isCatalogEmpty(db: Executor): Promise<boolean> {
  const row = await db.selectFrom('catalog_versions').select('version').limit(1).executeTakeFirst();
  return row === undefined;
}

const parse = <T>(document: string): T => JSON.parse(document) as T;

/**
 * Text order of ids as SQLite compares them (by code unit), whatever the collation of a PostgreSQL database:
 * `ORDER BY` on text follows the database's locale there, which may ignore dashes or case.
 */
const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Rows in their brand's list order: by brand id (code units), then position. */
function inBrandOrder<T extends { brand_id: string; position: number }>(rows: T[]): T[] {
  return rows.sort((a, b) => byCodeUnit(a.brand_id, b.brand_id) || a.position - b.position);
}

/**
 * The whole catalog as one consistent snapshot: read in a single transaction, repeatable-read on PostgreSQL
 * (where read-committed would let each statement see a different catalog); SQLite's transaction already
 * reads one snapshot.
 */
export async function readCatalogSnapshot(db: Kysely<Database>): Promise<CatalogSnapshot> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const cursor = await readCursor(trx);
      const brands = await trx.selectFrom('brands').select(['id', 'document']).execute();
      const categories = await trx
        .selectFrom('categories')
        .select(['id', 'name', 'brand_id', 'position'])
        .execute();
      const products = await trx
        .selectFrom('products')
        .select(['document', 'brand_id', 'position'])
        .execute();
      const showrooms = await trx
        .selectFrom('showrooms')
        .select(['document', 'brand_id', 'position'])
        .execute();
      return {
        cursor,
        brands: brands.sort((a, b) => byCodeUnit(a.id, b.id)).map((r) => parse<Brand>(r.document)),
        categories: inBrandOrder(categories).map((r) => ({ id: r.id, name: r.name })),
        products: inBrandOrder(products).map((r) => parse<Product>(r.document)),
        showrooms: inBrandOrder(showrooms).map((r) => parse<Showroom>(r.document)),
      };
    });
}

/** The products table row of a product at `position` in its brand's list. */
export function productRow(product: Product, position: number): ProductTable {
  const prices = product.variants.map((v) => v.price.amount);
  return {
    id: product.id,
    brand_id: product.brandId,
    category_id: product.category,
    name: product.name,
    price_min: Math.min(...prices),
    currency: product.variants[0]?.price.currency ?? 'EUR',
    position,
    document: JSON.stringify(product),
    updated_at: product.updatedAt,
  };
}

/** The `catalog_variants` rows of a product: one per variant. */
function variantRows(product: Product): CatalogVariantTable[] {
  return product.variants.map((variant) => ({
    sku: variant.sku,
    product_id: product.id,
    brand_id: product.brandId,
    product_name: product.name,
    variant_name: variant.name,
    price_amount: variant.price.amount,
    price_currency: variant.price.currency,
    stock: variant.stock,
  }));
}

/** Variant rows per insert statement (8 values each, well under every dialect's parameter limit). */
const VARIANT_CHUNK = 200;

/**
 * Makes `catalog_variants` hold exactly the variants of `products` (already stored in `products`): drops the
 * rows of variants they no longer have and writes one row per variant. A sku that another product's row held
 * moves to the product written now (the catalog keys cart lines by sku, so the latest write names it). Call it
 * inside the transaction of the product write itself.
 */
export async function writeVariants(trx: Transaction<Database>, products: readonly Product[]): Promise<void> {
  const ids = products.map((p) => p.id);
  for (let i = 0; i < ids.length; i += VARIANT_CHUNK) {
    await trx
      .deleteFrom('catalog_variants')
      .where('product_id', 'in', ids.slice(i, i + VARIANT_CHUNK))
      .execute();
  }
  // One row per sku (the last product naming it wins): PostgreSQL refuses to upsert one key twice in a statement.
  const rows = [...new Map(products.flatMap(variantRows).map((r) => [r.sku, r])).values()];
  for (let i = 0; i < rows.length; i += VARIANT_CHUNK) {
    await trx
      .insertInto('catalog_variants')
      .values(rows.slice(i, i + VARIANT_CHUNK))
      .onConflict((oc) =>
        oc.column('sku').doUpdateSet((eb) => ({
          product_id: eb.ref('excluded.product_id'),
          brand_id: eb.ref('excluded.brand_id'),
          product_name: eb.ref('excluded.product_name'),
          variant_name: eb.ref('excluded.variant_name'),
          price_amount: eb.ref('excluded.price_amount'),
          price_currency: eb.ref('excluded.price_currency'),
          stock: eb.ref('excluded.stock'),
        })),
      )
      .execute();
  }
}

/** The showrooms table row of a showroom at `position` in its brand's list. */
export function showroomRow(showroom: Showroom, position: number, now: string): ShowroomTable {
  return {
    id: showroom.id,
    brand_id: showroom.brandId,
    name: showroom.name,
    position,
    document: JSON.stringify(showroom),
    updated_at: now,
  };
}

/** The position a record keeps (its own when it exists) or takes (after its brand's last one). */
async function positionFor(
  trx: Transaction<Database>,
  table: 'products' | 'showrooms',
  id: string,
  brandId: string,
): Promise<number> {
  const own = await trx.selectFrom(table).select('position').where('id', '=', id).executeTakeFirst();
  if (own !== undefined) return own.position;
  const last = await trx
    .selectFrom(table)
    .select((eb) => eb.fn.max('position').as('position'))
    .where('brand_id', '=', brandId)
    .executeTakeFirst();
  return last?.position === null || last?.position === undefined ? 0 : Number(last.position) + 1;
}

/**
 * Creates or replaces one product (already validated against the protocol schema; its brand and category
 * must exist), its `catalog_variants` rows, and logs the change, all in one transaction. Returns the new cursor.
 */
export async function putProduct(db: Kysely<Database>, product: Product): Promise<string> {
  return db.transaction().execute(async (trx) => {
    await serializeCatalogWrites(trx);
    const row = productRow(product, await positionFor(trx, 'products', product.id, product.brandId));
    await trx
      .insertInto('products')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet({ ...row }))
      .execute();
    await writeVariants(trx, [product]);
    return appendChanges(trx, [{ entity: 'product', id: product.id, op: 'put' }]);
  });
}

/**
 * Deletes one product with its `catalog_variants` rows and logs the deletion. Returns the new cursor, or
 * undefined when there was no such product.
 */
export async function deleteProduct(db: Kysely<Database>, id: string): Promise<string | undefined> {
  return db.transaction().execute(async (trx) => {
    await serializeCatalogWrites(trx);
    await trx.deleteFrom('catalog_variants').where('product_id', '=', id).execute();
    const deleted = await trx.deleteFrom('products').where('id', '=', id).executeTakeFirst();
    if (Number(deleted.numDeletedRows) === 0) return undefined;
    return appendChanges(trx, [{ entity: 'product', id, op: 'delete' }]);
  });
}

/** Creates or replaces one showroom (its brand must exist) and logs the change. Returns the new cursor. */
export async function putShowroom(db: Kysely<Database>, showroom: Showroom): Promise<string> {
  return db.transaction().execute(async (trx) => {
    await serializeCatalogWrites(trx);
    const position = await positionFor(trx, 'showrooms', showroom.id, showroom.brandId);
    const row = showroomRow(showroom, position, new Date().toISOString());
    await trx
      .insertInto('showrooms')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet({ ...row }))
      .execute();
    return appendChanges(trx, [{ entity: 'showroom', id: showroom.id, op: 'put' }]);
  });
}

/** Deletes one showroom and logs the deletion. Returns the new cursor, or undefined when there was none. */
export async function deleteShowroom(db: Kysely<Database>, id: string): Promise<string | undefined> {
  return db.transaction().execute(async (trx) => {
    await serializeCatalogWrites(trx);
    const deleted = await trx.deleteFrom('showrooms').where('id', '=', id).executeTakeFirst();
    if (Number(deleted.numDeletedRows) === 0) return undefined;
    return appendChanges(trx, [{ entity: 'showroom', id, op: 'delete' }]);
  });
}

/** A page of the change log, or the current cursor when the asked one is newer than it. */
export type ChangePage = { ahead: false; page: CatalogChanges } | { ahead: true; cursor: string };

/** Current records of `ids`, by id (deleted ones are missing). */
async function readRecords(
  trx: Transaction<Database>,
  entity: CatalogEntity,
  ids: string[],
): Promise<Map<string, CatalogChange & { op: 'put' }>> {
  const found = new Map<string, CatalogChange & { op: 'put' }>();
  if (ids.length === 0) return found;
  if (entity === 'category') {
    const rows = await trx.selectFrom('categories').select(['id', 'name']).where('id', 'in', ids).execute();
    for (const r of rows) {
      found.set(r.id, { entity, id: r.id, op: 'put', record: { id: r.id, name: r.name } });
    }
    return found;
  }
  const table = entity === 'brand' ? 'brands' : entity === 'product' ? 'products' : 'showrooms';
  const rows = await trx.selectFrom(table).select(['id', 'document']).where('id', 'in', ids).execute();
  for (const r of rows) {
    const record: unknown = JSON.parse(r.document);
    found.set(r.id, { entity, id: r.id, op: 'put', record } as CatalogChange & { op: 'put' });
  }
  return found;
}

/**
 * The changes after cursor `since`, at most `limit` log entries, read in one transaction. Within the page each
 * record appears once, with its latest op, in the order of that op; a put carries the record as it is now.
 * A record put in this page but deleted by a later change is sent as a delete (the later page repeats it).
 * `cursor` is the `seq` of the page's last entry (`since` itself for an empty page).
 */
export async function readChangePage(
  db: Kysely<Database>,
  since: number,
  limit: number,
): Promise<ChangePage> {
  // Repeatable read on PostgreSQL: the log page and the records it sends come from one catalog.
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const current = await readCursor(trx);
      if (since > Number(current)) return { ahead: true, cursor: current };
      const rows = await trx
        .selectFrom('catalog_changes')
        .select(['seq', 'entity', 'entity_id', 'op'])
        .where('seq', '>', since)
        .orderBy('seq')
        .limit(limit + 1)
        .execute();
      const hasMore = rows.length > limit;
      const page = hasMore ? rows.slice(0, limit) : rows;
      // Latest entry per record; re-inserting moves a record to the position of its latest change.
      const latest = new Map<string, ChangeEntry>();
      for (const row of page) {
        const key = `${row.entity}:${row.entity_id}`;
        latest.delete(key);
        latest.set(key, { entity: row.entity, id: row.entity_id, op: row.op });
      }
      const records = new Map<CatalogEntity, Map<string, CatalogChange & { op: 'put' }>>();
      for (const entity of ['brand', 'category', 'product', 'showroom'] as const) {
        const ids = [...latest.values()]
          .filter((c) => c.entity === entity && c.op === 'put')
          .map((c) => c.id);
        records.set(entity, await readRecords(trx, entity, ids));
      }
      const changes: CatalogChange[] = [...latest.values()].map(
        (c) => records.get(c.entity)?.get(c.id) ?? { entity: c.entity, id: c.id, op: 'delete' },
      );
      const last = page.at(-1);
      return {
        ahead: false,
        page: { cursor: last === undefined ? String(since) : String(last.seq), hasMore, changes },
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
 * Stores brands, categories, products (with their `catalog_variants` rows), showrooms and assets, logs one
 * change per record and records a new catalog version, all in one transaction: either the whole write lands or none of it. Returns the new cursor.
 */
export async function writeCatalog(db: Kysely<Database>, write: CatalogWrite): Promise<string> {
  const now = new Date().toISOString();
  return db.transaction().execute(async (trx) => {
    await serializeCatalogWrites(trx);
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
      await trx.insertInto('products').values(productRow(product, position)).execute();
    }
    await writeVariants(trx, write.products);
    for (const [position, showroom] of write.showrooms.entries()) {
      await trx
        .insertInto('showrooms')
        .values(showroomRow(showroom, position, now))
        .execute();
    }
    for (const asset of write.assets) {
      await trx
        .insertInto('assets')
        .values(asset)
        .onConflict((oc) => oc.column('sha256').doNothing())
        .execute();
    }
    const cursor = await appendChanges(trx, [
      ...write.brands.map((b): ChangeEntry => ({ entity: 'brand', id: b.id, op: 'put' })),
      ...write.categories.map((c): ChangeEntry => ({ entity: 'category', id: c.category.id, op: 'put' })),
      ...write.products.map((p): ChangeEntry => ({ entity: 'product', id: p.id, op: 'put' })),
      ...write.showrooms.map((r): ChangeEntry => ({ entity: 'showroom', id: r.id, op: 'put' })),
    ]);
    const last = await trx
      .selectFrom('catalog_versions')
      .select((eb) => eb.fn.max('version').as('version'))
      .executeTakeFirst();
    const version = last?.version === null || last?.version === undefined ? 1 : Number(last.version) + 1;
    await trx
      .insertInto('catalog_versions')
      .values({ version, created_at: now, reason: write.reason })
      .execute();
    return cursor;
  });
}
