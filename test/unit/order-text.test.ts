// Whether an order line may still be returned, and the words of the order pages.
import { describe, expect, test } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { createElement } from 'react';
import ReturnRequestForm from '../../src/features/orders/ReturnRequestForm';
import { returnPolicySentences } from '../../src/core/return-policy';
import {
  formatDay,
  itemCount,
  lineReturnState,
  shortOrderId,
  unitsRequested,
} from '../../src/features/orders/order-text';
import type { Order, ReturnRequestRecord } from '../../src/protocol/cart';

const eur = (amount: number) => ({ amount, currency: 'EUR' });
const line = (sku: string, qty: number) => ({
  sku,
  productId: 'cube-stool',
  brandId: 'mini',
  productName: 'Cube stool',
  variantName: sku,
  qty,
  unitPrice: eur(100),
  lineTotal: eur(100 * qty),
  returnPolicy: {
    returnPolicyCategory: 'MerchantReturnFiniteReturnWindow' as const,
    merchantReturnDays: 30,
    returnFees: 'FreeReturn' as const,
    refundType: 'FullRefund' as const,
    returnMethod: 'ReturnByMail' as const,
    conditions: '',
  },
});
const request = (sku: string, qty: number, status: ReturnRequestRecord['status']): ReturnRequestRecord => ({
  id: `${sku}-${qty}-${status}`,
  sku,
  qty,
  kind: 'return',
  reason: 'other',
  status,
  fee: eur(0),
  refundType: 'FullRefund',
  createdAt: '2026-11-02T10:00:00Z',
});

const order: Order = {
  id: 'AbCdEfGhIjKlMnOpQrSt_-',
  cartId: 'ZyXwVuTsRqPoNmLkJiHg_-',
  createdAt: '2026-11-01T10:00:00Z',
  status: 'placed',
  details: {
    name: 'Ana',
    email: 'ana@example.com',
    address: { line1: 'Rua 1', city: 'Porto', postalCode: '4000', country: 'PT' },
  },
  payment: 'pay-on-delivery',
  lines: [line('OPEN', 3), line('FOREVER', 1), line('NONE', 1)],
  totals: [eur(500)],
  returns: [request('OPEN', 1, 'requested'), request('OPEN', 1, 'rejected')],
  returnUntil: { OPEN: '2026-12-01', FOREVER: null },
};
const [open, forever, none] = order.lines as [
  Order['lines'][number],
  Order['lines'][number],
  Order['lines'][number],
];

describe('lineReturnState', () => {
  test('within the window: the units not already asked back (rejected requests give units back)', () => {
    expect(unitsRequested(order, 'OPEN')).toBe(1);
    expect(lineReturnState(order, open, '2026-12-01T23:59:00Z')).toEqual({
      open: true,
      remaining: 2,
      lastDay: '2026-12-01',
    });
  });

  test('the day after the last day the window is closed, with the date in words', () => {
    expect(lineReturnState(order, open, '2026-12-02T00:00:00Z')).toEqual({
      open: false,
      reason: 'The return window closed on December 1, 2026.',
    });
  });

  test('an unlimited window stays open; a line absent from returnUntil takes no returns', () => {
    expect(lineReturnState(order, forever, '2036-01-01T00:00:00Z')).toEqual({
      open: true,
      remaining: 1,
      lastDay: null,
    });
    expect(lineReturnState(order, none, '2026-11-02T00:00:00Z')).toEqual({
      open: false,
      reason: 'The brand does not take this item back.',
    });
  });

  test('every unit asked back closes the line', () => {
    const all = { ...order, returns: [request('OPEN', 3, 'approved')] };
    expect(lineReturnState(all, open, '2026-11-05T00:00:00Z')).toEqual({
      open: false,
      reason: 'Every unit of this line is already being returned.',
    });
  });
});

test('short ids and days', () => {
  expect(shortOrderId(order.id)).toBe('AbCdEfGh');
  expect(formatDay('2026-12-24')).toBe('December 24, 2026');
});

test('an order counts its units as "1 item" or "N items"', () => {
  expect(itemCount({ lines: [line('A', 1)] })).toBe('1 item');
  expect(itemCount({ lines: [line('A', 1), line('B', 2)] })).toBe('3 items');
});

test('the return form states the policy the line was bought under, not the brand policy of today', () => {
  const bought = {
    ...open,
    returnPolicy: {
      ...open.returnPolicy,
      merchantReturnDays: 14,
      returnFees: 'ReturnShippingFees' as const,
      returnShippingFees: eur(495),
    },
  };
  const html = renderToStaticMarkup(
    createElement(ReturnRequestForm, {
      order: { ...order, lines: [bought] },
      line: bought,
      remaining: 2,
      lastDay: '2026-12-01',
      otherVariants: [],
      onDone: () => undefined,
      onCancel: () => undefined,
    }),
  );
  const text = html.replace(/<[^>]+>/g, '').replaceAll('&#x27;', "'");
  for (const sentence of returnPolicySentences(bought.returnPolicy)) expect(text).toContain(sentence);
  expect(text).toContain('Fee for this request: €4.95');
});
