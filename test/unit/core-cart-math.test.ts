import { describe, expect, test } from 'vitest';
import { clampQuantity, summarizeCart } from '../../src/core/cart-math';
import { stockState } from '../../src/core/stock';
import { products } from './core-fixture';

const line = (sku: string, productId: string, qty: number) => ({ sku, productId, qty });

describe('summarizeCart', () => {
  test('line totals and one total per currency', () => {
    const summary = summarizeCart(
      [
        line('OAK-CHAIR-SMK', 'oak-lounge-chair', 2),
        line('LINEN-CUSH-RST', 'linen-cushion', 3),
        line('KYOTO-BOWL', 'kyoto-tea-bowl', 2),
      ],
      products,
    );
    expect(summary.lines.map((l) => l.lineTotal)).toEqual([
      { amount: 190000, currency: 'EUR' },
      { amount: 14700, currency: 'EUR' },
      { amount: 9600, currency: 'JPY' },
    ]);
    expect(summary.totals).toEqual([
      { amount: 204700, currency: 'EUR' },
      { amount: 9600, currency: 'JPY' },
    ]);
    expect(summary.itemCount).toBe(7);
    expect(summary.lines[0]?.variant?.name).toBe('Smoked oak');
  });

  test('a line whose product or variant is gone is flagged, kept and left out of the total', () => {
    const summary = summarizeCart(
      [
        line('GONE-SKU', 'gone-product', 1),
        line('OAK-CHAIR-OLD', 'oak-lounge-chair', 2),
        line('LINEN-CUSH-SND', 'linen-cushion', 1),
      ],
      products,
    );
    expect(summary.lines.map((l) => l.unavailable)).toEqual(['product-gone', 'variant-gone', undefined]);
    expect(summary.lines[1]?.product?.name).toBe('Oak Lounge Chair');
    expect(summary.lines[1]?.lineTotal).toBeUndefined();
    expect(summary.totals).toEqual([{ amount: 4500, currency: 'EUR' }]);
    expect(summary.itemCount).toBe(4);
  });

  test('an empty cart has no totals', () => {
    expect(summarizeCart([], products)).toEqual({ lines: [], totals: [], itemCount: 0 });
  });
});

describe('clampQuantity', () => {
  test('keeps 1..99 whole units', () => {
    expect(clampQuantity(0)).toBe(1);
    expect(clampQuantity(-5)).toBe(1);
    expect(clampQuantity(7)).toBe(7);
    expect(clampQuantity(7.9)).toBe(7);
    expect(clampQuantity(150)).toBe(99);
    expect(clampQuantity(Infinity)).toBe(99);
  });

  test('NaN is refused', () => {
    expect(() => clampQuantity(Number.NaN)).toThrow(RangeError);
  });
});

describe('stockState', () => {
  test('in, low and out', () => {
    expect(stockState(12)).toEqual({ level: 'in', text: 'In stock' });
    expect(stockState(6).text).toBe('In stock');
    expect(stockState(5)).toEqual({ level: 'low', text: 'Only 5 left' });
    expect(stockState(1).text).toBe('Only 1 left');
    expect(stockState(0)).toEqual({ level: 'out', text: 'Out of stock' });
  });
});
