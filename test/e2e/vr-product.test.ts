// VR from a product page on an emulated Meta Quest 3 (IWER in Chromium, SwiftShader at a few XR frames per
// second): without a VR device there is no "Enter VR" and no XR code is downloaded; with one, entering VR renders
// XR frames of the product standing 1.5 m in front of the shopper, the right controller aimed at it and the trigger
// open its panel, a variant chosen there and "Add to cart" go through, and leaving VR finds the page as it was,
// with that variant selected (picker and URL), at the same scroll position, and the cart page lists the line.
// Inputs go only through IWER's device API.
import type { Page, Response } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { productBaseHeight, type StandKind } from '../../src/core/layout';
import { productVRScene } from '../../src/features/product/product-vr-scene';
import type { CatalogSnapshot, Placement, Product, Variant } from '../../src/protocol/catalog';
import { fetchCatalog } from '../support/catalog-api';
import { useBrowser } from './browser';
import { must, waitFor } from './catalog-data';
import { quest3EmulatorScript } from './xr-emulator';
import { aimAt, aimAtButton, panelButtons, pull, type Vec3 } from './xr-aim';

/** @react-three/xr's default asset path: present in any chunk that bundles the XR library. */
const XR_LIBRARY_MARK = 'webxr-input-profiles';
/** What the brief asks: the product about 1.5 m in front of the shopper. */
const EXPECTED_DISTANCE = 1.5;
/** The stand each placement implies (written out here, not read from the app). */
const STAND: Record<Placement, StandKind> = { floor: 'floor', tabletop: 'table', wall: 'wall' };

const session = useBrowser();
let product: Product;
/** The variant the page shows without `?sku=` (the first). */
let shown: Variant;
/** The variant the test chooses in VR (in stock, not the first). */
let chosen: Variant;

beforeAll(async () => {
  const catalog: CatalogSnapshot = await fetchCatalog(session.baseUrl);
  // A product of moderate depth (the shopper stands 1.5 m from its centre), whose first variant and another
  // are in stock.
  const candidates = catalog.products.filter(
    (p) =>
      p.placement === 'floor' &&
      p.dimensions.depth < 0.9 &&
      (p.variants[0]?.stock ?? 0) > 0 &&
      p.variants.slice(1).some((v) => v.stock > 0),
  );
  product = must(candidates[0], 'a floor product with two variants in stock');
  shown = must(product.variants[0], 'first variant');
  chosen = must(
    product.variants.slice(1).find((v) => v.stock > 0),
    'a second variant in stock',
  );
});

const view = (page: Page) => page.getByTestId('product-vr-view');
const attr = (page: Page, name: string) => view(page).getAttribute(name);
const enterButton = (page: Page) => page.getByRole('button', { name: 'Enter VR', exact: true });

/** Records the bodies of the JavaScript files a page downloads. */
function recordScripts(page: Page): Map<string, Promise<string>> {
  const scripts = new Map<string, Promise<string>>();
  page.on('response', (response: Response) => {
    if (response.request().resourceType() !== 'script' && !response.url().endsWith('.js')) return;
    scripts.set(
      response.url(),
      response.text().catch(() => ''),
    );
  });
  return scripts;
}

async function scriptsWithXR(scripts: Map<string, Promise<string>>): Promise<string[]> {
  const hits: string[] = [];
  for (const [url, body] of scripts) if ((await body).includes(XR_LIBRARY_MARK)) hits.push(url);
  return hits;
}

async function openProduct(page: Page): Promise<void> {
  await page.goto(`/product/${product.id}`);
  await expect.poll(() => page.locator('h1').innerText(), { timeout: 30_000 }).toBe(product.name);
  await waitFor(
    'the product viewer to be ready',
    () => page.getByTestId('product-viewer').getAttribute('data-state'),
    (s) => s === 'ready',
    120_000,
  );
}

describe('VR on a product page', () => {
  test('no "Enter VR" and no XR code where the browser cannot do immersive VR', async () => {
    const page = await session.newPage();
    const scripts = recordScripts(page);
    await openProduct(page);
    const supported = await page.evaluate(
      async () => (await navigator.xr?.isSessionSupported('immersive-vr').catch(() => false)) ?? false,
    );
    expect(supported, 'headless Chromium alone has no VR device').toBe(false);
    // The check is asynchronous: give it time to (wrongly) show the button.
    await page.waitForTimeout(1500);
    expect(await enterButton(page).count()).toBe(0);
    expect(await view(page).count()).toBe(0);
    expect(scripts.size, 'the page loaded its scripts').toBeGreaterThan(0);
    expect(await scriptsWithXR(scripts), 'scripts bundling @react-three/xr').toEqual([]);
  });

  test('enter VR, choose a variant and add to cart on the panel; the page keeps the variant after VR', async () => {
    await session.context.addInitScript({ content: await quest3EmulatorScript() });
    const page = await session.newPage();
    const scripts = recordScripts(page);
    await openProduct(page);
    expect(new URL(page.url()).searchParams.get('sku')).toBeNull();
    expect(await page.getByRole('radio', { name: shown.name, exact: true }).isChecked()).toBe(true);

    // Only now is the XR code downloaded (proof that the check of the first test can fail).
    await expect.poll(() => enterButton(page).count(), { timeout: 30_000 }).toBe(1);
    expect((await scriptsWithXR(scripts)).length).toBeGreaterThan(0);
    expect(await attr(page, 'data-xr')).toBe('none');
    expect(await attr(page, 'data-xr-frames')).toBeNull();
    expect(await attr(page, 'data-xr-selected')).toBeNull();

    // Scroll the page a little (the button in view) and remember where it is.
    await page.evaluate(() => window.scrollTo(0, 0));
    const buttonTop = await enterButton(page).evaluate((b) => b.getBoundingClientRect().top);
    const viewport = must(page.viewportSize(), 'viewport');
    await page.evaluate(
      (y) => window.scrollTo(0, y),
      Math.max(100, Math.round(buttonTop - viewport.height / 2)),
    );
    const scrollBefore = await page.evaluate(() => window.scrollY);
    expect(scrollBefore, 'the product page scrolls').toBeGreaterThan(0);

    await enterButton(page).click();
    await waitFor(
      'data-xr="vr"',
      () => attr(page, 'data-xr'),
      (v) => v === 'vr',
      30_000,
    );
    expect(
      await page.evaluate(() => window.vitrineXRDevice?.activeSession?.environmentBlendMode),
      'an opaque (VR, not AR) session',
    ).toBe('opaque');
    const first = await waitFor(
      'the first XR frames',
      async () => Number(await attr(page, 'data-xr-frames')),
      (n) => n >= 1,
      60_000,
    );
    const more = await waitFor(
      '10 more XR frames',
      async () => Number(await attr(page, 'data-xr-frames')),
      (n) => n >= first + 10,
      90_000,
    );
    console.log(`[vr-product] ${product.name}: XR frames ${first} → ${more}`);
    await waitFor(
      'the VR shopping layer',
      () => attr(page, 'data-xr-cart'),
      (v) => v === 'Cart empty',
      60_000,
    );

    // The product stands on the stand its placement implies, 1.5 m in front of the shopper's starting point:
    // aim at that point (the XR origin is where the app puts the shopper; the target is worked out here).
    const origin = { ...productVRScene(product).start, yaw: 0 };
    const stand = STAND[product.placement];
    const centre: Vec3 = [
      origin.x,
      productBaseHeight(stand, product.dimensions) + product.dimensions.height / 2,
      origin.z - EXPECTED_DISTANCE,
    ];
    await aimAt(page, origin, centre);
    await waitFor(
      'the product under the ray',
      () => attr(page, 'data-xr-hovered'),
      (v) => v === product.id,
      60_000,
    );
    await pull(
      page,
      'the panel to open',
      () => attr(page, 'data-xr-selected'),
      (v) => v === product.id,
    );
    expect(await attr(page, 'data-xr-variant')).toBe(shown.sku);
    expect(Object.keys(await panelButtons(view(page))).sort()).toEqual(
      ['add-to-cart', 'close', 'inspect', ...product.variants.map((v) => `variant:${v.sku}`)].sort(),
    );

    // Another variant: the panel (and the page behind the headset) switch to it.
    await aimAtButton(page, view(page), origin, `variant:${chosen.sku}`);
    await pull(
      page,
      'the chosen variant',
      () => attr(page, 'data-xr-variant'),
      (v) => v === chosen.sku,
    );
    expect(new URL(page.url()).searchParams.get('sku')).toBe(chosen.sku);

    // Add to cart through the outbox: the wrist cart counts the line.
    await aimAtButton(page, view(page), origin, 'add-to-cart');
    await pull(
      page,
      '"Added to cart"',
      () => attr(page, 'data-xr-panel-status'),
      (v) => v === 'Added to cart',
    );
    await waitFor(
      'the wrist cart',
      () => attr(page, 'data-xr-cart'),
      (v) => v?.startsWith('1 line') ?? false,
    );

    // Leave VR from the headset (as the Quest's system menu does).
    await page.evaluate(() => window.vitrineXRDevice?.activeSession?.end());
    await waitFor(
      'data-xr="none"',
      () => attr(page, 'data-xr'),
      (v) => v === 'none',
      30_000,
    );
    expect(await attr(page, 'data-xr-frames')).toBeNull();
    expect(await attr(page, 'data-xr-selected')).toBeNull();

    // The same page, with the variant chosen in VR, where it was.
    expect(new URL(page.url()).pathname).toBe(`/product/${product.id}`);
    expect(new URL(page.url()).searchParams.get('sku')).toBe(chosen.sku);
    expect(await page.locator('h1').innerText()).toBe(product.name);
    expect(await page.getByRole('radio', { name: chosen.name, exact: true }).isChecked()).toBe(true);
    expect(await page.getByRole('radio', { name: shown.name, exact: true }).isChecked()).toBe(false);
    expect(await page.evaluate(() => window.scrollY)).toBe(scrollBefore);
    expect(await enterButton(page).count()).toBe(1);

    // The cart page lists the line with that variant.
    await page.goto('/cart');
    const lines = page.getByRole('list', { name: 'Cart lines' }).getByRole('listitem');
    await expect.poll(() => lines.count(), { timeout: 20_000 }).toBe(1);
    const line = lines.first();
    expect(await line.innerText()).toContain(product.name);
    expect(await line.getAttribute('data-sku')).toBe(chosen.sku);
  }, 600_000);
});
