/**
 * The catalog page's search, filters and sort as URL query parameters, so a result list can be shared and the
 * back button returns to it. Inputs keep what the shopper typed (`raw`); `query` holds only what parses.
 */
import { isSortOrder, type CatalogQuery, type SortOrder } from '../../core/catalog-query';

/** What the form shows, as typed. */
export interface CatalogUrlState {
  q: string;
  category: string;
  min: string;
  max: string;
  sort: SortOrder;
}

export type CatalogUrlKey = keyof CatalogUrlState;

function parsePrice(raw: string): number | undefined {
  if (raw.trim() === '') return undefined;
  const value = Number(raw);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** Reads the form state from the query string; unknown sort orders fall back to relevance. */
export function readCatalogUrl(params: URLSearchParams): CatalogUrlState {
  const sort = params.get('sort') ?? '';
  return {
    q: params.get('q') ?? '',
    category: params.get('category') ?? '',
    min: params.get('min') ?? '',
    max: params.get('max') ?? '',
    sort: isSortOrder(sort) ? sort : 'relevance',
  };
}

/** The query the catalog runs for a form state. */
export function toCatalogQuery(state: CatalogUrlState): CatalogQuery {
  return {
    text: state.q,
    category: state.category,
    minPrice: parsePrice(state.min),
    maxPrice: parsePrice(state.max),
    sort: state.sort,
  };
}

/** The query string with one field changed; empty and default values are left out to keep links short. */
export function withCatalogParam(
  params: URLSearchParams,
  key: CatalogUrlKey,
  value: string,
): URLSearchParams {
  const next = new URLSearchParams(params);
  if (value === '' || (key === 'sort' && value === 'relevance')) next.delete(key);
  else next.set(key, value);
  return next;
}
