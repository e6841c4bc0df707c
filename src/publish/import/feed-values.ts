/**
 * Reading the values of a product feed exactly: money from decimal strings into integer minor units (never
 * through a float), lengths in centimetres or inches into metres, stock counts, GTIN check digits, and the
 * slugs Vitrine uses for ids and material variant names. Each reader answers a value or the reason it cannot.
 *
 * Decimal rule for money (both Shopify's CSV and Google's feed write amounts this way): the decimal separator
 * is a point; commas are accepted only as thousands separators in groups of three before it ("1,234.50" is
 * 1234.50). A comma that could be a decimal comma ("19,99", "1.234,50", "1,5") is refused rather than
 * guessed: the two readings differ by a factor of 100. An amount with more decimals than its currency has
 * ("19.999" EUR) is refused, not rounded; zeros past them ("349.000") are fine.
 */
import { fractionDigits } from '../../core/money';
import { MAX_MONEY_AMOUNT } from '../../protocol/catalog';

/** A value read, or why not (a sentence fragment for a problem message). */
export type Read<T> = { ok: true; value: T } | { ok: false; reason: string };

const fail = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

const DECIMAL = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/;

/** `text` ("1,234.50") as integer minor units of `currency` (123450), exactly; see the module comment. */
export function parseMoneyAmount(text: string, currency: string): Read<number> {
  const trimmed = text.trim();
  if (trimmed === '') return fail('no amount');
  if (trimmed.startsWith('-')) return fail('a negative amount');
  const match = DECIMAL.exec(trimmed);
  if (!match) {
    if (/^[\d.,]+$/.test(trimmed) && trimmed.includes(',')) {
      return fail('a decimal comma is ambiguous: write the amount with a decimal point, such as 1234.50');
    }
    return fail('not an amount: write digits with a decimal point, such as 349.00');
  }
  const whole = (match[1] ?? '').replaceAll(',', '');
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  const digits = fractionDigits(currency);
  if (fraction.length > digits) {
    return fail(`${currency} has ${digits} decimal${digits === 1 ? '' : 's'}; this amount has more`);
  }
  const minor = `${whole}${fraction.padEnd(digits, '0')}`.replace(/^0+(?=\d)/, '');
  if (minor.length > String(MAX_MONEY_AMOUNT).length || Number(minor) > MAX_MONEY_AMOUNT) {
    return fail('more than the largest amount Vitrine stores (21,474,836.47 in a two-decimal currency)');
  }
  return { ok: true, value: Number(minor) };
}

/** Metres per unit of the lengths Google's feed allows. */
const METRES_PER = { cm: 0.01, in: 0.0254 } as const;

/**
 * A length with its unit ("46 cm", "18.5 in", the form of Google's product_width) in metres, rounded to the
 * micrometre so that 46 cm is 0.46 and 18 in is 0.4572, not a float's tail.
 */
export function parseLength(text: string): Read<number> {
  const match = /^(\d+(?:\.\d+)?)\s*(cm|in)$/i.exec(text.trim());
  if (!match) return fail('not a length: write a number and cm or in, such as 46 cm');
  const value = Number(match[1]);
  if (value <= 0) return fail('not a positive length');
  const unit = (match[2] ?? '').toLowerCase() as keyof typeof METRES_PER;
  return { ok: true, value: Math.round(value * METRES_PER[unit] * 1e6) / 1e6 };
}

/** A whole number of items in stock ("12"); negative counts (oversold) are answered as they are. */
export function parseStock(text: string): Read<number> {
  const trimmed = text.trim();
  if (!/^-?\d{1,9}$/.test(trimmed)) return fail('not a whole number');
  return { ok: true, value: Number(trimmed) };
}

/** Whether `code` is a GTIN-8, -12, -13 or -14 whose last digit is its GS1 check digit. */
export function isValidGtin(code: string): boolean {
  if (!/^\d{8}$|^\d{12,14}$/.test(code)) return false;
  let sum = 0;
  // From the digit left of the check digit leftwards, weights alternate 3, 1, 3, …
  for (let i = code.length - 2, weight = 3; i >= 0; i -= 1, weight = 4 - weight) {
    sum += Number(code[i]) * weight;
  }
  return (10 - (sum % 10)) % 10 === Number(code[code.length - 1]);
}

/** Why `code` is not a GTIN, for a problem message. */
export function gtinReason(code: string): string {
  if (/^\d(?:[.,]\d+)?e\+?\d+$/i.test(code)) {
    return 'a spreadsheet turned it into a number in scientific notation; format the column as text and export again';
  }
  if (!/^\d+$/.test(code)) return 'a GTIN is digits only';
  if (!/^\d{8}$|^\d{12,14}$/.test(code)) return `a GTIN has 8, 12, 13 or 14 digits, not ${code.length}`;
  return 'its check digit is wrong (a typing error, or not a GS1 number)';
}

/** The Slug rule of the catalog schema. */
export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * `text` as a slug: accents dropped, lower case, every run of other characters one dash, at most 80
 * characters ("Natural oak / Large" → "natural-oak-large", "Bouclé" → "boucle"). Empty when nothing is left.
 */
export function toSlug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 80)
    .replace(/^-+|-+$/g, '');
}

/** The SKU rule of the catalog schema. */
export const SKU = /^[A-Z0-9][A-Z0-9-]{1,39}$/;

/** A SKU the schema would take that is closest to `sku` ("lin-chr_01" → "LIN-CHR-01"), for a hint. */
export function suggestSku(sku: string): string {
  return sku
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
}
