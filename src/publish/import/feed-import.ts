/**
 * What a feed reader (Shopify CSV, Google Merchant Center feed) answers: the products it read, each field
 * only when the feed holds it, with the line each product and variant starts on, and the problems it found.
 * `merge-products.ts` then combines them with the brand's existing products.json.
 */
import type { Category, ProductSource, Variant } from '../../protocol/catalog';
import type { Problem } from '../validate/problem';

/** A variant as the feed gives it. */
export interface ImportedVariant {
  /** 1-based line of the feed where the variant's row or item starts. */
  line: number;
  /** Fields the feed holds; a field the feed lacks or that was refused is absent. */
  fields: Partial<Variant>;
  /**
   * Values made up from the feed for fields it has no column for (the variant's name from its option values,
   * materialVariant as their slug): used only when products.json has no variant with the same SKU.
   */
  fallback: Pick<Variant, 'name' | 'materialVariant'>;
}

/** A product as the feed gives it. */
export interface ImportedProduct {
  /** Product id (Shopify's Handle; for Google, see merchant-feed.ts). */
  id: string;
  /** 1-based line of the feed where the product's first row or item starts. */
  line: number;
  fields: Partial<Omit<ProductSource, 'id' | 'variants'>>;
  variants: ImportedVariant[];
  /** The feed's category values that matched no category of the brand (when `fields.category` is absent). */
  unmatchedCategory?: string[];
}

/** What a feed reader answers. */
export interface FeedImport {
  /** 'Shopify CSV' or 'Google Merchant Center feed', for messages. */
  source: string;
  products: ImportedProduct[];
  problems: Problem[];
  /** The file could not be read as this format at all: nothing should be written. */
  unreadable: boolean;
}

/** What every feed reader needs to know. */
export interface ImportOptions {
  /** Name of the feed file in problems ("products_export.csv"). */
  file: string;
  /** The brand's categories (categories.json), which the feed's types and categories map onto. */
  categories: readonly Category[];
  /** The feed's own category values → category ids, from `--category-map` (keys compared case-insensitively). */
  categoryMap?: ReadonlyMap<string, string>;
}
