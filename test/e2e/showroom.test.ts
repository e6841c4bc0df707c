// Showroom against the UI contract: the list of showrooms, entering one, walking with the keyboard,
// clicking the product ahead to open its card, adding to the cart from it, and the accessible product list.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import type { CatalogSnapshot, Showroom } from '../../src/protocol/catalog';
import { useBrowser } from './browser';
import { fetchCatalog } from '../support/catalog-api';
import { must, parseAmount, waitFor } from './catalog-data';

const session = useBrowser();
let catalog: CatalogSnapshot;
let showroom: Showroom;

beforeAll(async () => {
  catalog = await fetchCatalog(session.baseUrl);
  const first = catalog.showrooms[0];
  if (!first) throw new Error('the catalog has no showroom');
  showroom = first;
});

const productName = (id: string) => catalog.products.find((p) => p.id === id)?.name ?? `(unknown ${id})`;

/**
 * The product a shopper looks at from the spawn point: the fixture closest to the line of sight, 1.5–5 m
 * ahead and within 0.75 m of it (rotationY 0 faces -z; positive turns towards -x, as three.js rotates).
 */
function productAhead(room: Showroom): string | undefined {
  const [sx, sz] = room.spawn.position;
  const r = (room.spawn.rotationY * Math.PI) / 180;
  const dx = -Math.sin(r);
  const dz = -Math.cos(r);
  const ahead = room.fixtures
    .map((f) => {
      const [fx, fz] = f.position;
      const along = (fx - sx) * dx + (fz - sz) * dz;
      const aside = Math.abs((fx - sx) * dz - (fz - sz) * dx);
      return { f, along, aside };
    })
    .filter(({ along, aside }) => along >= 1.5 && along <= 5 && aside <= 0.75)
    .sort((a, b) => a.along - b.along);
  return ahead[0]?.f.productId;
}

async function enterShowroom(page: Page): Promise<void> {
  await page.goto('/showrooms');
  await expect.poll(() => page.locator('h1').count(), { timeout: 30_000 }).toBe(1);
  for (const room of catalog.showrooms) {
    await expect
      .poll(() => page.getByRole('link', { name: `Enter ${room.name}` }).count(), { timeout: 30_000 })
      .toBe(1);
  }
  await page.getByRole('link', { name: `Enter ${showroom.name}` }).click();
  await page.waitForURL((url) => url.pathname === `/showroom/${showroom.id}`);
  await expect.poll(() => page.locator('h1').innerText(), { timeout: 30_000 }).toBe(showroom.name);
  const view = page.getByTestId('showroom-view');
  await waitFor(
    'the showroom to reach data-state=ready',
    () => view.getAttribute('data-state'),
    (s) => s === 'ready',
    120_000,
  );
  expect(await view.locator('canvas').count()).toBe(1);
}

const position = (page: Page) => page.getByTestId('showroom-view').getAttribute('data-position');

function parsePosition(value: string | null): [number, number] {
  const m = /^(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)$/.exec(value ?? '');
  if (!m) throw new Error(`data-position "${String(value)}" is not "x,z"`);
  return [Number(m[1]), Number(m[2])];
}

async function walkForward(page: Page, ms: number): Promise<void> {
  const view = page.getByTestId('showroom-view');
  await view.focus();
  const focusedInside = await view.evaluate((el) => el.contains(document.activeElement));
  expect(focusedInside, 'the showroom view takes keyboard focus').toBe(true);
  await page.keyboard.down('w');
  await page.waitForTimeout(ms);
  await page.keyboard.up('w');
  await page.waitForTimeout(250);
}

async function clickCentre(page: Page): Promise<void> {
  const box = await page.getByTestId('showroom-view').locator('canvas').boundingBox();
  if (!box) throw new Error('the showroom canvas has no box');
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
}

describe('showroom', () => {
  test('walk with W, click the product ahead, add it to the cart from its card', async () => {
    const page = await session.newPage();
    await enterShowroom(page);
    const view = page.getByTestId('showroom-view');
    expect(Number(await view.getAttribute('data-draw-calls'))).toBeGreaterThan(0);
    expect(Number(await view.getAttribute('data-triangles'))).toBeGreaterThan(0);

    const start = parsePosition(await position(page));
    const [spawnX, spawnZ] = showroom.spawn.position;
    expect(
      Math.abs(start[0] - spawnX) + Math.abs(start[1] - spawnZ),
      'starts at the spawn point',
    ).toBeLessThan(0.05);
    await walkForward(page, 1000);
    const end = parsePosition(await position(page));
    const moved = Math.hypot(end[0] - start[0], end[1] - start[1]);
    console.log(
      `[showroom] ${showroom.id}: W for 1 s moved ${moved.toFixed(2)} m (${start.join(',')} → ${end.join(',')})`,
    );
    // Only "it moved": the walk step is capped per frame, so on software WebGL at a few frames per second
    // one second of W covers much less than the walking speed.
    expect(moved, 'holding W moves the camera').toBeGreaterThan(0);
    const facing = (showroom.spawn.rotationY * Math.PI) / 180;
    const forward = (end[0] - start[0]) * -Math.sin(facing) + (end[1] - start[1]) * -Math.cos(facing);
    expect(forward, 'W walks the way the spawn faces').toBeGreaterThan(0);

    await clickCentre(page);
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.count(), { timeout: 20_000 }).toBe(1);
    const expectedId = productAhead(showroom);
    const name = await waitFor(
      'the card to be named by a product',
      async () => {
        for (const p of catalog.products) {
          if ((await page.getByRole('dialog', { name: p.name, exact: true }).count()) === 1) return p.name;
        }
        return '';
      },
      (n) => n !== '',
      10_000,
    );
    if (expectedId) expect(name, 'the card of the product ahead').toBe(productName(expectedId));
    const product = must(
      catalog.products.find((p) => p.name === name),
      name,
    );
    expect(await page.getByRole('dialog', { name, exact: true }).count()).toBe(1);
    const cardPrice = parseAmount(await dialog.innerText());
    expect(product.variants.map((v) => v.price.amount)).toContain(cardPrice);
    expect(await dialog.getByRole('combobox', { name: 'Variant' }).count()).toBe(1);
    expect(await dialog.getByRole('link', { name: 'View product' }).getAttribute('href')).toBe(
      `/product/${product.id}`,
    );

    await dialog.getByRole('button', { name: 'Add to cart' }).click();
    await waitFor(
      'the header to count 1 item',
      () => page.getByRole('link', { name: /^Cart, 1 items?$/ }).count(),
      (n) => n === 1,
      20_000,
    );
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);

    await page.getByRole('link', { name: /^Cart, / }).click();
    await page.waitForURL((url) => url.pathname === '/cart');
    const lines = page.getByRole('list', { name: 'Cart lines' }).getByRole('listitem');
    await expect.poll(() => lines.count(), { timeout: 20_000 }).toBe(1);
    expect(await lines.first().innerText()).toContain(name);
  });

  test('"Products in this room" opens the same card', async () => {
    const page = await session.newPage();
    await enterShowroom(page);
    const list = page.getByRole('list', { name: 'Products in this room' });
    const buttons = list.getByRole('button');
    await expect.poll(() => buttons.count(), { timeout: 20_000 }).toBe(showroom.fixtures.length);
    const fixture = must(showroom.fixtures[0], 'a fixture in the showroom');
    const name = productName(fixture.productId);
    await list.getByRole('button', { name, exact: true }).first().click();
    const dialog = page.getByRole('dialog', { name, exact: true });
    await expect.poll(() => dialog.count(), { timeout: 20_000 }).toBe(1);
    expect(await dialog.getByRole('button', { name: 'Add to cart' }).count()).toBe(1);
    const product = must(
      catalog.products.find((p) => p.id === fixture.productId),
      fixture.productId,
    );
    expect(product.variants.map((v) => v.price.amount)).toContain(parseAmount(await dialog.innerText()));
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
  });

  test('an unknown showroom id shows "Showroom not found"', async () => {
    const page = await session.newPage();
    await page.goto('/showroom/no-such-room');
    await expect.poll(() => page.locator('h1').innerText(), { timeout: 30_000 }).toBe('Showroom not found');
  });
});
