/**
 * Return policy arithmetic: the last day a return may be requested, what sending it back costs, and whether a
 * request fits the policy. Pure functions of a policy, dates and quantities; the server and the UI share them.
 */
import type { Money } from './money';
import type { ReturnPolicy } from './return-policy';

/**
 * Days a finite window lasts when the brand gave no number: the EU's 14-day right of withdrawal, the least a
 * shopper can count on.
 */
export const DEFAULT_RETURN_DAYS = 14;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The UTC calendar date (`YYYY-MM-DD`) of an ISO date-time or date. Throws on a date that does not parse. */
export function isoDay(dateTime: string): string {
  const ms = Date.parse(dateTime);
  if (Number.isNaN(ms)) throw new RangeError(`Not an ISO date: ${dateTime}`);
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The last day (UTC, `YYYY-MM-DD`) a return may be requested when the window opens at `from` (delivery, or
 * placement until delivery): `from`'s day plus the policy's days. `null` for an unlimited window, `undefined`
 * when the policy takes no returns.
 */
export function returnDeadline(policy: ReturnPolicy, from: string): string | null | undefined {
  switch (policy.returnPolicyCategory) {
    case 'MerchantReturnNotPermitted':
      return undefined;
    case 'MerchantReturnUnlimitedWindow':
      return null;
    case 'MerchantReturnFiniteReturnWindow': {
      const days = policy.merchantReturnDays ?? DEFAULT_RETURN_DAYS;
      return new Date(Date.parse(isoDay(from)) + days * DAY_MS).toISOString().slice(0, 10);
    }
  }
}

/** True while `now` (ISO date-time) is on or before the deadline's day; always for `null` (unlimited). */
export function isWithinWindow(deadline: string | null, now: string): boolean {
  return deadline === null || isoDay(now) <= deadline;
}

/**
 * What the shopper pays to send a return back: the policy's `returnShippingFees` when it charges them, zero
 * (in `currency`, the currency of the line) otherwise. With `ReturnFeesCustomerResponsibility` the shopper
 * arranges and pays the shipping themselves, so Vitrine charges nothing.
 */
export function returnFee(policy: ReturnPolicy, currency: string): Money {
  if (policy.returnFees === 'ReturnShippingFees' && policy.returnShippingFees !== undefined) {
    return { amount: policy.returnShippingFees.amount, currency: policy.returnShippingFees.currency };
  }
  return { amount: 0, currency };
}

/** Why a return request does not fit its policy (the API's error codes). */
export type ReturnRefusal = 'RETURNS_NOT_ACCEPTED' | 'RETURN_WINDOW_CLOSED' | 'RETURN_QTY_EXCEEDED';

/** A request to check against the policy of its line. */
export interface ReturnCheck {
  /** The line's last day from `returnDeadline`. */
  deadline: string | null | undefined;
  /** ISO date-time of the request. */
  now: string;
  /** Units of the line bought. */
  bought: number;
  /** Units of the line already asked back by earlier requests that still stand. */
  alreadyRequested: number;
  /** Units asked back now. */
  qty: number;
}

/**
 * Whether a return may be requested: `undefined` when it may, else the first reason it may not, in the order
 * the shopper can do least about (no returns at all, then the window, then the quantity).
 */
export function returnRefusal(check: ReturnCheck): ReturnRefusal | undefined {
  if (check.deadline === undefined) return 'RETURNS_NOT_ACCEPTED';
  if (!isWithinWindow(check.deadline, check.now)) return 'RETURN_WINDOW_CLOSED';
  if (check.qty < 1 || check.qty > check.bought - check.alreadyRequested) return 'RETURN_QTY_EXCEEDED';
  return undefined;
}

/** Units of a line that may still be asked back (never below 0). */
export function returnableQty(bought: number, alreadyRequested: number): number {
  return Math.max(0, bought - alreadyRequested);
}
