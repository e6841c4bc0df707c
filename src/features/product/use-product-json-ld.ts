/**
 * Puts the product's schema.org JSON-LD in the document head while the product page is shown. It is created
 * through the DOM (no inline script in the HTML, which the CSP forbids) and removed on unmount.
 */
import { useEffect } from 'react';
import { productJsonLd } from './product-json-ld';
import type { Brand, Product } from '../../protocol/catalog';

/** Keeps one `<script type="application/ld+json">` for the product in `<head>`. */
export function useProductJsonLd(product: Product | undefined, brand: Brand | undefined): void {
  useEffect(() => {
    if (!product) return;
    const script = document.createElement('script');
    script.type = 'application/ld+json';
    script.textContent = JSON.stringify(productJsonLd(product, brand, window.location.origin));
    document.head.append(script);
    return () => script.remove();
  }, [product, brand]);
}
