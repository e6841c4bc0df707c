/**
 * Table shapes of the server's catalog store, as Kysely sees them. Column types stay portable (text, integer)
 * so the same interface serves SQLite today and PostgreSQL later; whole records travel as JSON documents in a
 * `document` text column next to the few columns that queries filter or sort on.
 */
import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';

/** A brand: its indexed name plus the protocol `Brand` record as JSON. */
export interface BrandTable {
  id: string;
  name: string;
  /** JSON of the protocol `Brand`. */
  document: string;
  /** ISO date-time of the last change. */
  updated_at: string;
}

/** A category, catalog-wide by id; `position` keeps the brand's own order. */
export interface CategoryTable {
  id: string;
  brand_id: string;
  name: string;
  position: number;
}

/** A published product: filter and sort columns plus the protocol `Product` record as JSON. */
export interface ProductTable {
  id: string;
  brand_id: string;
  category_id: string;
  name: string;
  /** Lowest variant price in minor units, for price filters and sorting without parsing documents. */
  price_min: number;
  currency: string;
  /** Order of the product in its brand folder. */
  position: number;
  /** JSON of the protocol `Product`. */
  document: string;
  updated_at: string;
}

/**
 * One row per catalog variant, keyed by sku: what carts and orders need of it (its product, brand, names,
 * price and stock) without parsing product documents. Written in the same transaction as every write of its
 * product (`putProduct`, `deleteProduct`, `writeCatalog`), so it always agrees with `products.document`.
 */
export interface CatalogVariantTable {
  sku: string;
  product_id: string;
  brand_id: string;
  /** The product's shopper-facing name. */
  product_name: string;
  /** The variant's shopper-facing name. */
  variant_name: string;
  /** Unit price in minor units. */
  price_amount: number;
  price_currency: string;
  /** Units the catalog holds (before reservations by placed orders). */
  stock: number;
}

/** A showroom layout: the protocol `Showroom` record as JSON. */
export interface ShowroomTable {
  id: string;
  brand_id: string;
  name: string;
  position: number;
  /** JSON of the protocol `Showroom`. */
  document: string;
  updated_at: string;
}

/** A content-addressed file stored as `<dataDir>/assets/<sha256>.<ext>`. */
export interface AssetTable {
  sha256: string;
  ext: string;
  bytes: number;
  content_type: string;
  created_at: string;
}

/** One row per catalog write (seed, later publish): why the catalog changed. The change log holds what changed. */
export interface CatalogVersionTable {
  version: number;
  created_at: string;
  /** What made this version ("seed", later "publish <brand>"). */
  reason: string;
}

/** Kinds of catalog record the change log tracks. */
export type CatalogEntity = 'brand' | 'category' | 'product' | 'showroom';

/**
 * The catalog change log: one row per write of one record, appended in the same transaction as the write.
 * `seq` grows by one per change; the highest `seq` is the catalog cursor devices pull changes since.
 */
export interface CatalogChangeTable {
  seq: number;
  entity: CatalogEntity;
  entity_id: string;
  op: 'put' | 'delete';
  created_at: string;
}

/** A shopper's cart. `version` grows by one per applied op and when an order empties it. */
export interface CartTable {
  /** 128 random bits, base64url. */
  id: string;
  /** SHA-256 (hex) of the cart's secret token; the token itself is never stored. */
  token_hash: string;
  version: number;
  /**
   * The version an order's placement emptied the cart at (`null` until then): an op a device made before it
   * had seen that version (`baseVersion` below it) must not put an ordered item back.
   */
  cleared_at_version: number | null;
  created_at: string;
  updated_at: string;
}

/**
 * A line of a cart: what the shopper asked for and the unit price they last saw. What the cart holds now
 * (quantity limited by stock, current price) is computed from the catalog when the cart is read.
 */
export interface CartLineTable {
  cart_id: string;
  sku: string;
  product_id: string;
  /** Units asked for by the last op on this line (1..99). */
  requested_qty: number;
  /** Unit price the shopper saw with the last op on this line, minor units. */
  price_seen_amount: number;
  price_seen_currency: string;
  added_at: string;
}

/** How far each client's ops in a cart have been applied: the per-client sequence of the push rule. */
export interface CartClientTable {
  cart_id: string;
  client_id: string;
  /** Highest applied `seq` of this client in this cart. */
  last_seq: number;
}

/** Every applied op, kept so a replayed `seq` can be checked against the `op_id` it was applied with. */
export interface CartOpTable {
  cart_id: string;
  client_id: string;
  seq: number;
  op_id: string;
  sku: string;
  qty: number;
  applied_at: string;
}

/** Units of a variant held by placed orders; what can still be sold is the catalog stock minus this. */
export interface StockReservationTable {
  sku: string;
  reserved: number;
}

/** A placed order: the protocol `Order` (without returns) as JSON next to its lookup columns. */
export interface OrderTable {
  id: string;
  cart_id: string;
  /** The `Idempotency-Key` it was placed with: one order per key. */
  idempotency_key: string;
  /**
   * SHA-256 of the canonical JSON of the cart id and the parsed `PlaceOrderRequest` the key was first used
   * with; `null` for orders placed before it was kept (their key replays without a check).
   */
  request_hash: string | null;
  status: string;
  created_at: string;
  /** JSON of the protocol `Order` without `returns` (those are rows of `return_requests`). */
  document: string;
}

/** A return or exchange request: the protocol `ReturnRequestRecord` as JSON. */
export interface ReturnRequestTable {
  id: string;
  order_id: string;
  /** The `Idempotency-Key` it was filed with (unique); `null` for requests filed before keys were needed. */
  idempotency_key: string | null;
  /** SHA-256 of the canonical JSON of the order id and the parsed `ReturnRequest` filed with the key. */
  request_hash: string | null;
  sku: string;
  qty: number;
  status: string;
  created_at: string;
  document: string;
}

/** A brand API token: only its SHA-256 is kept; the token is shown once when it is made. */
export interface BrandTokenTable {
  /** SHA-256 (hex) of the token (32 random bytes, base64url). */
  token_hash: string;
  /** The one brand the token may publish. */
  brand_id: string;
  /** Who or what holds it ("CI", "Ana's laptop"). */
  label: string;
  created_at: string;
  /** When it stopped working; `null` while it works. */
  revoked_at: string | null;
}

/**
 * One release of a brand: the seed, a publish or a rollback, with the whole published state of the brand
 * (brand, categories, products with their files, showrooms) as JSON, which a rollback republishes.
 */
export interface BrandReleaseTable {
  /** Grows by one per release, across brands. */
  id: number;
  brand_id: string;
  /** The catalog version (`catalog_versions.version`) that made it live. */
  version: number;
  /** `seed`, `publish` or `rollback`. */
  reason: string;
  /** For a rollback: the release whose state it restored. */
  restored_from: number | null;
  /** JSON of the brand's published state (`BrandState`). */
  snapshot: string;
  /** JSON of the answer the request got (`PublishResponse`), replayed for its Idempotency-Key. */
  response: string;
  /** The `Idempotency-Key` of the request that made it (`null` for the seed). */
  idempotency_key: string | null;
  /** SHA-256 of the canonical JSON of the brand and the request the key was first used with. */
  request_hash: string | null;
  created_at: string;
}

/** The Idempotency-Key and answer of a publish that changed nothing (and so made no release). */
export interface PublishKeyTable {
  idempotency_key: string;
  brand_id: string;
  /** SHA-256 of the canonical JSON of the brand and the request the key was first used with. */
  request_hash: string;
  /** JSON of the answer (`PublishResponse`, `changed: false`), replayed for the key. */
  response: string;
  created_at: string;
}

/** One row (id 1) that every catalog write locks first: see `serializeCatalogWrites`. */
export interface CatalogWriteLockTable {
  id: number;
}

/** Every table of the server database. */
export interface Database {
  brands: BrandTable;
  categories: CategoryTable;
  products: ProductTable;
  catalog_variants: CatalogVariantTable;
  showrooms: ShowroomTable;
  assets: AssetTable;
  catalog_versions: CatalogVersionTable;
  catalog_changes: CatalogChangeTable;
  carts: CartTable;
  cart_lines: CartLineTable;
  cart_clients: CartClientTable;
  cart_ops: CartOpTable;
  stock_reservations: StockReservationTable;
  orders: OrderTable;
  return_requests: ReturnRequestTable;
  brand_tokens: BrandTokenTable;
  brand_releases: BrandReleaseTable;
  publish_keys: PublishKeyTable;
  catalog_write_lock: CatalogWriteLockTable;
}

/** A database handle or an open transaction: what queries that may run inside a caller's transaction take. */
export type Executor = Kysely<Database> | Transaction<Database>;

export type BrandRow = Selectable<BrandTable>;
export type ProductRow = Selectable<ProductTable>;
export type CatalogVariantRow = Selectable<CatalogVariantTable>;
export type ShowroomRow = Selectable<ShowroomTable>;
export type AssetRow = Selectable<AssetTable>;
export type CatalogChangeRow = Selectable<CatalogChangeTable>;
export type NewAsset = Insertable<AssetTable>;
