/**
 * The shopper's local database: the catalog as last pulled from the server, the cart, and the index of the
 * models and posters kept in Cache Storage. The UI reads only from here (through useLiveQuery); src/sync fills
 * the catalog tables, cart writes go through db/cart-writes, the asset index through db/asset-index.
 * Every schema version stays listed so that an existing database upgrades in place.
 */
import { Dexie, type EntityTable } from 'dexie';
import type { Brand, Category, Product, Showroom } from '../protocol/catalog';
import { closeOnVersionChange } from './version-change';

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
 * position the catalog tables are complete up to; `catalogPulledAt` is when a pull last reached the end;
 * `persistAsked` is when the app asked the browser for persistent storage (it asks once).
 */

/** A pin: what holds a saved file, `showroom:<id>` or `product:<id>`. */
export type AssetPin = `showroom:${string}` | `product:${string}`;

/**
 * One model or poster file the app has cached or wants kept (`/assets/<sha256>.<ext>`). The service worker
 * records the files it caches and when they were last used; "Save for offline" pins files. A file in no pin is
 * evicted least recently used first when its cache is over budget.
 */
export interface AssetEntry {
  /** Path of the file, `/assets/<sha256>.<ext>`. */
  url: string;
  /** Size in bytes. */
  bytes: number;
  /** 1 while the file is in its Cache Storage cache, 0 otherwise (a number, so it can be indexed). */
  cached: 0 | 1;
  /** What holds the file; empty when nothing does (multi-entry index). */
  pinnedBy: AssetPin[];
  /** Last time the file was stored or served (ms since epoch). */
  lastUsed: number;
}
export interface MetaEntry {
  key: 'catalogCursor' | 'catalogPulledAt' | 'persistAsked';
  value: string;
}

export class VitrineDB extends Dexie {
  brands!: EntityTable<Brand, 'id'>;
  categories!: EntityTable<Category, 'id'>;
  products!: EntityTable<Product, 'id'>;
  showrooms!: EntityTable<Showroom, 'id'>;
  cartLines!: EntityTable<CartLine, 'sku'>;
  meta!: EntityTable<MetaEntry, 'key'>;
  assets!: EntityTable<AssetEntry, 'url'>;

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
    // Version 3 adds the asset index; nothing else changes. Files already cached by an older worker are not
    // in it: they are recorded again when next stored, and the old entry-count limit no longer applies.
    this.version(3).stores({ assets: 'url, cached, *pinnedBy, lastUsed' });
  }
}

/** The one database instance of the app. */
export const db = new VitrineDB();
closeOnVersionChange(db);
