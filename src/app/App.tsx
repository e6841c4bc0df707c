import { lazy, Suspense } from 'react';
import { Route, Router, Switch } from 'wouter';
import { useSearch as useBrowserSearch } from 'wouter/use-browser-location';
import CatalogPage from '../features/catalog/CatalogPage';
import Layout from './Layout';
import LazyPage from './LazyPage';
import NotFoundPage from './NotFoundPage';

// Everything but the catalog loads on demand, so three.js never ships with the catalog page.
const ProductPage = lazy(() => import('../features/product/ProductPage'));
const CartPage = lazy(() => import('../features/cart/CartPage'));
const CartJoinPage = lazy(() => import('../features/cart/CartJoinPage'));
const CheckoutPage = lazy(() => import('../features/checkout/CheckoutPage'));
const OrdersPage = lazy(() => import('../features/orders/OrdersPage'));
const OrderPage = lazy(() => import('../features/orders/OrderPage'));
const ShowroomsPage = lazy(() => import('../features/showroom/ShowroomsPage'));
const ShowroomPage = lazy(() => import('../features/showroom/ShowroomPage'));
const SaveForOffline = lazy(() => import('../features/offline/SaveForOffline'));

/** "Save for offline" of a showroom or product, composed into its page (loads with the page, shows nothing until then). */
const saveShowroom = (id: string) => (
  <Suspense fallback={null}>
    <SaveForOffline target={{ kind: 'showroom', id }} />
  </Suspense>
);
const saveProduct = (id: string) => (
  <Suspense fallback={null}>
    <SaveForOffline target={{ kind: 'product', id }} />
  </Suspense>
);

/**
 * The query string exactly as the address bar has it. wouter passes the search through `decodeURI` before
 * `useSearchParams` parses it, which would decode a typed "%41" twice (to "A"); escaping every "%" first makes
 * that `decodeURI` give back the raw string, so `URLSearchParams` decodes it once, as the browser encoded it.
 */
function useRawSearch(): string {
  return useBrowserSearch().replace(/%/g, '%25');
}

/**
 * The app: routes of the UI contract inside the shared layout. The router is wouter (browser history; state
 * updates are synchronous, so URL-driven inputs keep up with typing and lazy pages show their loading text).
 */
export default function App() {
  return (
    <Router searchHook={useRawSearch}>
      <Layout>
        <Switch>
          <Route path="/">
            <CatalogPage />
          </Route>
          <Route path="/product/:id">
            <LazyPage what="product">
              <ProductPage offlineControl={saveProduct} />
            </LazyPage>
          </Route>
          <Route path="/showrooms">
            <LazyPage what="showrooms">
              <ShowroomsPage />
            </LazyPage>
          </Route>
          <Route path="/showroom/:id">
            <LazyPage what="showroom">
              <ShowroomPage offlineControl={saveShowroom} />
            </LazyPage>
          </Route>
          <Route path="/cart">
            <LazyPage what="cart">
              <CartPage />
            </LazyPage>
          </Route>
          <Route path="/cart/join">
            <LazyPage what="cart">
              <CartJoinPage />
            </LazyPage>
          </Route>
          <Route path="/checkout">
            <LazyPage what="checkout">
              <CheckoutPage />
            </LazyPage>
          </Route>
          <Route path="/orders">
            <LazyPage what="orders">
              <OrdersPage />
            </LazyPage>
          </Route>
          <Route path="/orders/:id">
            <LazyPage what="order">
              <OrderPage />
            </LazyPage>
          </Route>
          <Route>
            <NotFoundPage />
          </Route>
        </Switch>
      </Layout>
    </Router>
  );
}
