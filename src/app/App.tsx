import { lazy } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import CatalogPage from '../features/catalog/CatalogPage';
import Layout from './Layout';
import LazyPage from './LazyPage';
import NotFoundPage from './NotFoundPage';

// Everything but the catalog loads on demand, so three.js never ships with the catalog page.
const ProductPage = lazy(() => import('../features/product/ProductPage'));
const CartPage = lazy(() => import('../features/cart/CartPage'));
const ShowroomsPage = lazy(() => import('../features/showroom/ShowroomsPage'));
const ShowroomPage = lazy(() => import('../features/showroom/ShowroomPage'));

/** The app: routes of the UI contract inside the shared layout. */
export default function App() {
  return (
    // Without transitions, URL-driven inputs update synchronously and lazy pages show their loading text.
    <BrowserRouter useTransitions={false}>
      <Routes>
        <Route element={<Layout />}>
          <Route index element={<CatalogPage />} />
          <Route
            path="product/:id"
            element={
              <LazyPage what="product">
                <ProductPage />
              </LazyPage>
            }
          />
          <Route
            path="showrooms"
            element={
              <LazyPage what="showrooms">
                <ShowroomsPage />
              </LazyPage>
            }
          />
          <Route
            path="showroom/:id"
            element={
              <LazyPage what="showroom">
                <ShowroomPage />
              </LazyPage>
            }
          />
          <Route
            path="cart"
            element={
              <LazyPage what="cart">
                <CartPage />
              </LazyPage>
            }
          />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </BrowserRouter>
  );
}
