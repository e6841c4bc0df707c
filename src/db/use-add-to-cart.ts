import { useState } from 'react';
import { addToCart } from './cart-writes';

/** What `useAddToCart` gives a component: the action, whether it runs, and the line that reports it. */
export interface AddToCartAction {
  add: (productId: string, sku: string) => Promise<void>;
  /** True while an add runs: a second click must not add a second unit. */
  busy: boolean;
  /** "Added to cart", or why the add failed; empty before the first add. */
  status: string;
  /** Clears the status line (the shopper moved on, e.g. to another variant). */
  clearStatus: () => void;
}

/** Adds a variant to the cart from a button, guarding double clicks and saying how it went. */
export function useAddToCart(): AddToCartAction {
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const add = async (productId: string, sku: string): Promise<void> => {
    setBusy(true);
    setStatus('');
    try {
      await addToCart(productId, sku);
      setStatus('Added to cart');
    } catch (err) {
      setStatus(`Could not add to cart: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setBusy(false);
    }
  };
  return { add, busy, status, clearStatus: () => setStatus('') };
}
