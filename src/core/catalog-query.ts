/**
 * Catalog search, filters and sorting as pure functions over the local catalog. Text search matches every
 * query token as the start of a word in the product's name, description, materials or category name,
 * ignoring case and accents ("cafe" finds "Café"); `relevance` ranks name matches above the rest.
 */
import { toMinorUnits, type Money } from './money';

/** The product fields search and sort read (protocol's `Product` has them). */
export interface SearchableProduct {
  name: string;
  description: string;
  /** Category id. */
  category: string;
  materials: readonly string[];
  /** At least one variant. */
  variants: readonly { price: Money }[];
}

/** A category id and its shopper-facing name. */
export interface CategoryName {
  id: string;
  name: string;
}

/** Orders the catalog page offers. */
export const SORT_ORDERS = ['relevance', 'price-asc', 'price-desc', 'name'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

/** What the shopper asked for. Prices are in major units (euros) and compare with the lowest variant price. */
export interface CatalogQuery {
  text: string;
  /** Category id; empty for all categories. */
  category: string;
  minPrice?: number;
  maxPrice?: number;
  sort: SortOrder;
}

/** Whether a string is one of the sort orders. */
export function isSortOrder(value: string): value is SortOrder {
  return (SORT_ORDERS as readonly string[]).includes(value);
}

/** Lower-case, accents removed: "Crème" → "creme". */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/** Folded words of a text. */
export function tokenize(text: string): string[] {
  return foldText(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** The cheapest variant's price (the price shown as "from …"). */
export function lowestPrice(product: SearchableProduct): Money {
  let lowest: Money | undefined;
  for (const variant of product.variants) {
    if (!lowest || variant.price.amount < lowest.amount) lowest = variant.price;
  }
  if (!lowest) throw new RangeError(`Product "${product.name}" has no variants.`);
  return lowest;
}

/** Weight of a match in each field for `relevance`. */
const FIELD_WEIGHTS = { name: 10, category: 4, materials: 3, description: 1 } as const;
type Field = keyof typeof FIELD_WEIGHTS;

/**
 * Relevance of a product for the query tokens: 0 when some token matches nowhere, else the sum over tokens
 * of the best field weight, doubled when the token is a whole word rather than the start of one.
 */
function relevance(fields: Record<Field, string[]>, queryTokens: string[]): number {
  let score = 0;
  for (const token of queryTokens) {
    let best = 0;
    for (const field of Object.keys(FIELD_WEIGHTS) as Field[]) {
      for (const word of fields[field]) {
        if (!word.startsWith(token)) continue;
        const weight = FIELD_WEIGHTS[field] * (word === token ? 2 : 1);
        if (weight > best) best = weight;
      }
    }
    if (best === 0) return 0;
    score += best;
  }
  return score;
}

const nameCollator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** Applies search, filters and sort to the catalog; never mutates its inputs. */
export function queryCatalog<P extends SearchableProduct>(
  products: readonly P[],
  categories: readonly CategoryName[],
  query: CatalogQuery,
): P[] {
  const categoryNames = new Map(categories.map((c) => [c.id, c.name]));
  const queryTokens = tokenize(query.text);
  const scored: { product: P; score: number; price: Money }[] = [];

  for (const product of products) {
    if (query.category && product.category !== query.category) continue;
    const price = lowestPrice(product);
    if (query.minPrice !== undefined && price.amount < toMinorUnits(query.minPrice, price.currency)) continue;
    if (query.maxPrice !== undefined && price.amount > toMinorUnits(query.maxPrice, price.currency)) continue;
    let score = 1;
    if (queryTokens.length > 0) {
      score = relevance(
        {
          name: tokenize(product.name),
          category: tokenize(categoryNames.get(product.category) ?? ''),
          materials: tokenize(product.materials.join(' ')),
          description: tokenize(product.description),
        },
        queryTokens,
      );
      if (score === 0) continue;
    }
    scored.push({ product, score, price });
  }

  const byName = (a: { product: P }, b: { product: P }) =>
    nameCollator.compare(a.product.name, b.product.name);
  switch (query.sort) {
    case 'relevance':
      scored.sort((a, b) => b.score - a.score || byName(a, b));
      break;
    case 'price-asc':
      scored.sort((a, b) => a.price.amount - b.price.amount || byName(a, b));
      break;
    case 'price-desc':
      scored.sort((a, b) => b.price.amount - a.price.amount || byName(a, b));
      break;
    case 'name':
      scored.sort(byName);
      break;
  }
  return scored.map((s) => s.product);
}
