import type { Product } from '../../protocol/catalog';
import { countryName, dimensionsText } from './product-text';

interface ProductDetailsProps {
  product: Product;
}

/** Size, materials and origin as text (the 3D view is not the only way to learn the size). */
export default function ProductDetails({ product }: ProductDetailsProps) {
  return (
    <section className="product-details" aria-labelledby="details-heading">
      <h2 id="details-heading">Details</h2>
      <dl className="facts">
        <dt>Size</dt>
        <dd>{dimensionsText(product.dimensions)}</dd>
        <dt>Materials</dt>
        <dd>{product.materials.join(', ')}</dd>
        <dt>Made in</dt>
        <dd>{countryName(product.countryOfOrigin)}</dd>
        {product.gtin && (
          <>
            <dt>GTIN</dt>
            <dd>{product.gtin}</dd>
          </>
        )}
      </dl>
    </section>
  );
}
