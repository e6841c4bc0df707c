// VR in the showroom with IWER emulating a Meta Quest 3 in Chromium: "Enter VR" appears only where immersive
// VR is supported, entering renders XR frames (SwiftShader WebGL), controller models come from our own origin,
// and ending the session returns to the same page, which still walks.
import type { Page, Request } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import type { CatalogSnapshot, Showroom } from '../../src/protocol/catalog';
import { fetchCatalog } from '../support/catalog-api';
import { useBrowser } from './browser';
import { waitFor } from './catalog-data';
import { quest3EmulatorScript } from './xr-emulator';

const session = useBrowser();
let catalog: CatalogSnapshot;
let showroom: Showroom;

beforeAll(async () => {
  catalog = await fetchCatalog(session.baseUrl);
  const first = catalog.showrooms[0];
  if (!first) throw new Error('the catalog has no showroom');
  showroom = first;
});

const view = (page: Page) => page.getByTestId('showroom-view');
const enterButton = (page: Page) => page.getByRole('button', { name: 'Enter VR', exact: true });

async function openShowroom(page: Page): Promise<void> {
  await page.goto(`/showroom/${showroom.id}`);
  await expect.poll(() => page.locator('h1').innerText(), { timeout: 30_000 }).toBe(showroom.name);
  await waitFor(
    'the showroom to reach data-state=ready',
    () => view(page).getAttribute('data-state'),
    (s) => s === 'ready',
    120_000,
  );
}

const xrFrames = async (page: Page): Promise<number> =>
  Number((await view(page).getAttribute('data-xr-frames')) ?? Number.NaN);

function parsePosition(value: string | null): [number, number] {
  const m = /^(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)$/.exec(value ?? '');
  if (!m) throw new Error(`data-position "${String(value)}" is not "x,z"`);
  return [Number(m[1]), Number(m[2])];
}

describe('VR in a showroom', () => {
  test('no "Enter VR" where the browser cannot do immersive VR', async () => {
    const page = await session.newPage();
    await openShowroom(page);
    const supported = await page.evaluate(
      async () => (await navigator.xr?.isSessionSupported('immersive-vr').catch(() => false)) ?? false,
    );
    expect(supported, 'headless Chromium alone has no VR device').toBe(false);
    // The check is asynchronous: give it time to (wrongly) show the button.
    await page.waitForTimeout(1000);
    expect(await enterButton(page).count()).toBe(0);
    expect(await view(page).getAttribute('data-xr')).toBe('none');
  });

  test('enter VR on an emulated Quest 3, render XR frames, leave and keep walking', async () => {
    await session.context.addInitScript({ content: await quest3EmulatorScript() });
    const page = await session.newPage();
    const profileRequests: string[] = [];
    page.on('request', (request: Request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/xr/input-profiles/')) profileRequests.push(url.pathname);
    });
    const failed: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    });

    await openShowroom(page);
    expect(await page.evaluate(() => window.vitrineXRDevice?.name)).toBe('Meta Quest 3');
    await expect.poll(() => enterButton(page).count(), { timeout: 10_000 }).toBe(1);
    expect(await view(page).getAttribute('data-xr')).toBe('none');
    expect(await view(page).getAttribute('data-xr-frames')).toBeNull();
    const before = await view(page).getAttribute('data-position');

    await enterButton(page).click();
    await waitFor(
      'data-xr="vr"',
      () => view(page).getAttribute('data-xr'),
      (v) => v === 'vr',
      30_000,
    );
    expect(
      await page.evaluate(() => window.vitrineXRDevice?.activeSession?.environmentBlendMode),
      'an opaque (VR, not AR) session on the emulated headset',
    ).toBe('opaque');
    const first = await waitFor(
      'a first XR frame',
      () => xrFrames(page),
      (n) => n >= 1,
      60_000,
    );
    const started = Date.now();
    const later = await waitFor(
      '10 more XR frames',
      () => xrFrames(page),
      (n) => n >= first + 10,
      90_000,
    );
    const seconds = (Date.now() - started) / 1000;
    const size = await page.evaluate(() => {
      const canvas = window.vitrineXRDevice?.appCanvas;
      return canvas ? `${canvas.width}×${canvas.height}` : 'unknown';
    });
    console.log(
      `[vr] XR frames: ${first} → ${later} in ${seconds.toFixed(1)} s (${((later - first) / seconds).toFixed(1)} frames/s, canvas ${size})`,
    );

    // The shopper starts in VR where they stood on the page (the XR origin is there; the head is near it).
    const [bx, bz] = parsePosition(before);
    const [vx, vz] = await waitFor(
      'data-position of the headset',
      async () => parsePosition(await view(page).getAttribute('data-position')),
      () => true,
    );
    expect(Math.hypot(vx - bx, vz - bz), `headset at ${vx},${vz}, page camera at ${before}`).toBeLessThan(
      0.5,
    );

    // Controller models load from our own origin (the guard fails the test on any other origin).
    await waitFor(
      'the Quest 3 controller model to be requested',
      async () => profileRequests,
      (r) => r.some((p) => /^\/xr\/input-profiles\/meta-quest-touch-plus\/(left|right)\.glb$/.test(p)),
      60_000,
    );
    expect(profileRequests).toContain('/xr/input-profiles/profilesList.json');
    // Hands too: switch the headset to hand tracking and the hand models come from our origin as well.
    await page.evaluate(() => {
      const device = window.vitrineXRDevice;
      if (device) device.primaryInputMode = 'hand';
    });
    await waitFor(
      'the hand models to be requested',
      async () => profileRequests,
      (r) =>
        r.includes('/xr/input-profiles/generic-hand/left.glb') &&
        r.includes('/xr/input-profiles/generic-hand/right.glb'),
      60_000,
    );
    console.log(`[vr] input profile requests: ${[...new Set(profileRequests)].join(', ')}`);

    // Leave through the headset's own session end (as the Quest's system menu does).
    await page.evaluate(() => window.vitrineXRDevice?.activeSession?.end());
    await waitFor(
      'data-xr="none"',
      () => view(page).getAttribute('data-xr'),
      (v) => v === 'none',
      30_000,
    );
    expect(await view(page).getAttribute('data-xr-frames')).toBeNull();
    expect(await view(page).locator('canvas').count(), 'the canvas is back in the view').toBe(1);
    await waitFor(
      'the page camera back where it was before VR',
      () => view(page).getAttribute('data-position'),
      (p) => p === before,
      10_000,
    );
    await expect.poll(() => enterButton(page).count(), { timeout: 10_000 }).toBe(1);

    // The page still works: the view walks with W.
    const start: [number, number] = [bx, bz];
    await view(page).focus();
    await page.keyboard.down('w');
    await page.waitForTimeout(1000);
    await page.keyboard.up('w');
    const end = await waitFor(
      'holding W to move the camera after VR',
      async () => parsePosition(await view(page).getAttribute('data-position')),
      (p) => Math.hypot(p[0] - start[0], p[1] - start[1]) > 0,
      10_000,
    );
    console.log(`[vr] after VR, W moved ${start.join(',')} → ${end.join(',')}`);
    expect(Number(await view(page).getAttribute('data-draw-calls'))).toBeGreaterThan(0);
    expect(failed).toEqual([]);
  });
});
