/**
 * Repeat-visit start, offline against online, in Chromium against the real server: a first visit online
 * installs the service worker and fills IndexedDB; then the catalog page is reloaded in the same tab,
 * alternately online and offline (`context.setOffline(true)`), measuring navigation start → first product
 * listed (`ul[aria-label="Products"] > li` appears, seen by a MutationObserver installed before any page
 * script). Side effects owned here: a browser context and page (closed at the end).
 * Guards as in run.ts (off-origin requests, page errors and console errors are problems), except the
 * console's `net::ERR_INTERNET_DISCONNECTED` lines: cutting the network while the app's background catalog
 * pull or an image request is in flight provokes them; they are counted, not reported as problems.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';

/** Reloads per side. */
export const OFFLINE_START_RUNS = 5;

const LISTED_SCRIPT = `(() => {
  const check = () => {
    if (window.__benchListedAt === undefined && document.querySelector('ul[aria-label="Products"] > li'))
      window.__benchListedAt = performance.now();
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true });
})();`;

/** What {@link benchOfflineStart} measured (milliseconds). */
export interface OfflineStartBench {
  runs: number;
  products: number;
  online: { median: number; runs: number[] };
  offline: { median: number; runs: number[] };
  /** offline median ÷ online median (goal ≤ 1, within noise). */
  offlineToOnline: number;
  /** Console lines `net::ERR_INTERNET_DISCONNECTED` seen (requests cut by going offline). */
  disconnectedRequests: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const at = (i: number): number => sorted[i] ?? NaN;
  return sorted.length % 2 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
}

async function poll<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${String(value)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Products in the app's IndexedDB (`vitrine`, table `products`), read in the page. */
function storedProducts(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('vitrine');
        open.onerror = () => reject(open.error ?? new Error('indexedDB.open failed'));
        open.onsuccess = () => {
          const idb = open.result;
          if (!idb.objectStoreNames.contains('products')) {
            idb.close();
            resolve(0);
            return;
          }
          const count = idb.transaction('products').objectStore('products').count();
          count.onsuccess = () => {
            idb.close();
            resolve(count.result);
          };
          count.onerror = () => reject(count.error ?? new Error('count failed'));
        };
      }),
  );
}

async function listedAfterReload(page: Page, context: BrowserContext, offline: boolean): Promise<number> {
  await context.setOffline(offline);
  const response = await page.reload();
  if (!response?.fromServiceWorker()) {
    throw new Error(`the ${offline ? 'offline' : 'online'} reload was not answered by the service worker`);
  }
  const handle = await page.waitForFunction(
    () => (window as unknown as { __benchListedAt?: number }).__benchListedAt,
    undefined,
    { timeout: 60_000, polling: 50 },
  );
  return Math.round(Number(await handle.jsonValue()));
}

/**
 * Measures repeat-visit starts in a new context of `browser` against the app at `baseUrl`, whose catalog
 * has `products` products. Problems (see the module comment) go to `problem`.
 */
export async function benchOfflineStart(
  browser: Browser,
  baseUrl: string,
  products: number,
  problem: (text: string) => void,
  log: (line: string) => void = () => undefined,
): Promise<OfflineStartBench> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: 'en-US',
    serviceWorkers: 'allow',
  });
  const origin = new URL(baseUrl).origin;
  let disconnectedRequests = 0;
  context.on('request', (request) => {
    const url = request.url();
    if (url.startsWith('data:') || url.startsWith('blob:')) return;
    if (new URL(url).origin !== origin) problem(`offline start: off-origin request ${url}`);
  });
  context.on('weberror', (e) => problem(`offline start: page error ${e.error().message}`));
  context.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (m.text().includes('net::ERR_INTERNET_DISCONNECTED')) disconnectedRequests++;
    else problem(`offline start: console.error ${m.text()}`);
  });
  await context.addInitScript(LISTED_SCRIPT);
  const page = await context.newPage();
  try {
    await page.goto(`${baseUrl}/`);
    await page.locator('ul[aria-label="Products"] > li').first().waitFor({ timeout: 60_000 });
    await poll(
      'the service worker to control the page',
      () => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? ''),
      (url) => url !== '',
    );
    await poll(
      'the catalog in IndexedDB',
      () => storedProducts(page),
      (n) => n === products,
    );
    const online: number[] = [];
    const offline: number[] = [];
    for (let i = 0; i < OFFLINE_START_RUNS; i++) {
      // Alternate which side goes first, so neither always follows the other.
      const order = i % 2 === 0 ? [false, true] : [true, false];
      for (const off of order) (off ? offline : online).push(await listedAfterReload(page, context, off));
      log(`repeat visit ${i + 1}: online ${online.at(-1)} ms, offline ${offline.at(-1)} ms`);
    }
    const on = median(online);
    const off = median(offline);
    return {
      runs: OFFLINE_START_RUNS,
      products,
      online: { median: on, runs: online },
      offline: { median: off, runs: offline },
      offlineToOnline: Math.round((off / on) * 1000) / 1000,
      disconnectedRequests,
    };
  } finally {
    await context.close();
  }
}
