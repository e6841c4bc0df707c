/**
 * Cart rebase: what the shopper's cart looks like once the server has answered. The server's lines are the
 * truth for every change it has acknowledged; the device's ops still waiting in the outbox are applied on top,
 * in `seq` order, so a change the shopper made while a push was in flight is not undone by the push's answer.
 * Pure: no Dexie, no fetch.
 */
import type { ServerCartLine } from '../protocol/cart';

/** A local cart line (structurally the db's `CartLine`). */
export interface RebasedLine {
  sku: string;
  productId: string;
  /** Units in the cart; 0 when the server found the variant out of stock. */
  qty: number;
  /** When the line was first added (ms since epoch). */
  addedAt: number;
  /** Units the shopper asked for, present only when the server could hold fewer (`qty` < `requestedQty`). */
  requestedQty?: number;
}

/** The fields of a pending outbox op a rebase reads (structurally the db's `OutboxOp`). */
export interface PendingOp {
  seq: number;
  sku: string;
  /** Absolute quantity; 0 removes the line. */
  qty: number;
}

/** A server line as a local line: `addedAt` in ms, `requestedQty` only when stock held the line short. */
export function fromServerLine(line: ServerCartLine): RebasedLine {
  const parsed = Date.parse(line.addedAt);
  const local: RebasedLine = {
    sku: line.sku,
    productId: line.productId,
    qty: line.qty,
    addedAt: Number.isNaN(parsed) ? 0 : parsed,
  };
  if (line.requestedQty > line.qty) local.requestedQty = line.requestedQty;
  return local;
}

/**
 * The local cart after a server answer: the server's lines with every pending op applied on top in `seq`
 * order. A pending op with qty 0 removes its line even when the server still has it (the removal is not yet
 * sent); a pending op with qty > 0 sets the line to that quantity (the shopper's latest word, so any
 * `requestedQty` from the server is dropped), keeping the line's `addedAt`. A pending op on a sku the server
 * does not hold takes `productId` and `addedAt` from `localLines` (the cart before the answer, which the op's own
 * write shaped); without such a line it is left out (no product to show it under). Lines come back in `addedAt`
 * order (then by sku, so the order is stable).
 */
export function rebaseCart(
  serverLines: readonly ServerCartLine[],
  pending: readonly PendingOp[],
  localLines: readonly RebasedLine[] = [],
): RebasedLine[] {
  const lines = new Map<string, RebasedLine>();
  for (const line of serverLines) lines.set(line.sku, fromServerLine(line));
  const local = new Map(localLines.map((l) => [l.sku, l]));
  const ordered = [...pending].sort((a, b) => a.seq - b.seq);
  for (const op of ordered) {
    if (op.qty <= 0) {
      lines.delete(op.sku);
      continue;
    }
    const base = lines.get(op.sku) ?? local.get(op.sku);
    if (!base) continue;
    lines.set(op.sku, {
      sku: op.sku,
      productId: base.productId,
      qty: op.qty,
      addedAt: base.addedAt,
    });
  }
  return [...lines.values()].sort((a, b) => a.addedAt - b.addedAt || (a.sku < b.sku ? -1 : 1));
}

/** The skus with ops still waiting to be sent (what the cart page marks "Not yet sent"). */
export function pendingSkus(pending: readonly Pick<PendingOp, 'sku'>[]): Set<string> {
  return new Set(pending.map((op) => op.sku));
}
