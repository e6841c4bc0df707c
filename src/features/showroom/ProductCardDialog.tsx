/**
 * The card of a product seen in a showroom: name, price, variant choice, add to cart and a link to the
 * product page. A non-modal dialog over the 3D view: focus moves into it when it opens, Escape or "Close"
 * closes it and the page puts focus back where it was.
 */
import { useEffect, useId, useRef } from 'react';
import { Link } from 'wouter';
import { formatMoney } from '../../core/money';
import { stockState } from '../../core/stock';
import { useAddToCart } from '../../db/use-add-to-cart';
import type { Product, Variant } from '../../protocol/catalog';

/** Props of the product card. */
export interface ProductCardDialogProps {
  product: Product;
  variant: Variant;
  onVariantChange: (sku: string) => void;
  onClose: () => void;
}

/** Product card dialog of the showroom. */
export default function ProductCardDialog({
  product,
  variant,
  onVariantChange,
  onClose,
}: ProductCardDialogProps) {
  const titleId = useId();
  const selectId = useId();
  const selectRef = useRef<HTMLSelectElement>(null);
  const { add, busy, status, clearStatus } = useAddToCart();

  useEffect(() => {
    selectRef.current?.focus();
  }, []);

  // Escape closes the card wherever focus is (it may be back on the 3D view after a click there).
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Escape') {
        event.preventDefault();
        onClose();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);

  const stock = stockState(variant.stock);
  const outOfStock = stock.level === 'out';
  return (
    <div role="dialog" aria-labelledby={titleId} className="showroom-card">
      <h2 id={titleId} className="showroom-card-title">
        {product.name}
      </h2>
      <p className="showroom-card-price">{formatMoney(variant.price)}</p>
      <label htmlFor={selectId}>Variant</label>
      <select
        id={selectId}
        ref={selectRef}
        value={variant.sku}
        onChange={(e) => {
          clearStatus();
          onVariantChange(e.target.value);
        }}
      >
        {product.variants.map((v) => (
          <option key={v.sku} value={v.sku}>
            {v.name}
          </option>
        ))}
      </select>
      <p className="showroom-card-stock">{stock.text}</p>
      <div className="showroom-card-actions">
        <button
          type="button"
          className="button-primary"
          disabled={outOfStock || busy}
          onClick={() => void add(product.id, variant.sku)}
        >
          Add to cart
        </button>
        <Link to={`/product/${product.id}`}>View product</Link>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      <p role="status" className="showroom-card-status">
        {status}
      </p>
    </div>
  );
}
