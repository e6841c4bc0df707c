/**
 * Maps a feed's product type and category (Shopify's Type and Product Category, Google's product_type and
 * google_product_category) onto the brand's own categories (categories.json ids).
 *
 * Order: the brand's `--category-map` first (a whole value such as "Furniture > Chairs", or any one of its
 * `>`-separated levels, as the key; case-insensitive), then a category whose id or name equals a value or one
 * of its levels, deepest level first ("Furniture > Lighting > Lamps" finds "lighting"). Nothing is guessed
 * beyond that: no match is answered as no match, and the import reports it with the known ids.
 */
import type { Category } from '../../protocol/catalog';
import { toSlug } from './feed-values';

/**
 * Parses `--category-map` values, one "feed value=category id" pair each ("Lounge chairs=seating"; the flag
 * repeats). Pairs are not comma-separated because Shopify's and Google's category names hold commas.
 */
export function parseCategoryMap(specs: readonly string[]): { map: Map<string, string> } | { error: string } {
  const map = new Map<string, string>();
  for (const spec of specs) {
    const eq = spec.lastIndexOf('=');
    const key = spec.slice(0, Math.max(eq, 0)).trim();
    const id = spec.slice(eq + 1).trim();
    if (eq < 0 || key === '' || id === '') {
      return { error: `--category-map takes a "feed value=category id" pair, not "${spec.trim()}"` };
    }
    map.set(key.toLowerCase(), id);
  }
  return { map };
}

/** Every level of a category path, deepest first, after the whole value. */
function levels(value: string): string[] {
  const parts = value
    .split('>')
    .map((part) => part.trim())
    .filter(Boolean);
  return [value.trim(), ...parts.reverse()].filter((v, i, all) => v !== '' && all.indexOf(v) === i);
}

/** The category id `values` map onto (first value first), or undefined. Empty values are skipped. */
export function matchCategory(
  values: readonly string[],
  categories: readonly Category[],
  categoryMap?: ReadonlyMap<string, string>,
): string | undefined {
  const present = values.filter((v) => v.trim() !== '');
  if (categoryMap) {
    for (const value of present) {
      for (const level of levels(value)) {
        const id = categoryMap.get(level.toLowerCase());
        if (id !== undefined) return id;
      }
    }
  }
  for (const value of present) {
    for (const level of levels(value)) {
      const lower = level.toLowerCase();
      const found = categories.find((c) => c.id === toSlug(level) || c.name.toLowerCase() === lower);
      if (found) return found.id;
    }
  }
  return undefined;
}
