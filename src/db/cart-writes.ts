/**
 * Every change a shopper makes to the cart. Each write is one Dexie transaction, durable on the device before
 * anything else happens; quantities stay within 1..99 per line. The UI never writes cartLines directly.
 */
import { clampQuantity } from '../core/cart-math';
import { db } from './db';

/** Thrown when a write names a product or variant that is not in the local catalog. */
export class UnknownVariantError extends Error {
  constructor(productId: string, sku: string) {
    super(`There is no variant ${sku} of product ${productId} in the catalog on this device.`);
    this.name = 'UnknownVariantError';
  }
}

/**
 * Adds `qty` units of a variant: a new line, or more of an existing one (capped at 99).
 * @throws UnknownVariantError when the sku is not a variant of the product in the local catalog.
 */
export async function addToCart(productId: string, sku: string, qty = 1): Promise<void> {
  const add = clampQuantity(qty);
  await db.transaction('rw', db.products, db.cartLines, async () => {
    const product = await db.products.get(productId);
    if (!product || !product.variants.some((v) => v.sku === sku))
      throw new UnknownVariantError(productId, sku);
    const existing = await db.cartLines.get(sku);
    if (existing) {
      await db.cartLines.update(sku, { qty: clampQuantity(existing.qty + add), productId });
    } else {
      await db.cartLines.add({ sku, productId, qty: add, addedAt: Date.now() });
    }
  });
}

/** Sets a line's quantity (clamped to 1..99); 0 or less removes the line. No line, no change. */
export async function setQuantity(sku: string, qty: number): Promise<void> {
  if (qty <= 0) return removeLine(sku);
  const next = clampQuantity(qty);
  await db.transaction('rw', db.cartLines, async () => {
    await db.cartLines.update(sku, { qty: next });
  });
}

/** Removes a line from the cart. */
export async function removeLine(sku: string): Promise<void> {
  await db.transaction('rw', db.cartLines, async () => {
    await db.cartLines.delete(sku);
  });
}
