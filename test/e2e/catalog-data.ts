/**
 * Helpers of the e2e tests over catalog data (read from the API with test/support/catalog-api.ts): prices as
 * the UI prints them, the product that exercises most of the product page, and polling.
 */
import type { CatalogSnapshot, Product } from '../../src/protocol/catalog';

/** The cheapest variant's price in minor units (what the catalog shows as "from …"). */
export function lowestAmount(product: Product): number {
  return Math.min(...product.variants.map((v) => v.price.amount));
}

/**
 * The last amount of money in a text, in minor units of a two-decimal currency, as the UI formats it in
 * English ("from €1,234.50" → 123450, "Total €12.00" → 1200). Amounts with a currency sign or code win over
 * bare numbers ("Only 3 left").
 */
export function parseAmount(text: string): number {
  const number = String.raw`(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?`;
  const withCurrency = [
    ...text.matchAll(new RegExp(String.raw`(?:[€$£¥]|\b[A-Z]{3})\s?` + number, 'g')),
    ...text.matchAll(new RegExp(number + String.raw`\s?(?:[€$£¥]|[A-Z]{3}\b)`, 'g')),
  ].sort((a, b) => a.index - b.index);
  const matches = withCurrency.length > 0 ? withCurrency : [...text.matchAll(new RegExp(number, 'g'))];
  const last = matches.at(-1);
  if (!last) throw new Error(`no amount in "${text}"`);
  const whole = Number((last[1] ?? '0').replace(/,/g, ''));
  const fraction = Number((last[2] ?? '0').padEnd(2, '0'));
  return whole * 100 + fraction;
}

/** A product that is in stock, has more than one variant, certifications and provenance, when there is one. */
export function richProduct(catalog: CatalogSnapshot): Product {
  const score = (p: Product): number =>
    (p.variants.filter((v) => v.stock > 0).length > 1 ? 4 : 0) +
    (p.certifications.length > 0 ? 2 : 0) +
    (p.provenance.length > 0 ? 1 : 0);
  const sorted = [...catalog.products].sort((a, b) => score(b) - score(a) || a.id.localeCompare(b.id));
  const best = sorted[0];
  if (!best) throw new Error('the catalog has no products');
  return best;
}

/** Polls `read` until it returns a value satisfying `ok`, or throws with the last value seen. */
export async function waitFor<T>(
  what: string,
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await read();
      if (ok(last)) return last;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}; last value: ${JSON.stringify(last)}${detail}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `value`, or a thrown error naming `what` when it is missing. */
export function must<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`missing: ${what}`);
  return value;
}
