/**
 * Driving the emulated Quest 3's right controller in e2e tests, through IWER's device API only: hold it at the
 * right hip and point its ray at a world point, press and release buttons, aim at a product panel's buttons
 * (from the view element's `data-xr-panel-buttons`), and pick a product that nothing stands in front of from a
 * showroom's spawn point.
 */
import type { Locator, Page } from 'playwright-core';
import type { CatalogSnapshot, Fixture, Product, Showroom, Variant } from '../../src/protocol/catalog';
import { must, waitFor } from './catalog-data';

export type Vec3 = [number, number, number];

/** Where the right controller is held, in the XR origin's space (local-floor): at the right hip, forward. */
export const CONTROLLER_LOCAL: Vec3 = [0.2, 1.35, -0.15];

/** The XR origin's floor position and yaw (radians). */
export interface XROriginPose {
  x: number;
  z: number;
  yaw: number;
}

/** Shortest distance from point `p` to the segment `a`–`b` on the floor plane. */
function floorDistanceToSegment(p: [number, number], a: [number, number], b: [number, number]): number {
  const abx = b[0] - a[0];
  const abz = b[1] - a[1];
  const t = Math.max(
    0,
    Math.min(1, ((p[0] - a[0]) * abx + (p[1] - a[1]) * abz) / (abx * abx + abz * abz || 1)),
  );
  return Math.hypot(p[0] - (a[0] + t * abx), p[1] - (a[1] + t * abz));
}

/** A product on a fixture, with a variant other than the one its stand shows. */
export interface ClearFixture {
  showroom: Showroom;
  fixture: Fixture;
  product: Product;
  /** In stock and not the variant the stand shows. */
  other: Variant;
}

/**
 * The fixture nearest its showroom's spawn point whose product has a second variant in stock and that no other
 * fixture stands in front of (seen from the spawn point); optionally only in one showroom.
 */
export function clearFixture(catalog: CatalogSnapshot, showroomId?: string): ClearFixture | undefined {
  const products = new Map(catalog.products.map((p) => [p.id, p]));
  const candidates = catalog.showrooms
    .filter((room) => showroomId === undefined || room.id === showroomId)
    .flatMap((room) =>
      room.fixtures.flatMap((f) => {
        const p = products.get(f.productId);
        if (!p || p.variants.length < 2) return [];
        const shown = p.variants.find((v) => v.sku === f.sku) ?? p.variants[0];
        const other = p.variants.find((v) => v !== shown && v.stock > 0);
        if (!other) return [];
        const spawn = room.spawn.position;
        const clear = room.fixtures.every((g) => {
          if (g === f) return true;
          const q = products.get(g.productId);
          if (!q) return true;
          const radius = Math.hypot(q.dimensions.width, q.dimensions.depth) / 2 + 0.05;
          return floorDistanceToSegment([g.position[0], g.position[1]], spawn, f.position) > radius;
        });
        if (!clear) return [];
        const d = Math.hypot(f.position[0] - spawn[0], f.position[1] - spawn[1]);
        return [{ showroom: room, fixture: f, product: p, other, d }];
      }),
    );
  candidates.sort((a, b) => a.d - b.d);
  const best = candidates[0];
  return best && { showroom: best.showroom, fixture: best.fixture, product: best.product, other: best.other };
}

/** Rotation of the vector `v` about +y by `yaw` (three.js convention). */
export function rotateY(v: Vec3, yaw: number): Vec3 {
  const c = Math.cos(yaw);
  const s = Math.sin(yaw);
  return [c * v[0] + s * v[2], v[1], -s * v[0] + c * v[2]];
}

/**
 * Holds the right controller at CONTROLLER_LOCAL and points its ray (-z) at `target` (world), given the XR
 * origin's floor position and yaw.
 */
export async function aimAt(page: Page, origin: XROriginPose, target: Vec3): Promise<void> {
  const world = rotateY(CONTROLLER_LOCAL, origin.yaw);
  const from: Vec3 = [origin.x + world[0], world[1], origin.z + world[2]];
  const dirWorld: Vec3 = [target[0] - from[0], target[1] - from[1], target[2] - from[2]];
  const local = rotateY(dirWorld, -origin.yaw);
  const len = Math.hypot(...local);
  const [bx, by, bz] = [local[0] / len, local[1] / len, local[2] / len];
  // Shortest rotation taking (0, 0, -1) to b: axis (0,0,-1)×b = (by, -bx, 0), w = 1 + (0,0,-1)·b.
  const qn = Math.hypot(by, bx, 1 - bz);
  const q: [number, number, number, number] = [by / qn, -bx / qn, 0, (1 - bz) / qn];
  await page.evaluate(
    ({ p, q }) => {
      const right = window.vitrineXRDevice?.controllers.right;
      if (!right) throw new Error('no emulated right controller');
      right.position.set(p[0], p[1], p[2]);
      right.quaternion.set(q[0], q[1], q[2], q[3]);
    },
    { p: CONTROLLER_LOCAL, q },
  );
}

/** Sets a button of the right controller (0 released … 1 fully pressed). */
export async function setButton(page: Page, button: 'trigger' | 'squeeze', value: number): Promise<void> {
  await page.evaluate(
    ({ button, value }) => window.vitrineXRDevice?.controllers.right?.updateButtonValue(button, value),
    { button, value },
  );
}

/** Pulls the trigger, waits for its effect, and releases it. */
export async function pull<T>(
  page: Page,
  what: string,
  read: () => Promise<T>,
  ok: (v: T) => boolean,
): Promise<T> {
  await setButton(page, 'trigger', 1);
  const value = await waitFor(what, read, ok, 30_000);
  await setButton(page, 'trigger', 0);
  // Let a frame carry the release (selectend) before the next press.
  await page.waitForTimeout(1500);
  return value;
}

/** The open product panel's buttons (name → world centre), from the view element. */
export async function panelButtons(view: Locator): Promise<Record<string, Vec3>> {
  const json = await view.getAttribute('data-xr-panel-buttons');
  return JSON.parse(must(json, 'data-xr-panel-buttons') || '{}') as Record<string, Vec3>;
}

/** Aims at a button of the open product panel and waits until the ray is on it. */
export async function aimAtButton(
  page: Page,
  view: Locator,
  origin: XROriginPose,
  name: string,
): Promise<void> {
  const target = must((await panelButtons(view))[name], `panel button ${name}`);
  await aimAt(page, origin, target);
  await waitFor(
    `the ray on the panel's "${name}" button`,
    () => view.getAttribute('data-xr-panel-hovered'),
    (v) => v === name,
    30_000,
  );
}
