/**
 * The shopper's local database: the catalog as last pulled from the server and the cart. The UI reads only
 * from here (through useLiveQuery); src/sync fills the catalog tables, cart writes go through db/cart-writes.
 * Every schema version stays listed so that an existing database upgrades in place.
 */
import { Dexie, type EntityTable } from 'dexie';
import type { Brand, Category, Product, Showroom } from '../protocol/catalog';

/** One cart line: a variant and how many of it. Prices are read from the catalog when shown. */
export interface CartLine {
  /** Variant sku, unique in the cart. */
  sku: string;
  productId: string;
  qty: number;
  /** When the line was first added (ms since epoch): keeps the cart in the order the shopper filled it. */
  addedAt: number;
}

/**
 * Small key/value facts about this device's copy of the catalog: `catalogCursor` is the server change-log
 * position the catalog tables are complete up to; `catalogPulledAt` is when a pull last reached the end.
 */
export interface MetaEntry {
  key: 'catalogCursor' | 'catalogPulledAt';
  value: string;
}

export class VitrineDB extends Dexie {
  brands!: EntityTable<Brand, 'id'>;
  categories!: EntityTable<Category, 'id'>;
  products!: EntityTable<Product, 'id'>;
  showrooms!: EntityTable<Showroom, 'id'>;
  cartLines!: EntityTable<CartLine, 'sku'>;
  meta!: EntityTable<MetaEntry, 'key'>;

  constructor(name = 'vitrine') {
    super(name);
    this.version(1).stores({
      brands: 'id',
      categories: 'id',
      products: 'id, brandId, category',
      showrooms: 'id, brandId',
      cartLines: 'sku, productId, addedAt',
      meta: 'key',
    });
    // Version 1 stored the cursor of a whole-catalog snapshot, which is not a position in the change log that
    // pulls read since version 2: drop it so the next pull rebuilds the catalog from cursor 0. Tables and
    // indexes are unchanged; the cart stays as it is.
    this.version(2)
      .stores({})
      .upgrade(async (tx) => {
        await tx.table<MetaEntry, string>('meta').delete('catalogCursor');
      });
  }
}

/** The one database instance of the app. */
export const db = new VitrineDB();
