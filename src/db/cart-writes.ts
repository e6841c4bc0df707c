/**
 * Every change a shopper makes to the cart. Each write is one Dexie transaction that changes the cart line AND
 * appends the op that tells the server about it to the outbox, so a change is durable on the device, and
 * queued for the server, before anything else happens; quantities stay within 1..99 per line. The UI never
 * writes cartLines directly. After each write the window gets a `vitrine:cart-written` event, on which the
 * cart sync (src/sync/cart-sync.ts, which db/ may not import) pushes.
 */
import { clampQuantity } from '../core/cart-math';
import type { Money } from '../protocol/catalog';
import { CART_WRITTEN_EVENT } from './cart-events';
import { db as appDb, freshCartSync, type CartLine, type CartSyncState, type VitrineDB } from './db';

export { CART_WRITTEN_EVENT };

/** Price sent with a removal whose variant left the local catalog: the server ignores the price of a qty 0 op. */
const NO_PRICE: Money = { amount: 0, currency: 'EUR' };

/** Thrown when a write names a product or variant that is not in the local catalog. */
export class UnknownVariantError extends Error {
  constructor(productId: string, sku: string) {
    super(`There is no variant ${sku} of product ${productId} in the catalog on this device.`);
    this.name = 'UnknownVariantError';
  }
}

/** The cart writes, bound to one database. */
export interface CartWrites {
  addToCart(productId: string, sku: string, qty?: number): Promise<void>;
  setQuantity(sku: string, qty: number): Promise<void>;
  removeLine(sku: string): Promise<void>;
  acceptPriceChanges(): Promise<number>;
}

/** Tells the cart sync (in this tab) that the outbox has something new. */
function notifyWritten(): void {
  if (typeof window !== 'undefined') window.dispatchEvent(new Event(CART_WRITTEN_EVENT));
}

/** The sync row, created on first use (a database created at version 4 has none). Inside a transaction. */
export async function readCartSync(target: VitrineDB): Promise<CartSyncState> {
  const state = await target.cartSync.get('cart');
  if (state) return state;
  const fresh = freshCartSync();
  await target.cartSync.put(fresh);
  return fresh;
}

/** The local catalog price of a sku, if the variant is on this device. Inside a transaction. */
async function localPrice(target: VitrineDB, productId: string, sku: string): Promise<Money | undefined> {
  const product = await target.products.get(productId);
  return product?.variants.find((v) => v.sku === sku)?.price;
}

/**
 * Appends an op setting `sku` to `qty` under the next `seq`, and bumps `nextSeq`. The op carries the server
 * cart version the device has seen (`baseVersion`), so the server can tell a change made before an order emptied
 * the cart. Must run inside a transaction over outbox and cartSync. A new shopper write also clears a stored
 * sync error and `STALE_CHANGE` warnings: the shopper has seen them and moved on.
 */
export async function queueOp(
  target: VitrineDB,
  sku: string,
  qty: number,
  observedPrice: Money,
): Promise<void> {
  const state = await readCartSync(target);
  await target.outbox.add({
    opId: crypto.randomUUID(),
    seq: state.nextSeq,
    clientId: state.clientId,
    cartId: state.cartId,
    sku,
    qty,
    observedPrice: { amount: observedPrice.amount, currency: observedPrice.currency },
    createdAt: Date.now(),
    baseVersion: state.serverVersion,
  });
  await target.cartSync.put({
    ...state,
    nextSeq: state.nextSeq + 1,
    error: undefined,
    warnings: state.warnings.filter((w) => w.code !== 'STALE_CHANGE'),
  });
}

/**
 * Queues an op for every local line at the quantity the shopper asked for (for a new server cart, after the
 * old one was lost, or for a joined cart), leaving out the skus in `except` (lines the joined cart already
 * holds). Lines whose variant left the local catalog get no op. Must run inside a transaction over products,
 * cartLines, outbox and cartSync; does not clear a stored error. Resolves how many ops were queued.
 */
export async function queueOpsForLines(
  target: VitrineDB,
  except: ReadonlySet<string> = new Set(),
): Promise<number> {
  const lines = await target.cartLines.orderBy('addedAt').toArray();
  let queued = 0;
  for (const line of lines) {
    if (except.has(line.sku)) continue;
    const qty = line.requestedQty ?? line.qty;
    const price = await localPrice(target, line.productId, line.sku);
    if (qty <= 0 || !price) continue;
    const { error } = await readCartSync(target);
    await queueOp(target, line.sku, qty, price);
    if (error) await target.cartSync.update('cart', { error });
    queued += 1;
  }
  return queued;
}

/** The cart writes on `target` (tests and a second device use their own database). */
export function cartWritesFor(target: VitrineDB): CartWrites {
  const tables = [target.products, target.cartLines, target.outbox, target.cartSync];

  const addToCart = async (productId: string, sku: string, qty = 1): Promise<void> => {
    const add = clampQuantity(qty);
    await target.transaction('rw', tables, async () => {
      const price = await localPrice(target, productId, sku);
      if (!price) throw new UnknownVariantError(productId, sku);
      const existing = await target.cartLines.get(sku);
      let next: number;
      if (existing) {
        // A line held short by stock grows from what the shopper asked for, not from what the server could hold.
        next = clampQuantity((existing.requestedQty ?? existing.qty) + add);
        await target.cartLines.put({ sku, productId, qty: next, addedAt: existing.addedAt });
      } else {
        next = add;
        await target.cartLines.add({ sku, productId, qty: next, addedAt: Date.now() });
      }
      await queueOp(target, sku, next, price);
    });
    notifyWritten();
  };

  const removeLine = async (sku: string): Promise<void> => {
    const written = await target.transaction('rw', tables, async () => {
      const existing = await target.cartLines.get(sku);
      if (!existing) return false;
      await target.cartLines.delete(sku);
      await queueOp(target, sku, 0, (await localPrice(target, existing.productId, sku)) ?? NO_PRICE);
      return true;
    });
    if (written) notifyWritten();
  };

  const setQuantity = async (sku: string, qty: number): Promise<void> => {
    if (qty <= 0) return removeLine(sku);
    const next = clampQuantity(qty);
    const written = await target.transaction('rw', tables, async () => {
      const existing = await target.cartLines.get(sku);
      if (!existing) return false;
      if (existing.qty === next && existing.requestedQty === undefined) return false;
      const line: CartLine = { sku, productId: existing.productId, qty: next, addedAt: existing.addedAt };
      await target.cartLines.put(line);
      await queueOp(target, sku, next, (await localPrice(target, existing.productId, sku)) ?? NO_PRICE);
      return true;
    });
    if (written) notifyWritten();
  };

  const acceptPriceChanges = async (): Promise<number> => {
    const count = await target.transaction('rw', tables, async () => {
      const state = await readCartSync(target);
      let sent = 0;
      for (const warning of state.warnings) {
        if (warning.code !== 'PRICE_CHANGED') continue;
        const line = await target.cartLines.get(warning.sku);
        const qty = line ? (line.requestedQty ?? line.qty) : 0;
        if (qty <= 0) continue;
        await queueOp(target, warning.sku, qty, warning.new);
        sent += 1;
      }
      const after = await readCartSync(target);
      await target.cartSync.put({
        ...after,
        warnings: after.warnings.filter((w) => w.code !== 'PRICE_CHANGED'),
      });
      return sent;
    });
    if (count > 0) notifyWritten();
    return count;
  };

  return { addToCart, setQuantity, removeLine, acceptPriceChanges };
}

const appWrites = cartWritesFor(appDb);

/**
 * Adds `qty` units of a variant: a new line, or more of an existing one (capped at 99), and queues the op.
 * @throws UnknownVariantError when the sku is not a variant of the product in the local catalog.
 */
export const addToCart: (productId: string, sku: string, qty?: number) => Promise<void> = appWrites.addToCart;

/** Sets a line's quantity (clamped to 1..99); 0 or less removes the line. No line or no change, no op. */
export const setQuantity: (sku: string, qty: number) => Promise<void> = appWrites.setQuantity;

/** Removes a line from the cart (an op with qty 0). No line, no op. */
export const removeLine: (sku: string) => Promise<void> = appWrites.removeLine;

/**
 * Accepts every PRICE_CHANGED warning: re-sends each such line at the quantity the shopper asked for with the
 * new price (the server then drops the warning), and clears those warnings locally at once. Resolves to the
 * number of ops queued.
 */
export const acceptPriceChanges: () => Promise<number> = appWrites.acceptPriceChanges;
