/**
 * Countries the checkout offers, as ISO 3166-1 alpha-2 codes with their English names, sorted by name.
 * Vitrine's brands ship within Europe: the EU, the EEA, Switzerland and the United Kingdom.
 */
const CODES = [
  'AT',
  'BE',
  'BG',
  'CH',
  'CY',
  'CZ',
  'DE',
  'DK',
  'EE',
  'ES',
  'FI',
  'FR',
  'GB',
  'GR',
  'HR',
  'HU',
  'IE',
  'IS',
  'IT',
  'LI',
  'LT',
  'LU',
  'LV',
  'MT',
  'NL',
  'NO',
  'PL',
  'PT',
  'RO',
  'SE',
  'SI',
  'SK',
] as const;

/** A country to choose: its code and its name in English. */
export interface CountryOption {
  code: string;
  name: string;
}

/** The countries of the select, sorted by name (names from the browser's `Intl.DisplayNames`). */
export function countryOptions(locale = 'en'): CountryOption[] {
  const names = new Intl.DisplayNames([locale], { type: 'region' });
  return CODES.map((code) => ({ code, name: names.of(code) ?? code })).sort((a, b) =>
    a.name.localeCompare(b.name, locale),
  );
}
