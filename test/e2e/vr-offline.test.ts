// A saved showroom in VR with no connection, on an emulated Meta Quest 3: "Save for offline" on the headset keeps
// the showroom's files and the headset's controller and hand models; with the network cut, a reload shows the
// showroom, "Enter VR" starts a session, the controller's ray still points at products (its layout loaded from
// the cache), and a product added from its panel goes into the outbox like any other offline change.
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { degToRad, layoutFixture } from '../../src/core/layout';
import type { CatalogSnapshot } from '../../src/protocol/catalog';
import { fetchCatalog } from '../support/catalog-api';
import { useBrowser } from './browser';
import { must, waitFor } from './catalog-data';
import { aimAt, aimAtButton, clearFixture, pull, type ClearFixture, type Vec3 } from './xr-aim';
import { quest3EmulatorScript } from './xr-emulator';

const session = useBrowser();
let pick: ClearFixture;

beforeAll(async () => {
  const catalog: CatalogSnapshot = await fetchCatalog(session.baseUrl);
  pick = must(clearFixture(catalog), 'a showroom product with a second variant in stock, in clear view');
});

afterAll(async () => {
  await session.context.setOffline(false);
});

const view = (page: Page) => page.getByTestId('showroom-view');
const attr = (page: Page, name: string) => view(page).getAttribute(name);

async function waitReady(page: Page): Promise<void> {
  await waitFor(
    'the showroom to be ready',
    () => attr(page, 'data-state'),
    (s) => s === 'ready',
    120_000,
  );
}

/** Paths in the input profile cache. */
function cachedProfiles(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const cache = await caches.open('vitrine-xr-input-profiles');
    return (await cache.keys()).map((r) => new URL(r.url).pathname).sort();
  });
}

/** Ops waiting in the outbox, read straight from IndexedDB. */
function outboxSkus(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('vitrine');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction('outbox').objectStore('outbox').getAll();
          req.onerror = () => reject(req.error);
          req.onsuccess = () => {
            open.result.close();
            resolve((req.result as { sku: string }[]).map((op) => op.sku));
          };
        };
      }),
  );
}

describe('VR offline', () => {
  test('a showroom saved on the headset works in VR with no connection', async () => {
    const { showroom, fixture, product } = pick;
    await session.context.addInitScript({ content: await quest3EmulatorScript() });
    const page = await session.newPage();
    await page.goto(`/showroom/${showroom.id}`);
    await waitReady(page);
    await waitFor(
      'the service worker to control the page',
      () => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null),
      (url) => url !== null,
      60_000,
    );
    // The headset has never been in VR: the controller models are not cached yet.
    expect(await cachedProfiles(page)).toEqual([]);
    expect(await page.locator('.save-offline-size').innerText()).toMatch(/VR controller and hand models/);

    await page.getByRole('button', { name: 'Save for offline', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Saved for offline' }).waitFor({ timeout: 120_000 });
    const profiles = await cachedProfiles(page);
    expect(profiles).toEqual(
      expect.arrayContaining([
        '/xr/input-profiles/profilesList.json',
        '/xr/input-profiles/meta-quest-touch-plus/profile.json',
        '/xr/input-profiles/meta-quest-touch-plus/left.glb',
        '/xr/input-profiles/meta-quest-touch-plus/right.glb',
        '/xr/input-profiles/generic-hand/left.glb',
        '/xr/input-profiles/generic-hand/right.glb',
      ]),
    );
    console.log(`[vr-offline] ${profiles.length} input profile files saved`);

    await session.context.setOffline(true);
    const failed: string[] = [];
    page.on('requestfailed', (request: Request) => failed.push(request.url()));
    await page.reload();
    await waitReady(page);

    const position = must(/^(-?[\d.]+),(-?[\d.]+)$/.exec((await attr(page, 'data-position')) ?? ''), 'x,z');
    const origin = {
      x: Number(position[1]),
      z: Number(position[2]),
      yaw: degToRad(showroom.spawn.rotationY),
    };
    const enter = page.getByRole('button', { name: 'Enter VR', exact: true });
    await expect.poll(() => enter.count(), { timeout: 10_000 }).toBe(1);
    await enter.click();
    await waitFor(
      'XR frames offline',
      async () => Number(await attr(page, 'data-xr-frames')),
      (n) => n >= 3,
      90_000,
    );
    await waitFor(
      'the VR shopping layer',
      () => attr(page, 'data-xr-cart'),
      (v) => v !== null,
      60_000,
    );

    // The controller works: its ray finds the product and the trigger opens its panel.
    const layout = layoutFixture(fixture, product.dimensions);
    const centre: Vec3 = [layout.x, layout.productY + product.dimensions.height / 2, layout.z];
    await aimAt(page, origin, centre);
    await waitFor(
      'the product under the controller ray, offline',
      () => attr(page, 'data-xr-hovered'),
      (v) => v === product.id,
      60_000,
    );
    await pull(
      page,
      'the product panel',
      () => attr(page, 'data-xr-selected'),
      (v) => v === product.id,
    );

    // Add to cart from the panel: the change waits in the outbox.
    await aimAtButton(page, view(page), origin, 'add-to-cart');
    const shownSku = (
      product.variants.find((v) => v.sku === fixture.sku) ?? must(product.variants[0], 'a variant')
    ).sku;
    await pull(
      page,
      'the offline add in the outbox',
      () => outboxSkus(page),
      (skus) => skus.includes(shownSku),
    );
    expect(
      failed.filter((url) => new URL(url).pathname.startsWith('/xr/')),
      'no controller or hand file was missing offline',
    ).toEqual([]);

    await page.evaluate(() => window.vitrineXRDevice?.activeSession?.end());
    await waitFor(
      'data-xr="none"',
      () => attr(page, 'data-xr'),
      (v) => v === 'none',
      30_000,
    );
    await session.context.setOffline(false);
  });
});
