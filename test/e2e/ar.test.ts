// AR try-on on an emulated Meta Quest 3 (IWER in Chromium) in `immersive-ar`, in a synthetic room (@iwer/sem's
// bundled "office_small" capture, read from node_modules and injected: nothing is fetched): open a product page,
// press "View in your space", aim the right controller at the floor until the hit test finds it, pull the
// trigger to place the product, check that it stands at true size on the floor, drag it, turn it, switch the
// variant, add it to the cart, take a snapshot, leave AR, and find the line on the cart page. The emulated Quest
// has no DOM overlay, so turning, dimensions, the variant, Add to cart and Exit are pressed on the in-headset panel
// with the right controller's ray and trigger (IWER's device API); only the snapshot, which the panel does not
// offer, is taken through the overlay's button in the page.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import type { CatalogSnapshot, Product, Variant } from '../../src/protocol/catalog';
import { fetchCatalog } from '../support/catalog-api';
import { materialIn, readGltfParts, type GltfParts } from '../support/gltf-parts';
import { repoRoot } from '../support/server';
import { useBrowser } from './browser';
import { must, waitFor } from './catalog-data';
import { quest3EmulatorScript } from './xr-emulator';
import { aimAt as aimFromOrigin, setButton } from './xr-aim';

type Vec3 = [number, number, number];
type Box = [Vec3, Vec3];

const ROOM = 'office_small';
const session = useBrowser();
let product: Product;
/** The variant switched to in AR (in stock, not the first). */
let chosen: Variant;
/** Height of the room's floor as the capture records it (its FLOOR plane). */
let roomFloorY: number;
/** The product's model as glTF-Transform reads it (which material each part shows in each variant). */
let gltf: GltfParts;

/**
 * The headset stands in the room facing +z, towards the wall with the picture; the floor in front of it is clear
 * (the room's desk is behind it at -z, a chair to its left). Mapped with hit tests straight down.
 */
const HEADSET: Vec3 = [0.45, 1.6, 0.45];
/** The right controller, held low in front of the headset. */
const CONTROLLER: Vec3 = [0.6, 1.3, 0.6];
/** Where the product goes first (straight ahead of the headset), and where it is dragged to (x, z on the floor). */
const FIRST: [number, number] = [0.45, 1.0];
const SECOND: [number, number] = [0.9, 0.75];

beforeAll(async () => {
  const catalog: CatalogSnapshot = await fetchCatalog(session.baseUrl);
  // A floor product with a second variant in stock and a rectangular footprint small enough for the room.
  const candidates = catalog.products.filter(
    (p) =>
      p.placement === 'floor' &&
      p.variants.filter((v) => v.stock > 0).length >= 2 &&
      p.dimensions.width !== p.dimensions.depth &&
      Math.max(p.dimensions.width, p.dimensions.depth) <= 0.8,
  );
  product = must(candidates[0], 'a small floor product with two variants in stock');
  chosen = must(
    product.variants.find((v, i) => i > 0 && v.stock > 0),
    'a second variant in stock',
  );
  const room = JSON.parse(
    readFileSync(`${repoRoot}/node_modules/@iwer/sem/captures/${ROOM}.json`, 'utf8'),
  ) as { spatialEntities: { semanticLabel_META?: string; locatable_META?: { position: { y: number } } }[] };
  const floor = must(
    room.spatialEntities.find((e) => e.semanticLabel_META === 'FLOOR'),
    'the room capture has a floor',
  );
  roomFloorY = must(floor.locatable_META, 'the floor has a position').position.y;
  const model = await fetch(new URL(product.model.url, session.baseUrl));
  gltf = await readGltfParts(new Uint8Array(await model.arrayBuffer()));
});

/** The material names the model's parts show in `variant`, in scene order (what the AR view reads off its meshes). */
const materialsIn = (variant: string): string[] =>
  gltf.parts.map((p) => materialIn(p, variant)?.getName() ?? '');

/** Difference of two angles in degrees, wrapped into [-180, 180). */
const angleDiff = (a: number, b: number): number => ((((a - b) % 360) + 540) % 360) - 180;

const overlay = (page: Page) => page.getByTestId('ar-overlay');
const attr = (page: Page, name: string) => overlay(page).getAttribute(name);

async function bbox(page: Page): Promise<Box> {
  return JSON.parse(must(await attr(page, 'data-ar-bbox'), 'data-ar-bbox')) as Box;
}

const size = (b: Box): Vec3 => [b[1][0] - b[0][0], b[1][1] - b[0][1], b[1][2] - b[0][2]];
const centre = (b: Box): Vec3 => [(b[0][0] + b[1][0]) / 2, (b[0][1] + b[1][1]) / 2, (b[0][2] + b[1][2]) / 2];

/** Points the right controller's ray (-z) from CONTROLLER at `target`. */
async function aimAt(page: Page, target: Vec3): Promise<void> {
  const d: Vec3 = [target[0] - CONTROLLER[0], target[1] - CONTROLLER[1], target[2] - CONTROLLER[2]];
  const len = Math.hypot(...d);
  const [bx, by, bz] = [d[0] / len, d[1] / len, d[2] / len];
  // Shortest rotation taking (0, 0, -1) to b: axis (0,0,-1)×b = (by, -bx, 0), w = 1 + (0,0,-1)·b.
  const qn = Math.hypot(by, bx, 1 - bz);
  const q = [by / qn, -bx / qn, 0, (1 - bz) / qn];
  await page.evaluate(
    ({ p, q }) => {
      const right = window.vitrineXRDevice?.controllers.right;
      if (!right) throw new Error('no emulated right controller');
      right.position.set(p[0], p[1], p[2]);
      right.quaternion.set(q[0] ?? 0, q[1] ?? 0, q[2] ?? 0, q[3] ?? 1);
    },
    { p: CONTROLLER, q },
  );
}

async function trigger(page: Page, value: number): Promise<void> {
  await page.evaluate(
    (v) => window.vitrineXRDevice?.controllers.right?.updateButtonValue('trigger', v),
    value,
  );
  // Let XR frames carry the press or release (IWER turns button changes into select events per frame).
  await page.waitForTimeout(1500);
}

/** The XR origin of the AR session: the room's reference space itself. */
const ORIGIN = { x: 0, z: 0, yaw: 0 };

/** World centre of a button of the in-headset AR panel (from `data-ar-panel-buttons`). */
async function panelButton(page: Page, name: string): Promise<Vec3> {
  const json = must(await attr(page, 'data-ar-panel-buttons'), 'data-ar-panel-buttons');
  return must((JSON.parse(json) as Record<string, Vec3>)[name], `AR panel button ${name}`);
}

/**
 * Aims the right controller at the panel's `name` button, pulls the trigger, waits for `read` to satisfy `ok`,
 * keeps the trigger held for a few more XR frames (a press must act once, however long it is held), and
 * releases it. Returns what `read` gave after the release.
 */
async function pressOnPanel<T>(
  page: Page,
  name: string,
  read: () => Promise<T>,
  ok: (v: T) => boolean,
): Promise<T> {
  await aimFromOrigin(page, ORIGIN, await panelButton(page, name));
  await waitFor(
    `the ray on the AR panel's "${name}" button`,
    () => attr(page, 'data-ar-panel-hovered'),
    (v) => v === name,
    30_000,
  );
  await setButton(page, 'trigger', 1);
  await waitFor(`the effect of "${name}"`, read, ok, 30_000);
  await page.waitForTimeout(3000);
  await setButton(page, 'trigger', 0);
  await page.waitForTimeout(1500);
  return read();
}

function expectNear(actual: number, expected: number, tolerance: number, what: string): void {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

describe('AR try-on', () => {
  test('place at true size on the floor, move, turn, switch variant, add to cart, exit', async () => {
    await session.context.addInitScript({ content: await quest3EmulatorScript(ROOM) });
    const page = await session.newPage();
    await page.goto(`/product/${product.id}`);
    await expect.poll(() => page.locator('h1').innerText(), { timeout: 30_000 }).toBe(product.name);

    const view = page.getByRole('button', { name: 'View in your space', exact: true });
    await waitFor(
      'WebXR AR to be found supported',
      () => view.getAttribute('data-ar-support'),
      (v) => v === 'webxr',
      30_000,
    );
    // The headset faces +z, the clear half of the room.
    await page.evaluate((p) => {
      const device = window.vitrineXRDevice;
      if (!device) throw new Error('no emulated device');
      device.position.set(p[0], p[1], p[2]);
      device.quaternion.set(0, 1, 0, 0);
    }, HEADSET);
    await aimAt(page, [FIRST[0], roomFloorY, FIRST[1]]);
    await view.click();

    await waitFor(
      'the AR session to run',
      () => attr(page, 'data-ar-state'),
      (v) => v === 'running',
      60_000,
    );
    expect(await attr(page, 'data-ar-placed')).toBe('false');
    expect(await attr(page, 'data-ar-variant')).toBe(product.variants[0]?.sku);
    const first = must(product.variants[0], 'a first variant');
    await waitFor(
      'the model to show the first variant’s materials',
      () => attr(page, 'data-ar-material'),
      (v) => v === JSON.stringify(materialsIn(first.materialVariant)),
      60_000,
    );

    // The hit test finds the floor under the controller's ray: the reticle is ready.
    await waitFor(
      'the reticle on the floor',
      () => attr(page, 'data-ar-reticle'),
      (v) => v === 'ready',
      90_000,
    );
    expect(await attr(page, 'data-ar-hint')).toContain('the floor');
    const hit = JSON.parse(must(await attr(page, 'data-ar-hit'), 'data-ar-hit')) as Vec3;
    // The hit is where the ray meets the room's floor (the capture's mesh, within 2 cm of its floor plane).
    expectNear(hit[1], roomFloorY, 0.02, 'hit height vs the room floor');
    expectNear(hit[0], FIRST[0], 0.03, 'hit x');
    expectNear(hit[2], FIRST[1], 0.03, 'hit z');

    // Trigger: the product is placed at the reticle, turned to face the headset (its front towards -z: ±180°).
    await trigger(page, 1);
    await trigger(page, 0);
    await waitFor(
      'the product to be placed',
      () => attr(page, 'data-ar-placed'),
      (v) => v === 'true',
      30_000,
    );
    await expect.poll(() => overlay(page).getByTestId('ar-true-size').innerText()).toBe('True size 1:1');
    expect(await attr(page, 'data-ar-true-size')).toBe('true');
    const placed = await waitFor(
      'the placed bounding box',
      () => bbox(page),
      (b) => b.length === 2,
      30_000,
    );
    const [w, h, d] = size(placed);
    const { width, height, depth } = product.dimensions;
    // Facing the headset, which is straight ahead: the box is the catalog's width, height and depth, at 1:1.
    const facing = (Math.atan2(HEADSET[0] - hit[0], HEADSET[2] - hit[2]) * 180) / Math.PI;
    // Near ±180°, -179.95 and 179.95 are the same turn: compare the wrapped difference.
    expectNear(
      angleDiff(Number(await attr(page, 'data-ar-turn')), facing),
      0,
      0.1,
      'turn towards the viewer',
    );
    expectNear(Math.abs(facing), 180, 2, 'the headset is straight ahead');
    expectNear(w, width, 0.01, 'placed width');
    expectNear(h, height, 0.01, 'placed height');
    expectNear(d, depth, 0.01, 'placed depth');
    // It rests on the surface the hit test found.
    expectNear(placed[0][1], hit[1], 0.01, 'bottom on the hit surface');
    expectNear(centre(placed)[0], hit[0], 0.01, 'centred on the hit (x)');
    expectNear(centre(placed)[2], hit[2], 0.01, 'centred on the hit (z)');
    // Anchored where the session offers anchors (IWER does).
    await waitFor(
      'the anchor',
      () => attr(page, 'data-ar-anchored'),
      (v) => v === 'true',
      30_000,
    );

    // Drag: hold the trigger, move the ray, let go. The product follows along the floor, same size and turn.
    await trigger(page, 1);
    await aimAt(page, [SECOND[0], roomFloorY, SECOND[1]]);
    const dragged = await waitFor(
      'the product to follow the ray',
      () => bbox(page),
      (b) => Math.abs(centre(b)[0] - SECOND[0]) < 0.03 && Math.abs(centre(b)[2] - SECOND[1]) < 0.03,
      30_000,
    );
    await trigger(page, 0);
    await waitFor(
      'the drag to end and the product to be anchored again',
      async () => [await attr(page, 'data-ar-dragging'), await attr(page, 'data-ar-anchored')],
      (v) => v[0] === 'false' && v[1] === 'true',
      30_000,
    );
    const moved = await bbox(page);
    expectNear(centre(moved)[0], centre(dragged)[0], 0.01, 'stays where it was let go (x)');
    expectNear(centre(moved)[2], centre(dragged)[2], 0.01, 'stays where it was let go (z)');
    expectNear(moved[0][1], placed[0][1], 0.01, 'still on the floor');
    size(moved).forEach((s, i) => expectNear(s, size(placed)[i] ?? NaN, 0.01, `moved size ${i}`));

    // The in-headset panel (no DOM overlay on the Quest) floats next to the placed product. From here on, a
    // trigger pull on it must never drag the product: watch `data-ar-dragging` and `data-ar-anchored` in the page.
    await waitFor(
      'the AR panel with its placed-product buttons',
      () => attr(page, 'data-ar-panel-buttons'),
      (v) => v !== null && v.includes('"turn-left"') && v.includes('"add-to-cart"'),
      30_000,
    );
    await overlay(page).evaluate((el) => {
      const seen = { dragged: false, unanchored: false };
      (window as unknown as { arPanelPressSeen: typeof seen }).arPanelPressSeen = seen;
      new MutationObserver(() => {
        if (el.getAttribute('data-ar-dragging') !== 'false') seen.dragged = true;
        if (el.getAttribute('data-ar-anchored') !== 'true') seen.unanchored = true;
      }).observe(el, { attributes: true, attributeFilter: ['data-ar-dragging', 'data-ar-anchored'] });
    });
    const turnNow = async (): Promise<number> => Number(await attr(page, 'data-ar-turn'));

    // Turn 2 × 15° left: the box turns about the vertical, same height, same place; turning back restores it.
    // Each pull turns exactly one step, although the trigger stays held for several frames.
    const turnBefore = await turnNow();
    const once = await pressOnPanel(
      page,
      'turn-left',
      turnNow,
      (t) => Math.abs(angleDiff(t, turnBefore)) > 1,
    );
    expectNear(angleDiff(once, turnBefore), 15, 0.5, 'one pull on turn-left');
    const twice = await pressOnPanel(page, 'turn-left', turnNow, (t) => Math.abs(angleDiff(t, once)) > 1);
    expectNear(angleDiff(twice, turnBefore), 30, 0.5, 'two pulls on turn-left');
    const turned = await waitFor(
      'the product to turn',
      async () => [await turnNow(), await bbox(page)] as const,
      ([t, b]) =>
        Math.abs(angleDiff(t - turnBefore, 30)) < 0.5 &&
        Math.abs(size(b)[0] - w) + Math.abs(size(b)[2] - d) > 0.02,
      30_000,
    );
    const [tw, th, td] = size(turned[1]);
    const a = Math.PI / 6;
    // A box turned by 30° spans w·cos + d·sin by w·sin + d·cos; the model's own shape can only span less.
    expect(tw).toBeLessThanOrEqual(width * Math.cos(a) + depth * Math.sin(a) + 0.01);
    expect(td).toBeLessThanOrEqual(width * Math.sin(a) + depth * Math.cos(a) + 0.01);
    expect(Math.abs(tw - w) + Math.abs(td - d)).toBeGreaterThan(0.02);
    expectNear(th, h, 0.01, 'turned height');
    expectNear(turned[1][0][1], placed[0][1], 0.01, 'turned, still on the floor');
    for (const expected of [15, 0]) {
      const t = await pressOnPanel(
        page,
        'turn-right',
        turnNow,
        (v) => Math.abs(angleDiff(v - turnBefore, expected)) < 0.5,
      );
      expectNear(angleDiff(t - turnBefore, expected), 0, 0.5, `turned back to +${expected}°`);
    }
    const back = await waitFor(
      'the product to turn back',
      () => bbox(page),
      (b) => Math.abs(size(b)[0] - w) < 0.01 && Math.abs(size(b)[2] - d) < 0.01,
      30_000,
    );
    expectNear(centre(back)[0], centre(moved)[0], 0.01, 'turned in place (x)');
    expectNear(centre(back)[2], centre(moved)[2], 0.01, 'turned in place (z)');

    // Dimensions on demand, in centimetres, on the panel.
    const dims = await pressOnPanel(
      page,
      'dimensions',
      () => attr(page, 'data-ar-panel-dimensions'),
      (v) => Boolean(v),
    );
    expect(dims).toContain(`Width ${Math.round(width * 100)} cm`);

    // Switch the variant: the model's meshes show the variant's materials (read off the model in the page and
    // compared with the file's variant mapping), the page follows.
    const chosenMaterials = materialsIn(chosen.materialVariant);
    expect(chosenMaterials, 'the variants differ in some part').not.toEqual(
      materialsIn(first.materialVariant),
    );
    await pressOnPanel(
      page,
      `variant:${chosen.sku}`,
      async () => [await attr(page, 'data-ar-variant'), await attr(page, 'data-ar-material')],
      (v) => v[0] === chosen.sku && v[1] === JSON.stringify(chosenMaterials),
    );
    expect(new URL(page.url()).searchParams.get('sku')).toBe(chosen.sku);

    // Add to cart without leaving AR: one pull, held for several frames, adds one (the cart line's quantity
    // below is 1).
    await pressOnPanel(
      page,
      'add-to-cart',
      () => attr(page, 'data-ar-panel-status'),
      (v) => v === 'Added to cart',
    );

    // None of the panel presses dragged the product or dropped its anchor; it stayed where it was.
    expect(
      await page.evaluate(() => (window as unknown as { arPanelPressSeen: unknown }).arPanelPressSeen),
    ).toEqual({ dragged: false, unanchored: false });
    expect(await attr(page, 'data-ar-dragging')).toBe('false');
    expect(await attr(page, 'data-ar-anchored')).toBe('true');
    const after = await bbox(page);
    expectNear(centre(after)[0], centre(moved)[0], 0.01, 'panel presses left it in place (x)');
    expectNear(centre(after)[2], centre(moved)[2], 0.01, 'panel presses left it in place (z)');

    // Snapshot: a PNG of the view (the panel does not offer it; the overlay's button in the page does).
    await overlay(page).getByRole('button', { name: 'Snapshot' }).click();
    const bytes = await waitFor(
      'the snapshot',
      async () => Number(await attr(page, 'data-ar-snapshot-bytes')),
      (n) => n > 1000,
      60_000,
    );
    const link = overlay(page).getByRole('link', { name: 'Download snapshot (PNG)' });
    const signature = await link.evaluate(async (a: HTMLAnchorElement) => {
      const buffer = await (await fetch(a.href)).arrayBuffer();
      return [buffer.byteLength, ...new Uint8Array(buffer.slice(0, 8))];
    });
    expect(signature).toEqual([bytes, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

    // Exit AR on the panel: the session ends, the overlay goes, the button is back.
    await aimFromOrigin(page, ORIGIN, await panelButton(page, 'exit-ar'));
    await waitFor(
      'the ray on the AR panel\'s "exit-ar" button',
      () => attr(page, 'data-ar-panel-hovered'),
      (v) => v === 'exit-ar',
      30_000,
    );
    await setButton(page, 'trigger', 1);
    await expect.poll(() => overlay(page).count(), { timeout: 30_000 }).toBe(0);
    await setButton(page, 'trigger', 0);
    await expect.poll(() => view.isEnabled(), { timeout: 10_000 }).toBe(true);
    // The XR session itself ended (not only the overlay), and focus is back on the button.
    expect(await page.evaluate(() => window.vitrineXRDevice?.activeSession == null)).toBe(true);
    await expect.poll(() => view.evaluate((b) => b === document.activeElement)).toBe(true);

    await page.goto('/cart');
    const lines = page.getByRole('list', { name: 'Cart lines' }).getByRole('listitem');
    await expect.poll(() => lines.count(), { timeout: 20_000 }).toBe(1);
    const text = await lines.first().innerText();
    expect(text).toContain(product.name);
    expect(await lines.first().getAttribute('data-sku')).toBe(chosen.sku);
    // One pull on "Add to cart" added one.
    expect(await lines.first().getByRole('spinbutton').inputValue()).toBe('1');
  }, 600_000);
});
