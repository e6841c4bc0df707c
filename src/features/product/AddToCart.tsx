import { useState } from 'react';
import { addToCart } from '../../db/cart-writes';
import type { Variant } from '../../protocol/catalog';

interface AddToCartProps {
  productId: string;
  variant: Variant;
}

/** The Add to cart button and the status line that confirms it (or says why it failed). */
export default function AddToCart({ productId, variant }: AddToCartProps) {
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const outOfStock = variant.stock <= 0;

  const add = async () => {
    setBusy(true);
    setMessage('');
    try {
      await addToCart(productId, variant.sku);
      setMessage('Added to cart');
    } catch (err) {
      setMessage(`Could not add to cart: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="add-to-cart">
      <button
        type="button"
        className="button-primary"
        disabled={outOfStock || busy}
        onClick={() => void add()}
      >
        Add to cart
      </button>
      <p className="add-to-cart-status" role="status">
        {message}
      </p>
    </div>
  );
}
