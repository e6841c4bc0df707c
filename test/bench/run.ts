/**
 * `npm run bench`: measures the built app against the goals of the project, with Google's <model-viewer>
 * showing the same GLB as the baseline, and writes test/bench/results/latest.json.
 *   (a) JavaScript the catalog page and a product page load (gzip bytes, every script until the network is idle)
 *   (b) time from navigation start to the first rendered frame of the product model (median of cold loads)
 *   (c) draw calls and triangles per frame of each demo showroom
 *   (d) importing 10,000 products into IndexedDB (app path vs raw bulkPut; Node and Chromium), searching them,
 *       and the repeat-visit start offline vs online (import-*.ts, catalog-search.ts, offline-start.ts)
 *   (e) cart ops applied per second by the server on SQLite and PostgreSQL vs raw inserts (cart-ops.ts), and
 *       draining an outbox of 1,000 ops in Chromium vs the raw requests (outbox-drain.ts)
 *   (f) CPU time, draw calls and triangles per XR frame of each showroom on an emulated Quest 3, against the
 *       desktop render of the same page (xr-frames.ts)
 *   (g) model optimisation (bytes and triangles per model) against `gltf-transform optimize` defaults, and the
 *       time to publish the demo brand to a loopback server (publish.ts)
 * Side effects owned here: starts the app server and the baseline server, launches Chromium, writes the results.
 */
import { gzipSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import type { Product } from '../../src/protocol/catalog';
import { fetchCatalog } from '../support/catalog-api';
import { ensureChromium, launchChromium } from '../support/chromium';
import { assertAppBuilt, repoRoot, startServer, type RunningServer } from '../support/server';
import { startModelViewerServer, type ModelViewerServer } from './model-viewer-server';
import { benchImportNode } from './import-node';
import { benchImportChromium } from './import-chromium';
import type { ImportComparison } from './import-measure';
import { scaleProducts, toChangePages } from './catalog-fixture';
import { benchSearch } from './catalog-search';
import { benchOfflineStart } from './offline-start';
import { benchCartOps } from './cart-ops';
import { benchOutboxDrain } from './outbox-drain';
import { benchXrFrames } from './xr-frames';
import { benchPublish } from './publish';
import { PAGE_LIMIT } from '../../src/sync/catalog-pull';

/** Cold loads per timing measure (the machine is shared: keep it modest). */
const RUNS = 5;
const VIEWPORT = { width: 1280, height: 800 };

interface ScriptLoad {
  url: string;
  bytes: number;
  gzipBytes: number;
}

interface JsMeasure {
  gzipBytes: number;
  bytes: number;
  scripts: ScriptLoad[];
  /** Bytes the page's service worker fetched on its own (precache), not counted above. */
  serviceWorkerBytes: number;
}

/** Problems that make a measurement invalid (off-origin requests, page errors). */
const problems: string[] = [];

function watch(context: BrowserContext, origin: string, label: string): void {
  context.on('request', (request) => {
    const url = request.url();
    if (url.startsWith('data:') || url.startsWith('blob:')) return;
    if (new URL(url).origin !== origin) problems.push(`${label}: off-origin request ${url}`);
  });
  context.on('weberror', (e) => problems.push(`${label}: page error ${e.error().message}`));
  context.on('console', (m) => {
    if (m.type() === 'error') problems.push(`${label}: console.error ${m.text()}`);
  });
}

function isScript(request: Request, contentType: string): boolean {
  return (
    request.resourceType() === 'script' ||
    /javascript|ecmascript/.test(contentType) ||
    /\.m?js(\?|$)/.test(new URL(request.url()).pathname)
  );
}

/** Resolves once no request has been in flight for `quietMs`. */
function networkIdle(context: BrowserContext, quietMs = 750, timeoutMs = 60_000): () => Promise<void> {
  const inflight = new Set<Request>();
  let lastChange = Date.now();
  context.on('request', (r) => {
    inflight.add(r);
    lastChange = Date.now();
  });
  const done = (r: Request): void => {
    inflight.delete(r);
    lastChange = Date.now();
  };
  context.on('requestfinished', done);
  context.on('requestfailed', done);
  return async () => {
    const deadline = Date.now() + timeoutMs;
    while (inflight.size > 0 || Date.now() - lastChange < quietMs) {
      if (Date.now() > deadline)
        throw new Error(
          `network not idle after ${timeoutMs} ms: ${[...inflight].map((r) => r.url()).join(', ')}`,
        );
      await new Promise((r) => setTimeout(r, 100));
    }
  };
}

const READY_SCRIPT = `(() => {
  const selector = ${JSON.stringify('[data-testid="product-viewer"][data-state="ready"], [data-testid="showroom-view"][data-state="ready"]')};
  const check = () => {
    if (window.__benchReadyAt === undefined && document.querySelector(selector)) window.__benchReadyAt = performance.now();
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
})();`;

/**
 * Navigates, retrying a few times when the app server answers 503: on a shared checkout someone else's
 * `npm run build` empties dist/app for a few seconds. Other failures throw at once.
 */
async function open(page: Page, url: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const response = await page.goto(url);
    const status = response?.status() ?? 0;
    if (status === 200) return;
    if (status !== 503 || attempt === 4) throw new Error(`GET ${url} answered ${status}`);
    console.log(`[bench] ${url} answered 503 (dist/app being rebuilt?), retrying in 5 s`);
    await page.waitForTimeout(5_000);
  }
}

async function readyAt(page: Page, timeoutMs = 120_000): Promise<number> {
  const handle = await page.waitForFunction(
    () => (window as unknown as { __benchReadyAt?: number }).__benchReadyAt,
    undefined,
    {
      timeout: timeoutMs,
      polling: 50,
    },
  );
  return Number(await handle.jsonValue());
}

async function newContext(browser: Browser, origin: string, label: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-US', serviceWorkers: 'allow' });
  watch(context, origin, label);
  await context.addInitScript(READY_SCRIPT);
  return context;
}

/** JavaScript a page loads until `ready` resolves and the network is idle. */
async function measureJs(
  browser: Browser,
  url: string,
  label: string,
  ready: (page: Page) => Promise<unknown>,
): Promise<JsMeasure> {
  const origin = new URL(url).origin;
  const context = await newContext(browser, origin, label);
  const idle = networkIdle(context);
  const pending: Promise<void>[] = [];
  const scripts: ScriptLoad[] = [];
  let serviceWorkerBytes = 0;
  context.on('response', (response) => {
    const request = response.request();
    const contentType = response.headers()['content-type'] ?? '';
    if (response.status() !== 200) return;
    pending.push(
      response
        .body()
        .then((body) => {
          if (request.serviceWorker()) {
            serviceWorkerBytes += body.length;
          } else if (isScript(request, contentType)) {
            scripts.push({
              url: new URL(request.url()).pathname,
              bytes: body.length,
              gzipBytes: gzipSync(body, { level: 9 }).length,
            });
          }
        })
        .catch(() => undefined),
    );
  });
  try {
    const page = await context.newPage();
    await open(page, url);
    await ready(page);
    await idle();
    await Promise.all(pending);
  } finally {
    await context.close();
  }
  scripts.sort((a, b) => a.url.localeCompare(b.url));
  return {
    gzipBytes: scripts.reduce((s, x) => s + x.gzipBytes, 0),
    bytes: scripts.reduce((s, x) => s + x.bytes, 0),
    scripts,
    serviceWorkerBytes,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const at = (i: number): number => sorted[i] ?? NaN;
  return sorted.length % 2 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
}

/** Milliseconds from navigation start to the first frame of the model, in a new context. */
async function coldFrame(browser: Browser, url: string, label: string): Promise<number> {
  const context = await newContext(browser, new URL(url).origin, label);
  try {
    const page = await context.newPage();
    await open(page, url);
    return Math.round(await readyAt(page));
  } finally {
    await context.close();
  }
}

async function viewerCanvasSize(browser: Browser, url: string): Promise<{ width: number; height: number }> {
  const context = await newContext(browser, new URL(url).origin, 'viewer size');
  try {
    const page = await context.newPage();
    await open(page, url);
    await readyAt(page);
    const box = await page.getByTestId('product-viewer').locator('canvas').boundingBox();
    if (!box) throw new Error('the product viewer has no canvas box');
    return { width: Math.round(box.width), height: Math.round(box.height) };
  } finally {
    await context.close();
  }
}

interface ShowroomMeasure {
  id: string;
  name: string;
  fixtures: number;
  drawCalls: number;
  triangles: number;
  firstFrameMs: number;
}

async function measureShowroom(
  browser: Browser,
  server: RunningServer,
  id: string,
  name: string,
  fixtures: number,
): Promise<ShowroomMeasure> {
  const context = await newContext(browser, server.baseUrl, `showroom ${id}`);
  try {
    const page = await context.newPage();
    await open(page, `${server.baseUrl}/showroom/${id}`);
    const firstFrameMs = Math.round(await readyAt(page));
    const view = page.getByTestId('showroom-view');
    // Let textures and late models arrive, then sample several frames and keep the largest.
    await page.waitForTimeout(2_000);
    let drawCalls = 0;
    let triangles = 0;
    for (let i = 0; i < 5; i++) {
      drawCalls = Math.max(drawCalls, Number(await view.getAttribute('data-draw-calls')));
      triangles = Math.max(triangles, Number(await view.getAttribute('data-triangles')));
      await page.waitForTimeout(200);
    }
    return { id, name, fixtures, drawCalls, triangles, firstFrameMs };
  } finally {
    await context.close();
  }
}

/** JSON with object keys sorted, so that results diff cleanly between runs. */
function stableJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(
            Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
          )
        : v,
    2,
  );
}

interface Goal {
  goal: string;
  value: number;
  limit: number;
  /** value / limit: at most 1 meets the goal. */
  ratio: number;
  met: boolean;
}

function goal(name: string, value: number, limit: number): Goal {
  const ratio = limit === 0 ? Infinity : value / limit;
  return { goal: name, value, limit, ratio: Math.round(ratio * 1000) / 1000, met: value <= limit };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

async function main(): Promise<void> {
  assertAppBuilt();
  ensureChromium();
  const server = await startServer({ label: 'vitrine-bench' });
  let baseline: ModelViewerServer | undefined;
  let browser: Browser | undefined;
  try {
    console.log(`[bench] app server ${server.baseUrl}, log ${server.logPath}`);
    const catalog = await fetchCatalog(server.baseUrl);
    const product: Product | undefined = catalog.products[0];
    if (!product) throw new Error('the catalog has no products');
    const glbRes = await fetch(`${server.baseUrl}${product.model.url}`);
    if (glbRes.status !== 200) throw new Error(`GET ${product.model.url} answered ${glbRes.status}`);
    const glb = new Uint8Array(await glbRes.arrayBuffer());

    // Node benches first, before the browser competes for the CPU.
    const scaled = scaleProducts(catalog);
    const changePages = toChangePages(scaled, PAGE_LIMIT);
    console.log(`[bench] ${scaled.length} products in ${changePages.length} validated change pages`);
    const importNode = await benchImportNode(changePages);
    const search = benchSearch(scaled, catalog.categories, (line) => console.log(`[bench] search ${line}`));
    const cartOps = await benchCartOps((line) => console.log(`[bench] cart ops ${line}`));

    baseline = await startModelViewerServer(glb);
    browser = await launchChromium();
    const chromiumVersion = browser.version();
    const productUrl = `${server.baseUrl}/product/${product.id}`;

    console.log(`[bench] product ${product.id}: ${kb(glb.length)} GLB, ${product.model.triangles} triangles`);
    const catalogJs = await measureJs(browser, `${server.baseUrl}/`, 'catalog JS', (page) =>
      page
        .getByRole('list', { name: 'Products', exact: true })
        .getByRole('listitem')
        .first()
        .waitFor({ timeout: 60_000 }),
    );
    const productJs = await measureJs(browser, productUrl, 'product JS', (page) => readyAt(page));
    const size = await viewerCanvasSize(browser, productUrl);
    const mvUrl = baseline.pageUrl(size.width, size.height);
    const mvJs = await measureJs(browser, mvUrl, 'model-viewer JS', (page) => readyAt(page));
    console.log(
      `[bench] JS gzip: catalog ${kb(catalogJs.gzipBytes)}, product ${kb(productJs.gzipBytes)}, model-viewer ${kb(mvJs.gzipBytes)}`,
    );

    // Alternate app and baseline runs so that a busy moment on the shared machine hits both alike.
    const appRuns: number[] = [];
    const mvRuns: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      appRuns.push(await coldFrame(browser, productUrl, `app frame ${i + 1}`));
      mvRuns.push(await coldFrame(browser, mvUrl, `model-viewer frame ${i + 1}`));
      console.log(
        `[bench] first model frame run ${i + 1}: app ${appRuns.at(-1)} ms, model-viewer ${mvRuns.at(-1)} ms`,
      );
    }

    const showrooms: ShowroomMeasure[] = [];
    for (const room of catalog.showrooms) {
      const m = await measureShowroom(browser, server, room.id, room.name, room.fixtures.length);
      showrooms.push(m);
      console.log(`[bench] showroom ${m.id}: ${m.drawCalls} draw calls, ${m.triangles} triangles`);
    }

    const importChromium = await benchImportChromium(
      browser,
      changePages,
      (p) => problems.push(p),
      (line) => console.log(`[bench] import (chromium) ${line}`),
    );
    const offlineStart = await benchOfflineStart(
      browser,
      server.baseUrl,
      catalog.products.length,
      (p) => problems.push(p),
      (line) => console.log(`[bench] offline start ${line}`),
    );
    const outboxDrain = await benchOutboxDrain(browser, server.baseUrl, catalog, (line) =>
      console.log(`[bench] outbox drain ${line}`),
    );
    const xrFrames = await benchXrFrames(browser, server.baseUrl, catalog, (line) =>
      console.log(`[bench] xr frames ${line}`),
    );
    problems.push(...xrFrames.problems);
    const publish = await benchPublish((line) => console.log(`[bench] publish ${line}`));

    const appMedian = median(appRuns);
    const mvMedian = median(mvRuns);
    const jsGoal = goal('product page JS gzip <= model-viewer JS gzip', productJs.gzipBytes, mvJs.gzipBytes);
    const catalogGoal = goal(
      'catalog JS gzip <= 30 % of model-viewer JS gzip',
      catalogJs.gzipBytes,
      Math.round(mvJs.gzipBytes * 0.3),
    );
    const frameGoal = goal(
      'first model frame <= 50 % of model-viewer (median ms)',
      appMedian,
      mvMedian * 0.5,
    );
    const roomGoals = showrooms.map((s) => ({
      s,
      g: goal(`showroom ${s.id} draw calls <= 100`, s.drawCalls, 100),
    }));
    // "At least 80 % of raw throughput" as a time: the app's import may take up to raw time / 0.8.
    const importGoal = (where: string, c: ImportComparison) =>
      goal(
        `import 10,000 products (${where}) >= 80 % of raw bulkPut throughput (median ms <= raw / 0.8)`,
        c.app.medianMs,
        Math.round(c.raw.medianMs / 0.8),
      );
    const importNodeGoal = importGoal('Node, fake-indexeddb', importNode);
    const importChromiumGoal = importGoal('Chromium IndexedDB', importChromium);
    const searchGoal = goal(
      `search + filter over ${search.products} products: worst p95 < 16 ms`,
      search.worstP95,
      16,
    );
    const offlineGoal = goal(
      'repeat-visit start offline <= online (median ms to first product listed)',
      offlineStart.offline.median,
      offlineStart.online.median,
    );
    const busiestXr = xrFrames.showrooms.find((s) => s.id === xrFrames.busiest);
    if (!busiestXr) throw new Error(`no XR frame measure of the busiest showroom ${xrFrames.busiest}`);
    const xrDrawGoal = goal(
      `VR frame draw calls <= 100, busiest showroom ${busiestXr.id} (max sampled, both eyes)`,
      busiestXr.xr.drawCalls.max,
      100,
    );
    const xrTriangleGoal = goal(
      `VR frame triangles <= 500k, busiest showroom ${busiestXr.id} (max sampled, both eyes)`,
      busiestXr.xr.triangles.max,
      500_000,
    );
    const publishGoal = goal(
      'optimised models no bigger than gltf-transform optimize defaults (largest bytes ratio)',
      Math.max(...publish.models.map((m) => m.bytesRatio)),
      1,
    );
    const goals: Goal[] = [
      jsGoal,
      catalogGoal,
      frameGoal,
      ...roomGoals.map(({ g }) => g),
      importNodeGoal,
      importChromiumGoal,
      searchGoal,
      offlineGoal,
      xrDrawGoal,
      xrTriangleGoal,
      publishGoal,
    ];

    const results = {
      schema: 1,
      generatedAt: new Date().toISOString(),
      environment: {
        chromium: chromiumVersion,
        node: process.version,
        cpus: cpus().length,
        runs: RUNS,
        viewport: VIEWPORT,
        webgl: 'SwiftShader (software)',
      },
      product: {
        id: product.id,
        modelBytes: glb.length,
        modelTriangles: product.model.triangles,
        viewerCanvas: size,
      },
      javascript: {
        catalogPage: catalogJs,
        productPage: productJs,
        modelViewer: mvJs,
      },
      firstModelFrameMs: {
        app: { median: appMedian, runs: appRuns },
        modelViewer: { median: mvMedian, runs: mvRuns },
      },
      showrooms,
      catalogImport: { node: importNode, chromium: importChromium },
      catalogSearch: search,
      offlineStart,
      cartOps,
      outboxDrain,
      xrFrames,
      publish,
      goals,
      problems,
    };
    const dir = join(repoRoot, 'test', 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'latest.json'), `${stableJson(results)}\n`);

    const rows: string[][] = [
      ['measure', 'Vitrine', 'model-viewer', 'ratio', 'goal', 'met'],
      [
        'product page JS (gzip)',
        kb(productJs.gzipBytes),
        kb(mvJs.gzipBytes),
        (productJs.gzipBytes / mvJs.gzipBytes).toFixed(2),
        '<= 1.00',
        String(jsGoal.met),
      ],
      [
        'catalog JS (gzip)',
        kb(catalogJs.gzipBytes),
        kb(mvJs.gzipBytes),
        (catalogJs.gzipBytes / mvJs.gzipBytes).toFixed(2),
        '<= 0.30',
        String(catalogGoal.met),
      ],
      [
        `first model frame (median of ${RUNS})`,
        `${appMedian} ms`,
        `${mvMedian} ms`,
        (appMedian / mvMedian).toFixed(2),
        '<= 0.50',
        String(frameGoal.met),
      ],
      ...roomGoals.map(({ s, g }) => [
        `showroom ${s.id} draw calls / triangles`,
        `${s.drawCalls} / ${s.triangles}`,
        '-',
        (s.drawCalls / 100).toFixed(2),
        '<= 100 calls',
        String(g.met),
      ]),
      ...(
        [
          ['Node, fake-indexeddb', importNode, importNodeGoal],
          ['Chromium', importChromium, importChromiumGoal],
        ] as const
      ).map(([where, c, g]) => [
        `import ${c.records} products, ${where} (records/s)`,
        `${c.app.medianRecordsPerSecond}`,
        `raw ${c.raw.medianRecordsPerSecond}`,
        c.appToRaw.toFixed(2),
        '>= 0.80',
        String(g.met),
      ]),
      ...search.queries.map((q) => [
        `search p95: ${q.label}`,
        `${q.p95} ms`,
        `naive ${q.baseline.p95} ms`,
        q.p95ToBaseline.toFixed(1),
        '< 16 ms',
        String(q.p95 < 16),
      ]),
      [
        `repeat-visit start (median of ${offlineStart.runs})`,
        `offline ${offlineStart.offline.median} ms`,
        `online ${offlineStart.online.median} ms`,
        offlineStart.offlineToOnline.toFixed(2),
        '<= 1.00',
        String(offlineGoal.met),
      ],
      ...cartOps.map((c) => [
        `cart ops applied, ${c.backend} (ops/s)`,
        `${c.app.opsPerSecond}`,
        `raw inserts ${c.raw.opsPerSecond}`,
        c.ratio.toFixed(2),
        '-',
        '-',
      ]),
      [
        `drain ${outboxDrain.ops} outbox ops (median of ${outboxDrain.app.runs.length})`,
        `${outboxDrain.app.median} ms`,
        `raw requests ${outboxDrain.raw.median} ms`,
        outboxDrain.ratio.toFixed(2),
        '-',
        '-',
      ],
      ...xrFrames.showrooms.flatMap((s) => {
        const busiest = s.id === xrFrames.busiest;
        return [
          [
            `VR frame CPU median / p95, ${s.id} (${s.xr.cpu.frames} frames)`,
            `${s.xr.cpu.medianMs} / ${s.xr.cpu.p95Ms} ms`,
            `desktop ${s.desktop.cpu.medianMs} / ${s.desktop.cpu.p95Ms} ms`,
            s.ratios.cpuMedian.toFixed(2),
            '-',
            '-',
          ],
          [
            `VR frame draw calls median / max, ${s.id}`,
            `${s.xr.drawCalls.median} / ${s.xr.drawCalls.max}`,
            `desktop ${s.desktop.drawCalls.median} / ${s.desktop.drawCalls.max}`,
            s.ratios.drawCalls.toFixed(2),
            busiest ? '<= 100' : '-',
            busiest ? String(xrDrawGoal.met) : '-',
          ],
          [
            `VR frame triangles median / max, ${s.id}`,
            `${s.xr.triangles.median} / ${s.xr.triangles.max}`,
            `desktop ${s.desktop.triangles.median} / ${s.desktop.triangles.max}`,
            s.ratios.triangles.toFixed(2),
            busiest ? '<= 500k' : '-',
            busiest ? String(xrTriangleGoal.met) : '-',
          ],
        ];
      }),
      [
        `models optimised, ${publish.models.length} files (bytes)`,
        `${publish.totals.oursBytes}`,
        `gltf-transform ${publish.totals.gltfTransformBytes}`,
        publish.totals.bytesRatio.toFixed(2),
        '<= 1.00 each',
        `${publishGoal.met}${publish.bigger.length > 0 ? ` (bigger: ${publish.bigger.join(', ')})` : ''}`,
      ],
      [
        `publish demo brand (median of ${publish.publishDemo.firstMs.length})`,
        `${publish.publishDemo.firstMedianMs} ms`,
        `unchanged ${publish.publishDemo.unchangedMedianMs} ms`,
        '-',
        '-',
        '-',
      ],
    ];
    const widths = (rows[0] ?? []).map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
    console.log('');
    for (const [i, row] of rows.entries()) {
      console.log(row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  '));
      if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    }
    console.log(`\n[bench] wrote test/bench/results/latest.json`);
    if (problems.length > 0) {
      console.error(`[bench] the measurements are not clean:\n- ${problems.join('\n- ')}`);
      process.exitCode = 1;
    }
  } catch (err) {
    console.error(
      `[bench] failed: ${(err as Error).stack ?? String(err)}\n[bench] server log tail (${server.logPath}):\n${server.logTail(30)}`,
    );
    process.exitCode = 1;
  } finally {
    await browser?.close();
    await baseline?.close();
    await server.stop();
  }
}

await main();
