/**
 * Outbox drain bench, in Chromium against the real server: with the network cut, 1,000 cart ops (and their
 * cart lines) are written into the app's IndexedDB as the app's own writes leave them (one op per change,
 * `seq` 1…1000, prices from the catalog); then the network comes back and the app's cart sync (loaded by an
 * earlier cart-written event, woken by the `online` event) creates the server cart and pushes the outbox in
 * batches. Measured: network back → outbox
 * empty and the cart marked synced (polled in the page every 10 ms). Baseline in the same page and run: the
 * raw requests alone, `fetch` of a new cart and of the same 1,000 ops in the same batches of 500, with no
 * IndexedDB work. Each run uses a fresh browser context (a new device).
 * Side effects owned here: browser contexts (closed), carts on the server under test.
 */
import type { Browser, Page } from 'playwright-core';
import { CART_WRITTEN_EVENT } from '../../src/db/cart-events';
import type { CatalogSnapshot } from '../../src/protocol/catalog';

/** Ops in the outbox. */
export const DRAIN_OPS = 1000;
const RUNS = 3;

/** What {@link benchOutboxDrain} measured (milliseconds). */
export interface OutboxDrainBench {
  ops: number;
  app: { median: number; runs: number[] };
  raw: { median: number; runs: number[] };
  /** app median ÷ raw median. */
  ratio: number;
}

interface SeedOp {
  opId: string;
  seq: number;
  sku: string;
  productId: string;
  qty: number;
  price: { amount: number; currency: string };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** 1,000 ops over the catalog's variants, deterministic. */
function makeOps(catalog: CatalogSnapshot): SeedOp[] {
  const variants = catalog.products.flatMap((p) => p.variants.map((v) => ({ p, v })));
  return Array.from({ length: DRAIN_OPS }, (_, i) => {
    const pick = variants[(i * 7) % variants.length];
    if (!pick) throw new Error('the catalog has no variants');
    return {
      opId: crypto.randomUUID(),
      seq: i + 1,
      sku: pick.v.sku,
      productId: pick.p.id,
      qty: 1 + (i % 3),
      price: pick.v.price,
    };
  });
}

/** Waits until the app has opened its database at the current schema with a catalog in it. */
async function appReady(page: Page): Promise<void> {
  await page
    .getByRole('list', { name: 'Products', exact: true })
    .getByRole('listitem')
    .first()
    .waitFor({ timeout: 60_000 });
}

/** Writes the ops and their lines into the app's IndexedDB in one transaction. */
function writeOutbox(page: Page, ops: SeedOp[]): Promise<void> {
  return page.evaluate(
    (seedOps) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('vitrine');
        open.onerror = () => reject(open.error ?? new Error('open failed'));
        open.onsuccess = () => {
          const idb = open.result;
          const tx = idb.transaction(['outbox', 'cartLines', 'cartSync'], 'readwrite');
          const state = tx.objectStore('cartSync').get('cart');
          state.onsuccess = () => {
            const sync = state.result as { clientId: string } | undefined;
            const clientId = sync?.clientId ?? 'bench-drain-client-0000';
            tx.objectStore('cartSync').put({
              key: 'cart',
              cartId: null,
              token: null,
              clientId,
              nextSeq: seedOps.length + 1,
              serverVersion: 0,
              warnings: [],
            });
            const lines = new Map<string, { sku: string; productId: string; qty: number; addedAt: number }>();
            for (const op of seedOps) {
              tx.objectStore('outbox').put({
                opId: op.opId,
                seq: op.seq,
                sku: op.sku,
                qty: op.qty,
                observedPrice: op.price,
                clientId,
                cartId: null,
                createdAt: Date.now(),
              });
              lines.set(op.sku, { sku: op.sku, productId: op.productId, qty: op.qty, addedAt: op.seq });
            }
            for (const line of lines.values()) tx.objectStore('cartLines').put(line);
          };
          tx.oncomplete = () => {
            idb.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error ?? new Error('write failed'));
        };
      }),
    ops,
  );
}

/**
 * A poller for the page that records when the outbox is empty and the cart synced. A string, so that the
 * bundler running this file adds no helpers (`__name`) to code that runs in the page.
 */
const WATCH_DRAIN = `(() => {
  window.__drainedAt = undefined;
  const check = () => {
    const open = indexedDB.open('vitrine');
    open.onsuccess = () => {
      const idb = open.result;
      const tx = idb.transaction(['outbox', 'cartSync']);
      const count = tx.objectStore('outbox').count();
      const sync = tx.objectStore('cartSync').get('cart');
      tx.oncomplete = () => {
        idb.close();
        const synced = sync.result !== undefined && sync.result.syncedAt !== undefined;
        if (count.result === 0 && synced) window.__drainedAt = performance.now();
        else setTimeout(check, 10);
      };
    };
  };
  window.__drainStart = performance.now();
  check();
})()`;

async function appDrain(browser: Browser, baseUrl: string, ops: SeedOp[]): Promise<number> {
  const context = await browser.newContext({ baseURL: baseUrl, serviceWorkers: 'block' });
  try {
    const page = await context.newPage();
    await page.goto('/');
    await appReady(page);
    // The app loads its cart sync on the first cart write (src/app/cart-sync-start.ts): announce one, as the
    // app's own write would, and wait for the sync code to arrive before the network goes.
    const syncLoaded = page.waitForResponse((r) => /\/static\/cart-sync-[^/]*\.js$/.test(r.url()));
    await page.evaluate(`window.dispatchEvent(new Event(${JSON.stringify(CART_WRITTEN_EVENT)}))`);
    await syncLoaded;
    await page.waitForTimeout(500);
    await context.setOffline(true);
    await writeOutbox(page, ops);
    await context.setOffline(false);
    await page.evaluate(WATCH_DRAIN);
    const handle = await page.waitForFunction(
      () => {
        const w = window as unknown as { __drainedAt?: number; __drainStart?: number };
        return w.__drainedAt !== undefined && w.__drainStart !== undefined
          ? w.__drainedAt - w.__drainStart
          : 0;
      },
      undefined,
      { timeout: 120_000, polling: 10 },
    );
    return Number(await handle.jsonValue());
  } finally {
    await context.close();
  }
}

async function rawDrain(browser: Browser, baseUrl: string, ops: SeedOp[]): Promise<number> {
  const context = await browser.newContext({ baseURL: baseUrl, serviceWorkers: 'block' });
  try {
    const page = await context.newPage();
    await page.goto('/');
    await appReady(page);
    return await page.evaluate(async (seedOps) => {
      const started = performance.now();
      const created = await fetch('/api/v1/carts', { method: 'POST' });
      const { cartId, token } = (await created.json()) as { cartId: string; token: string };
      for (let i = 0; i < seedOps.length; i += 500) {
        const response = await fetch(`/api/v1/carts/${cartId}/ops`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({
            clientId: 'bench-raw-client-0000',
            ops: seedOps.slice(i, i + 500).map((op) => ({
              opId: op.opId,
              seq: op.seq,
              sku: op.sku,
              qty: op.qty,
              observedPrice: op.price,
            })),
          }),
        });
        if (response.status !== 200) throw new Error(`push answered ${response.status}`);
        await response.json();
      }
      return performance.now() - started;
    }, ops);
  } finally {
    await context.close();
  }
}

/** Drains 1,000 ops through the app and through raw requests, alternating, {@link RUNS} times each. */
export async function benchOutboxDrain(
  browser: Browser,
  baseUrl: string,
  catalog: CatalogSnapshot,
  log: (line: string) => void,
): Promise<OutboxDrainBench> {
  const app: number[] = [];
  const raw: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const ops = makeOps(catalog);
    if (run % 2 === 0) {
      app.push(Math.round(await appDrain(browser, baseUrl, ops)));
      raw.push(Math.round(await rawDrain(browser, baseUrl, makeOps(catalog))));
    } else {
      raw.push(Math.round(await rawDrain(browser, baseUrl, makeOps(catalog))));
      app.push(Math.round(await appDrain(browser, baseUrl, ops)));
    }
    log(`run ${run + 1}: app ${app.at(-1) ?? NaN} ms, raw ${raw.at(-1) ?? NaN} ms`);
  }
  const ratio = Math.round((median(app) / median(raw)) * 100) / 100;
  return {
    ops: DRAIN_OPS,
    app: { median: median(app), runs: app },
    raw: { median: median(raw), runs: raw },
    ratio,
  };
}
