// Catalog page against the UI contract: listing and posters, search, category and price filters, sort
// order, and keyboard access. Expected counts come from the server's own catalog API.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import type { CatalogSnapshot } from '../../src/protocol/catalog';
import { useBrowser } from './browser';
import { fetchCatalog } from '../support/catalog-api';
import { lowestAmount, must, parseAmount, waitFor } from './catalog-data';

const session = useBrowser();
let catalog: CatalogSnapshot;

beforeAll(async () => {
  catalog = await fetchCatalog(session.baseUrl);
});

const productList = (page: Page) => page.getByRole('list', { name: 'Products', exact: true });
const items = (page: Page) => productList(page).getByRole('listitem');

/** Number of products listed once the list settles on `ok`. */
function listedCount(page: Page, ok: (n: number) => boolean, what: string): Promise<number> {
  return waitFor(what, () => items(page).count(), ok, 30_000);
}

/** The "N products" status text, as a number. */
async function statusCount(page: Page): Promise<number> {
  const text = await page
    .getByRole('status')
    .filter({ hasText: /^\s*\d+ products?\s*$/ })
    .first()
    .innerText();
  return Number(/\d+/.exec(text)?.[0]);
}

/** Prices shown in the list, in minor units, top to bottom. */
async function listedPrices(page: Page): Promise<number[]> {
  const texts = await items(page).evaluateAll((lis) => lis.map((li) => (li as HTMLElement).innerText));
  return texts.map((t) => {
    const line = t.split('\n').find((l) => /from\s/i.test(l)) ?? t;
    return parseAmount(line);
  });
}

async function openCatalog(page: Page): Promise<number> {
  await page.goto('/');
  const n = await listedCount(page, (c) => c >= 12, 'at least 12 products in the catalog list');
  await expect.poll(() => statusCount(page)).toBe(n);
  return n;
}

describe('catalog page', () => {
  test('lists every product with a loaded poster, name link and price', async () => {
    const page = await session.newPage();
    const n = await openCatalog(page);
    expect(catalog.products.length).toBeGreaterThanOrEqual(12);
    expect(n).toBe(catalog.products.length);
    await expect.poll(() => page.locator('h1').count()).toBe(1);
    await expect.poll(() => page.getByRole('main').count()).toBe(1);

    for (const product of catalog.products) {
      const li = items(page).filter({ has: page.getByRole('link', { name: product.name }) });
      await expect.poll(() => li.count(), { message: `list item of ${product.name}` }).toBe(1);
      const link = li.getByRole('link', { name: product.name }).first();
      expect(await link.getAttribute('href')).toBe(`/product/${product.id}`);
      const poster = li.getByRole('img', { name: product.name, exact: true });
      await poster.scrollIntoViewIfNeeded();
      await expect
        .poll(() => poster.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), {
          message: `poster of ${product.name} loaded`,
          timeout: 20_000,
        })
        .toBeGreaterThan(0);
      expect(parseAmount(await li.innerText())).toBe(lowestAmount(product));
    }
  });

  test('search narrows the list and clearing it restores the list', async () => {
    const page = await session.newPage();
    const total = await openCatalog(page);
    // A word of one product's name that not every product shares.
    const candidates = catalog.products.flatMap((p) =>
      p.name
        .split(/\s+/)
        .filter((w) => w.length >= 4)
        .map((word) => ({ product: p, word })),
    );
    const lower = (s: string) => s.toLowerCase();
    const pick = candidates.find(
      ({ word }) => catalog.products.filter((p) => lower(p.name).includes(lower(word))).length < total / 2,
    );
    const { product, word } = must(pick, 'a distinctive word in some product name');

    const search = page.getByRole('searchbox', { name: 'Search products' });
    await search.fill(word);
    const narrowed = await listedCount(page, (c) => c > 0 && c < total, `the list to narrow for "${word}"`);
    await expect.poll(() => statusCount(page)).toBe(narrowed);
    await expect
      .poll(() => productList(page).getByRole('link', { name: product.name }).count())
      .toBeGreaterThan(0);

    await search.fill('zzqx-no-such-product');
    await listedCount(page, (c) => c === 0, 'no results for nonsense');
    await expect.poll(() => statusCount(page)).toBe(0);

    await search.fill('');
    await listedCount(page, (c) => c === total, 'the full list after clearing the search');
    await expect.poll(() => statusCount(page)).toBe(total);
  });

  test('category filter and price range narrow the list to exactly the matching products', async () => {
    const page = await session.newPage();
    const total = await openCatalog(page);

    const byCategory = catalog.categories
      .map((c) => ({ category: c, count: catalog.products.filter((p) => p.category === c.id).length }))
      .filter(({ count }) => count > 0 && count < total);
    const { category, count } = must(byCategory[0], 'a category holding some but not all products');
    const select = page.getByRole('combobox', { name: 'Category' });
    expect(await select.locator('option').first().innerText()).toBe('All categories');
    expect(await select.locator('option').first().getAttribute('value')).toBe('');
    await select.selectOption({ label: category.name });
    await listedCount(page, (c) => c === count, `${count} products in ${category.name}`);
    for (const p of catalog.products.filter((q) => q.category === category.id)) {
      expect(await productList(page).getByRole('link', { name: p.name }).count(), p.name).toBeGreaterThan(0);
    }
    await select.selectOption('');
    await listedCount(page, (c) => c === total, 'all products again');

    // Price range in major units, compared with each product's lowest price.
    const prices = catalog.products.map(lowestAmount).sort((a, b) => a - b);
    const lowMajor = Math.ceil(must(prices[Math.floor(prices.length / 4)], 'first quartile') / 100);
    const highMajor = Math.floor(must(prices[Math.floor((prices.length * 3) / 4)], 'third quartile') / 100);
    const inRange = catalog.products.filter((p) => {
      const amount = lowestAmount(p);
      return amount >= lowMajor * 100 && amount <= highMajor * 100;
    }).length;
    const belowHigh = catalog.products.filter((p) => lowestAmount(p) <= highMajor * 100).length;
    expect(inRange).toBeGreaterThan(0);
    expect(inRange).toBeLessThan(total);

    await page.getByRole('spinbutton', { name: 'Maximum price' }).fill(String(highMajor));
    await listedCount(page, (c) => c === belowHigh, `${belowHigh} products up to ${highMajor}`);
    await page.getByRole('spinbutton', { name: 'Minimum price' }).fill(String(lowMajor));
    await listedCount(page, (c) => c === inRange, `${inRange} products from ${lowMajor} to ${highMajor}`);
    for (const amount of await listedPrices(page)) {
      expect(amount).toBeGreaterThanOrEqual(lowMajor * 100);
      expect(amount).toBeLessThanOrEqual(highMajor * 100);
    }
  });

  test('sort by price ascending orders the prices', async () => {
    const page = await session.newPage();
    const total = await openCatalog(page);
    const sort = page.getByRole('combobox', { name: 'Sort by' });
    const values = await sort
      .locator('option')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(values).toEqual(['relevance', 'price-asc', 'price-desc', 'name']);

    await sort.selectOption('price-asc');
    const expected = catalog.products.map(lowestAmount).sort((a, b) => a - b);
    const ascending = await waitFor(
      'prices in ascending order',
      () => listedPrices(page),
      (p) => p.length === total && p.every((v, i) => i === 0 || (p[i - 1] ?? v) <= v),
    );
    expect(ascending).toEqual(expected);

    await sort.selectOption('price-desc');
    const descending = await waitFor(
      'prices in descending order',
      () => listedPrices(page),
      (p) => p.length === total && p.every((v, i) => i === 0 || (p[i - 1] ?? v) >= v),
    );
    expect(descending).toEqual([...expected].reverse());
  });

  test('keyboard: Tab reaches the search box and a product link, Enter opens the product', async () => {
    const page = await session.newPage();
    await openCatalog(page);
    await page.locator('body').focus();

    const focused = () =>
      page.evaluate(() => {
        const el = document.activeElement;
        if (!el) return { kind: 'none', href: '' };
        const inProducts = el.closest('ul[aria-label="Products"]') !== null;
        return {
          kind: `${el.tagName.toLowerCase()}:${el.getAttribute('type') ?? ''}${inProducts ? ':product' : ''}`,
          href: el.getAttribute('href') ?? '',
        };
      });

    let reachedSearch = false;
    let productHref = '';
    for (let presses = 0; presses < 60 && productHref === ''; presses++) {
      await page.keyboard.press('Tab');
      const { kind, href } = await focused();
      if (kind === 'input:search') reachedSearch = true;
      if (kind === 'a::product' && reachedSearch) productHref = href;
    }
    expect(reachedSearch, 'Tab reaches the search box').toBe(true);
    expect(productHref, 'Tab reaches a product link after the search box').toMatch(/^\/product\/[a-z0-9-]+$/);

    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === productHref);
    const id = productHref.split('/').pop();
    const product = catalog.products.find((p) => p.id === id);
    await expect.poll(() => page.locator('h1').innerText()).toBe(product?.name);
  });
});
