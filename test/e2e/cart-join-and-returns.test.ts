// Opening a shared cart and asking for a return, end to end against a server of this file's own: a shared link
// asks before it switches the cart ("Cancel" keeps the device's own cart), "Open cart" merges this device's
// lines into the shared cart and says how many; the order list says "1 item"; the return form focuses the first
// field to fix, is disabled offline with the reason, and after sending moves focus to the status.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CatalogSnapshot } from '../../src/protocol/catalog';
import { fetchCatalog } from '../support/catalog-api';
import { startServer, type RunningServer } from '../support/server';
import { useBrowser } from './browser';
import { must } from './catalog-data';
import {
  addToCart,
  cartCredentials,
  cartLines,
  fetchServerCart,
  pickVariants,
  qtyBySku,
  syncStatus,
  waitForCatalog,
  type Pick,
} from './commerce';

let server: RunningServer | undefined;
const baseUrl = (): string => must(server, 'the cart-join server').baseUrl;

beforeAll(async () => {
  server = await startServer({ label: 'vitrine-e2e-cart-join' });
});
afterAll(async () => {
  await server?.stop();
});

const phone = useBrowser({}, { baseUrl });
const laptop = useBrowser({}, { baseUrl });

let catalog: CatalogSnapshot;
let picks: [Pick, Pick];

beforeAll(async () => {
  catalog = await fetchCatalog(baseUrl());
  const [a, b] = pickVariants(catalog, 2);
  picks = [must(a, 'a first variant'), must(b, 'a second variant')];
});

afterAll(async () => {
  await laptop.context.setOffline(false);
});

/** Adds `pick` on a fresh page of the device and waits until the server has it. */
async function cartWith(page: Page, pick: Pick): Promise<{ cartId: string; token: string }> {
  await page.goto('/');
  await waitForCatalog(page, catalog.products.length);
  await addToCart(page, pick);
  await page.goto('/cart');
  await expect.poll(() => syncStatus(page), { timeout: 30_000 }).toBe('All changes saved');
  return cartCredentials(page);
}

/** The element that has focus: its tag and accessible text. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return { tag: el?.tagName.toLowerCase(), id: el?.id ?? '', text: el?.textContent ?? '' };
  });

describe('a shared cart link', () => {
  test('asks first: "Cancel" keeps this cart, "Open cart" adds this device\'s items to the shared one', async () => {
    const shared = await cartWith(await phone.newPage(), picks[0]);
    const page = await laptop.newPage();
    const own = await cartWith(page, picks[1]);

    const link = `${baseUrl()}/cart/join#${shared.cartId}.${shared.token}`;
    await page.goto(link);
    await page.getByRole('heading', { name: 'Open this shared cart?' }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForURL((u) => u.pathname === '/cart' && u.hash === '');
    expect(await cartCredentials(page)).toEqual(own);
    await expect.poll(() => cartLines(page).count(), { timeout: 15_000 }).toBe(1);

    await page.goto(link);
    await page.getByRole('button', { name: 'Open cart' }).click({ timeout: 30_000 });
    await page.waitForURL((u) => u.pathname === '/cart' && u.hash === '', { timeout: 30_000 });
    expect(await page.getByRole('status').filter({ hasText: 'Shared cart opened' }).innerText()).toBe(
      'Shared cart opened. 1 item from this device was added.',
    );
    expect(await cartCredentials(page)).toEqual(shared);
    await expect.poll(() => syncStatus(page), { timeout: 30_000 }).toBe('All changes saved');
    expect(qtyBySku(await fetchServerCart(baseUrl(), shared))).toEqual({
      [picks[0].variant.sku]: 1,
      [picks[1].variant.sku]: 1,
    });
  });
});

describe('a return request', () => {
  test('focuses what to fix, waits for a connection, then focuses the status', async () => {
    const page = await phone.newPage();
    const cart = await cartWith(page, picks[1]);
    const before = await fetchServerCart(baseUrl(), cart);
    const placed = await fetch(`${baseUrl()}/api/v1/carts/${cart.cartId}/orders`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${cart.token}`,
        'content-type': 'application/json',
        'idempotency-key': crypto.randomUUID(),
      },
      body: JSON.stringify({
        expectedVersion: before.version,
        payment: 'pay-on-delivery',
        details: {
          name: 'Ana Lima',
          email: 'ana@example.com',
          address: { line1: 'Rua das Flores 12', city: 'Porto', postalCode: '4050-262', country: 'PT' },
        },
      }),
    });
    expect(placed.status).toBe(201);
    const placedOrder = (await placed.json()) as { id: string; lines: { qty: number }[] };

    await page.goto('/orders');
    const listed = page.locator(`li[data-order-id="${placedOrder.id}"]`);
    await listed.waitFor({ timeout: 30_000 });
    const units = placedOrder.lines.reduce((n, l) => n + l.qty, 0);
    expect(await listed.innerText()).toContain(units === 1 ? '1 item ·' : `${units} items ·`);

    await page.goto(`/orders/${placedOrder.id}`);
    const line = page.getByRole('list', { name: 'Order lines' }).getByRole('listitem').first();
    await line.getByRole('button', { name: 'Return or exchange' }).click({ timeout: 30_000 });
    const form = line.locator('form');
    await form.getByRole('spinbutton', { name: 'Quantity' }).fill('0');
    await form.getByRole('button', { name: 'Request return' }).click();
    await expect.poll(async () => (await focused(page)).tag).toBe('input');
    expect(
      await form
        .getByRole('spinbutton', { name: 'Quantity' })
        .evaluate((el) => el === document.activeElement),
    ).toBe(true);
    await form.getByRole('spinbutton', { name: 'Quantity' }).fill('1');
    await form.getByRole('button', { name: 'Request return' }).click();
    await expect
      .poll(() =>
        form.getByRole('combobox', { name: 'Reason' }).evaluate((el) => el === document.activeElement),
      )
      .toBe(true);
    await form.getByRole('combobox', { name: 'Reason' }).selectOption({ label: 'Changed my mind' });

    await phone.context.setOffline(true);
    const send = form.getByRole('button', { name: 'Request return' });
    await expect.poll(() => send.isDisabled()).toBe(true);
    expect(await form.innerText()).toContain('Sending a return request needs a connection.');
    await phone.context.setOffline(false);
    await expect.poll(() => send.isDisabled()).toBe(false);
    await send.click();

    await expect.poll(async () => (await focused(page)).text, { timeout: 15_000 }).toContain('Request sent');
  });
});
