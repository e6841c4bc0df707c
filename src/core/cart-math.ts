/**
 * Cart arithmetic: quantities, line totals and totals per currency, from the cart lines and the local catalog.
 * A line whose product or variant has left the catalog is kept and flagged so the shopper can see and remove it.
 */
import type { Money } from './money';

/** The variant fields cart math reads (protocol's `Variant` has them). */
export interface PricedVariant {
  sku: string;
  price: Money;
}

/** The product fields cart math reads (protocol's `Product` has them). */
export interface PricedProduct<V extends PricedVariant = PricedVariant> {
  id: string;
  variants: readonly V[];
}

/** Fewest and most units of one variant a cart line may hold. */
export const MIN_LINE_QTY = 1;
export const MAX_LINE_QTY = 99;

/** Brings a quantity into 1..99 (whole units). NaN is not a quantity and throws. */
export function clampQuantity(qty: number): number {
  if (Number.isNaN(qty)) throw new RangeError('The quantity is not a number.');
  return Math.min(MAX_LINE_QTY, Math.max(MIN_LINE_QTY, Math.trunc(qty)));
}

/** The part of a cart line cart math needs (structurally a db CartLine). */
export interface CartLineInput {
  sku: string;
  productId: string;
  qty: number;
}

/** A cart line with what the catalog knows about it. */
export interface PricedLine<
  L extends CartLineInput = CartLineInput,
  P extends PricedProduct = PricedProduct,
> {
  line: L;
  product?: P;
  variant?: P['variants'][number];
  /** `qty × price`; absent when the line is unavailable. */
  lineTotal?: Money;
  /** Why the line cannot be priced: its product or its variant is no longer in the catalog. */
  unavailable?: 'product-gone' | 'variant-gone';
}

export interface CartSummary<
  L extends CartLineInput = CartLineInput,
  P extends PricedProduct = PricedProduct,
> {
  lines: PricedLine<L, P>[];
  /** One total per currency, in the order currencies first appear in the cart. */
  totals: Money[];
  /** Units across all lines, unavailable ones included (what the header badge counts). */
  itemCount: number;
}

/** Prices every line and totals them per currency. */
export function summarizeCart<L extends CartLineInput, P extends PricedProduct>(
  lines: readonly L[],
  products: readonly P[],
): CartSummary<L, P> {
  const byId = new Map(products.map((p) => [p.id, p]));
  const totals = new Map<string, number>();
  const priced: PricedLine<L, P>[] = [];
  let itemCount = 0;

  for (const line of lines) {
    itemCount += line.qty;
    const product = byId.get(line.productId);
    if (!product) {
      priced.push({ line, unavailable: 'product-gone' });
      continue;
    }
    const variant = product.variants.find((v) => v.sku === line.sku);
    if (!variant) {
      priced.push({ line, product, unavailable: 'variant-gone' });
      continue;
    }
    const lineTotal = { amount: variant.price.amount * line.qty, currency: variant.price.currency };
    totals.set(lineTotal.currency, (totals.get(lineTotal.currency) ?? 0) + lineTotal.amount);
    priced.push({ line, product, variant, lineTotal });
  }

  return {
    lines: priced,
    totals: [...totals].map(([currency, amount]) => ({ amount, currency })),
    itemCount,
  };
}
