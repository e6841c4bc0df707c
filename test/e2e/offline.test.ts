// Offline start against the UI contract: a first visit online installs the service worker and precaches the
// app shell, opening a product caches its model and poster; then, with the network cut
// (`context.setOffline(true)`), a reload still starts the app from the service worker: the catalog lists and
// searches products from IndexedDB, the header says "Offline", the visited product renders its model, and
// add to cart works. The tests of this file share one browser context, in order.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CatalogSnapshot, Product, Variant } from '../../src/protocol/catalog';
import { useBrowser } from './browser';
import { outboxSize } from './commerce';
import { fetchCatalog } from '../support/catalog-api';
import { must, richProduct, waitFor } from './catalog-data';

const session = useBrowser();
let catalog: CatalogSnapshot;
let product: Product;
let variant: Variant;

beforeAll(async () => {
  catalog = await fetchCatalog(session.baseUrl);
  product = richProduct(catalog);
  variant = must(
    product.variants.find((v) => v.stock > 0),
    `${product.id} has a variant in stock`,
  );
});

afterAll(async () => {
  await session.context.setOffline(false);
});

const productList = (page: Page) => page.getByRole('list', { name: 'Products', exact: true });
const offlineBadge = (page: Page) =>
  page
    .getByRole('banner')
    .getByRole('status')
    .filter({ hasText: /^Offline\b/ });

/** Names of the Cache Storage caches and how many entries each holds. */
function cacheContents(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(async () => {
    const out: Record<string, string[]> = {};
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      out[name] = (await cache.keys()).map((r) => new URL(r.url).pathname);
    }
    return out;
  });
}

async function waitForCatalog(page: Page): Promise<void> {
  await waitFor(
    'the catalog to list every product',
    () => productList(page).getByRole('listitem').count(),
    (n) => n === catalog.products.length,
    60_000,
  );
}

async function waitModelReady(page: Page): Promise<void> {
  const state = await waitFor(
    'the product viewer to reach data-state=ready',
    () => page.getByTestId('product-viewer').getAttribute('data-state'),
    (s) => s === 'ready' || s === 'error',
    90_000,
  );
  expect(state).toBe('ready');
}

describe('offline', () => {
  test('online: the service worker takes control, precaches the shell, and caches a visited model', async () => {
    const page = await session.newPage();
    await page.goto('/');
    await waitForCatalog(page);
    expect(await offlineBadge(page).count()).toBe(0);

    // The first visit is taken over by the worker once it has installed (precached) and activated.
    await waitFor(
      'the service worker to control the page',
      () => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null),
      (url) => url !== null && new URL(url).pathname === '/sw.js',
      60_000,
    );
    const shell = await cacheContents(page);
    const precacheName = must(
      Object.keys(shell).find((name) => name.startsWith('workbox-precache')),
      `a precache among ${Object.keys(shell).join(', ')}`,
    );
    const precached = shell[precacheName] ?? [];
    expect(precached).toContain('/index.html');
    expect(precached).toContain('/environments/room.pmrem.gz');
    expect(precached).toContain('/decoders/draco/draco_decoder.wasm');
    expect(precached.some((p) => /^\/static\/index-.+\.js$/.test(p))).toBe(true);
    expect(precached.filter((p) => p.startsWith('/assets/'))).toEqual([]);
    console.log(`[offline] precache ${precacheName}: ${precached.length} entries`);

    await page.goto(`/product/${product.id}`);
    await expect.poll(() => page.locator('h1').innerText(), { timeout: 30_000 }).toBe(product.name);
    await waitModelReady(page);
    const cached = await waitFor(
      'the model and poster to be in their runtime caches',
      () => cacheContents(page),
      (c) =>
        (c['vitrine-models'] ?? []).includes(product.model.url) &&
        (c['vitrine-posters'] ?? []).includes(product.poster.url),
      20_000,
    );
    expect(cached['vitrine-models']).toEqual([product.model.url]);
  });

  test('offline: the app starts, searches, shows "Offline", renders the visited model, and adds to cart', async () => {
    // A repeat visit with no network: a new tab opening the app, then a reload of it.
    await session.context.setOffline(true);
    const page = await session.newPage();
    const started = Date.now();
    const first = await page.goto('/');
    expect(first?.fromServiceWorker(), 'the app shell comes from the service worker').toBe(true);
    await waitForCatalog(page);
    console.log(`[offline] offline start to full catalog: ${Date.now() - started} ms`);
    const reloaded = await page.reload();
    expect(reloaded?.fromServiceWorker(), 'the reload is answered by the service worker').toBe(true);
    await waitForCatalog(page);
    await expect.poll(() => offlineBadge(page).count()).toBe(1);
    const explanation = await page.getByRole('banner').getByRole('status').innerText();
    expect(explanation).toMatch(/no connection/i);

    const search = page.getByRole('searchbox', { name: 'Search products' });
    await search.fill(product.name);
    await waitFor(
      'the search to narrow the list',
      () => productList(page).getByRole('listitem').count(),
      (n) => n >= 1 && n < catalog.products.length,
    );
    expect(await productList(page).getByRole('link', { name: product.name }).count()).toBeGreaterThan(0);

    await productList(page).getByRole('link', { name: product.name }).first().click();
    await expect.poll(() => page.locator('h1').innerText(), { timeout: 30_000 }).toBe(product.name);
    await waitModelReady(page);

    await page.getByRole('radio', { name: variant.name, exact: true }).check();
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Added to cart' }).count())
      .toBeGreaterThan(0);
    await page.getByRole('link', { name: /^Cart, 1 items?$/ }).click();
    await expect
      .poll(() => page.getByRole('main').innerText(), { timeout: 15_000 })
      .toContain(`${product.name} (${variant.name})`);
    expect(await offlineBadge(page).count()).toBe(1);

    await session.context.setOffline(false);
    await expect.poll(() => offlineBadge(page).count()).toBe(0);
  });

  test('offline: a product whose model was never saved shows its poster and says the 3D view needs a connection', async () => {
    const page = await session.newPage();
    // Online first, under the service worker, so that the posters on screen are in their cache (the others
    // load lazily); the product is one of those, with a model of its own that was never opened.
    await page.goto('/');
    await waitForCatalog(page);
    const posters = await waitFor(
      'posters on screen to be cached',
      async () => (await cacheContents(page))['vitrine-posters'] ?? [],
      (urls) => catalog.products.some((p) => p.id !== product.id && urls.includes(p.poster.url)),
      20_000,
    );
    const unsaved = must(
      catalog.products.find(
        (p) => p.id !== product.id && p.model.url !== product.model.url && posters.includes(p.poster.url),
      ),
      'a product with a cached poster and another model',
    );
    // The cart line added offline in the test before is sent now that the app is online again: let that push
    // finish, so that cutting the network does not cut it (the browser would log the cut request as an error).
    await expect.poll(() => outboxSize(page), { timeout: 30_000 }).toBe(0);
    await session.context.setOffline(true);
    await page.goto(`/product/${unsaved.id}`);
    await expect.poll(() => page.locator('h1').innerText(), { timeout: 30_000 }).toBe(unsaved.name);
    const viewer = page.getByTestId('product-viewer');
    await expect.poll(() => viewer.getAttribute('data-state'), { timeout: 15_000 }).toBe('offline');
    expect(await viewer.getByRole('status').innerText()).toMatch(/needs a connection/);
    const poster = viewer.locator('img');
    await expect.poll(() => poster.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    const models = (await cacheContents(page))['vitrine-models'] ?? [];
    expect(models, 'nothing was fetched for the unsaved model').not.toContain(unsaved.model.url);

    // Back online, the same view loads the model without a reload.
    await session.context.setOffline(false);
    await expect.poll(() => viewer.getAttribute('data-state'), { timeout: 90_000 }).toBe('ready');
  });
});
