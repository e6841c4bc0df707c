// Catalog delta end to end: the catalog page is open, a product changes on the running server (written with
// the server's own storage module into its SQLite file, as a publishing tool would), and a reload shows the
// new name and price after pulling only the changes since the device's cursor.
import type { Kysely } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { CatalogChanges, type CatalogSnapshot, type Product } from '../../src/protocol/catalog';
import { putProduct } from '../../src/server/storage/catalog-store';
import { openDatabase } from '../../src/server/storage/connection';
import type { Database } from '../../src/server/storage/schema';
import { fetchCatalog } from '../support/catalog-api';
import { useBrowser } from './browser';
import { lowestAmount, must, parseAmount, waitFor } from './catalog-data';

const session = useBrowser();
let catalog: CatalogSnapshot;
let store: Kysely<Database>;
let original: Product;

beforeAll(async () => {
  catalog = await fetchCatalog(session.baseUrl);
  store = await openDatabase(inject('dataDir'));
  original = must(catalog.products.at(-1), 'a product in the catalog');
});

afterAll(async () => {
  // Put the product back as it was for the test files that run after this one.
  if (original) await putProduct(store, { ...original, updatedAt: new Date().toISOString() });
  await store.destroy();
});

const items = (page: Page) => page.getByRole('list', { name: 'Products', exact: true }).getByRole('listitem');
const itemOf = (page: Page, name: string) =>
  items(page).filter({ has: page.getByRole('link', { name, exact: true }) });

/** Bodies of the catalog change pages the page fetched, as they were parsed. */
function recordChangePages(page: Page): { since: string | null; body: CatalogChanges; bytes: number }[] {
  const pages: { since: string | null; body: CatalogChanges; bytes: number }[] = [];
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (url.pathname !== '/api/v1/catalog/changes') return;
    void response.text().then((text) => {
      pages.push({
        since: url.searchParams.get('since'),
        body: CatalogChanges.parse(JSON.parse(text)),
        bytes: text.length,
      });
    });
  });
  return pages;
}

describe('catalog delta', () => {
  test('a product changed on the server shows its new name and price after a reload', async () => {
    const page = await session.newPage();
    const pages = recordChangePages(page);
    await page.goto('/');
    await waitFor(
      'every product listed',
      () => items(page).count(),
      (n) => n === catalog.products.length,
      30_000,
    );
    await expect.poll(() => itemOf(page, original.name).count()).toBe(1);
    await expect.poll(() => pages.length).toBeGreaterThan(0);
    const first = must(pages.at(-1), 'a first change page');
    expect(first.since).toBe('0');
    expect(first.body.hasMore).toBe(false);
    const fullBytes = pages.reduce((sum, p) => sum + p.bytes, 0);

    const changed: Product = {
      ...original,
      name: `${original.name} (new edition)`,
      variants: original.variants.map((v) => ({
        ...v,
        price: { ...v.price, amount: v.price.amount + 1234 },
      })),
      updatedAt: new Date().toISOString(),
    };
    const cursor = await putProduct(store, changed);

    pages.length = 0;
    await page.reload();
    const item = itemOf(page, changed.name);
    await expect.poll(() => item.count(), { timeout: 30_000 }).toBe(1);
    expect(parseAmount(await item.innerText())).toBe(lowestAmount(changed));
    expect(await itemOf(page, original.name).count()).toBe(0);
    expect(await items(page).count()).toBe(catalog.products.length);

    // The reload asked for the changes since the device's cursor only, and got this one product.
    await expect.poll(() => pages.length).toBeGreaterThan(0);
    const delta = must(pages.at(-1), 'a delta page');
    expect(delta.since).toBe(first.body.cursor);
    expect(delta.body.cursor).toBe(cursor);
    expect(delta.body.changes.map((c) => `${c.entity}:${c.id}:${c.op}`)).toEqual([
      `product:${original.id}:put`,
    ]);
    expect(delta.bytes).toBeLessThan(fullBytes);
    console.info(`[catalog-delta] full pull ${fullBytes} B, one-product delta ${delta.bytes} B`);
  });

  test('a change made while the device was offline arrives when the connection comes back, without a reload', async () => {
    const page = await session.newPage();
    await page.goto('/');
    await waitFor(
      'every product listed',
      () => items(page).count(),
      (n) => n === catalog.products.length,
      30_000,
    );
    const before = must(
      catalog.products.find((p) => p.id !== original.id),
      'a second product',
    );
    await expect.poll(() => itemOf(page, before.name).count()).toBe(1);

    await session.context.setOffline(true);
    const renamed: Product = {
      ...before,
      name: `${before.name} (back in stock)`,
      updatedAt: new Date().toISOString(),
    };
    await putProduct(store, renamed);
    try {
      await session.context.setOffline(false);
      await expect.poll(() => itemOf(page, renamed.name).count(), { timeout: 30_000 }).toBe(1);
      expect(await itemOf(page, before.name).count()).toBe(0);
    } finally {
      await putProduct(store, { ...before, updatedAt: new Date().toISOString() });
    }
  });
});
