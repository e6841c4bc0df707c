// Cart flow against the UI contract: add from the product page, the header count, the cart page lines,
// quantity changes updating the total, and removal emptying the cart. The tests of this file share one
// browser context (one IndexedDB), in order.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import type { CatalogSnapshot, Product, Variant } from '../../src/protocol/catalog';
import { useBrowser } from './browser';
import { fetchCatalog } from '../support/catalog-api';
import { parseAmount, waitFor } from './catalog-data';

const session = useBrowser();
let catalog: CatalogSnapshot;
let product: Product;
let variant: Variant;

beforeAll(async () => {
  catalog = await fetchCatalog(session.baseUrl);
  // An in-stock variant with room for 3, preferably not the first one (so the picker really matters).
  const withStock = catalog.products.flatMap((p) =>
    p.variants.filter((v) => v.stock >= 3).map((v) => ({ p, v })),
  );
  const pick = withStock.find(({ p, v }) => p.variants.length > 1 && v !== p.variants[0]) ?? withStock[0];
  if (!pick) throw new Error('no variant with 3 or more in stock');
  product = pick.p;
  variant = pick.v;
});

const cartLink = (page: Page) => page.getByRole('link', { name: /^Cart, \d+ items?$/ });
const lineName = () => `${product.name} (${variant.name})`;

/** The amount printed after "Total" on the cart page, in minor units. */
async function cartTotal(page: Page): Promise<number> {
  const text = await page.getByRole('main').innerText();
  const match = /(?:^|\n)\s*Total\b[\s:]*([^\n]*\d)/.exec(text);
  if (!match?.[1]) throw new Error(`no "Total" line in: ${text}`);
  return parseAmount(match[1]);
}

describe('cart', () => {
  test('Add to cart confirms, and the header counts 1 item', async () => {
    const page = await session.newPage();
    await page.goto(`/product/${product.id}`);
    await expect.poll(() => page.locator('h1').innerText(), { timeout: 30_000 }).toBe(product.name);
    await headerSays(page, /^Cart, 0 items$/);
    expect(await cartLink(page).count()).toBe(1);

    await page.getByRole('radio', { name: variant.name, exact: true }).check();
    const add = page.getByRole('button', { name: 'Add to cart' });
    expect(await add.isEnabled()).toBe(true);
    await add.click();
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Added to cart' }).count())
      .toBeGreaterThan(0);
    await headerSays(page, /^Cart, 1 items?$/);
  });

  test('the cart page lists the line; quantity 3 updates the total', async () => {
    const page = await session.newPage();
    await page.goto('/');
    await cartLink(page).click();
    await page.waitForURL((url) => url.pathname === '/cart');
    await expect.poll(() => page.locator('h1').innerText()).toBe('Cart');
    const lines = page.getByRole('list', { name: 'Cart lines' }).getByRole('listitem');
    await expect.poll(() => lines.count(), { timeout: 20_000 }).toBe(1);
    const lineText = await lines.first().innerText();
    expect(lineText).toContain(product.name);
    expect(lineText).toContain(variant.name);
    await expect.poll(() => cartTotal(page)).toBe(variant.price.amount);

    const quantity = page.getByRole('spinbutton', { name: `Quantity of ${lineName()}` });
    expect(await quantity.inputValue()).toBe('1');
    await quantity.fill('3');
    await quantity.press('Tab');
    await expect.poll(() => cartTotal(page), { timeout: 20_000 }).toBe(variant.price.amount * 3);
    await expect.poll(() => lines.first().innerText().then(parseAmount)).toBe(variant.price.amount * 3);
    await headerSays(page, /^Cart, 3 items$/);

    // The line survives a reload (it lives in IndexedDB).
    await page.reload();
    await expect.poll(() => cartTotal(page), { timeout: 20_000 }).toBe(variant.price.amount * 3);
  });

  test('Remove empties the cart', async () => {
    const page = await session.newPage();
    await page.goto('/cart');
    const remove = page.getByRole('button', { name: `Remove ${lineName()}` });
    await remove.waitFor({ timeout: 20_000 });
    await remove.click();
    await expect
      .poll(() => page.getByText('Your cart is empty').count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    expect(await page.getByRole('list', { name: 'Cart lines' }).getByRole('listitem').count()).toBe(0);
    await headerSays(page, /^Cart, 0 items$/);
  });
});

/** Waits until the page has a link whose accessible name matches `name` (the header's cart link). */
async function headerSays(page: Page, name: RegExp): Promise<void> {
  await waitFor(
    `a link named ${String(name)}`,
    async () => {
      const names = await page.getByRole('link', { name: /^Cart,/ }).allInnerTexts();
      return { match: await page.getByRole('link', { name }).count(), names };
    },
    (r) => r.match === 1,
    20_000,
  );
}
