/**
 * Words and formats of the product page: option legend, country names, dates, supply-chain steps, sizes.
 */
import { UI_LOCALE } from '../../core/money';
import type { Dimensions, Variant } from '../../protocol/catalog';

const regionNames = new Intl.DisplayNames([UI_LOCALE], { type: 'region' });
// Dates in the catalog are calendar dates; UTC keeps "2024-03-01" from showing as 29 February further west.
const dateFormat = new Intl.DateTimeFormat(UI_LOCALE, { dateStyle: 'medium', timeZone: 'UTC' });
const cmFormat = new Intl.NumberFormat(UI_LOCALE, { maximumFractionDigits: 0 });

/** "PT" → "Portugal" (the code itself if the runtime does not know it). */
export function countryName(code: string): string {
  return regionNames.of(code) ?? code;
}

/** An ISO date as "1 Mar 2024". */
export function formatDate(iso: string): string {
  return dateFormat.format(new Date(iso));
}

/**
 * Metres as "80 cm", to the nearest centimetre: the one size format of the product page (details and the 3D
 * viewer's labels), so both always show the same numbers.
 */
export function formatCm(metres: number): string {
  return `${cmFormat.format(metres * 100)} cm`;
}

/** "80 cm wide × 75 cm high × 70 cm deep". */
export function dimensionsText(d: Dimensions): string {
  return `${formatCm(d.width)} wide × ${formatCm(d.height)} high × ${formatCm(d.depth)} deep`;
}

/** Legend of the variant picker: the option names the variants differ by ("Colour", "Colour and size"). */
export function variantLegend(variants: readonly Variant[]): string {
  const keys = [...new Set(variants.flatMap((v) => Object.keys(v.options)))];
  if (keys.length === 0) return 'Variant';
  const names = keys.map((k) => k.charAt(0).toUpperCase() + k.slice(1).toLowerCase());
  const last = names.pop() ?? 'Variant';
  return names.length === 0 ? last : `${names.join(', ')} and ${last.toLowerCase()}`;
}

/** A supply-chain step in plain words (core/provenance-words.ts). */
export { stepWords } from '../../core/provenance-words';
