/**
 * The words of the VR panels: a product's certifications and origin in one or two short lines, and the cart
 * summary ("2 lines · €1,250.00"). Pure functions of catalog data (Intl for country names and dates).
 */
import { formatMoney, UI_LOCALE } from '../../core/money';
import { stepWords } from '../../core/provenance-words';
import type { Product } from '../../protocol/catalog';

const regionNames = new Intl.DisplayNames([UI_LOCALE], { type: 'region' });
// Catalog dates are calendar dates: UTC keeps "2024-03-01" from showing as the day before further west.
const dateFormat = new Intl.DateTimeFormat(UI_LOCALE, { dateStyle: 'medium', timeZone: 'UTC' });

/** "PT" → "Portugal" (the code itself when the runtime does not know it). */
export function countryName(code: string): string {
  return regionNames.of(code) ?? code;
}

/** "Certified: FSC, OEKO-TEX" or "No certifications". */
export function certificationsLine(product: Pick<Product, 'certifications'>): string {
  if (product.certifications.length === 0) return 'No certifications';
  return `Certified: ${product.certifications.map((c) => c.name).join(', ')}`;
}

/**
 * Country of origin and the last step of the provenance trail: "Made in Portugal · Shipped from Porto,
 * Portugal on 2 May 2024" ("Made in Portugal" alone when the trail is empty).
 */
export function originLine(product: Pick<Product, 'countryOfOrigin' | 'provenance'>): string {
  const made = `Made in ${countryName(product.countryOfOrigin)}`;
  const last = product.provenance[product.provenance.length - 1];
  if (!last) return made;
  const where = `${last.location.name}, ${countryName(last.location.country)}`;
  return `${made} · Last: ${stepWords(last.bizStep)} at ${where} on ${dateFormat.format(new Date(last.eventTime))}`;
}

/** Cart summary of the wrist panel: "Cart empty", "1 line · €450.00", "3 lines · €1,200.00 + $40.00". */
export function cartSummaryLine(
  lineCount: number,
  totals: readonly { amount: number; currency: string }[],
): string {
  if (lineCount === 0) return 'Cart empty';
  const total = totals.length > 0 ? totals.map((t) => formatMoney(t)).join(' + ') : '—';
  return `${lineCount} ${lineCount === 1 ? 'line' : 'lines'} · ${total}`;
}
