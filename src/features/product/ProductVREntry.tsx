/**
 * The product page's way into VR: asks the browser whether immersive VR is supported and, only then, loads the VR
 * view (ProductVRView: three.js room, XR store, VR shopping) and shows its "Enter VR" button. The check starts with
 * the page, so on a headset the view is loaded by the time the shopper presses the button and the session starts in
 * that click (a real headset requires the gesture). Elsewhere nothing of it downloads and nothing is shown. A view
 * that fails to load leaves the page as it is (no button).
 */
import { lazy, Suspense } from 'react';
import type { ProductVRViewProps } from './ProductVRView';
import { useSessionSupported } from '../../xr/use-session-supported';
import ViewerBoundary from './ViewerBoundary';

const ProductVRView = lazy(() => import('./ProductVRView'));

/** "Enter VR" for a product page, where immersive VR is supported (nothing otherwise). */
export default function ProductVREntry(props: ProductVRViewProps) {
  const supported = useSessionSupported('immersive-vr');
  if (!supported) return null;
  return (
    <ViewerBoundary fallback={null}>
      <Suspense fallback={null}>
        {/* One view per product: going from one product page to another starts afresh. */}
        <ProductVRView key={props.product.id} {...props} />
      </Suspense>
    </ViewerBoundary>
  );
}
