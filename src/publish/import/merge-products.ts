/**
 * Combines what a feed holds with the brand's products.json: the feed's fields win where it has them, every
 * other field of an existing product (same id) or variant (same SKU) is kept. Products the feed does not
 * mention are kept as they are; a product's variant list becomes the feed's (variants gone from the feed are
 * reported as removed).
 *
 * The import never invents what a feed lacks. A product new to products.json gets empty certifications and
 * provenance (optional extras), and every required field neither the feed nor products.json has (dimensions,
 * placement, country of origin, materials…) is reported by name: the true size, above all, is for the brand to
 * measure, since the model is checked against it and shoppers place the product in their room by it.
 */
import type { Category } from '../../protocol/catalog';
import type { Problem } from '../validate/problem';
import type { FeedImport, ImportedProduct } from './feed-import';

/** What happened to one product of the feed. */
export interface ProductChange {
  id: string;
  kind: 'added' | 'changed' | 'unchanged';
  /** Changed fields and variants (`name`, `+SKU` added, `-SKU` removed, `SKU: price 34900 → 35900`). */
  details: string[];
}

/** What {@link mergeProducts} answers. */
export interface MergeResult {
  /** The new content of products.json. */
  products: unknown[];
  changes: ProductChange[];
  problems: Problem[];
}

type Row = Record<string, unknown>;

const PRODUCT_KEYS = [
  'id',
  'name',
  'description',
  'category',
  'gtin',
  'materials',
  'countryOfOrigin',
  'dimensions',
  'placement',
  'variants',
  'certifications',
  'provenance',
] as const;
const VARIANT_KEYS = ['sku', 'gtin', 'name', 'options', 'price', 'stock', 'materialVariant'] as const;

/** Required product fields a feed may lack, each with what the brand should write. */
const REQUIRED: Readonly<Record<string, string>> = {
  name: 'the product name',
  description: 'a description ("" if none)',
  category: 'a category id from categories.json',
  materials: 'materials, e.g. ["Solid oak"]',
  countryOfOrigin: 'countryOfOrigin, an ISO 3166 code such as PT',
  dimensions:
    'dimensions in metres as the product stands, e.g. { "width": 0.46, "height": 0.8, "depth": 0.52 }: measure the real product, its model is checked against it',
  placement: 'placement: floor, wall or tabletop',
};

const isRow = (value: unknown): value is Row =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `row` with the keys in schema order, then any others as they were. */
function ordered(row: Row, keys: readonly string[]): Row {
  const out: Row = {};
  for (const key of keys) if (row[key] !== undefined) out[key] = row[key];
  for (const [key, value] of Object.entries(row)) if (!(key in out) && value !== undefined) out[key] = value;
  return out;
}

const defined = (fields: object): Row =>
  Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

const show = (value: unknown): string => {
  if (isRow(value) && typeof value.amount === 'number' && typeof value.currency === 'string') {
    return `${value.amount} ${value.currency}`;
  }
  const text = JSON.stringify(value) ?? 'none';
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
};

/** Merges one imported product into its existing record (or none). */
function mergeOne(product: ImportedProduct, previous: Row | undefined): Row {
  const merged: Row = { ...previous, ...defined(product.fields), id: product.id };
  const before = Array.isArray(previous?.variants) ? previous.variants.filter(isRow) : [];
  merged.variants = product.variants.map((variant) => {
    const sku = variant.fields.sku;
    const old = sku === undefined ? undefined : before.find((v) => v.sku === sku);
    return ordered({ ...variant.fallback, ...old, ...defined(variant.fields) }, VARIANT_KEYS);
  });
  if (!previous) {
    merged.certifications ??= [];
    merged.provenance ??= [];
  }
  return ordered(merged, PRODUCT_KEYS);
}

/** The differences between a product before and after, for the report. */
function describeChanges(before: Row, after: Row): string[] {
  const details: string[] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (key === 'variants' || same(before[key], after[key])) continue;
    details.push(key);
  }
  const oldVariants = Array.isArray(before.variants) ? before.variants.filter(isRow) : [];
  const newVariants = Array.isArray(after.variants) ? after.variants.filter(isRow) : [];
  for (const variant of newVariants) {
    const old = oldVariants.find((v) => v.sku === variant.sku);
    if (!old) {
      details.push(`+${String(variant.sku ?? '(no SKU)')}`);
      continue;
    }
    const fields = VARIANT_KEYS.filter((key) => !same(old[key], variant[key])).map((key) =>
      key === 'price' || key === 'stock' ? `${key} ${show(old[key])} → ${show(variant[key])}` : key,
    );
    if (fields.length > 0) details.push(`${String(variant.sku)}: ${fields.join(', ')}`);
  }
  for (const old of oldVariants) {
    if (!newVariants.some((v) => v.sku === old.sku)) details.push(`-${String(old.sku)}`);
  }
  return details;
}

const listWords = (words: readonly string[]): string =>
  words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;

/**
 * Merges the products of `feed` into `existing` (the parsed products.json, an array of whatever it holds) and
 * reports what changed and what the brand must still add. Problems point at the feed's lines.
 */
export function mergeProducts(
  existing: readonly unknown[],
  feed: FeedImport,
  options: { file: string; categories: readonly Category[] },
): MergeResult {
  const { file, categories } = options;
  const products = [...existing];
  const changes: ProductChange[] = [];
  const problems: Problem[] = [];
  const seenIds = new Map<string, number>();
  const seenSkus = new Map<string, number>();

  for (const product of feed.products) {
    const firstLine = seenIds.get(product.id);
    if (firstLine !== undefined) {
      problems.push({
        severity: 'error',
        file,
        line: product.line,
        code: 'DUPLICATE_PRODUCT',
        message: `${product.id} appears again (first on line ${firstLine}): this one is not imported`,
        hint: 'Each product once: variants of one product share its id.',
      });
      continue;
    }
    seenIds.set(product.id, product.line);
    for (const variant of product.variants) {
      const sku = variant.fields.sku;
      if (sku === undefined) continue;
      const first = seenSkus.get(sku);
      if (first !== undefined) {
        problems.push({
          severity: 'error',
          file,
          line: variant.line,
          code: 'DUPLICATE_SKU',
          message: `SKU ${sku} is used again (first on line ${first})`,
          hint: 'Every variant needs its own SKU.',
        });
      } else {
        seenSkus.set(sku, variant.line);
      }
    }

    const index = products.findIndex((p) => isRow(p) && p.id === product.id);
    const previous = index >= 0 ? (products[index] as Row) : undefined;
    const merged = mergeOne(product, previous);
    if (previous) {
      products[index] = merged;
      const details = describeChanges(previous, merged);
      changes.push({ id: product.id, kind: details.length > 0 ? 'changed' : 'unchanged', details });
    } else {
      products.push(merged);
      const count = product.variants.length;
      changes.push({ id: product.id, kind: 'added', details: [`${count} variant${count === 1 ? '' : 's'}`] });
    }

    if (merged.category === undefined && product.unmatchedCategory) {
      const known = categories.map((c) => c.id);
      const values = product.unmatchedCategory.map((v) => `"${v}"`).join(' and ');
      problems.push({
        severity: 'error',
        file,
        line: product.line,
        code: 'CATEGORY_UNKNOWN',
        message: `${product.id}: ${values} matches no category of the brand`,
        hint:
          `Known categories: ${known.length > 0 ? known.join(', ') : '(categories.json has none)'}. ` +
          `Map it with --category-map "${product.unmatchedCategory[0]}=<id>", or add a category with that name to categories.json.`,
      });
    }
    const missing = Object.keys(REQUIRED).filter(
      (key) => merged[key] === undefined && !(key === 'category' && product.unmatchedCategory),
    );
    if (missing.length > 0) {
      problems.push({
        severity: 'error',
        file,
        line: product.line,
        code: 'FIELDS_MISSING',
        message: `${product.id}: the ${feed.source} has no ${listWords(missing)}${previous ? ' and products.json neither' : ''}`,
        hint: `Add to ${product.id} in products.json: ${missing.map((key) => REQUIRED[key]).join('; ')}. Importing again keeps them.`,
      });
    }
    const variants = merged.variants as Row[];
    product.variants.forEach((variant, i) => {
      if (variants[i]?.stock !== undefined) return;
      problems.push({
        severity: 'error',
        file,
        line: variant.line,
        code: 'STOCK_MISSING',
        message: `${product.id}: ${String(variant.fields.sku ?? 'a variant')} has no stock count, in the feed or in products.json`,
        hint: 'Give the number in stock (the stock field of the variant in products.json, or the inventory column).',
      });
    });
  }
  return { products, changes, problems };
}
