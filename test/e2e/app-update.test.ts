// App update against the UI contract: when a new service worker has installed, it waits (no silent
// skipWaiting) and the page shows "New version available" with a Reload button; Reload makes the new worker
// take over and reloads the page, and the cart is still there. Runs its own server on a copy of the built app
// (dist/app), so that this file can publish a "new version" by changing the copy's sw.js.
import { appendFile, cp } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { useBrowser } from './browser';
import { waitFor } from './catalog-data';
import { repoRoot } from '../support/server';
import { closeAll, startServer, tempDir, type RunningServer } from '../integration/server-harness';
import { fetchCatalog } from '../support/catalog-api';

let server: RunningServer;
let appDir: string;

beforeAll(async () => {
  appDir = path.join(await tempDir('vitrine-app-copy-'), 'app');
  await cp(path.join(repoRoot, 'dist', 'app'), appDir, { recursive: true });
  server = await startServer({ appDir });
});

afterAll(async () => {
  await closeAll();
});

const session = useBrowser({}, { baseUrl: () => server.url });

/** What the page's service worker registration holds: script state of each slot. */
function registrationState(page: Page): Promise<{ active: boolean; waiting: boolean; controlled: boolean }> {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    return {
      active: registration?.active != null,
      waiting: registration?.waiting != null,
      controlled: navigator.serviceWorker.controller !== null,
    };
  });
}

describe('app update', () => {
  test('a new version waits for the shopper, and Reload switches to it keeping the cart', async () => {
    const catalog = await fetchCatalog(server.url);
    const product = catalog.products.find((p) => p.variants.some((v) => v.stock > 0));
    const variant = product?.variants.find((v) => v.stock > 0);
    if (!product || !variant) throw new Error('the test brand has no product in stock');

    const page = await session.newPage();
    await page.goto(`/product/${product.id}`);
    await expect.poll(() => page.locator('h1').innerText(), { timeout: 30_000 }).toBe(product.name);
    await waitFor(
      'the first service worker to control the page',
      () => registrationState(page),
      (s) => s.controlled && s.active,
      60_000,
    );
    await page.getByRole('radio', { name: variant.name, exact: true }).check();
    await page.getByRole('button', { name: 'Add to cart' }).click();
    const cartLink = page.getByRole('link', { name: /^Cart, 1 items?$/ });
    await expect.poll(() => cartLink.count()).toBe(1);
    const prompt = page.getByRole('status').filter({ hasText: 'New version available' });
    expect(await prompt.count()).toBe(0);

    // A new build: any byte change of sw.js is a new service worker version.
    await appendFile(path.join(appDir, 'sw.js'), '\n// next version\n');
    await page.evaluate(async () => {
      await (await navigator.serviceWorker.getRegistration())?.update();
    });

    await expect.poll(() => prompt.count(), { timeout: 30_000 }).toBe(1);
    // It waits: the old version still runs the page until the shopper chooses.
    await page.waitForTimeout(500);
    expect(await registrationState(page)).toEqual({ active: true, waiting: true, controlled: true });

    const reloaded = page.waitForEvent('load');
    await prompt.getByRole('button', { name: 'Reload' }).click();
    await reloaded;
    await expect.poll(() => page.locator('h1').innerText(), { timeout: 30_000 }).toBe(product.name);
    await waitFor(
      'the new version to be the only one',
      () => registrationState(page),
      (s) => s.controlled && s.active && !s.waiting,
    );
    const script = await page.evaluate(async () => {
      const response = await fetch('/sw.js', { cache: 'no-store' });
      return response.text();
    });
    expect(script.endsWith('// next version\n')).toBe(true);
    expect(await prompt.count()).toBe(0);
    await expect.poll(() => page.getByRole('link', { name: /^Cart, 1 items?$/ }).count()).toBe(1);
  });
});
