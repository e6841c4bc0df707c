/**
 * Orders in words: short ids, dates, statuses and return reasons as the shopper reads them, and whether a line
 * of an order may still be returned.
 */
import { isWithinWindow, returnableQty } from '../../core/return-window';
import type { Order, OrderLine, ReturnReason, ReturnRequestRecord } from '../../protocol/cart';

/** The first 8 characters of an order id, enough to tell a shopper's orders apart ("Order aB3x_9Kq"). */
export function shortOrderId(id: string): string {
  return id.slice(0, 8);
}

/** A date (ISO date or date-time) as "December 24, 2026", read in UTC like the return deadlines. */
export function formatDay(iso: string, locale = 'en'): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(iso));
}

/** How many units an order holds, in words: "1 item", "3 items". */
export function itemCount(order: Pick<Order, 'lines'>): string {
  const units = order.lines.reduce((n, l) => n + l.qty, 0);
  return units === 1 ? '1 item' : `${units} items`;
}

/** Words for each return reason, in the order the select lists them. */
export const REASON_LABELS: Record<ReturnReason, string> = {
  'changed-mind': 'Changed my mind',
  damaged: 'Arrived damaged',
  'not-as-described': 'Not as described',
  'wrong-item': 'Wrong item sent',
  'does-not-fit': 'Does not fit',
  other: 'Other',
};

/** Words for a return request's status ("Requested", …). */
export const RETURN_STATUS_LABELS: Record<ReturnRequestRecord['status'], string> = {
  requested: 'Requested',
  approved: 'Approved',
  received: 'Received',
  refunded: 'Refunded',
  rejected: 'Rejected',
};

/** Words for an order's status. */
export const ORDER_STATUS_LABELS: Record<Order['status'], string> = {
  placed: 'Placed',
  shipped: 'Shipped',
  delivered: 'Delivered',
  cancelled: 'Cancelled',
};

/** Whether a line may be returned now: how many units and until when, or why not (a sentence). */
export type LineReturnState =
  { open: true; remaining: number; lastDay: string | null } | { open: false; reason: string };

/** Units of the line asked back by requests that still stand (rejected ones give the units back). */
export function unitsRequested(order: Order, sku: string): number {
  return order.returns
    .filter((r) => r.sku === sku && r.status !== 'rejected')
    .reduce((sum, r) => sum + r.qty, 0);
}

/** Whether `line` of `order` may be returned at `now` (ISO date-time), from the order's `returnUntil`. */
export function lineReturnState(order: Order, line: OrderLine, now: string): LineReturnState {
  if (!(line.sku in order.returnUntil))
    return { open: false, reason: 'The brand does not take this item back.' };
  const lastDay = order.returnUntil[line.sku] ?? null;
  if (lastDay !== null && !isWithinWindow(lastDay, now)) {
    return { open: false, reason: `The return window closed on ${formatDay(lastDay)}.` };
  }
  const remaining = returnableQty(line.qty, unitsRequested(order, line.sku));
  if (remaining === 0) return { open: false, reason: 'Every unit of this line is already being returned.' };
  return { open: true, remaining, lastDay };
}
