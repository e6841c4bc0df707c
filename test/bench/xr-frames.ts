/**
 * VR frame bench (issue 5), in Chromium against the real server with IWER emulating a Meta Quest 3 (the e2e
 * tests' emulator bundle, test/e2e/xr-emulator.ts, injected before any page script): for each showroom, busiest
 * first, in a new context, open `/showroom/:id`, wait for `data-state="ready"`, then measure
 *   - the desktop render (baseline, same page and run): the view renders on demand, so the bench holds W and S
 *     alternately (5 frames each, the camera stays within a step or two of the spawn point) to get continuous
 *     frames; CPU time of the `window.requestAnimationFrame` callbacks of each frame;
 *   - after pressing "Enter VR": CPU time of the `XRSession.requestAnimationFrame` callbacks of each XR frame
 *     (three.js's XR loop, which runs r3f's frame and renders both eyes), with the headset at IWER's default
 *     pose; IWER's whole device frame (its own `window.requestAnimationFrame` callback around those) too.
 * The first 10 frames of each side are dropped, then at least {@link MEASURED_FRAMES} are kept. Frame time is
 * the sum of the callbacks that share a frame timestamp, measured with `performance.now()` by wrappers that an
 * init script installs (a string, not a function: tsx would add `__name` helpers). Draw calls and triangles are
 * the view's `data-draw-calls` / `data-triangles` (renderer.info of the last frame, written by ViewStats every
 * 100 ms, in VR both eyes), sampled while the measured frames run.
 * SwiftShader is software WebGL: the CPU times include whatever GL work blocks the callback; most of the
 * rasterizing waits inside IWER's frame (reported as `emulatorFrame`), outside the app's callbacks.
 * Side effects owned here: browser contexts (closed at the end).
 */
import type { Browser, Page } from 'playwright-core';
import type { CatalogSnapshot } from '../../src/protocol/catalog';
import { quest3EmulatorScript } from '../e2e/xr-emulator';

/** Frames dropped at the start of each side (shader compilation, first uploads, session start). */
export const WARMUP_FRAMES = 10;
/** Frames measured after the warm-up, at least. */
export const MEASURED_FRAMES = 40;
/** Desktop frames per W or S press (alternating keeps the camera near the spawn point). */
const FRAMES_PER_PRESS = 5;
const VIEWPORT = { width: 1280, height: 800 };

/**
 * Installs `window.__benchFrames`: while `mode` is `desktop` each window animation frame's callbacks are
 * timed into `desktop`; while it is `xr`, each XR frame's callbacks into `xr` and each window frame's (IWER's
 * device frame, which calls the XR callbacks) into `device`. Entries are `[frame timestamp, ms]` pairs,
 * flattened. Must run after the emulator script, which installs IWER's `XRSession`.
 */
const RECORDER_SCRIPT = `(() => {
  const rec = { mode: null, desktop: [], xr: [], device: [], error: null };
  window.__benchFrames = rec;
  const push = (list, t, start) => { list.push(t, performance.now() - start); };
  const windowRaf = window.requestAnimationFrame;
  window.requestAnimationFrame = function (callback) {
    return windowRaf.call(window, function (t) {
      const mode = rec.mode;
      const start = performance.now();
      try {
        return callback(t);
      } finally {
        if (mode === 'desktop') push(rec.desktop, t, start);
        else if (mode === 'xr') push(rec.device, t, start);
      }
    });
  };
  const Session = window.XRSession;
  if (!Session || typeof Session.prototype.requestAnimationFrame !== 'function') {
    rec.error = 'no XRSession.prototype.requestAnimationFrame to wrap (emulator not installed first?)';
    return;
  }
  const sessionRaf = Session.prototype.requestAnimationFrame;
  Session.prototype.requestAnimationFrame = function (callback) {
    return sessionRaf.call(this, function (t, frame) {
      const mode = rec.mode;
      const start = performance.now();
      try {
        return callback(t, frame);
      } finally {
        if (mode === 'xr') push(rec.xr, t, start);
      }
    });
  };
})();`;

/** Frames recorded so far per list, and the view's current stats (one round trip). */
const READ_STATE = `(() => {
  const rec = window.__benchFrames;
  const frames = (list) => { const seen = new Set(); for (let i = 0; i < list.length; i += 2) seen.add(list[i]); return seen.size; };
  const view = document.querySelector('[data-testid="showroom-view"]');
  return {
    error: rec ? rec.error : 'no recorder',
    desktop: rec ? frames(rec.desktop) : 0,
    xr: rec ? frames(rec.xr) : 0,
    drawCalls: Number(view?.getAttribute('data-draw-calls') ?? NaN),
    triangles: Number(view?.getAttribute('data-triangles') ?? NaN),
  };
})()`;

interface PageState {
  error: string | null;
  desktop: number;
  xr: number;
  drawCalls: number;
  triangles: number;
}

/** CPU milliseconds per frame. */
export interface FrameTimes {
  frames: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
}

/** A per-frame count sampled while frames run. */
export interface SampledCount {
  samples: number;
  median: number;
  max: number;
}

/** One side (desktop or VR) of one showroom. */
export interface FrameSide {
  /** Drawing buffer of the canvas (in VR: both eyes side by side). */
  canvas: { width: number; height: number };
  cpu: FrameTimes;
  drawCalls: SampledCount;
  triangles: SampledCount;
}

/** What {@link benchXrFrames} measured for one showroom. */
export interface XrFramesShowroom {
  id: string;
  name: string;
  fixtures: number;
  desktop: FrameSide;
  xr: FrameSide & {
    /** IWER's whole device frame: its window rAF callback, which runs the XR callbacks above. */
    emulatorFrame: FrameTimes;
  };
  /** XR ÷ desktop. */
  ratios: { cpuMedian: number; cpuP95: number; drawCalls: number; triangles: number };
}

/** What {@link benchXrFrames} measured. */
export interface XrFramesBench {
  warmupFrames: number;
  viewport: { width: number; height: number };
  /** Id of the showroom with the most fixtures (the goals apply to it). */
  busiest: string;
  showrooms: XrFramesShowroom[];
  /** Off-origin requests, page errors and console errors seen (the run is not clean if any). */
  problems: string[];
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const at = (i: number): number => sorted[i] ?? NaN;
  return sorted.length % 2 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
}

const round = (v: number, digits = 2): number => Math.round(v * 10 ** digits) / 10 ** digits;

/** Sums `[timestamp, ms]` pairs per timestamp, in frame order, and drops the warm-up frames. */
function perFrame(pairs: readonly number[]): number[] {
  const byFrame = new Map<number, number>();
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const t = pairs[i] ?? NaN;
    byFrame.set(t, (byFrame.get(t) ?? 0) + (pairs[i + 1] ?? 0));
  }
  return [...byFrame.entries()]
    .sort(([a], [b]) => a - b)
    .slice(WARMUP_FRAMES)
    .map(([, ms]) => ms);
}

function frameTimes(pairs: readonly number[]): FrameTimes {
  const ms = perFrame(pairs);
  return {
    frames: ms.length,
    medianMs: round(median(ms)),
    p95Ms: round(quantile(ms, 0.95)),
    maxMs: round(Math.max(...ms)),
  };
}

function sampled(values: readonly number[]): SampledCount {
  return { samples: values.length, median: median(values), max: Math.max(...values) };
}

async function readState(page: Page): Promise<PageState> {
  const state = (await page.evaluate(READ_STATE)) as PageState;
  if (state.error) throw new Error(`frame recorder: ${state.error}`);
  return state;
}

async function readPairs(page: Page, list: 'desktop' | 'xr' | 'device'): Promise<number[]> {
  return (await page.evaluate(`window.__benchFrames.${list}.slice()`)) as number[];
}

async function canvasSize(page: Page): Promise<{ width: number; height: number }> {
  return (await page.evaluate(
    `(() => { const c = document.querySelector('[data-testid="showroom-view"] canvas'); return c ? { width: c.width, height: c.height } : { width: 0, height: 0 }; })()`,
  )) as { width: number; height: number };
}

/**
 * Polls the page every 50 ms until `done` holds, collecting the view's draw calls and triangles once the
 * warm-up frames of `side` are past (a sample per 100 ms write of ViewStats, roughly).
 */
async function sampleUntil(
  page: Page,
  side: 'desktop' | 'xr',
  done: (s: PageState) => boolean,
  samples: { drawCalls: number[]; triangles: number[] },
  what: string,
  timeoutMs = 180_000,
): Promise<PageState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await readState(page);
    if (state[side] > WARMUP_FRAMES && Number.isFinite(state.drawCalls)) {
      samples.drawCalls.push(state.drawCalls);
      samples.triangles.push(state.triangles);
    }
    if (done(state)) return state;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (${JSON.stringify(state)})`);
    await page.waitForTimeout(50);
  }
}

async function open(page: Page, url: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const status = (await page.goto(url))?.status() ?? 0;
    if (status === 200) return;
    if (status !== 503 || attempt === 4) throw new Error(`GET ${url} answered ${status}`);
    await page.waitForTimeout(5_000);
  }
}

async function measureShowroom(
  browser: Browser,
  baseUrl: string,
  room: { id: string; name: string; fixtures: number },
  emulator: string,
  problems: string[],
  log: (line: string) => void,
): Promise<XrFramesShowroom> {
  const origin = new URL(baseUrl).origin;
  const context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-US', serviceWorkers: 'allow' });
  const label = `xr frames ${room.id}`;
  context.on('request', (request) => {
    const url = request.url();
    if (url.startsWith('data:') || url.startsWith('blob:')) return;
    if (new URL(url).origin !== origin) problems.push(`${label}: off-origin request ${url}`);
  });
  context.on('weberror', (e) => problems.push(`${label}: page error ${e.error().message}`));
  context.on('console', (m) => {
    if (m.type() === 'error') problems.push(`${label}: console.error ${m.text()}`);
  });
  // Order matters: the recorder wraps the XRSession class the emulator installs.
  await context.addInitScript({ content: emulator });
  await context.addInitScript({ content: RECORDER_SCRIPT });
  try {
    const page = await context.newPage();
    await open(page, `${baseUrl}/showroom/${room.id}`);
    const view = page.getByTestId('showroom-view');
    await view.and(page.locator('[data-state="ready"]')).waitFor({ timeout: 120_000 });
    await readState(page);
    // Let late textures and models arrive before measuring, as the showroom bench does.
    await page.waitForTimeout(2_000);

    // Desktop: frames only while something moves, so walk forward and back around the spawn point.
    const desktopSamples = { drawCalls: [] as number[], triangles: [] as number[] };
    await view.focus();
    await page.evaluate(`window.__benchFrames.mode = 'desktop'`);
    let frames = 0;
    for (let press = 0; frames < WARMUP_FRAMES + MEASURED_FRAMES; press++) {
      const key = press % 2 === 0 ? 'w' : 's';
      const target = frames + FRAMES_PER_PRESS;
      await page.keyboard.down(key);
      try {
        frames = (
          await sampleUntil(
            page,
            'desktop',
            (s) => s.desktop >= target,
            desktopSamples,
            'desktop frames',
            60_000,
          )
        ).desktop;
      } finally {
        await page.keyboard.up(key);
      }
    }
    await page.evaluate(`window.__benchFrames.mode = null`);
    const desktopCanvas = await canvasSize(page);
    const desktopPairs = await readPairs(page, 'desktop');

    // VR: enter through the page's button; IWER then drives XR frames continuously.
    const enter = page.getByRole('button', { name: 'Enter VR', exact: true });
    await enter.waitFor({ timeout: 30_000 });
    await enter.click();
    await view.and(page.locator('[data-xr="vr"]')).waitFor({ timeout: 60_000 });
    const xrSamples = { drawCalls: [] as number[], triangles: [] as number[] };
    await page.evaluate(`window.__benchFrames.mode = 'xr'`);
    await sampleUntil(page, 'xr', (s) => s.xr >= WARMUP_FRAMES + MEASURED_FRAMES, xrSamples, 'XR frames');
    await page.evaluate(`window.__benchFrames.mode = null`);
    const xrCanvas = (await page.evaluate(
      `(() => { const c = window.vitrineXRDevice?.appCanvas; return c ? { width: c.width, height: c.height } : { width: 0, height: 0 }; })()`,
    )) as { width: number; height: number };
    const xrPairs = await readPairs(page, 'xr');
    const devicePairs = await readPairs(page, 'device');
    await page.evaluate(`window.vitrineXRDevice?.activeSession?.end()`);

    if (desktopSamples.drawCalls.length === 0 || xrSamples.drawCalls.length === 0) {
      throw new Error(
        `${label}: no draw call samples (desktop ${desktopSamples.drawCalls.length}, xr ${xrSamples.drawCalls.length})`,
      );
    }
    const desktop: FrameSide = {
      canvas: desktopCanvas,
      cpu: frameTimes(desktopPairs),
      drawCalls: sampled(desktopSamples.drawCalls),
      triangles: sampled(desktopSamples.triangles),
    };
    const xr = {
      canvas: xrCanvas,
      cpu: frameTimes(xrPairs),
      emulatorFrame: frameTimes(devicePairs),
      drawCalls: sampled(xrSamples.drawCalls),
      triangles: sampled(xrSamples.triangles),
    };
    const ratio = (a: number, b: number): number => round(a / b, 3);
    const result: XrFramesShowroom = {
      ...room,
      desktop,
      xr,
      ratios: {
        cpuMedian: ratio(xr.cpu.medianMs, desktop.cpu.medianMs),
        cpuP95: ratio(xr.cpu.p95Ms, desktop.cpu.p95Ms),
        drawCalls: ratio(xr.drawCalls.median, desktop.drawCalls.median),
        triangles: ratio(xr.triangles.median, desktop.triangles.median),
      },
    };
    log(
      `${room.id}: desktop ${desktop.cpu.frames} frames, CPU median ${desktop.cpu.medianMs} ms, p95 ` +
        `${desktop.cpu.p95Ms} ms, ${desktop.drawCalls.median} draw calls, ${desktop.triangles.median} triangles ` +
        `(canvas ${desktopCanvas.width}×${desktopCanvas.height}); XR ${xr.cpu.frames} frames, CPU median ` +
        `${xr.cpu.medianMs} ms, p95 ${xr.cpu.p95Ms} ms (IWER frame median ${xr.emulatorFrame.medianMs} ms), ` +
        `${xr.drawCalls.median} draw calls (max ${xr.drawCalls.max}), ${xr.triangles.median} triangles ` +
        `(max ${xr.triangles.max}) (canvas ${xrCanvas.width}×${xrCanvas.height})`,
    );
    return result;
  } finally {
    await context.close();
  }
}

/**
 * Measures desktop and VR frames of every showroom of `catalog` (busiest first) in new contexts of `browser`
 * against the app at `baseUrl`.
 */
export async function benchXrFrames(
  browser: Browser,
  baseUrl: string,
  catalog: CatalogSnapshot,
  log: (line: string) => void = () => undefined,
): Promise<XrFramesBench> {
  const rooms = catalog.showrooms
    .map((s) => ({ id: s.id, name: s.name, fixtures: s.fixtures.length }))
    .sort((a, b) => b.fixtures - a.fixtures);
  const busiest = rooms[0];
  if (!busiest) throw new Error('the catalog has no showroom');
  const emulator = await quest3EmulatorScript();
  const problems: string[] = [];
  const showrooms: XrFramesShowroom[] = [];
  for (const room of rooms) {
    showrooms.push(await measureShowroom(browser, baseUrl, room, emulator, problems, log));
  }
  return { warmupFrames: WARMUP_FRAMES, viewport: VIEWPORT, busiest: busiest.id, showrooms, problems };
}
