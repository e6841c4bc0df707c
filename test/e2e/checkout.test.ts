// Checkout, orders and returns end to end, against a server of this file's own (its orders and stock
// reservations do not touch the other files'): checkout waits for a connection, the form marks what needs
// fixing, a double click on "Place order" places one order, the cart empties, the order list reads offline,
// and a line of the order can be asked back ("Requested"). The tests share one browser context, in order.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CatalogSnapshot } from '../../src/protocol/catalog';
import { fetchCatalog } from '../support/catalog-api';
import { startServer, type RunningServer } from '../support/server';
import { useBrowser } from './browser';
import { must, parseAmount } from './catalog-data';
import {
  addToCart,
  cartCredentials,
  cartLines,
  fetchCartOrders,
  fetchOrder,
  fetchServerCart,
  lineName,
  pickVariants,
  qtyBySku,
  syncStatus,
  waitForCatalog,
  waitForServiceWorker,
  type Pick,
} from './commerce';

let server: RunningServer | undefined;
const baseUrl = (): string => must(server, 'the checkout server').baseUrl;

// Registered before the browser, so the server is up when it starts (hooks run in order).
beforeAll(async () => {
  server = await startServer({ label: 'vitrine-e2e-checkout' });
});
afterAll(async () => {
  await server?.stop();
});

const session = useBrowser({}, { baseUrl });

let catalog: CatalogSnapshot;
let picks: [Pick, Pick];
/** The order placed by the checkout test, for the return test. */
let orderId: string | undefined;

beforeAll(async () => {
  catalog = await fetchCatalog(baseUrl());
  const [a, b] = pickVariants(catalog, 2);
  picks = [must(a, 'a first variant'), must(b, 'a second variant')];
});

afterAll(async () => {
  await session.context.setOffline(false);
});

const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });
const placeButton = (page: Page) => page.getByRole('button', { name: 'Place order' });

/** The message under a field (its `aria-describedby` target), or null when it has none. */
async function fieldError(page: Page, label: string): Promise<string | null> {
  const describedBy = await field(page, label).getAttribute('aria-describedby');
  if (!describedBy) return null;
  return page.locator(`[id="${describedBy}"]`).innerText();
}

/** `aria-invalid` of every checkout field, by label. */
async function invalidFields(page: Page): Promise<string[]> {
  const labels = [
    'Full name',
    'Email',
    'Phone (optional)',
    'Street and number',
    'Apartment, floor (optional)',
    'Town or city',
    'Postal code',
    'Country',
  ];
  const invalid: string[] = [];
  for (const label of labels) {
    if ((await field(page, label).getAttribute('aria-invalid')) === 'true') invalid.push(label);
  }
  return invalid;
}

describe('checkout and orders', () => {
  test('checkout needs a connection, marks bad fields, and a double click places one order', async () => {
    const page = await session.newPage();
    await page.goto('/');
    await waitForCatalog(page, catalog.products.length);
    await waitForServiceWorker(page);
    for (const pick of picks) await addToCart(page, pick);
    await page.goto('/cart');
    await expect.poll(() => cartLines(page).count(), { timeout: 20_000 }).toBe(2);
    const quantity = page.getByRole('spinbutton', { name: `Quantity of ${lineName(picks[0])}` });
    await quantity.fill('2');
    await quantity.press('Tab');
    // The status may still show the state before the quantity change was written: wait for the server's cart.
    await expect.poll(() => syncStatus(page), { timeout: 30_000 }).toBe('All changes saved');
    const credentials = await cartCredentials(page);
    await expect
      .poll(async () => qtyBySku(await fetchServerCart(baseUrl(), credentials)), { timeout: 30_000 })
      .toEqual({
        [picks[0].variant.sku]: 2,
        [picks[1].variant.sku]: 1,
      });
    const total = picks[0].variant.price.amount * 2 + picks[1].variant.price.amount;

    // Offline: the checkout says it needs a connection and will not place the order.
    await session.context.setOffline(true);
    await page.getByRole('button', { name: 'Checkout' }).click();
    await page.waitForURL((u) => u.pathname === '/checkout');
    await expect.poll(() => page.locator('h1').innerText()).toBe('Checkout');
    const offlineNotice = page.getByText('Checkout needs a connection');
    await expect.poll(() => offlineNotice.count()).toBe(1);
    expect(await placeButton(page).isDisabled()).toBe(true);
    const summary = page.getByRole('list', { name: 'Order lines' }).getByRole('listitem');
    expect(await summary.count()).toBe(2);
    expect(parseAmount(await page.locator('.checkout-summary-total').innerText())).toBe(total);

    await session.context.setOffline(false);
    await expect.poll(() => placeButton(page).isEnabled(), { timeout: 10_000 }).toBe(true);
    expect(await offlineNotice.count()).toBe(0);

    // An empty form: every required field is marked, with the message under it; nothing is sent.
    await placeButton(page).click();
    await expect
      .poll(() => invalidFields(page))
      .toEqual(['Full name', 'Email', 'Street and number', 'Town or city', 'Postal code', 'Country']);
    expect(await fieldError(page, 'Full name')).toBe('Enter your full name.');
    expect(await fieldError(page, 'Email')).toBe('Enter an email address like name@example.com.');
    expect(await fieldError(page, 'Street and number')).toBe('Enter the street and number.');
    expect(await fieldError(page, 'Town or city')).toBe('Enter the town or city.');
    expect(await fieldError(page, 'Postal code')).toBe('Enter the postal code, letters, digits and dashes.');
    expect(await fieldError(page, 'Country')).toBe('Choose a country.');
    expect(await fieldError(page, 'Phone (optional)')).toBeNull();
    expect(await page.getByRole('alert').innerText()).toBe('Some details need fixing.');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('name');

    // Everything filled but a malformed email and phone: only those two stay marked.
    await field(page, 'Full name').fill('Ana Costa');
    await field(page, 'Email').fill('ana.costa@example');
    await field(page, 'Phone (optional)').fill('call me');
    await field(page, 'Street and number').fill('Rua das Flores 12');
    await field(page, 'Apartment, floor (optional)').fill('3rd floor');
    await field(page, 'Town or city').fill('Porto');
    await field(page, 'Postal code').fill('4050-262');
    await field(page, 'Country').selectOption({ label: 'Portugal' });
    await placeButton(page).click();
    await expect.poll(() => invalidFields(page)).toEqual(['Email', 'Phone (optional)']);
    expect(await fieldError(page, 'Email')).toBe('Enter an email address like name@example.com.');
    expect(await fieldError(page, 'Phone (optional)')).toBe(
      'Enter a phone number of digits, like +351 21 123 4567.',
    );
    expect(await fetchCartOrders(baseUrl(), credentials)).toEqual([]);

    // Fixed, the marks go as the shopper types; a double click places the order.
    await field(page, 'Email').fill('ana.costa@example.com');
    await field(page, 'Phone (optional)').fill('+351 21 123 4567');
    await expect.poll(() => invalidFields(page)).toEqual([]);
    const posts: string[] = [];
    page.on('request', (request) => {
      if (
        request.method() === 'POST' &&
        /\/api\/v1\/carts\/[^/]+\/orders$/.test(new URL(request.url()).pathname)
      )
        posts.push(request.headers()['idempotency-key'] ?? '');
    });
    await placeButton(page).dblclick();
    await page.waitForURL((u) => u.pathname.startsWith('/orders/'), { timeout: 30_000 });
    await expect.poll(() => page.locator('h1').innerText(), { timeout: 15_000 }).toBe('Order placed');
    const id = decodeURIComponent(new URL(page.url()).pathname.slice('/orders/'.length));
    orderId = id;

    const lines = page.getByRole('list', { name: 'Order lines' }).getByRole('listitem');
    await expect.poll(() => lines.count()).toBe(2);
    const lineTexts = await lines.allInnerTexts();
    expect(lineTexts[0]).toContain(lineName(picks[0]));
    expect(lineTexts[0]).toContain('2 ×');
    expect(lineTexts[1]).toContain(lineName(picks[1]));
    expect(parseAmount(await page.locator('.order-total').innerText())).toBe(total);
    const main = await page.getByRole('main').innerText();
    expect(main).toContain('Pay on delivery');
    expect(main).toContain('Rua das Flores 12');
    expect(main).toContain('4050-262 Porto');
    expect(main).toContain('Portugal');

    // One order on the server, whatever the double click sent (same idempotency key if sent twice).
    const orders = await fetchCartOrders(baseUrl(), credentials);
    expect(orders.map((o) => o.id)).toEqual([id]);
    expect(orders[0]?.totals).toEqual([{ amount: total, currency: picks[0].variant.price.currency }]);
    expect(new Set(posts).size).toBe(1);
    console.info(`[checkout] double click sent ${posts.length} order request(s) with one idempotency key`);
    expect((await fetchServerCart(baseUrl(), credentials)).lines).toEqual([]);

    // The cart is empty on the device too.
    await page.getByRole('link', { name: /^Cart, 0 items$/ }).click();
    await page.waitForURL((u) => u.pathname === '/cart');
    await expect.poll(() => page.getByText('Your cart is empty').count(), { timeout: 15_000 }).toBe(1);
    expect(await cartLines(page).count()).toBe(0);

    // The order list, online and then offline after a reload.
    await page.getByRole('link', { name: 'Orders', exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/orders');
    const listed = page.getByRole('list', { name: 'Orders' }).getByRole('listitem');
    await expect.poll(() => listed.count(), { timeout: 15_000 }).toBe(1);
    const orderLink = page.getByRole('link', { name: `Order ${id.slice(0, 8)}` });
    expect(await orderLink.count()).toBe(1);

    await session.context.setOffline(true);
    const reloaded = await page.reload();
    expect(reloaded?.fromServiceWorker(), 'the reload is answered by the service worker').toBe(true);
    await expect.poll(() => page.locator('h1').innerText(), { timeout: 15_000 }).toBe('Orders');
    await expect.poll(() => listed.count(), { timeout: 15_000 }).toBe(1);
    expect(await listed.first().innerText()).toContain('3 items');
    await orderLink.click();
    await page.waitForURL((u) => u.pathname === `/orders/${id}`);
    await expect.poll(() => page.locator('h1').innerText()).toBe(`Order ${id.slice(0, 8)}`);
    expect(await lines.count()).toBe(2);
    await session.context.setOffline(false);
  });

  test('"Return or exchange" on a line of the order records a return with status "Requested"', async () => {
    const id = must(orderId, 'the order of the checkout test');
    const page = await session.newPage();
    await page.goto(`/orders/${id}`);
    await expect
      .poll(() => page.locator('h1').innerText(), { timeout: 15_000 })
      .toBe(`Order ${id.slice(0, 8)}`);
    const line = page
      .getByRole('list', { name: 'Order lines' })
      .getByRole('listitem')
      .filter({ hasText: lineName(picks[0]) });
    await line.getByRole('button', { name: 'Return or exchange' }).click();

    const form = line.locator('form');
    await form.waitFor();
    expect(await form.getByRole('radio', { name: 'Return' }).isChecked()).toBe(true);
    expect(await form.innerText()).toMatch(/Last day to ask: \w+ \d{1,2}, \d{4}\./);
    // No reason yet: the reason is marked and nothing is sent.
    await form.getByRole('button', { name: 'Request return' }).click();
    const reason = form.getByRole('combobox', { name: 'Reason' });
    await expect.poll(() => reason.getAttribute('aria-invalid')).toBe('true');
    expect(await form.getByText('Choose a reason.').count()).toBe(1);

    await form.getByRole('spinbutton', { name: 'Quantity' }).fill('1');
    await reason.selectOption({ label: 'Changed my mind' });
    await form
      .getByRole('textbox', { name: 'Comment (optional)' })
      .fill('The colour does not suit the room.');
    await form.getByRole('button', { name: 'Request return' }).click();

    const returns = page
      .getByRole('list', { name: `Returns of ${lineName(picks[0])}` })
      .getByRole('listitem');
    await expect.poll(() => returns.count(), { timeout: 15_000 }).toBe(1);
    const text = await returns.first().innerText();
    expect(text).toContain('Return of 1');
    expect(text).toContain('Changed my mind');
    expect(text).toContain('Requested');
    expect(await line.getByRole('status').innerText()).toContain('Request sent');
    // One of the two units may still be asked back.
    expect(await line.getByRole('button', { name: 'Return or exchange' }).count()).toBe(1);

    const { token } = await cartCredentials(page);
    const order = await fetchOrder(baseUrl(), id, token);
    expect(order.returns.map((r) => [r.sku, r.qty, r.kind, r.reason, r.status])).toEqual([
      [picks[0].variant.sku, 1, 'return', 'changed-mind', 'requested'],
    ]);

    // The request is kept on the device: still listed after a reload offline.
    await session.context.setOffline(true);
    await page.reload();
    await expect.poll(() => returns.count(), { timeout: 15_000 }).toBe(1);
    expect(await returns.first().innerText()).toContain('Requested');
    await session.context.setOffline(false);
  });
});
