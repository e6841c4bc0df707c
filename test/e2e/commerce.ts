/**
 * Helpers of the cart sync, checkout and order e2e tests: adding to the cart through the product page, the
 * cart page's sync status, the cart credentials the device stored in IndexedDB, and the server's view of the
 * cart and its orders read over the API with those credentials (as another device would).
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { CartResponse, Order, OrderList, type ServerCart } from '../../src/protocol/cart';
import type { CatalogSnapshot, Product, Variant } from '../../src/protocol/catalog';
import { must, waitFor } from './catalog-data';

/** A product and one of its variants. */
export interface Pick {
  product: Product;
  variant: Variant;
}

/** The line name the UI uses: "<product> (<variant>)". */
export const lineName = ({ product, variant }: Pick): string => `${product.name} (${variant.name})`;

/**
 * `count` variants of different products with at least `minStock` in stock, priced under €1,000 (so a
 * price prints without a thousands separator), in catalog order.
 */
export function pickVariants(catalog: CatalogSnapshot, count: number, minStock = 3): Pick[] {
  const picks: Pick[] = [];
  for (const product of catalog.products) {
    const variant = product.variants.find((v) => v.stock >= minStock && v.price.amount < 100_000);
    if (variant) picks.push({ product, variant });
    if (picks.length === count) return picks;
  }
  throw new Error(`only ${picks.length} products have a variant with ${minStock} or more in stock`);
}

/** "€189.00" for 18900 EUR cents (en-US, as the UI formats money; amounts under 1,000 only). */
export function euros(amount: number): string {
  if (amount >= 100_000) throw new Error('euros() formats amounts under €1,000 only');
  return `€${(amount / 100).toFixed(2)}`;
}

/** Waits until the service worker controls `page` (the app then starts offline from its precache). */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await waitFor(
    'the service worker to control the page',
    () => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null),
    (url) => url !== null && new URL(url).pathname === '/sw.js',
    60_000,
  );
}

/** Waits until the catalog page lists `count` products (the catalog is then in IndexedDB). */
export async function waitForCatalog(page: Page, count: number): Promise<void> {
  await waitFor(
    `the catalog to list ${count} products`,
    () => page.getByRole('list', { name: 'Products', exact: true }).getByRole('listitem').count(),
    (n) => n === count,
    60_000,
  );
}

/** Opens the product page, picks the variant and presses "Add to cart" (works offline, from IndexedDB). */
export async function addToCart(page: Page, { product, variant }: Pick): Promise<void> {
  await page.goto(`/product/${product.id}`);
  await expect.poll(() => page.locator('h1').innerText(), { timeout: 30_000 }).toBe(product.name);
  await page.getByRole('radio', { name: variant.name, exact: true }).check();
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect
    .poll(() => page.getByRole('status').filter({ hasText: 'Added to cart' }).count(), { timeout: 15_000 })
    .toBeGreaterThan(0);
}

/** The cart page's lines (`<li>` of the list "Cart lines"). */
export const cartLines = (page: Page) => page.getByRole('list', { name: 'Cart lines' }).getByRole('listitem');

/** The cart page's sync status text ("2 changes not yet sent", "All changes saved"). */
export const syncStatus = (page: Page) =>
  page.getByRole('status', { name: /^(All changes saved|\d+ changes? not yet sent)$/ }).innerText();

/** `data-pending` of every cart line, by sku. */
export async function pendingBySku(page: Page): Promise<Record<string, string | null>> {
  const out: Record<string, string | null> = {};
  for (const line of await cartLines(page).all()) {
    out[must(await line.getAttribute('data-sku'), 'data-sku on a cart line')] =
      await line.getAttribute('data-pending');
  }
  return out;
}

/** The device's cart sync row (IndexedDB `vitrine`, table `cartSync`, key `cart`), as stored. */
export function storedCartSync(page: Page): Promise<Record<string, unknown> | undefined> {
  return page.evaluate(
    () =>
      new Promise<Record<string, unknown> | undefined>((resolve, reject) => {
        const open = indexedDB.open('vitrine');
        open.onerror = () => reject(open.error ?? new Error('indexedDB.open failed'));
        open.onsuccess = () => {
          const idb = open.result;
          const get = idb.transaction('cartSync', 'readonly').objectStore('cartSync').get('cart');
          get.onerror = () => reject(get.error ?? new Error('cartSync get failed'));
          get.onsuccess = () => {
            idb.close();
            resolve(get.result as Record<string, unknown> | undefined);
          };
        };
      }),
  );
}

/** Ops waiting in the device's outbox (IndexedDB `vitrine`, table `outbox`). */
export function outboxSize(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('vitrine');
        open.onerror = () => reject(open.error ?? new Error('indexedDB.open failed'));
        open.onsuccess = () => {
          const idb = open.result;
          const count = idb.transaction('outbox', 'readonly').objectStore('outbox').count();
          count.onerror = () => reject(count.error ?? new Error('outbox count failed'));
          count.onsuccess = () => {
            idb.close();
            resolve(count.result);
          };
        };
      }),
  );
}

/** The server cart's id and token as the device stored them (IndexedDB `vitrine`, table `cartSync`). */
export async function cartCredentials(page: Page): Promise<{ cartId: string; token: string }> {
  const state = await storedCartSync(page);
  const cartId = state?.cartId;
  const token = state?.token;
  if (typeof cartId !== 'string' || typeof token !== 'string') {
    throw new Error(`no server cart in IndexedDB cartSync: ${JSON.stringify(state)}`);
  }
  return { cartId, token };
}

async function getJson(url: string, token: string): Promise<unknown> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${await res.text()}`);
  return res.json();
}

/** `GET /api/v1/carts/:cartId` with the cart's token. */
export async function fetchServerCart(
  baseUrl: string,
  { cartId, token }: { cartId: string; token: string },
): Promise<ServerCart> {
  return CartResponse.parse(await getJson(`${baseUrl}/api/v1/carts/${cartId}`, token)).cart;
}

/** `GET /api/v1/carts/:cartId/orders` with the cart's token (newest first). */
export async function fetchCartOrders(
  baseUrl: string,
  { cartId, token }: { cartId: string; token: string },
): Promise<Order[]> {
  return OrderList.parse(await getJson(`${baseUrl}/api/v1/carts/${cartId}/orders`, token)).orders;
}

/** `GET /api/v1/orders/:orderId` with the token of the order's cart. */
export async function fetchOrder(baseUrl: string, orderId: string, token: string): Promise<Order> {
  return Order.parse(await getJson(`${baseUrl}/api/v1/orders/${orderId}`, token));
}

/** The server cart's lines as `sku → qty`. */
export const qtyBySku = (cart: ServerCart): Record<string, number> =>
  Object.fromEntries(cart.lines.map((l) => [l.sku, l.qty]));
