// "Save for offline" against the UI contract: online, once the service worker controls the page, the first
// showroom's "Save for offline" downloads every model and poster of its products with a byte progress bar,
// pins them in the asset index and says "Saved for offline"; with the network cut, a reload renders the
// showroom from those files; back online, "Remove from offline" takes the pins off and deletes the files.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CatalogSnapshot, Showroom } from '../../src/protocol/catalog';
import { useBrowser } from './browser';
import { fetchCatalog } from '../support/catalog-api';
import { must, waitFor } from './catalog-data';

const session = useBrowser();
let catalog: CatalogSnapshot;
let showroom: Showroom;
let files: string[];

beforeAll(async () => {
  catalog = await fetchCatalog(session.baseUrl);
  showroom = must(catalog.showrooms[0], 'the catalog has a showroom');
  const ids = new Set(showroom.fixtures.map((f) => f.productId));
  const products = catalog.products.filter((p) => ids.has(p.id));
  files = [...new Set(products.flatMap((p) => [p.model.url, p.poster.url]))].sort();
});

afterAll(async () => {
  await session.context.setOffline(false);
});

/** Every path in the model and poster caches. */
function cachedFiles(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const out: string[] = [];
    for (const name of ['vitrine-models', 'vitrine-posters']) {
      const cache = await caches.open(name);
      out.push(...(await cache.keys()).map((r) => new URL(r.url).pathname));
    }
    return out.sort();
  });
}

/** The asset index rows pinned by `pin`, read straight from IndexedDB. */
function pinnedRows(page: Page, pin: string): Promise<{ url: string; cached: number }[]> {
  return page.evaluate(
    (pinName) =>
      new Promise<{ url: string; cached: number }[]>((resolve, reject) => {
        const open = indexedDB.open('vitrine');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result
            .transaction('assets')
            .objectStore('assets')
            .index('pinnedBy')
            .getAll(pinName);
          req.onerror = () => reject(req.error);
          req.onsuccess = () => {
            open.result.close();
            resolve(
              (req.result as { url: string; cached: number }[]).map(({ url, cached }) => ({ url, cached })),
            );
          };
        };
      }),
    pin,
  );
}

async function waitShowroomReady(page: Page): Promise<void> {
  await expect.poll(() => page.locator('h1').innerText(), { timeout: 30_000 }).toBe(showroom.name);
  const state = await waitFor(
    'the showroom to reach data-state=ready',
    () => page.getByTestId('showroom-view').getAttribute('data-state'),
    (s) => s === 'ready' || s === 'error',
    120_000,
  );
  expect(state).toBe('ready');
}

describe('save for offline', () => {
  test('a saved showroom renders offline, and "Remove from offline" unpins it', async () => {
    const pin = `showroom:${showroom.id}`;
    const page = await session.newPage();
    await page.goto(`/showroom/${showroom.id}`);
    await waitShowroomReady(page);
    await waitFor(
      'the service worker to control the page',
      () => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null),
      (url) => url !== null && new URL(url).pathname === '/sw.js',
      60_000,
    );
    // The page loaded before the worker took over, so the files are not cached yet.
    const before = await cachedFiles(page);
    expect(files.filter((f) => !before.includes(f)).length).toBeGreaterThan(0);

    // A save of small files can finish between two polls of a locator: record every state of the progress
    // bar with a MutationObserver instead, from before the click.
    await page.evaluate(() => {
      const seen: { value: number; max: number; text: string }[] = [];
      (window as unknown as { progressSeen: typeof seen }).progressSeen = seen;
      const record = (): void => {
        const bar = document.querySelector<HTMLProgressElement>('progress[aria-label="Saving for offline"]');
        if (bar) seen.push({ value: bar.value, max: bar.max, text: bar.parentElement?.textContent ?? '' });
      };
      new MutationObserver(record).observe(document.body, {
        subtree: true,
        childList: true,
        attributes: true,
        characterData: true,
      });
    });
    await page.getByRole('button', { name: 'Save for offline', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Saved for offline' }).waitFor({ timeout: 60_000 });
    const progress = await page.evaluate(
      () =>
        (window as unknown as { progressSeen: { value: number; max: number; text: string }[] }).progressSeen,
    );
    expect(progress.length, 'the progress bar showed while saving').toBeGreaterThan(0);
    const last = must(progress.at(-1), 'a progress state');
    expect(last.max).toBeGreaterThan(1);
    expect(progress.every((p, i) => i === 0 || p.value >= (progress[i - 1]?.value ?? 0))).toBe(true);
    expect(last.text).toMatch(/\d+(\.\d)? [kMG]B of \d+(\.\d)? [kMG]B/);
    expect(await page.locator('.save-offline-storage').innerText()).toMatch(
      /uses \d+(\.\d)? [kMG]B on this device; \d+(\.\d)? [kMG]B more is available/,
    );

    const cached = await cachedFiles(page);
    expect(files.filter((f) => !cached.includes(f))).toEqual([]);
    const pinned = await pinnedRows(page, pin);
    expect(pinned.map((r) => r.url).sort()).toEqual(files);
    expect(pinned.every((r) => r.cached === 1)).toBe(true);
    console.log(`[save-offline] ${files.length} files saved for ${showroom.id}`);

    await session.context.setOffline(true);
    const reloaded = await page.reload();
    expect(reloaded?.fromServiceWorker()).toBe(true);
    await waitShowroomReady(page);
    await page.getByRole('status').filter({ hasText: 'Saved for offline' }).waitFor({ timeout: 30_000 });

    // Removing works offline too (freeing space needs no network), and while offline nothing on the page can
    // fetch the files again behind the test's back.
    await page.getByRole('button', { name: 'Remove from offline', exact: true }).click();
    await page.getByRole('button', { name: 'Save for offline', exact: true }).waitFor({ timeout: 30_000 });
    expect(await pinnedRows(page, pin)).toEqual([]);
    const after = await cachedFiles(page);
    expect(files.filter((f) => after.includes(f))).toEqual([]);
    await session.context.setOffline(false);
  });
});
