import type { CartSummary, PricedLine } from '../../core/cart-math';
import { formatMoney } from '../../core/money';
import type { CartLine } from '../../db/db';
import type { Product } from '../../protocol/catalog';

interface OrderSummaryProps {
  summary: CartSummary<CartLine, Product>;
}

function lineName(priced: PricedLine<CartLine, Product>): string {
  return `${priced.product?.name ?? 'Unavailable product'} (${priced.variant?.name ?? priced.line.sku})`;
}

/** What the order will hold: each line with its quantity and total, then the total per currency. */
export default function OrderSummary({ summary }: OrderSummaryProps) {
  return (
    <section className="checkout-summary" aria-labelledby="checkout-summary-title">
      <h2 id="checkout-summary-title">Order summary</h2>
      <ul className="checkout-summary-lines" aria-label="Order lines">
        {summary.lines.map((priced) => (
          <li key={priced.line.sku} data-sku={priced.line.sku}>
            <span>
              {lineName(priced)} × {priced.line.qty}
            </span>
            <span>{priced.lineTotal ? formatMoney(priced.lineTotal) : 'No longer available'}</span>
          </li>
        ))}
      </ul>
      <p className="checkout-summary-total">
        <span>Total</span>
        <span className="checkout-summary-amounts">
          {summary.totals.map((total) => (
            <span key={total.currency}>{formatMoney(total)}</span>
          ))}
        </span>
      </p>
    </section>
  );
}
