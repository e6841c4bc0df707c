/**
 * Stock levels in words a shopper reads next to the Add to cart button.
 */

/** At or below this many units the shopper is told how many are left. */
export const LOW_STOCK_THRESHOLD = 5;

/** `in`: plenty; `low`: a few left; `out`: none. */
export type StockLevel = 'in' | 'low' | 'out';

export interface StockState {
  level: StockLevel;
  /** "In stock", "Only 3 left" or "Out of stock". */
  text: string;
}

/** Describes a variant's stock count. */
export function stockState(stock: number): StockState {
  if (stock <= 0) return { level: 'out', text: 'Out of stock' };
  if (stock <= LOW_STOCK_THRESHOLD) return { level: 'low', text: `Only ${stock} left` };
  return { level: 'in', text: 'In stock' };
}
