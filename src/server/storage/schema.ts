/**
 * Table shapes of the server's catalog store, as Kysely sees them. Column types stay portable (text, integer)
 * so the same interface serves SQLite today and PostgreSQL later; whole records travel as JSON documents in a
 * `document` text column next to the few columns that queries filter or sort on.
 */
import type { Insertable, Selectable } from 'kysely';

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

/** Every table of the server database. */
export interface Database {
  brands: BrandTable;
  categories: CategoryTable;
  products: ProductTable;
  showrooms: ShowroomTable;
  assets: AssetTable;
  catalog_versions: CatalogVersionTable;
  catalog_changes: CatalogChangeTable;
}

export type BrandRow = Selectable<BrandTable>;
export type ProductRow = Selectable<ProductTable>;
export type ShowroomRow = Selectable<ShowroomTable>;
export type AssetRow = Selectable<AssetTable>;
export type CatalogChangeRow = Selectable<CatalogChangeTable>;
export type NewAsset = Insertable<AssetTable>;
