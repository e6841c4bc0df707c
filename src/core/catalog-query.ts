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

const nameCollator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/**
 * What search needs of a product list, built once per list (the list object stays the same until the
 * catalog changes, so typing a query does not redo it): every folded word in sorted order with, per word,
 * the products that have it and the weight of the best field it appears in; and each product's place in
 * name order.
 */
interface SearchIndex {
  words: string[];
  /** Per word (same order as `words`): product indexes and field weights, as flat pairs. */
  postings: number[][];
  /** Each product's lowest variant price. */
  lowest: Money[];
  /** Product indexes in name order, and by lowest price both ways (then name): filtering keeps these orders. */
  byName: number[];
  byPriceAsc: number[];
  byPriceDesc: number[];
}

const indexes = new WeakMap<readonly SearchableProduct[], SearchIndex>();

function searchIndex(products: readonly SearchableProduct[]): SearchIndex {
  const known = indexes.get(products);
  if (known) return known;
  const byWord = new Map<string, Map<number, number>>();
  const add = (word: string, product: number, weight: number): void => {
    let entry = byWord.get(word);
    if (!entry) byWord.set(word, (entry = new Map()));
    if ((entry.get(product) ?? 0) < weight) entry.set(product, weight);
  };
  products.forEach((product, i) => {
    for (const word of tokenize(product.name)) add(word, i, FIELD_WEIGHTS.name);
    for (const word of tokenize(product.materials.join(' '))) add(word, i, FIELD_WEIGHTS.materials);
    for (const word of tokenize(product.description)) add(word, i, FIELD_WEIGHTS.description);
  });
  const words = [...byWord.keys()].sort();
  const postings = words.map((word) => [...(byWord.get(word) ?? [])].flat());
  const lowest = products.map(lowestPrice);
  const byName = [...products.keys()].sort((a, b) =>
    nameCollator.compare(products[a]?.name ?? '', products[b]?.name ?? ''),
  );
  const amount = (i: number): number => lowest[i]?.amount ?? 0;
  // Array.prototype.sort is stable: equal prices stay in name order.
  const byPriceAsc = [...byName].sort((a, b) => amount(a) - amount(b));
  const byPriceDesc = [...byName].sort((a, b) => amount(b) - amount(a));
  const index = { words, postings, lowest, byName, byPriceAsc, byPriceDesc };
  indexes.set(products, index);
  return index;
}

/** Index of the first word not sorting before `prefix`. */
function lowerBound(words: readonly string[], prefix: string): number {
  let lo = 0;
  let hi = words.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((words[mid] ?? '') < prefix) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Relevance per product (by index) for the query tokens: 0 when some token matches nowhere, else the sum over
 * tokens of the best field weight, doubled when the token is a whole word rather than the start of one.
 */
function relevance(
  products: readonly SearchableProduct[],
  categories: readonly CategoryName[],
  queryTokens: string[],
): Float64Array {
  const { words, postings } = searchIndex(products);
  const scores = new Float64Array(products.length);
  const best = new Float64Array(products.length);
  const categoryWords = categories.map((c) => ({ id: c.id, words: tokenize(c.name) }));
  queryTokens.forEach((token, t) => {
    best.fill(0);
    for (let w = lowerBound(words, token); w < words.length; w++) {
      const word = words[w] ?? '';
      if (!word.startsWith(token)) break;
      const whole = word === token ? 2 : 1;
      const list = postings[w] ?? [];
      for (let k = 0; k < list.length; k += 2) {
        const product = list[k] ?? 0;
        const weight = (list[k + 1] ?? 0) * whole;
        if (weight > (best[product] ?? 0)) best[product] = weight;
      }
    }
    for (const category of categoryWords) {
      const match = category.words.find((word) => word.startsWith(token));
      if (match === undefined) continue;
      const weight = FIELD_WEIGHTS.category * (category.words.includes(token) ? 2 : 1);
      products.forEach((product, i) => {
        if (product.category === category.id && weight > (best[i] ?? 0)) best[i] = weight;
      });
    }
    for (let i = 0; i < scores.length; i++) {
      const b = best[i] ?? 0;
      // A product missing any earlier token stays at -1: it is out.
      scores[i] = b === 0 || (t > 0 && (scores[i] ?? 0) <= 0) ? -1 : (scores[i] ?? 0) + b;
    }
  });
  return scores;
}

/** Applies search, filters and sort to the catalog; never mutates its inputs. */
export function queryCatalog<P extends SearchableProduct>(
  products: readonly P[],
  categories: readonly CategoryName[],
  query: CatalogQuery,
): P[] {
  const queryTokens = tokenize(query.text);
  const scores = queryTokens.length > 0 ? relevance(products, categories, queryTokens) : null;
  const index = searchIndex(products);
  // Price bounds in minor units, converted once per currency rather than once per product.
  const bounds = new Map<string, { min: number; max: number }>();
  const boundsIn = (currency: string) => {
    let b = bounds.get(currency);
    if (!b) {
      b = {
        min: query.minPrice === undefined ? -Infinity : toMinorUnits(query.minPrice, currency),
        max: query.maxPrice === undefined ? Infinity : toMinorUnits(query.maxPrice, currency),
      };
      bounds.set(currency, b);
    }
    return b;
  };
  const keep = (i: number): boolean => {
    if (scores && (scores[i] ?? 0) <= 0) return false;
    const product = products[i];
    if (!product || (query.category && product.category !== query.category)) return false;
    const price = index.lowest[i];
    if (!price) return false;
    const { min, max } = boundsIn(price.currency);
    return price.amount >= min && price.amount <= max;
  };

  // Walking a precomputed order and filtering keeps it sorted: only relevance with a text query sorts.
  let order: number[];
  if (query.sort === 'relevance' && scores) {
    order = index.byName.filter(keep);
    // Array.prototype.sort is stable: equal scores stay in name order.
    order.sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0));
  } else if (query.sort === 'price-asc') {
    order = index.byPriceAsc.filter(keep);
  } else if (query.sort === 'price-desc') {
    order = index.byPriceDesc.filter(keep);
  } else {
    order = index.byName.filter(keep);
  }
  return order.map((i) => products[i] as P);
}
