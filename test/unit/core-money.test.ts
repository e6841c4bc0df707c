import { describe, expect, test } from 'vitest';
import { formatMoney, fractionDigits, toDecimalString, toMinorUnits } from '../../src/core/money';

describe('formatMoney', () => {
  test('formats euro cents with two decimals and grouping', () => {
    expect(formatMoney({ amount: 123400, currency: 'EUR' })).toBe('€1,234.00');
    expect(formatMoney({ amount: 5, currency: 'EUR' })).toBe('€0.05');
    expect(formatMoney({ amount: 0, currency: 'EUR' })).toBe('€0.00');
  });

  test('yen has no minor unit: the amount is whole yen', () => {
    expect(formatMoney({ amount: 4800, currency: 'JPY' })).toBe('¥4,800');
    expect(fractionDigits('JPY')).toBe(0);
  });

  test('three-decimal currencies keep three digits', () => {
    expect(fractionDigits('BHD')).toBe(3);
    expect(formatMoney({ amount: 1500, currency: 'BHD' })).toMatch(/1\.500/);
  });

  test('honours another locale', () => {
    expect(formatMoney({ amount: 123456, currency: 'EUR' }, 'de-DE')).toBe('1.234,56\u00a0€');
  });
});

describe('unit conversions', () => {
  test('major to minor units respect the currency', () => {
    expect(toMinorUnits(12.34, 'EUR')).toBe(1234);
    expect(toMinorUnits(0.1 + 0.2, 'EUR')).toBe(30);
    expect(toMinorUnits(4800, 'JPY')).toBe(4800);
  });

  test('decimal strings for structured data', () => {
    expect(toDecimalString({ amount: 89000, currency: 'EUR' })).toBe('890.00');
    expect(toDecimalString({ amount: 1205, currency: 'EUR' })).toBe('12.05');
    expect(toDecimalString({ amount: 4800, currency: 'JPY' })).toBe('4800');
  });
});
