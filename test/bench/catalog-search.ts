/**
 * Search + filter bench: `queryCatalog` (src/core/catalog-query.ts, what the catalog page runs on every
 * keystroke) over the scaled catalog, for a set of queries a shopper makes, against a naive baseline in the
 * same run: `Array.filter` keeping the products whose lower-cased name `includes` the lower-cased text (no
 * tokens, accents, categories, prices or sorting). Pure computation in this process; no side effects.
 */
import { queryCatalog, type CatalogQuery, type CategoryName } from '../../src/core/catalog-query';
import type { Product } from '../../src/protocol/catalog';

/** Timed iterations per query (after warm-up), each query and its baseline alternating. */
export const SEARCH_ITERATIONS = 40;
const WARMUP = 3;

/** The queries measured, by label. Prices are in euros (major units), as the filters send them. */
export const SEARCH_QUERIES: readonly { label: string; query: CatalogQuery }[] = [
  { label: 'everything, relevance', query: { text: '', category: '', sort: 'relevance' } },
  { label: 'everything, name', query: { text: '', category: '', sort: 'name' } },
  { label: 'everything, price ascending', query: { text: '', category: '', sort: 'price-asc' } },
  { label: 'one letter "c" (first keystroke)', query: { text: 'c', category: '', sort: 'relevance' } },
  { label: '"oak" (matches most)', query: { text: 'oak', category: '', sort: 'relevance' } },
  { label: '"linen chair"', query: { text: 'linen chair', category: '', sort: 'relevance' } },
  { label: '"boucle" (accent folded)', query: { text: 'boucle', category: '', sort: 'relevance' } },
  {
    label: '"nordic sofa", price descending',
    query: { text: 'nordic sofa', category: '', sort: 'price-desc' },
  },
  { label: '"lamp" in lighting', query: { text: 'lamp', category: 'lighting', sort: 'relevance' } },
  {
    label: 'seating, 200-1000 EUR, price ascending',
    query: { text: '', category: 'seating', minPrice: 200, maxPrice: 1000, sort: 'price-asc' },
  },
  {
    label: '"stoneware" up to 100 EUR, name',
    query: { text: 'stoneware', category: '', maxPrice: 100, sort: 'name' },
  },
  { label: '"zzz" (no match)', query: { text: 'zzz', category: '', sort: 'relevance' } },
];

/** Timing of one query and its baseline, in milliseconds. */
export interface SearchMeasure {
  label: string;
  query: CatalogQuery;
  results: number;
  p50: number;
  p95: number;
  max: number;
  baseline: { results: number; p50: number; p95: number; max: number };
  /** p95 ÷ baseline p95. */
  p95ToBaseline: number;
}

/** What {@link benchSearch} measured. */
export interface SearchBench {
  products: number;
  iterations: number;
  queries: SearchMeasure[];
  /** The largest p95 over every query (goal < 16 ms). */
  worstP95: number;
  worstQuery: string;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? NaN;
}

const round = (ms: number): number => Math.round(ms * 1000) / 1000;

function naiveFilter(products: readonly Product[], text: string): Product[] {
  const needle = text.trim().toLowerCase();
  return products.filter((p) => p.name.toLowerCase().includes(needle));
}

/** Measures every query in {@link SEARCH_QUERIES} over `products`. */
export function benchSearch(
  products: readonly Product[],
  categories: readonly CategoryName[],
  log: (line: string) => void = () => undefined,
): SearchBench {
  const queries: SearchMeasure[] = [];
  for (const { label, query } of SEARCH_QUERIES) {
    const app: number[] = [];
    const base: number[] = [];
    let results = 0;
    let baseResults = 0;
    for (let i = 0; i < WARMUP + SEARCH_ITERATIONS; i++) {
      let t = performance.now();
      results = queryCatalog(products, categories, query).length;
      const appMs = performance.now() - t;
      t = performance.now();
      baseResults = naiveFilter(products, query.text).length;
      const baseMs = performance.now() - t;
      if (i >= WARMUP) {
        app.push(appMs);
        base.push(baseMs);
      }
    }
    const baseline = {
      results: baseResults,
      p50: round(percentile(base, 50)),
      p95: round(percentile(base, 95)),
      max: round(Math.max(...base)),
    };
    const m: SearchMeasure = {
      label,
      query,
      results,
      p50: round(percentile(app, 50)),
      p95: round(percentile(app, 95)),
      max: round(Math.max(...app)),
      baseline,
      p95ToBaseline: Math.round((percentile(app, 95) / percentile(base, 95)) * 10) / 10,
    };
    queries.push(m);
    log(
      `${label}: ${m.results} results, p50 ${m.p50} ms, p95 ${m.p95} ms, max ${m.max} ms; ` +
        `naive p95 ${baseline.p95} ms (${m.p95ToBaseline}x)`,
    );
  }
  const worst = queries.reduce((a, b) => (b.p95 > a.p95 ? b : a));
  return {
    products: products.length,
    iterations: SEARCH_ITERATIONS,
    queries,
    worstP95: worst.p95,
    worstQuery: worst.label,
  };
}
