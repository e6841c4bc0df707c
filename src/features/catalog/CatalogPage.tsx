import { useMemo } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { useSearchParams } from 'wouter';
import { lowestPrice, queryCatalog } from '../../core/catalog-query';
import { db } from '../../db/db';
import { requestCatalogPull } from '../../sync/request-pull';
import { useCatalogStatus } from '../../sync/use-catalog-status';
import CatalogFilters from './CatalogFilters';
import ProductCard from './ProductCard';
import { readCatalogUrl, toCatalogQuery, withCatalogParam, type CatalogUrlKey } from './catalog-url';
import './catalog.css';

/** The catalog: search, filter and sort the products stored on this device. */
export default function CatalogPage() {
  const [params, setParams] = useSearchParams();
  const urlState = readCatalogUrl(params);
  const products = useLiveQuery(() => db.products.toArray(), []);
  const categories = useLiveQuery(() => db.categories.toArray(), []);
  const brands = useLiveQuery(() => db.brands.toArray(), []);
  const { hasCatalog, pull } = useCatalogStatus();

  const query = toCatalogQuery(urlState);
  const { text, category, minPrice, maxPrice, sort } = query;
  const results = useMemo(
    () =>
      products && categories
        ? queryCatalog(products, categories, { text, category, minPrice, maxPrice, sort })
        : [],
    [products, categories, text, category, minPrice, maxPrice, sort],
  );
  const brandNames = useMemo(() => new Map((brands ?? []).map((b) => [b.id, b.name])), [brands]);
  const currencies = useMemo(
    () => [...new Set((products ?? []).map((p) => lowestPrice(p).currency))].sort(),
    [products],
  );

  const onChange = (key: CatalogUrlKey, value: string, replace: boolean) =>
    setParams((prev) => withCatalogParam(prev, key, value), { replace });

  const retry = (
    <button type="button" onClick={() => void requestCatalogPull()}>
      Retry
    </button>
  );

  let body;
  if (products === undefined || categories === undefined || hasCatalog === undefined) {
    body = null; // The database answers within a frame; showing nothing avoids a flash of "Loading…".
  } else if (products.length === 0 && pull.state === 'error') {
    body = (
      <div className="notice notice-error" role="alert">
        <p>The catalog could not be loaded. {pull.message}</p>
        {retry}
      </div>
    );
  } else if (products.length === 0 && !hasCatalog) {
    body = (
      <p className="notice" role="status">
        Loading catalog…
      </p>
    );
  } else {
    body = (
      <>
        {pull.state === 'error' && (
          <div className="notice notice-error" role="alert">
            <p>
              The catalog could not be updated. {pull.message} You are seeing the copy saved on this device.
            </p>
            {retry}
          </div>
        )}
        <CatalogFilters
          state={urlState}
          categories={categories}
          currencies={currencies}
          onChange={onChange}
        />
        <p className="catalog-count" role="status">
          {results.length} products
        </p>
        {results.length > 0 ? (
          <ul className="product-grid" aria-label="Products">
            {results.map((product) => (
              <li key={product.id}>
                <ProductCard product={product} brandName={brandNames.get(product.brandId)} />
              </li>
            ))}
          </ul>
        ) : (
          <p className="catalog-empty">
            {products.length === 0
              ? 'The catalog is empty.'
              : 'No products match. Try other words or widen the price range.'}
          </p>
        )}
      </>
    );
  }

  return (
    <div className="catalog-page">
      <title>Catalog · Vitrine</title>
      <h1>Catalog</h1>
      {body}
    </div>
  );
}
