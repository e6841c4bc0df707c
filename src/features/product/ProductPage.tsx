import { lazy, Suspense, type ReactNode } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { Link, useParams, useSearchParams } from 'wouter';
import { formatMoney } from '../../core/money';
import { stockState } from '../../core/stock';
import { db } from '../../db/db';
import { requestCatalogPull } from '../../sync/request-pull';
import { useCatalogStatus } from '../../sync/use-catalog-status';
import AddToCart from './AddToCart';
import ProductDetails from './ProductDetails';
import ProductVREntry from './ProductVREntry';
import QualitySection from './QualitySection';
import VariantPicker from './VariantPicker';
import ViewInYourSpace from './ViewInYourSpace';
import ViewerBoundary from './ViewerBoundary';
import { useProductJsonLd } from './use-product-json-ld';
import './product.css';

// three.js comes with the viewer, so it loads only once a product page is open.
const ProductViewer = lazy(() => import('./ProductViewer'));

/**
 * One product: 3D view, variants, stock, Add to cart, details, and its quality and origin data.
 * `offlineControl` renders what the app composes in for offline use of this product ("Save for offline").
 */
export default function ProductPage({
  offlineControl,
}: {
  offlineControl?: (productId: string) => ReactNode;
}) {
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  // `null` means "not in the database", `undefined` "not read yet".
  const product = useLiveQuery(async () => (await db.products.get(id)) ?? null, [id]);
  const brandId = product?.brandId;
  const brand = useLiveQuery(async () => (brandId ? await db.brands.get(brandId) : undefined), [brandId]);
  const { hasCatalog, pull } = useCatalogStatus();
  useProductJsonLd(product ?? undefined, brand);

  if (product === undefined || hasCatalog === undefined) return null;

  if (product === null) {
    if (pull.state === 'error' && !hasCatalog) {
      return (
        <div className="product-page">
          <h1>Product</h1>
          <div className="notice notice-error" role="alert">
            <p>The catalog could not be loaded. {pull.message}</p>
            <button type="button" onClick={() => void requestCatalogPull()}>
              Retry
            </button>
          </div>
        </div>
      );
    }
    if (pull.state === 'pulling' || !hasCatalog) {
      return (
        <p className="notice" role="status">
          Loading catalog…
        </p>
      );
    }
    return (
      <div className="product-page">
        <title>Product not found · Vitrine</title>
        <h1>Product not found</h1>
        <p>There is no product “{id}” in the catalog.</p>
        <p>
          <Link to="/">Browse the catalog</Link>
        </p>
      </div>
    );
  }

  const requestedSku = params.get('sku');
  // The schema guarantees at least one variant.
  const variant = product.variants.find((v) => v.sku === requestedSku) ?? product.variants[0];
  if (!variant) throw new Error(`Product ${product.id} has no variants.`);
  const stock = stockState(variant.stock);
  const selectSku = (sku: string) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        next.set('sku', sku);
        return next;
      },
      { replace: true },
    );

  const poster = (
    <img
      className="product-viewer-poster"
      src={product.poster.url}
      alt={product.name}
      width={960}
      height={720}
      decoding="async"
    />
  );

  return (
    <article className="product-page">
      <title>{`${product.name} · Vitrine`}</title>
      <div className="product-top">
        <div className="product-viewer-slot">
          <ViewerBoundary
            fallback={
              <>
                {poster}
                <p className="notice notice-error">
                  The 3D view could not be loaded. The photo shows the product.
                </p>
              </>
            }
          >
            <Suspense fallback={poster}>
              <ProductViewer product={product} variant={variant} />
            </Suspense>
          </ViewerBoundary>
          <ViewInYourSpace product={product} variant={variant} onSelectSku={selectSku} />
          <ProductVREntry product={product} variant={variant} onSelectSku={selectSku} />
        </div>
        <div className="product-buy">
          <h1>{product.name}</h1>
          {brand && <p className="product-brand">by {brand.name}</p>}
          <p className="product-price">{formatMoney(variant.price)}</p>
          <VariantPicker variants={product.variants} selectedSku={variant.sku} onSelect={selectSku} />
          <p className={`stock stock-${stock.level}`}>{stock.text}</p>
          <AddToCart key={variant.sku} productId={product.id} variant={variant} />
          {offlineControl?.(product.id)}
          <p className="product-description">{product.description}</p>
        </div>
      </div>
      <ProductDetails product={product} />
      <QualitySection product={product} brand={brand} />
      <p>
        <Link to="/">Back to the catalog</Link>
      </p>
    </article>
  );
}
