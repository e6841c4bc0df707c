// Shopping in VR on an emulated Meta Quest 3 (IWER in Chromium, SwiftShader at a few XR frames per second):
// enter VR, aim the right controller at a product (world position from the showroom data and its spawn), see it
// hovered, pull the trigger to open its panel, aim at a variant button and pull (the variant is applied), aim at
// "Add to cart" and pull, inspect the product in hand and let go of the squeeze to put it back, press the wrist
// cart's "Phone QR code" (its link opens the server cart with that line), leave VR, and find the line with that
// variant on the cart page. Inputs go only through IWER's device API.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { degToRad, layoutFixture } from '../../src/core/layout';
import type { CartResponse } from '../../src/protocol/cart';
import type { CatalogSnapshot, Fixture, Product, Showroom, Variant } from '../../src/protocol/catalog';
import { fetchCatalog } from '../support/catalog-api';
import { useBrowser } from './browser';
import { must, waitFor } from './catalog-data';
import { quest3EmulatorScript } from './xr-emulator';
import {
  aimAt,
  aimAtButton,
  clearFixture,
  panelButtons,
  pull,
  rotateY,
  setButton,
  type Vec3,
} from './xr-aim';

const session = useBrowser();
let showroom: Showroom;
let fixture: Fixture;
let product: Product;
/** The variant the test chooses on the panel (in stock, not the one the stand shows). */
let chosen: Variant;

beforeAll(async () => {
  const catalog: CatalogSnapshot = await fetchCatalog(session.baseUrl);
  const pick = must(
    clearFixture(catalog),
    'a showroom product with a second variant in stock, in clear view',
  );
  showroom = pick.showroom;
  fixture = pick.fixture;
  product = pick.product;
  chosen = pick.other;
});

const view = (page: Page) => page.getByTestId('showroom-view');
const attr = (page: Page, name: string) => view(page).getAttribute(name);

describe('shopping in VR', () => {
  test('point, select, choose a variant, add to cart, inspect; the cart has the line after VR', async () => {
    await session.context.addInitScript({ content: await quest3EmulatorScript() });
    const page = await session.newPage();
    await page.goto(`/showroom/${showroom.id}`);
    await expect.poll(() => page.locator('h1').innerText(), { timeout: 30_000 }).toBe(showroom.name);
    await waitFor(
      'the showroom to be ready',
      () => attr(page, 'data-state'),
      (s) => s === 'ready',
      120_000,
    );
    // No shopping attributes outside VR.
    expect(await attr(page, 'data-xr-selected')).toBeNull();

    // The XR origin is where the page camera stands, turned like the spawn.
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
      'data-xr="vr"',
      () => attr(page, 'data-xr'),
      (v) => v === 'vr',
      30_000,
    );
    await waitFor(
      'the first XR frames',
      async () => Number(await attr(page, 'data-xr-frames')),
      (n) => n >= 1,
      60_000,
    );
    // The shopping layer loads on demand once the session runs.
    await waitFor(
      'the VR shopping layer',
      () => attr(page, 'data-xr-cart'),
      (v) => v === 'Cart empty',
      60_000,
    );
    expect(await attr(page, 'data-xr-selected')).toBe('');

    // Aim at the product's centre.
    const layout = layoutFixture(fixture, product.dimensions);
    const centre: Vec3 = [layout.x, layout.productY + product.dimensions.height / 2, layout.z];
    await aimAt(page, origin, centre);
    await waitFor(
      'the product under the ray',
      () => attr(page, 'data-xr-hovered'),
      (v) => v === product.id,
      60_000,
    );

    // Trigger: its panel opens.
    await pull(
      page,
      'the panel to open',
      () => attr(page, 'data-xr-selected'),
      (v) => v === product.id,
    );
    const shown = product.variants.find((v) => v.sku === fixture.sku) ?? product.variants[0];
    expect(await attr(page, 'data-xr-variant')).toBe(shown?.sku);
    const buttons = await panelButtons(view(page));
    expect(Object.keys(buttons).sort()).toEqual(
      ['add-to-cart', 'close', 'inspect', ...product.variants.map((v) => `variant:${v.sku}`)].sort(),
    );
    // The panel floats at arm's length from the eyes (origin + 1.6 m headset height).
    const eye = rotateY([0, 1.6, 0], origin.yaw);
    const addAt = must(buttons['add-to-cart'], 'add-to-cart');
    const reach = Math.hypot(addAt[0] - origin.x - eye[0], addAt[2] - origin.z - eye[2]);
    expect(reach).toBeGreaterThan(0.4);
    expect(reach).toBeLessThan(1.0);

    // Another variant: the stand's model and the panel switch to it.
    await aimAtButton(page, view(page), origin, `variant:${chosen.sku}`);
    await pull(
      page,
      'the chosen variant',
      () => attr(page, 'data-xr-variant'),
      (v) => v === chosen.sku,
    );

    // Add to cart: through the outbox, the wrist cart counts the line.
    await aimAtButton(page, view(page), origin, 'add-to-cart');
    await pull(
      page,
      '"Added to cart"',
      () => attr(page, 'data-xr-panel-status'),
      (v) => v === 'Added to cart',
    );
    const cartLine = await waitFor(
      'the wrist cart',
      () => attr(page, 'data-xr-cart'),
      (v) => v?.startsWith('1 line') ?? false,
    );
    console.log(`[vr-shopping] ${product.name} (${chosen.name}) added; wrist cart: ${cartLine}`);

    // Inspect: the product goes into the hand; letting go of the squeeze puts it back on its stand.
    await aimAtButton(page, view(page), origin, 'inspect');
    await pull(
      page,
      'the product in hand',
      () => attr(page, 'data-xr-inspecting'),
      (v) => v === product.id,
    );
    expect(Object.keys(await panelButtons(view(page)))).toContain('put-back');
    await setButton(page, 'squeeze', 1);
    await page.waitForTimeout(2000);
    expect(await attr(page, 'data-xr-inspecting')).toBe(product.id);
    await setButton(page, 'squeeze', 0);
    await waitFor(
      'the product back on its stand',
      () => attr(page, 'data-xr-inspecting'),
      (v) => v === '',
      30_000,
    );

    // Close the panel.
    await aimAtButton(page, view(page), origin, 'close');
    await pull(
      page,
      'the panel to close',
      () => attr(page, 'data-xr-selected'),
      (v) => v === '',
    );

    // The wrist cart's "Phone QR code": the left hand is raised in front, the right controller's ray is on the
    // wrist panel's button, and the trigger makes the hand-off link the QR code shows (the server cart's).
    await page.evaluate(() => {
      const left = window.vitrineXRDevice?.controllers.left;
      if (!left) throw new Error('no emulated left controller');
      left.position.set(-0.1, 1.0, -0.35);
      left.quaternion.set(0, 0, 0, 1);
    });
    const wristButton = await waitFor(
      'the wrist panel to follow the raised hand',
      async () => {
        const json = await attr(page, 'data-xr-cart-buttons');
        return json ? (JSON.parse(json) as Record<string, Vec3>)['hand-off'] : undefined;
      },
      (p) => p !== undefined && p[1] < 1.25,
      30_000,
    );
    expect(await attr(page, 'data-xr-cart-link')).toBe('');
    await aimAt(page, origin, must(wristButton, 'the wrist "hand-off" button'));
    const link = await pull(
      page,
      'the hand-off link',
      () => attr(page, 'data-xr-cart-link'),
      (v) => (v ?? '') !== '',
    );
    const parsed = must(
      /^(https?:\/\/[^/#]+)\/cart\/join#([\w-]+)\.([\w-]+)$/.exec(link ?? ''),
      `a cart join link, got ${String(link)}`,
    );
    expect(parsed[1]).toBe(new URL(session.baseUrl).origin);
    // The link opens the server cart, which has the line added in VR once the outbox has pushed it.
    await waitFor(
      'the server cart behind the QR code to have the line',
      async () => {
        const response = await fetch(`${session.baseUrl}/api/v1/carts/${parsed[2]}`, {
          headers: { authorization: `Bearer ${parsed[3]}` },
        });
        if (response.status !== 200) return [];
        const body = (await response.json()) as CartResponse;
        return body.cart.lines.map((l) => l.sku);
      },
      (skus) => skus.includes(chosen.sku),
      30_000,
    );

    // Leave VR: the shopping attributes go, the page is back.
    await page.evaluate(() => window.vitrineXRDevice?.activeSession?.end());
    await waitFor(
      'data-xr="none"',
      () => attr(page, 'data-xr'),
      (v) => v === 'none',
      30_000,
    );
    expect(await attr(page, 'data-xr-selected')).toBeNull();

    // The cart page lists the line with the variant chosen in VR.
    await page.goto('/cart');
    const lines = page.getByRole('list', { name: 'Cart lines' }).getByRole('listitem');
    await expect.poll(() => lines.count(), { timeout: 20_000 }).toBe(1);
    const text = await lines.first().innerText();
    expect(text).toContain(product.name);
    expect(text).toContain(chosen.name);
    expect(await lines.first().getAttribute('data-sku')).toBe(chosen.sku);
  }, 600_000);
});
