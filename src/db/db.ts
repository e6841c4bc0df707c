/**
 * The shopper's local database: the catalog as last pulled from the server, the cart, and the index of the
 * models and posters kept in Cache Storage. The UI reads only from here (through useLiveQuery); src/sync fills
 * the catalog tables, cart writes go through db/cart-writes, the asset index through db/asset-index.
 * Every schema version stays listed so that an existing database upgrades in place.
 */
import { Dexie, type EntityTable } from 'dexie';
import type { Brand, Category, Product, Showroom } from '../protocol/catalog';
import type { CartOp, CartWarning, Order } from '../protocol/cart';
import { closeOnVersionChange } from './version-change';

/**
 * One cart line: a variant and how many of it, as the shopper sees it now (the server's cart with the ops
 * still in the outbox applied on top). Prices are read from the catalog when shown.
 */
export interface CartLine {
  /** Variant sku, unique in the cart. */
  sku: string;
  productId: string;
  /** Units in the cart; 0 when the server found the variant out of stock (the line stays, flagged). */
  qty: number;
  /** When the line was first added (ms since epoch): keeps the cart in the order the shopper filled it. */
  addedAt: number;
  /** Units the shopper asked for, when the server could hold only `qty` of them. */
  requestedQty?: number;
}

/**
 * A cart change not yet acknowledged by the server, written in the same transaction as the cart line it
 * changes. `seq` numbers this device's ops in the current cart from 1; an op leaves the outbox only when the
 * server has acknowledged its `seq`.
 */
export interface OutboxOp extends CartOp {
  /** The client id the op is numbered under (see CartSyncState). */
  clientId: string;
  /** The server cart it is for; `null` until the device has a cart on the server. */
  cartId: string | null;
  /** When the shopper made the change (ms since epoch). */
  createdAt: number;
  /**
   * Version of the server cart the device had received when the shopper made the change (`cartSync.serverVersion`):
   * the server skips an op made before an order emptied the cart (warning `STALE_CHANGE`). Absent on ops queued
   * before version 5.
   */
  baseVersion?: number;
}

/**
 * The secret of a server cart this device has held (key `cartId`): the current one and every one it held
 * before joining another, so that orders placed from an old cart stay refreshable and returnable.
 */
export interface CartCredentialsRow {
  cartId: string;
  token: string;
  /** When the device first held the cart (ms since epoch). */
  since: number;
}

/**
 * The idempotency key of a return request not yet confirmed (key `orderId`): a retry of the same request reuses
 * it, so a lost answer never files the request twice; any answer from the server removes it.
 */
export interface ReturnAttempt {
  orderId: string;
  key: string;
  /** The request the key was made for (JSON), to tell a retry from a new request. */
  request: string;
}

/**
 * This device's link to its server cart (one row, key `cart`). `clientId` is new for every cart the device
 * joins, so ops are numbered from 1 in each; `nextSeq` is the number the next op gets.
 */
export interface CartSyncState {
  key: 'cart';
  cartId: string | null;
  token: string | null;
  clientId: string;
  nextSeq: number;
  /** Version of the server cart last received (0 before any). */
  serverVersion: number;
  /** Warnings of the server cart last received. */
  warnings: CartWarning[];
  /** Last time the device and the server agreed on the cart (ms since epoch). */
  syncedAt?: number;
  /** Why the last push failed for good (a 4xx the shopper must know about), until the next success. */
  error?: { code: string; message: string; sku?: string };
  /** Idempotency key of the order being placed, kept until the server confirms it (a retry reuses it). */
  checkoutKey?: string;
  /** The cart version sent with `checkoutKey`: a retry sends the very same request. */
  checkoutVersion?: number;
}

/**
 * Small key/value facts about this device's copy of the catalog: `catalogCursor` is the server change-log
 * position the catalog tables are complete up to; `catalogPulledAt` is when a pull last reached the end;
 * `persistAsked` is when the app asked the browser for persistent storage (it asks once); `storageNotice` is
 * what a full disk cost, as JSON (db/storage-notice.ts), until the shopper dismisses it.
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
  key: 'catalogCursor' | 'catalogPulledAt' | 'persistAsked' | 'storageNotice';
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
  outbox!: EntityTable<OutboxOp, 'seq'>;
  cartSync!: EntityTable<CartSyncState, 'key'>;
  orders!: EntityTable<Order, 'id'>;
  carts!: EntityTable<CartCredentialsRow, 'cartId'>;
  returnAttempts!: EntityTable<ReturnAttempt, 'orderId'>;

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
    // Version 4 syncs the cart: the outbox of unsent ops, the link to the server cart, and placed orders.
    // Lines already in the cart become ops in the outbox so they reach the server on the next push.
    this.version(4)
      .stores({ outbox: 'seq, sku, cartId', cartSync: 'key', orders: 'id, createdAt' })
      .upgrade(async (tx) => {
        const lines = await tx.table<CartLine, string>('cartLines').orderBy('addedAt').toArray();
        const products = tx.table<Product, string>('products');
        const clientId = newClientId();
        let seq = 0;
        const ops: OutboxOp[] = [];
        for (const line of lines) {
          const product = await products.get(line.productId);
          const price = product?.variants.find((v) => v.sku === line.sku)?.price;
          if (!price) continue;
          seq += 1;
          ops.push({
            opId: crypto.randomUUID(),
            clientId,
            seq,
            cartId: null,
            sku: line.sku,
            qty: line.qty,
            observedPrice: price,
            createdAt: Date.now(),
          });
        }
        await tx.table<OutboxOp, number>('outbox').bulkAdd(ops);
        await tx.table<CartSyncState, string>('cartSync').add(freshCartSync(clientId, seq + 1));
      });
    // Version 5 keeps the secret of every cart the device has held (orders of an old cart stay reachable after
    // joining another) and the idempotency keys of return requests not yet confirmed. The current cart's
    // secret is copied over.
    this.version(5)
      .stores({ carts: 'cartId', returnAttempts: 'orderId' })
      .upgrade(async (tx) => {
        const state = await tx.table<CartSyncState, string>('cartSync').get('cart');
        if (state?.cartId && state.token) {
          await tx
            .table<CartCredentialsRow, string>('carts')
            .put({ cartId: state.cartId, token: state.token, since: Date.now() });
        }
      });
  }
}

/** A new random client id: 128 bits, base64url (22 characters). */
export function newClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** The sync state of a device that has no server cart yet. */
export function freshCartSync(clientId = newClientId(), nextSeq = 1): CartSyncState {
  return {
    key: 'cart',
    cartId: null,
    token: null,
    clientId,
    nextSeq,
    serverVersion: 0,
    warnings: [],
  };
}

/** The one database instance of the app. */
export const db = new VitrineDB();
closeOnVersionChange(db);
