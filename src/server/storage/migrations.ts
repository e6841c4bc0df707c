/**
 * Schema migrations of the server database, kept in code so a single build carries them. Each migration uses
 * only Kysely's schema builder with portable types, so it runs unchanged on SQLite and PostgreSQL.
 */
import type { Insertable, Kysely, Migration, MigrationProvider } from 'kysely';
import { Migrator } from 'kysely';
import type { Product } from '../../protocol/catalog';
import type { CatalogEntity, CatalogVariantTable, Database } from './schema';

/** The catalog tables: brands, categories, products, showrooms, content-addressed assets, catalog versions. */
const catalogTables: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('brands')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('categories')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('brand_id', 'text', (c) => c.notNull().references('brands.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('products')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('brand_id', 'text', (c) => c.notNull().references('brands.id').onDelete('cascade'))
      .addColumn('category_id', 'text', (c) => c.notNull().references('categories.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('price_min', 'integer', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('products_brand_idx')
      .on('products')
      .columns(['brand_id', 'position'])
      .execute();
    await db.schema.createIndex('products_category_idx').on('products').column('category_id').execute();
    await db.schema.createIndex('products_price_idx').on('products').column('price_min').execute();

    await db.schema
      .createTable('showrooms')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('brand_id', 'text', (c) => c.notNull().references('brands.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('showrooms_brand_idx')
      .on('showrooms')
      .columns(['brand_id', 'position'])
      .execute();

    await db.schema
      .createTable('assets')
      .addColumn('sha256', 'text', (c) => c.primaryKey())
      .addColumn('ext', 'text', (c) => c.notNull())
      .addColumn('bytes', 'integer', (c) => c.notNull())
      .addColumn('content_type', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('catalog_versions')
      .addColumn('version', 'integer', (c) => c.primaryKey())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    for (const table of ['catalog_versions', 'assets', 'showrooms', 'products', 'categories', 'brands']) {
      await db.schema.dropTable(table).ifExists().execute();
    }
  },
};

/**
 * The catalog change log. A database seeded before it existed gets one `put` per stored record, in the order
 * the catalog lists them, so devices can pull the whole catalog from cursor 0.
 */
const catalogChanges: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('catalog_changes')
      .addColumn('seq', 'integer', (c) => c.primaryKey())
      .addColumn('entity', 'text', (c) => c.notNull())
      .addColumn('entity_id', 'text', (c) => c.notNull())
      .addColumn('op', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('catalog_changes_entity_idx')
      .on('catalog_changes')
      .columns(['entity', 'entity_id'])
      .execute();

    const typed = db as Kysely<Database>;
    const now = new Date().toISOString();
    const existing: { entity: CatalogEntity; ids: { id: string }[] }[] = [
      { entity: 'brand', ids: await typed.selectFrom('brands').select('id').orderBy('id').execute() },
      {
        entity: 'category',
        ids: await typed
          .selectFrom('categories')
          .select('id')
          .orderBy('brand_id')
          .orderBy('position')
          .execute(),
      },
      {
        entity: 'product',
        ids: await typed
          .selectFrom('products')
          .select('id')
          .orderBy('brand_id')
          .orderBy('position')
          .execute(),
      },
      {
        entity: 'showroom',
        ids: await typed
          .selectFrom('showrooms')
          .select('id')
          .orderBy('brand_id')
          .orderBy('position')
          .execute(),
      },
    ];
    let seq = 0;
    for (const { entity, ids } of existing) {
      for (const { id } of ids) {
        seq += 1;
        await typed
          .insertInto('catalog_changes')
          .values({ seq, entity, entity_id: id, op: 'put', created_at: now })
          .execute();
      }
    }
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('catalog_changes').ifExists().execute();
  },
};

/** Carts, their lines, per-client op sequences and applied ops; stock reservations, orders and returns. */
const commerceTables: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('carts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('token_hash', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('cart_lines')
      .addColumn('cart_id', 'text', (c) => c.notNull().references('carts.id').onDelete('cascade'))
      .addColumn('sku', 'text', (c) => c.notNull())
      .addColumn('product_id', 'text', (c) => c.notNull())
      .addColumn('requested_qty', 'integer', (c) => c.notNull())
      .addColumn('price_seen_amount', 'integer', (c) => c.notNull())
      .addColumn('price_seen_currency', 'text', (c) => c.notNull())
      .addColumn('added_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('cart_lines_pk', ['cart_id', 'sku'])
      .execute();

    await db.schema
      .createTable('cart_clients')
      .addColumn('cart_id', 'text', (c) => c.notNull().references('carts.id').onDelete('cascade'))
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('last_seq', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('cart_clients_pk', ['cart_id', 'client_id'])
      .execute();

    await db.schema
      .createTable('cart_ops')
      .addColumn('cart_id', 'text', (c) => c.notNull().references('carts.id').onDelete('cascade'))
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('op_id', 'text', (c) => c.notNull())
      .addColumn('sku', 'text', (c) => c.notNull())
      .addColumn('qty', 'integer', (c) => c.notNull())
      .addColumn('applied_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('cart_ops_pk', ['cart_id', 'client_id', 'seq'])
      .execute();

    await db.schema
      .createTable('stock_reservations')
      .addColumn('sku', 'text', (c) => c.primaryKey())
      .addColumn('reserved', 'integer', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('orders')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('cart_id', 'text', (c) => c.notNull())
      .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('document', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('orders_cart_idx').on('orders').columns(['cart_id', 'created_at']).execute();

    await db.schema
      .createTable('return_requests')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id').onDelete('cascade'))
      .addColumn('sku', 'text', (c) => c.notNull())
      .addColumn('qty', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('document', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('return_requests_order_idx')
      .on('return_requests')
      .column('order_id')
      .execute();
  },
  async down(db: Kysely<unknown>) {
    for (const table of [
      'return_requests',
      'orders',
      'stock_reservations',
      'cart_ops',
      'cart_clients',
      'cart_lines',
      'carts',
    ]) {
      await db.schema.dropTable(table).ifExists().execute();
    }
  },
};

/** Rows the backfill of `0004-catalog-variants` inserts per statement (8 values each). */
const BACKFILL_CHUNK = 200;

/**
 * The variants index `catalog_variants`: one row per sku with what carts and orders read (product, brand,
 * names, price, stock), so they never parse product documents. Backfilled from the stored product documents
 * in catalog order; a sku two documents name (only a direct `putProduct` can do that) keeps the later one,
 * as `putProduct` does. Self-contained on purpose: it must keep working as the code around it changes.
 */
const catalogVariants: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('catalog_variants')
      .addColumn('sku', 'text', (c) => c.primaryKey())
      .addColumn('product_id', 'text', (c) => c.notNull().references('products.id').onDelete('cascade'))
      .addColumn('brand_id', 'text', (c) => c.notNull())
      .addColumn('product_name', 'text', (c) => c.notNull())
      .addColumn('variant_name', 'text', (c) => c.notNull())
      .addColumn('price_amount', 'integer', (c) => c.notNull())
      .addColumn('price_currency', 'text', (c) => c.notNull())
      .addColumn('stock', 'integer', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('catalog_variants_product_idx')
      .on('catalog_variants')
      .column('product_id')
      .execute();

    const typed = db as Kysely<Database>;
    const products = await typed
      .selectFrom('products')
      .select(['document', 'brand_id', 'position'])
      .execute();
    // Catalog order by code unit on both backends (PostgreSQL's ORDER BY on text follows its locale).
    products.sort(
      (a, b) => (a.brand_id < b.brand_id ? -1 : a.brand_id > b.brand_id ? 1 : 0) || a.position - b.position,
    );
    const rows = new Map<string, Insertable<CatalogVariantTable>>();
    for (const { document } of products) {
      const product = JSON.parse(document) as Product;
      for (const variant of product.variants) {
        rows.delete(variant.sku);
        rows.set(variant.sku, {
          sku: variant.sku,
          product_id: product.id,
          brand_id: product.brandId,
          product_name: product.name,
          variant_name: variant.name,
          price_amount: variant.price.amount,
          price_currency: variant.price.currency,
          stock: variant.stock,
        });
      }
    }
    const all = [...rows.values()];
    for (let i = 0; i < all.length; i += BACKFILL_CHUNK) {
      await typed
        .insertInto('catalog_variants')
        .values(all.slice(i, i + BACKFILL_CHUNK))
        .execute();
    }
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('catalog_variants').ifExists().execute();
  },
};

/**
 * What idempotency and cart clearing need: `orders.request_hash`, `return_requests.idempotency_key` (unique;
 * several `NULL`s allowed on both backends) and `.request_hash`, `carts.cleared_at_version`. Nullable columns
 * added one statement each (SQLite's `ALTER TABLE` adds one column at a time); existing rows keep `NULL`.
 */
const idempotencyAndClears: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('orders').addColumn('request_hash', 'text').execute();
    await db.schema.alterTable('return_requests').addColumn('idempotency_key', 'text').execute();
    await db.schema.alterTable('return_requests').addColumn('request_hash', 'text').execute();
    await db.schema
      .createIndex('return_requests_key_idx')
      .on('return_requests')
      .column('idempotency_key')
      .unique()
      .execute();
    await db.schema.alterTable('carts').addColumn('cleared_at_version', 'integer').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('carts').dropColumn('cleared_at_version').execute();
    await db.schema.dropIndex('return_requests_key_idx').execute();
    await db.schema.alterTable('return_requests').dropColumn('request_hash').execute();
    await db.schema.alterTable('return_requests').dropColumn('idempotency_key').execute();
    await db.schema.alterTable('orders').dropColumn('request_hash').execute();
  },
};

/**
 * Brand publishing: `brand_tokens` (the SHA-256 of each brand API token, never the token) and
 * `brand_releases` (each publish, rollback or seed of a brand with the brand's whole published state as JSON,
 * what a rollback restores; an `idempotency_key` makes a retried publish answer its first result).
 */
const brandPublishing: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('brand_tokens')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('brand_id', 'text', (c) => c.notNull())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema.createIndex('brand_tokens_brand_idx').on('brand_tokens').column('brand_id').execute();

    await db.schema
      .createTable('brand_releases')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('brand_id', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('restored_from', 'integer')
      .addColumn('snapshot', 'text', (c) => c.notNull())
      .addColumn('response', 'text', (c) => c.notNull())
      .addColumn('idempotency_key', 'text', (c) => c.unique())
      .addColumn('request_hash', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('brand_releases_brand_idx')
      .on('brand_releases')
      .columns(['brand_id', 'id'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('brand_releases').ifExists().execute();
    await db.schema.dropTable('brand_tokens').ifExists().execute();
  },
};

/**
 * `publish_keys`: the Idempotency-Key and answer of each publish that changed nothing (it makes no release, so
 * `brand_releases` cannot hold its key), so a retry answers the same and the key cannot be reused for another
 * request. `catalog_write_lock`: one row, there from the start, that every catalog write updates first
 * (`serializeCatalogWrites`): locking a catalog version row left two first writes on an empty PostgreSQL
 * catalog nothing to wait on. Portable: no dialect-specific types or SQL.
 */
const publishKeys: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('catalog_write_lock')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .execute();
    await db
      .insertInto('catalog_write_lock' as never)
      .values({ id: 1 } as never)
      .execute();
    await db.schema
      .createTable('publish_keys')
      .addColumn('idempotency_key', 'text', (c) => c.primaryKey())
      .addColumn('brand_id', 'text', (c) => c.notNull())
      .addColumn('request_hash', 'text', (c) => c.notNull())
      .addColumn('response', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('publish_keys').ifExists().execute();
    await db.schema.dropTable('catalog_write_lock').ifExists().execute();
  },
};

/** All migrations by name; names sort in the order they must run. */
export const migrations: Record<string, Migration> = {
  '0001-catalog-tables': catalogTables,
  '0002-catalog-changes': catalogChanges,
  '0003-commerce': commerceTables,
  '0004-catalog-variants': catalogVariants,
  '0005-idempotency-and-clears': idempotencyAndClears,
  '0006-brand-publishing': brandPublishing,
  '0007-publish-keys-and-write-lock': publishKeys,
};

const provider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};

/**
 * Brings the database to the latest schema. Throws with the failing migration's name when one fails.
 */
export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<void> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown migration';
    throw new Error(`Database migration ${failed} failed: ${String(error)}`, { cause: error });
  }
}
