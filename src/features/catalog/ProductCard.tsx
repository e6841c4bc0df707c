import { Link } from 'wouter';
import { lowestPrice } from '../../core/catalog-query';
import { formatMoney } from '../../core/money';
import type { Product } from '../../protocol/catalog';

interface ProductCardProps {
  product: Product;
  brandName: string | undefined;
}

/** Poster, name, brand and starting price of one product; the whole card opens the product page. */
export default function ProductCard({ product, brandName }: ProductCardProps) {
  return (
    <article className="product-card">
      <img
        className="product-card-poster"
        src={product.poster.url}
        alt={product.name}
        width={480}
        height={480}
        loading="lazy"
        decoding="async"
      />
      <h2 className="product-card-name">
        <Link className="product-card-link" to={`/product/${product.id}`}>
          {product.name}
        </Link>
      </h2>
      {brandName && <p className="product-card-brand">{brandName}</p>}
      <p className="product-card-price">from {formatMoney(lowestPrice(product))}</p>
    </article>
  );
}
