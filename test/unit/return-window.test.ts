import { describe, expect, test } from 'vitest';
import {
  DEFAULT_RETURN_DAYS,
  isoDay,
  isWithinWindow,
  returnableQty,
  returnDeadline,
  returnFee,
  returnRefusal,
} from '../../src/core/return-window';
import type { ReturnPolicy } from '../../src/core/return-policy';

const finite30: ReturnPolicy = {
  returnPolicyCategory: 'MerchantReturnFiniteReturnWindow',
  merchantReturnDays: 30,
  returnFees: 'FreeReturn',
  refundType: 'FullRefund',
  returnMethod: 'ReturnByMail',
};

describe('returnDeadline', () => {
  test('a finite window ends the given number of days after the day it opens (UTC)', () => {
    expect(returnDeadline(finite30, '2026-01-10T23:59:59.999Z')).toBe('2026-02-09');
    expect(returnDeadline(finite30, '2026-01-10T00:00:00Z')).toBe('2026-02-09');
    expect(returnDeadline({ ...finite30, merchantReturnDays: 1 }, '2026-12-31T12:00:00Z')).toBe('2027-01-01');
  });

  test('crosses month ends, leap days and DST changes by calendar days', () => {
    expect(returnDeadline({ ...finite30, merchantReturnDays: 1 }, '2028-02-28T10:00:00Z')).toBe('2028-02-29');
    expect(returnDeadline({ ...finite30, merchantReturnDays: 1 }, '2027-02-28T10:00:00Z')).toBe('2027-03-01');
    expect(returnDeadline({ ...finite30, merchantReturnDays: 7 }, '2026-03-25T10:00:00+01:00')).toBe(
      '2026-04-01',
    );
  });

  test('a time zone offset counts from the UTC day', () => {
    // 00:30 in Lisbon summer time is still the previous day in UTC.
    expect(returnDeadline({ ...finite30, merchantReturnDays: 2 }, '2026-07-02T00:30:00+01:00')).toBe(
      '2026-07-03',
    );
  });

  test('a finite window without a number of days lasts the default', () => {
    const policy = { ...finite30, merchantReturnDays: undefined };
    expect(DEFAULT_RETURN_DAYS).toBe(14);
    expect(returnDeadline(policy, '2026-01-01T08:00:00Z')).toBe('2026-01-15');
  });

  test('unlimited is null, not permitted is undefined', () => {
    expect(
      returnDeadline({ ...finite30, returnPolicyCategory: 'MerchantReturnUnlimitedWindow' }, '2026-01-01'),
    ).toBeNull();
    expect(
      returnDeadline({ ...finite30, returnPolicyCategory: 'MerchantReturnNotPermitted' }, '2026-01-01'),
    ).toBeUndefined();
  });

  test('an unparsable date throws', () => {
    expect(() => returnDeadline(finite30, 'yesterday')).toThrow(RangeError);
    expect(() => isoDay('')).toThrow(RangeError);
  });
});

describe('isWithinWindow', () => {
  test('the last day is included, the day after is not', () => {
    expect(isWithinWindow('2026-02-09', '2026-02-09T23:59:59Z')).toBe(true);
    expect(isWithinWindow('2026-02-09', '2026-02-10T00:00:00Z')).toBe(false);
    expect(isWithinWindow('2026-02-09', '2025-12-31T00:00:00Z')).toBe(true);
    expect(isWithinWindow(null, '2099-01-01T00:00:00Z')).toBe(true);
  });
});

describe('returnFee', () => {
  test('charges the shipping fee only under ReturnShippingFees', () => {
    const fee = { amount: 595, currency: 'EUR' };
    expect(
      returnFee({ ...finite30, returnFees: 'ReturnShippingFees', returnShippingFees: fee }, 'EUR'),
    ).toEqual(fee);
    expect(returnFee({ ...finite30, returnFees: 'ReturnShippingFees' }, 'GBP')).toEqual({
      amount: 0,
      currency: 'GBP',
    });
    expect(returnFee(finite30, 'EUR')).toEqual({ amount: 0, currency: 'EUR' });
    expect(
      returnFee(
        { ...finite30, returnFees: 'ReturnFeesCustomerResponsibility', returnShippingFees: fee },
        'EUR',
      ),
    ).toEqual({ amount: 0, currency: 'EUR' });
  });

  test('returns a copy, not the policy object', () => {
    const fee = { amount: 595, currency: 'EUR' };
    const out = returnFee({ ...finite30, returnFees: 'ReturnShippingFees', returnShippingFees: fee }, 'EUR');
    out.amount = 0;
    expect(fee.amount).toBe(595);
  });
});

describe('returnRefusal', () => {
  const ok = { deadline: '2026-02-09', now: '2026-02-01T10:00:00Z', bought: 3, alreadyRequested: 0, qty: 1 };

  test('accepts a request in the window within the bought quantity', () => {
    expect(returnRefusal(ok)).toBeUndefined();
    expect(returnRefusal({ ...ok, qty: 3 })).toBeUndefined();
    expect(returnRefusal({ ...ok, deadline: null, now: '2099-01-01T00:00:00Z' })).toBeUndefined();
  });

  test('refuses in the order: no returns, window, quantity', () => {
    expect(returnRefusal({ ...ok, deadline: undefined, qty: 9, now: '2099-01-01' })).toBe(
      'RETURNS_NOT_ACCEPTED',
    );
    expect(returnRefusal({ ...ok, now: '2026-02-10T00:00:00Z', qty: 9 })).toBe('RETURN_WINDOW_CLOSED');
    expect(returnRefusal({ ...ok, qty: 4 })).toBe('RETURN_QTY_EXCEEDED');
    expect(returnRefusal({ ...ok, alreadyRequested: 2, qty: 2 })).toBe('RETURN_QTY_EXCEEDED');
    expect(returnRefusal({ ...ok, alreadyRequested: 2, qty: 1 })).toBeUndefined();
    expect(returnRefusal({ ...ok, qty: 0 })).toBe('RETURN_QTY_EXCEEDED');
  });

  test('returnableQty never goes below zero', () => {
    expect(returnableQty(3, 1)).toBe(2);
    expect(returnableQty(3, 5)).toBe(0);
  });
});
