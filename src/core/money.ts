/**
 * Money in integer minor units, formatted for people. The UI speaks English, so amounts default to the `en`
 * locale; every currency keeps its own number of fraction digits (EUR 2, JPY 0, BHD 3).
 */

/** An amount in minor units (cents) of an ISO 4217 currency; protocol's `Money` has this shape. */
export interface Money {
  amount: number;
  currency: string;
}

/** Locale the UI is written in; used when a caller does not pass one. */
export const UI_LOCALE = 'en';

const formatters = new Map<string, Intl.NumberFormat>();
const fractionDigitsByCurrency = new Map<string, number>();

function currencyFormatter(currency: string, locale: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { style: 'currency', currency });
    formatters.set(key, formatter);
  }
  return formatter;
}

/** How many digits after the decimal point the currency uses (EUR 2, JPY 0). */
export function fractionDigits(currency: string): number {
  let digits = fractionDigitsByCurrency.get(currency);
  if (digits === undefined) {
    // resolvedOptions() builds a fresh object each call: too slow for filters running over every product.
    digits = currencyFormatter(currency, UI_LOCALE).resolvedOptions().maximumFractionDigits ?? 2;
    fractionDigitsByCurrency.set(currency, digits);
  }
  return digits;
}

/** The amount in major units as a number (1234 EUR cents → 12.34). */
export function toMajorUnits(m: Money): number {
  return m.amount / 10 ** fractionDigits(m.currency);
}

/** The amount in major units as a plain decimal string with the currency's digits ("12.34", "1500"). */
export function toDecimalString(m: Money): string {
  const digits = fractionDigits(m.currency);
  const whole = Math.trunc(m.amount / 10 ** digits);
  if (digits === 0) return String(whole);
  const fraction = String(m.amount % 10 ** digits).padStart(digits, '0');
  return `${whole}.${fraction}`;
}

/** A major-unit amount (12.34 EUR) in minor units (1234), rounded to the nearest minor unit. */
export function toMinorUnits(major: number, currency: string): number {
  return Math.round(major * 10 ** fractionDigits(currency));
}

/** Formats money for display, e.g. `{ amount: 123400, currency: 'EUR' }` → "€1,234.00". */
export function formatMoney(m: Money, locale: string = UI_LOCALE): string {
  return currencyFormatter(m.currency, locale).format(toMajorUnits(m));
}
