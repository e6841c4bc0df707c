// Cart sync end to end, against a server of this file's own (its carts do not touch the other files'):
// changes made offline wait as "Not yet sent" and reach the server when the connection is back; "Continue on
// another device" hands the cart to a second browser (another device), whose change comes back to the first;
// a price changed on the server shows as a warning that "Accept new prices" clears. The tests share the two
// devices' browser contexts and run in order.
import type { Kysely } from 'kysely';
import type { Page } from 'playwright-core';
import { encode } from 'uqr';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CatalogSnapshot, Product } from '../../src/protocol/catalog';
import { putProduct } from '../../src/server/storage/catalog-store';
import { openDatabase } from '../../src/server/storage/connection';
import type { Database } from '../../src/server/storage/schema';
import { fetchCatalog } from '../support/catalog-api';
import { startServer, type RunningServer } from '../support/server';
import { useBrowser } from './browser';
import { must, parseAmount, waitFor } from './catalog-data';
import {
  addToCart,
  cartCredentials,
  cartLines,
  euros,
  fetchServerCart,
  lineName,
  pendingBySku,
  pickVariants,
  qtyBySku,
  storedCartSync,
  syncStatus,
  waitForCatalog,
  waitForServiceWorker,
  type Pick,
} from './commerce';

let server: RunningServer | undefined;
const baseUrl = (): string => must(server, 'the cart-sync server').baseUrl;

// Registered before the browsers, so the server is up when they start (hooks run in order).
beforeAll(async () => {
  server = await startServer({ label: 'vitrine-e2e-cart-sync' });
});
afterAll(async () => {
  await server?.stop();
});

/** The shopper's first device (phone), and the device the cart is handed to (laptop). */
const phone = useBrowser({}, { baseUrl });
const laptop = useBrowser({}, { baseUrl });

let catalog: CatalogSnapshot;
let picks: [Pick, Pick];
let store: Kysely<Database> | undefined;

beforeAll(async () => {
  catalog = await fetchCatalog(baseUrl());
  const [a, b] = pickVariants(catalog, 2);
  picks = [must(a, 'a first variant'), must(b, 'a second variant')];
});

afterAll(async () => {
  await phone.context.setOffline(false);
  await store?.destroy();
});

/** The cart line of a variant. */
const lineOf = (page: Page, pick: Pick) => page.locator(`li.cart-line[data-sku="${pick.variant.sku}"]`);
const quantityOf = (page: Page, pick: Pick) =>
  page.getByRole('spinbutton', { name: `Quantity of ${lineName(pick)}` });

describe('cart sync', () => {
  test('items added offline show "Not yet sent" and reach the server when the connection is back', async () => {
    const page = await phone.newPage();
    await page.goto('/');
    await waitForCatalog(page, catalog.products.length);
    await waitForServiceWorker(page);

    await phone.context.setOffline(true);
    for (const pick of picks) await addToCart(page, pick);
    await page.goto('/cart');
    await expect.poll(() => cartLines(page).count(), { timeout: 20_000 }).toBe(2);
    expect(await pendingBySku(page)).toEqual({
      [picks[0].variant.sku]: 'true',
      [picks[1].variant.sku]: 'true',
    });
    for (const line of await cartLines(page).all()) expect(await line.innerText()).toContain('Not yet sent');
    expect(await syncStatus(page)).toBe('2 changes not yet sent');

    await phone.context.setOffline(false);
    await expect.poll(() => syncStatus(page), { timeout: 30_000 }).toBe('All changes saved');
    expect(await pendingBySku(page)).toEqual({
      [picks[0].variant.sku]: 'false',
      [picks[1].variant.sku]: 'false',
    });
    expect(await page.getByText('Not yet sent').count()).toBe(0);

    const server = await fetchServerCart(baseUrl(), await cartCredentials(page));
    expect(qtyBySku(server)).toEqual({ [picks[0].variant.sku]: 1, [picks[1].variant.sku]: 1 });
    expect(server.warnings).toEqual([]);
  });

  test('"Continue on another device" opens the same cart on a second device, whose change comes back', async () => {
    const page = await phone.newPage();
    await page.goto('/cart');
    await expect.poll(() => cartLines(page).count(), { timeout: 20_000 }).toBe(2);
    await page.getByRole('button', { name: 'Continue on another device' }).click();
    const link = page.getByTestId('cart-link');
    await link.waitFor({ timeout: 15_000 });
    const url = await link.innerText();
    const { cartId, token } = await cartCredentials(page);
    expect(url).toBe(`${baseUrl()}/cart/join#${cartId}.${token}`);
    expect(await link.getAttribute('href')).toBe(url);
    // The QR code is an SVG image holding exactly that link.
    const qr = page.getByRole('img', { name: 'QR code of the cart link' });
    expect(await qr.evaluate((el) => el.tagName.toLowerCase())).toBe('svg');
    const expected = encode(url, { ecc: 'M', border: 2 });
    expect(Number(await qr.getAttribute('data-modules'))).toBe(expected.size);
    const dark = await qr.locator('path').evaluate((p) => (p.getAttribute('d') ?? '').split('M').length - 1);
    expect(dark).toBe(expected.data.flat().filter(Boolean).length);

    // The other device opens the link: same lines, and the secret leaves its address bar.
    const other = await laptop.newPage();
    await other.goto(url);
    // A shared link opens only once the shopper confirms it.
    await other.getByRole('button', { name: 'Open cart' }).click({ timeout: 30_000 });
    await other.waitForURL((u) => u.pathname === '/cart', { timeout: 30_000 });
    expect(new URL(other.url()).hash).toBe('');
    await expect.poll(() => cartLines(other).count(), { timeout: 30_000 }).toBe(2);
    // The products' names come from the catalog the second device pulls when it starts.
    await expect
      .poll(() => cartLines(other).allInnerTexts(), { timeout: 30_000 })
      .toEqual([
        expect.stringContaining(picks[0].product.name),
        expect.stringContaining(picks[1].product.name),
      ]);
    expect(await cartLines(other).evaluateAll((lis) => lis.map((li) => li.getAttribute('data-sku')))).toEqual(
      picks.map((p) => p.variant.sku),
    );
    expect(await quantityOf(other, picks[0]).inputValue()).toBe('1');

    await quantityOf(other, picks[0]).fill('3');
    await quantityOf(other, picks[0]).press('Tab');
    await expect.poll(() => syncStatus(other), { timeout: 30_000 }).toBe('All changes saved');
    await expect
      .poll(async () => qtyBySku(await fetchServerCart(baseUrl(), { cartId, token })), { timeout: 30_000 })
      .toEqual({ [picks[0].variant.sku]: 3, [picks[1].variant.sku]: 1 });

    // The first device pulls the cart when the connection comes back (it also does on start and when shown).
    expect(await quantityOf(page, picks[0]).inputValue()).toBe('1');
    await phone.context.setOffline(true);
    await expect
      .poll(() => page.getByRole('button', { name: 'Continue on another device' }).isDisabled())
      .toBe(true);
    await phone.context.setOffline(false);
    await expect.poll(() => quantityOf(page, picks[0]).inputValue(), { timeout: 30_000 }).toBe('3');
    const line = lineOf(page, picks[0]);
    await expect
      .poll(async () => parseAmount(await line.innerText()), { timeout: 10_000 })
      .toBe(picks[0].variant.price.amount * 3);
    expect(await syncStatus(page)).toBe('All changes saved');
  });

  test('a price changed on the server shows as a cart change until "Accept new prices"', async () => {
    const pick = picks[1];
    const oldPrice = pick.variant.price.amount;
    const newPrice = oldPrice + 1234;
    store = await openDatabase(must(server, 'the cart-sync server').dataDir);
    const changed: Product = {
      ...pick.product,
      variants: pick.product.variants.map((v) =>
        v.sku === pick.variant.sku ? { ...v, price: { ...v.price, amount: newPrice } } : v,
      ),
      updatedAt: new Date().toISOString(),
    };
    await putProduct(store, changed);

    // The device pulls the catalog and the cart when the app starts.
    const page = await phone.newPage();
    await page.goto('/cart');
    const changes = page.getByRole('region', { name: 'Cart changes' });
    const sentence = `Price of ${lineName(pick)} changed from ${euros(oldPrice)} to ${euros(newPrice)}`;
    await waitFor(
      'the price change listed under "Cart changes"',
      async () => ({
        shown: await changes.count(),
        stored: (await storedCartSync(page))?.warnings,
        status: await syncStatus(page).catch(() => null),
      }),
      (seen) => seen.shown === 1,
      30_000,
    );
    expect(await changes.getByRole('listitem').allInnerTexts()).toEqual([sentence]);
    // The catalog on the device has the new price too.
    const line = lineOf(page, pick);
    await expect.poll(() => line.innerText(), { timeout: 30_000 }).toContain(`${euros(newPrice)} each`);
    const credentials = await cartCredentials(page);
    expect((await fetchServerCart(baseUrl(), credentials)).warnings).toEqual([
      {
        code: 'PRICE_CHANGED',
        sku: pick.variant.sku,
        old: pick.variant.price,
        new: changed.variants.find((v) => v.sku === pick.variant.sku)?.price,
      },
    ]);

    await changes.getByRole('button', { name: 'Accept new prices' }).click();
    await expect.poll(() => changes.count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => syncStatus(page), { timeout: 30_000 }).toBe('All changes saved');
    // The server took the new price: no warning left there either, and the line is priced anew.
    const after = await fetchServerCart(baseUrl(), credentials);
    expect(after.warnings).toEqual([]);
    expect(qtyBySku(after)).toEqual({ [picks[0].variant.sku]: 3, [pick.variant.sku]: 1 });
    expect(after.lines.find((l) => l.sku === pick.variant.sku)?.unitPrice.amount).toBe(newPrice);
    // Still gone after a reload (the device pulls the cart again on start).
    await page.reload();
    await expect.poll(() => cartLines(page).count(), { timeout: 20_000 }).toBe(2);
    await expect.poll(() => syncStatus(page), { timeout: 30_000 }).toBe('All changes saved');
    expect(await changes.count()).toBe(0);
  });
});
