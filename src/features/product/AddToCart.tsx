import { useAddToCart } from '../../db/use-add-to-cart';
import type { Variant } from '../../protocol/catalog';

interface AddToCartProps {
  productId: string;
  variant: Variant;
}

/** The Add to cart button and the status line that confirms it (or says why it failed). */
export default function AddToCart({ productId, variant }: AddToCartProps) {
  const { add, busy, status } = useAddToCart();
  const outOfStock = variant.stock <= 0;

  return (
    <div className="add-to-cart">
      <button
        type="button"
        className="button-primary"
        disabled={outOfStock || busy}
        onClick={() => void add(productId, variant.sku)}
      >
        Add to cart
      </button>
      <p className="add-to-cart-status" role="status">
        {status}
      </p>
    </div>
  );
}
