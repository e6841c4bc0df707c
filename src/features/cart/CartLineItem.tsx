import { useState } from 'react';
import { Link } from 'wouter';
import { MAX_LINE_QTY, MIN_LINE_QTY, clampQuantity, type PricedLine } from '../../core/cart-math';
import { formatMoney } from '../../core/money';
import { removeLine, setQuantity } from '../../db/cart-writes';
import type { CartLine } from '../../db/db';
import type { Product } from '../../protocol/catalog';

interface CartLineItemProps {
  priced: PricedLine<CartLine, Product>;
  /** Whether a change of this line waits in the outbox (shown as "Not yet sent"). */
  pending: boolean;
}

/**
 * One cart line: product link, variant, "Not yet sent" while its change waits for the server, quantity field
 * (the quantity the shopper asked for, which the server may hold short; the warnings above say so), remove
 * button and prices.
 */
export default function CartLineItem({ priced, pending }: CartLineItemProps) {
  const { line, product, variant, lineTotal, unavailable } = priced;
  // What the shopper is typing; `undefined` shows the stored quantity. Cleared on blur.
  const [draft, setDraft] = useState<string>();
  const name = product?.name ?? 'Unavailable product';
  const variantName = variant?.name ?? line.sku;
  const label = `${name} (${variantName})`;

  const onQuantity = (raw: string) => {
    const qty = Number.parseInt(raw, 10);
    if (Number.isNaN(qty)) {
      setDraft(raw); // Empty while retyping: wait for a number.
      return;
    }
    const clamped = clampQuantity(qty);
    setDraft(String(clamped));
    void setQuantity(line.sku, clamped);
  };

  return (
    <>
      <div className="cart-line-what">
        {product ? (
          <Link className="cart-line-name" to={`/product/${product.id}?sku=${encodeURIComponent(line.sku)}`}>
            {name}
          </Link>
        ) : (
          <span className="cart-line-name">{name}</span>
        )}
        <span className="cart-line-variant">{variantName}</span>
        {unavailable && (
          <span className="cart-line-unavailable">
            {unavailable === 'product-gone'
              ? 'This product is no longer in the catalog.'
              : 'This variant is no longer sold.'}
          </span>
        )}
        {variant && <span className="cart-line-unit">{formatMoney(variant.price)} each</span>}
        {pending && <span className="cart-line-pending">Not yet sent</span>}
      </div>
      <div className="cart-line-qty">
        <label htmlFor={`qty-${line.sku}`}>Quantity</label>
        <input
          id={`qty-${line.sku}`}
          type="number"
          inputMode="numeric"
          min={MIN_LINE_QTY}
          max={MAX_LINE_QTY}
          step={1}
          aria-label={`Quantity of ${label}`}
          value={draft ?? String(line.requestedQty ?? line.qty)}
          onChange={(e) => onQuantity(e.target.value)}
          onBlur={() => setDraft(undefined)}
        />
      </div>
      <button type="button" className="button-quiet" onClick={() => void removeLine(line.sku)}>
        Remove <span className="visually-hidden">{label}</span>
      </button>
      {/* Last in the line, so the line total is the last amount read in it. */}
      <p className="cart-line-total">{lineTotal ? formatMoney(lineTotal) : '—'}</p>
    </>
  );
}
