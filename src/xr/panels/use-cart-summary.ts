/**
 * The cart as the VR cart panel shows it: number of lines and totals per currency, priced with the local
 * catalog (core/cart-math), read live from the database so that an add in VR shows at once.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { summarizeCart } from '../../core/cart-math';
import { db } from '../../db/db';
import type { Product } from '../../protocol/catalog';
import { cartSummaryLine } from './panel-text';

/** Line count, totals and the one-line text of the cart. */
export interface CartSummaryView {
  lineCount: number;
  totals: { amount: number; currency: string }[];
  /** "Cart empty", "1 line · €450.00"… */
  text: string;
}

const EMPTY: CartSummaryView = { lineCount: 0, totals: [], text: cartSummaryLine(0, []) };

/** The live cart summary (empty until the database answers). */
export function useCartSummary(): CartSummaryView {
  return useLiveQuery(
    () =>
      db.transaction('r', db.cartLines, db.products, async () => {
        const lines = await db.cartLines.orderBy('addedAt').toArray();
        const ids = [...new Set(lines.map((l) => l.productId))];
        const products = (await db.products.bulkGet(ids)).filter((p): p is Product => p !== undefined);
        const summary = summarizeCart(lines, products);
        return {
          lineCount: summary.lines.length,
          totals: summary.totals,
          text: cartSummaryLine(summary.lines.length, summary.totals),
        };
      }),
    [],
    EMPTY,
  );
}
