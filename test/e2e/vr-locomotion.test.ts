// Moving in VR with IWER emulating a Meta Quest 3 in Chromium, driven only through IWER's device API
// (controller pose, thumbstick axes): the right thumbstick pushed forward throws a teleport arc (green over
// walkable floor, red elsewhere, seen in screenshots) and its release
// lands the headset where the arc meets walkable floor, never inside a fixture's footprint or outside the room;
// the left thumbstick walks with a comfort vignette, a right flick snap-turns 45°, a held pinch teleports with hands; the controller
// models end up in the service worker's runtime cache, and a reload with no network enters VR with them. SwiftShader renders XR at about 2 frames/s: waits count XR
// frames on the emulated session rather than milliseconds.
import type { Page } from 'playwright-core';
import { Euler, Quaternion } from 'three';
import { beforeAll, describe, expect, test } from 'vitest';
import { degToRad } from '../../src/core/layout';
import { yawDegrees } from '../../src/core/stick-locomotion';
import { arcLanding, isWalkable } from '../../src/core/teleport';
import { BODY_RADIUS, type FloorVec } from '../../src/core/walk';
import { buildShowroomScene, type ShowroomScene } from '../../src/features/showroom/showroom-scene';
import { INPUT_PROFILE_CACHE } from '../../src/pwa/asset-caches';
import { INVALID_COLOR, VALID_COLOR } from '../../src/xr/locomotion/teleport-arc-mesh';
import type { CatalogSnapshot, Product, Showroom } from '../../src/protocol/catalog';
import { fetchCatalog } from '../support/catalog-api';
import { useBrowser } from './browser';
import { decodePng, type RgbaImage } from './png';
import { must, waitFor } from './catalog-data';
import { quest3EmulatorScript } from './xr-emulator';

const session = useBrowser();
let catalog: CatalogSnapshot;
let showroom: Showroom;
let scene: ShowroomScene;

beforeAll(async () => {
  catalog = await fetchCatalog(session.baseUrl);
  showroom = must(catalog.showrooms[0], 'the catalog has a showroom');
  const products = new Map<string, Product>(catalog.products.map((p) => [p.id, p]));
  scene = buildShowroomScene(showroom, products);
});

/** Where the right controller or hand is held, in the headset's local-floor space (a relaxed right hand). */
const HAND: [number, number, number] = [0.2, 1.2, -0.3];
/** How close the headset must land to the aimed point. */
const LANDING_TOLERANCE = 0.3;

const view = (page: Page) => page.getByTestId('showroom-view');

function parsePosition(value: string | null): FloorVec {
  const m = /^(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)$/.exec(value ?? '');
  if (!m) throw new Error(`data-position "${String(value)}" is not "x,z"`);
  return { x: Number(m[1]), z: Number(m[2]) };
}

const position = async (page: Page): Promise<FloorVec> =>
  parsePosition(await view(page).getAttribute('data-position'));

const rotation = async (page: Page): Promise<number> =>
  Number((await view(page).getAttribute('data-xr-rotation')) ?? Number.NaN);

const distance = (a: FloorVec, b: FloorVec): number => Math.hypot(a.x - b.x, a.z - b.z);

/** Resolves after `n` more frames of the emulated headset's session (the app draws one per frame). */
async function xrFrames(page: Page, n: number): Promise<void> {
  await page.evaluate(
    (count) =>
      new Promise<void>((resolve, reject) => {
        const xrSession = window.vitrineXRDevice?.activeSession;
        if (!xrSession) {
          reject(new Error('no XR session'));
          return;
        }
        let seen = 0;
        const tick = (): void => {
          seen += 1;
          if (seen >= count) resolve();
          else xrSession.requestAnimationFrame(tick);
        };
        xrSession.requestAnimationFrame(tick);
      }),
    n,
  );
}

/** Moves a thumbstick of an emulated controller. */
async function stick(page: Page, hand: 'left' | 'right', x: number, y: number): Promise<void> {
  await page.evaluate(
    ({ hand: h, x: ax, y: ay }) => {
      const controller = window.vitrineXRDevice?.controllers[h];
      if (!controller) throw new Error(`no ${h} controller`);
      controller.updateAxes('thumbstick', ax, ay);
    },
    { hand, x, y },
  );
}

/** Headset floor pose of the emulated device (local-floor space) and the XR origin in the world. */
interface Rig {
  /** World floor position of the XR origin and its yaw (radians, positive turns left). */
  origin: FloorVec;
  yaw: number;
}

/** Reads where the XR origin is from the headset's world position (data-position) and its local pose. */
async function readRig(page: Page): Promise<Rig> {
  const head = await position(page);
  const yaw = ((await rotation(page)) * Math.PI) / 180;
  const local = await page.evaluate(() => {
    const p = window.vitrineXRDevice?.position;
    return { x: p?.x ?? 0, z: p?.z ?? 0 };
  });
  // world = origin + Ry(yaw)·local  ⇒  origin = head − Ry(yaw)·local
  const c = Math.cos(yaw);
  const s = Math.sin(yaw);
  return {
    origin: { x: head.x - (c * local.x + s * local.z), z: head.z - (-s * local.x + c * local.z) },
    yaw,
  };
}

/**
 * Points the right controller (held at HAND) so that the teleport arc lands on world floor point `target`:
 * turns it towards the target, then finds the pitch whose arc (core/teleport.ts) reaches that far.
 */
async function aimAt(
  page: Page,
  rig: Rig,
  target: FloorVec,
  input: 'controllers' | 'hands' = 'controllers',
): Promise<void> {
  const c = Math.cos(rig.yaw);
  const s = Math.sin(rig.yaw);
  const dx = target.x - rig.origin.x;
  const dz = target.z - rig.origin.z;
  // local = Ry(−yaw)·(world − origin)
  const lx = c * dx - s * dz - HAND[0];
  const lz = s * dx + c * dz - HAND[2];
  const reach = Math.hypot(lx, lz);
  const heading = Math.atan2(-lx, -lz);
  let low = -Math.PI / 2 + 0.01;
  let high = Math.PI / 4;
  const landing = { x: 0, z: 0 };
  const range = (pitch: number): number => {
    arcLanding({ x: 0, y: HAND[1], z: 0 }, { x: 0, y: Math.sin(pitch), z: -Math.cos(pitch) }, landing);
    return -landing.z;
  };
  if (range(high) < reach) throw new Error(`target ${target.x},${target.z} is out of the arc's reach`);
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2;
    if (range(mid) < reach) low = mid;
    else high = mid;
  }
  const q = new Quaternion().setFromEuler(new Euler(low, heading, 0, 'YXZ'));
  await page.evaluate(
    ({ p, q: quat, kind }) => {
      const tracked = window.vitrineXRDevice?.[kind].right;
      if (!tracked) throw new Error(`no right ${kind}`);
      tracked.position.set(p.x, p.y, p.z);
      tracked.quaternion.set(quat.x, quat.y, quat.z, quat.w);
    },
    { p: { x: HAND[0], y: HAND[1], z: HAND[2] }, q: { x: q.x, y: q.y, z: q.z, w: q.w }, kind: input },
  );
}

/** Pixels of the view showing the teleport marker's and arc's colour: [green (walkable), red (not)]. */
async function arcPixels(page: Page): Promise<[number, number]> {
  const image = decodePng(await view(page).screenshot());
  const near = (i: number, colour: number): boolean =>
    Math.abs((image.data[i] ?? 0) - ((colour >> 16) & 0xff)) <= 45 &&
    Math.abs((image.data[i + 1] ?? 0) - ((colour >> 8) & 0xff)) <= 45 &&
    Math.abs((image.data[i + 2] ?? 0) - (colour & 0xff)) <= 45;
  let valid = 0;
  let invalid = 0;
  for (let i = 0; i < image.data.length; i += 4) {
    if (near(i, VALID_COLOR)) valid += 1;
    else if (near(i, INVALID_COLOR)) invalid += 1;
  }
  return [valid, invalid];
}

/**
 * Aims at `target`, pushes the right thumbstick forward for a few frames and lets it go; returns the arc
 * colour pixels seen while the stick was held (see arcPixels).
 */
async function teleportTo(page: Page, target: FloorVec): Promise<[number, number]> {
  await aimAt(page, await readRig(page), target);
  await xrFrames(page, 2);
  await stick(page, 'right', 0, -1);
  await xrFrames(page, 3);
  const seen = await arcPixels(page);
  await stick(page, 'right', 0, 0);
  await xrFrames(page, 3);
  return seen;
}

/** The first walkable floor point `metres` from `from`, trying headings around `yaw` (0 looks towards −z). */
function walkablePoint(from: FloorVec, yaw: number, metres: number): FloorVec {
  for (const turn of [0, 30, -30, 60, -60, 90, -90, 120, -120, 150, -150, 180]) {
    const a = yaw + (turn * Math.PI) / 180;
    const p = { x: from.x - Math.sin(a) * metres, z: from.z - Math.cos(a) * metres };
    // A margin on top of the body radius, so the landing check is not decided by rounding at an edge.
    if (isWalkable(p, scene.bounds, scene.obstacles, BODY_RADIUS + 0.2)) return p;
  }
  throw new Error(`no walkable point ${metres} m around ${from.x},${from.z}`);
}

/** Mean brightness of the outer tenth of an image (each side) over that of its middle fifth: lower = darker edges. */
function edgeToCentre(image: RgbaImage): number {
  const { width, height, data } = image;
  let edge = 0;
  let edgeCount = 0;
  let centre = 0;
  let centreCount = 0;
  for (let y = 0; y < height; y += 2) {
    for (let x = 0; x < width; x += 2) {
      const i = (y * width + x) * 4;
      const lum = 0.2126 * (data[i] ?? 0) + 0.7152 * (data[i + 1] ?? 0) + 0.0722 * (data[i + 2] ?? 0);
      const fx = x / width;
      const fy = y / height;
      if (fx < 0.1 || fx > 0.9 || fy < 0.1 || fy > 0.9) {
        edge += lum;
        edgeCount += 1;
      } else if (Math.abs(fx - 0.5) < 0.1 && Math.abs(fy - 0.5) < 0.1) {
        centre += lum;
        centreCount += 1;
      }
    }
  }
  return edge / edgeCount / Math.max(1, centre / centreCount);
}

describe('moving in VR', () => {
  test('teleport onto walkable floor only, walk with the left stick, snap-turn with the right', async () => {
    await session.context.addInitScript({ content: await quest3EmulatorScript() });
    const page = await session.newPage();
    const profileResponses: string[] = [];
    page.on('response', (response) => {
      const url = new URL(response.url());
      if (url.pathname.startsWith('/xr/input-profiles/')) profileResponses.push(url.pathname);
    });

    await page.goto(`/showroom/${showroom.id}`);
    await waitFor(
      'the showroom to reach data-state=ready',
      () => view(page).getAttribute('data-state'),
      (s) => s === 'ready',
      120_000,
    );
    // The service worker controls the page before VR starts, so it sees the controller model requests.
    await waitFor(
      'the service worker to control the page',
      () => page.evaluate(() => navigator.serviceWorker.controller !== null),
      (yes) => yes,
      60_000,
    );
    await waitFor(
      'the "Enter VR" button',
      () => page.getByRole('button', { name: 'Enter VR', exact: true }).count(),
      (n) => n === 1,
      15_000,
    );
    const pagePosition = await view(page).getAttribute('data-position');
    await page.getByRole('button', { name: 'Enter VR', exact: true }).click();
    await waitFor(
      'data-xr-rotation (a VR session with locomotion)',
      () => view(page).getAttribute('data-xr-rotation'),
      (v) => v !== null,
      60_000,
    );
    await waitFor(
      'XR frames',
      async () => Number((await view(page).getAttribute('data-xr-frames')) ?? 0),
      (n) => n >= 1,
      60_000,
    );
    await xrFrames(page, 2);
    const start = await position(page);
    const startYaw = await rotation(page);
    expect(startYaw, 'the origin faces the way the page camera did').toBe(
      yawDegrees(degToRad(showroom.spawn.rotationY)),
    );

    // Teleport about 2 m ahead onto open floor.
    const target = walkablePoint(start, (startYaw * Math.PI) / 180, 2);
    // Look down a little (as a shopper does when teleporting), so the marker on the floor is in view.
    await page.evaluate((angle) => {
      window.vitrineXRDevice?.quaternion.set(Math.sin(angle / 2), 0, 0, Math.cos(angle / 2));
    }, -0.5);
    await xrFrames(page, 2);
    const [noArcValid, noArcInvalid] = await arcPixels(page);
    const [validAim, validAimRed] = await teleportTo(page, target);
    const landed = await waitFor(
      `the headset to land at ${target.x.toFixed(2)},${target.z.toFixed(2)}`,
      () => position(page),
      (p) => distance(p, target) < LANDING_TOLERANCE,
      30_000,
    );
    // While aiming, a green arc and marker show; nothing red on walkable floor.
    expect(validAim, 'green arc pixels while aiming at open floor').toBeGreaterThan(noArcValid + 50);
    expect(validAimRed).toBeLessThanOrEqual(noArcInvalid + 5);
    console.log(
      `[vr-locomotion] teleport ${start.x},${start.z} → ${landed.x},${landed.z} (aimed ${target.x.toFixed(2)},${target.z.toFixed(2)})`,
    );

    // Aiming into a fixture's footprint does nothing.
    const { halfWidth, halfDepth } = scene.bounds;
    const inside = scene.obstacles.filter(
      (o) => Math.abs(o.x) < halfWidth - 0.3 && Math.abs(o.z) < halfDepth - 0.3,
    );
    const fixture = inside.sort((a, b) => distance(a, landed) - distance(b, landed))[0];
    if (!fixture) throw new Error('the showroom has no fixtures');
    const [fixtureAimGreen, fixtureAimRed] = await teleportTo(page, fixture);
    expect(fixtureAimRed, 'red marker pixels while aiming at a fixture').toBeGreaterThan(noArcInvalid + 50);
    expect(fixtureAimGreen).toBeLessThan(validAim / 2);
    console.log(
      `[vr-locomotion] arc pixels green/red: none ${noArcValid}/${noArcInvalid}, open floor ${validAim}/${validAimRed}, fixture ${fixtureAimGreen}/${fixtureAimRed}`,
    );
    await page.evaluate(() => window.vitrineXRDevice?.quaternion.set(0, 0, 0, 1));
    await xrFrames(page, 2);
    const afterFixture = await position(page);
    expect(distance(afterFixture, landed), `aimed at the fixture at ${fixture.x},${fixture.z}`).toBeLessThan(
      0.05,
    );

    // Aiming past a wall does nothing: the nearest point 1 m outside the room.
    const outside = [
      { x: halfWidth + 1, z: landed.z },
      { x: -halfWidth - 1, z: landed.z },
      { x: landed.x, z: halfDepth + 1 },
      { x: landed.x, z: -halfDepth - 1 },
    ].sort((a, b) => distance(a, landed) - distance(b, landed))[0];
    if (!outside) throw new Error('no point outside');
    await teleportTo(page, outside);
    await xrFrames(page, 2);
    const afterOutside = await position(page);
    expect(distance(afterOutside, landed), `aimed outside at ${outside.x},${outside.z}`).toBeLessThan(0.05);

    // Snap turn: a flick of the right stick turns 45° right (the yaw falls), the head stays where it is.
    await stick(page, 'right', 1, 0);
    await xrFrames(page, 3);
    await stick(page, 'right', 0, 0);
    const turned = await waitFor(
      'data-xr-rotation to change',
      () => rotation(page),
      (r) => r !== startYaw,
      30_000,
    );
    expect((((startYaw - turned) % 360) + 360) % 360, `${startYaw}° → ${turned}°`).toBe(45);
    await xrFrames(page, 3);
    expect(await rotation(page), 'one flick, one turn').toBe(turned);
    expect(distance(await position(page), afterOutside)).toBeLessThan(0.1);
    await stick(page, 'right', -1, 0);
    await xrFrames(page, 3);
    await stick(page, 'right', 0, 0);
    await waitFor(
      'the turn back',
      () => rotation(page),
      (r) => r === startYaw,
      30_000,
    );

    // Smooth locomotion: holding the left stick moves the headset, and it stays on walkable floor.
    // The comfort vignette darkens the edges of the view only while the stick moves the shopper.
    const before = await position(page);
    const atRest = edgeToCentre(decodePng(await view(page).screenshot()));
    await stick(page, 'left', 0.3, -1);
    await xrFrames(page, 2);
    const whileMoving = edgeToCentre(decodePng(await view(page).screenshot()));
    await xrFrames(page, 2);
    await stick(page, 'left', 0, 0);
    await xrFrames(page, 3);
    const afterMoving = edgeToCentre(decodePng(await view(page).screenshot()));
    console.log(
      `[vr-locomotion] edge/centre brightness: at rest ${atRest.toFixed(2)}, moving ${whileMoving.toFixed(2)}, after ${afterMoving.toFixed(2)}`,
    );
    expect(whileMoving).toBeLessThan(atRest * 0.6);
    expect(afterMoving).toBeGreaterThan(whileMoving * 1.5);
    const moved = await waitFor(
      'the left stick to move the headset',
      () => position(page),
      (p) => distance(p, before) > 0.1,
      30_000,
    );
    expect(Math.abs(moved.x)).toBeLessThanOrEqual(halfWidth);
    expect(Math.abs(moved.z)).toBeLessThanOrEqual(halfDepth);
    console.log(
      `[vr-locomotion] left stick ${before.x},${before.z} → ${moved.x},${moved.z}; snap ${startYaw}° → ${turned}°`,
    );

    // Hands: a pinch held while pointing throws the arc, letting go lands.
    await page.evaluate(() => {
      const device = window.vitrineXRDevice;
      if (device) device.primaryInputMode = 'hand';
    });
    await xrFrames(page, 3);
    const handFrom = await position(page);
    const handTarget = walkablePoint(handFrom, ((await rotation(page)) * Math.PI) / 180, 1.5);
    await aimAt(page, await readRig(page), handTarget, 'hands');
    await xrFrames(page, 2);
    await page.evaluate(() => window.vitrineXRDevice?.hands.right?.updatePinchValue(1));
    // Held well past the pinch-to-aim delay (300 ms) even at 2 frames/s.
    await page.waitForTimeout(800);
    await xrFrames(page, 3);
    await page.evaluate(() => window.vitrineXRDevice?.hands.right?.updatePinchValue(0));
    const handLanded = await waitFor(
      `a pinch to land the headset at ${handTarget.x.toFixed(2)},${handTarget.z.toFixed(2)}`,
      () => position(page),
      (p) => distance(p, handTarget) < LANDING_TOLERANCE,
      30_000,
    );
    console.log(
      `[vr-locomotion] hand teleport ${handFrom.x},${handFrom.z} → ${handLanded.x},${handLanded.z}`,
    );

    // The controller models went through the service worker into its runtime cache (VR works offline).
    const cached = await waitFor(
      'the controller models in the input profile cache',
      () =>
        page.evaluate(async (name) => {
          const cache = await caches.open(name);
          return (await cache.keys()).map((r) => new URL(r.url).pathname);
        }, INPUT_PROFILE_CACHE),
      (paths) =>
        paths.includes('/xr/input-profiles/profilesList.json') &&
        paths.some((p) => /^\/xr\/input-profiles\/meta-quest-touch-plus\/(left|right)\.glb$/.test(p)),
      30_000,
    );
    console.log(`[vr-locomotion] cached input profile files: ${cached.sort().join(', ')}`);
    expect(profileResponses.length).toBeGreaterThan(0);

    // Leaving VR puts the page camera back where it was.
    await page.evaluate(() => window.vitrineXRDevice?.activeSession?.end());
    await waitFor(
      'data-xr="none"',
      () => view(page).getAttribute('data-xr'),
      (v) => v === 'none',
      30_000,
    );
    expect(await view(page).getAttribute('data-xr-rotation')).toBeNull();
    await waitFor(
      'the page camera back where it was before VR',
      () => view(page).getAttribute('data-position'),
      (p) => p === pagePosition,
      15_000,
    );

    // Offline, the showroom still enters VR and its controller models come from the service worker's cache.
    await session.context.setOffline(true);
    try {
      const offlineProfiles = new Map<string, { status: number; fromWorker: boolean }>();
      page.on('response', (response) => {
        const url = new URL(response.url());
        if (url.pathname.startsWith('/xr/input-profiles/')) {
          offlineProfiles.set(url.pathname, {
            status: response.status(),
            fromWorker: response.fromServiceWorker(),
          });
        }
      });
      await page.reload();
      await waitFor(
        'the showroom to be ready offline',
        () => view(page).getAttribute('data-state'),
        (s) => s === 'ready',
        120_000,
      );
      await waitFor(
        'the "Enter VR" button offline',
        () => page.getByRole('button', { name: 'Enter VR', exact: true }).count(),
        (n) => n === 1,
        15_000,
      );
      await page.getByRole('button', { name: 'Enter VR', exact: true }).click();
      const served = await waitFor(
        'the controller models offline',
        async () => offlineProfiles,
        (m) =>
          m.has('/xr/input-profiles/profilesList.json') &&
          [...m.keys()].some((p) => /meta-quest-touch-plus\/(left|right)\.glb$/.test(p)),
        60_000,
      );
      for (const [path, r] of served) {
        expect(r, path).toEqual({ status: 200, fromWorker: true });
      }
      await page.evaluate(() => window.vitrineXRDevice?.activeSession?.end());
      await waitFor(
        'data-xr="none" offline',
        () => view(page).getAttribute('data-xr'),
        (v) => v === 'none',
        30_000,
      );
    } finally {
      await session.context.setOffline(false);
    }
  }, 480_000);
});
