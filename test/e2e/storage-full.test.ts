// A full disk while the service worker caches a model: with the origin's quota lowered through the DevTools
// protocol (Storage.overrideQuotaForOrigin) so that the next model does not fit, the worker evicts the
// unpinned model it holds, stores the new one, and every open page tells the shopper what was removed.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import type { CatalogSnapshot, Product } from '../../src/protocol/catalog';
import { fetchCatalog } from '../support/catalog-api';
import { useBrowser } from './browser';
import { must, waitFor } from './catalog-data';

const session = useBrowser();
let catalog: CatalogSnapshot;
/** The largest model (cached first, evicted later) and the next largest (the one that does not fit). */
let first: Product;
let second: Product;

beforeAll(async () => {
  catalog = await fetchCatalog(session.baseUrl);
  const bySize = [...catalog.products].sort((a, b) => b.model.bytes - a.model.bytes);
  first = must(bySize[0], 'a product');
  second = must(
    bySize.find((p) => p.model.url !== first.model.url),
    'a second product with another model',
  );
});

/** Paths in the model cache. */
function cachedModels(p: Page): Promise<string[]> {
  return p.evaluate(async () => {
    const cache = await caches.open('vitrine-models');
    return (await cache.keys()).map((r) => new URL(r.url).pathname).sort();
  });
}

describe('storage full', () => {
  test('a model that does not fit evicts unsaved models and the shopper is told', async () => {
    const p = await session.newPage();
    await p.goto('/');
    await waitFor(
      'the service worker to control the page',
      () => p.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null),
      (url) => url !== null,
      60_000,
    );

    // Fetched by the page, so the worker's cache-first route stores it (as viewing the product would).
    await p.evaluate(async (url) => void (await (await fetch(url)).arrayBuffer()), first.model.url);
    await waitFor(
      'the first model in the model cache',
      () => cachedModels(p),
      (models) => models.includes(first.model.url),
      20_000,
    );
    expect(await p.getByRole('alert').count()).toBe(0);

    // Room for half the next model: storing it fails until the first one is evicted.
    const usage = await p.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
    const cdp = await session.context.newCDPSession(p);
    const origin = new URL(session.baseUrl).origin;
    await cdp.send('Storage.overrideQuotaForOrigin', {
      origin,
      quotaSize: usage + Math.floor(second.model.bytes / 2),
    });
    try {
      await fillAndCheck(p);
    } finally {
      await cdp.send('Storage.overrideQuotaForOrigin', { origin });
    }
  });
});

/** Fetches the second model into a nearly full origin and checks what the shopper is told. */
async function fillAndCheck(p: Page): Promise<void> {
  const status = await p.evaluate(async (url) => (await fetch(url)).status, second.model.url);
  expect(status).toBe(200);
  const models = await waitFor(
    'the second model to replace the first in the model cache',
    () => cachedModels(p),
    (m) => m.includes(second.model.url),
    20_000,
  );
  expect(models).toEqual([second.model.url]);

  const alert = p.getByRole('alert');
  await expect.poll(() => alert.count(), { timeout: 10_000 }).toBe(1);
  const text = await alert.innerText();
  expect(text).toContain('This device ran out of storage.');
  expect(text).toContain('1 3D model you had not saved for offline');
  expect(text).toContain('What you saved for offline and your cart are kept.');

  await alert.getByRole('button', { name: 'OK' }).click();
  await expect.poll(() => alert.count(), { timeout: 10_000 }).toBe(0);
}
