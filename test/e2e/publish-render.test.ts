// Models as `vitrine publish` stores them (meshopt geometry, WebP textures, simplified within 0.01 %) in the
// storefront: a server seeded with the third-party test brand (real models with textures, one Draco-
// compressed), that folder published again through the CLI's publish function, then each product page's viewer
// reaches ready with the optimised file, drawing its triangles and real pixels.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { publishFolder, type PublishReport } from '../../src/cli/publish-command';
import type { CatalogSnapshot, Product } from '../../src/protocol/catalog';
import { createBrandToken } from '../../src/server/publishing/brand-tokens';
import { openDatabase } from '../../src/server/storage/connection';
import { fetchCatalog } from '../support/catalog-api';
import { startServer, type RunningServer } from '../support/server';
import {
  buildThirdPartyBrand,
  THIRD_PARTY_PRODUCT_IDS,
  type ThirdPartyBrand,
} from '../support/third-party-brand';
import { useBrowser } from './browser';
import { must, waitFor } from './catalog-data';
import { decodePng, distinctColours, dominantColour, shareUnlike } from './png';

let brand: ThirdPartyBrand | undefined;
let server: RunningServer | undefined;
let seeded: CatalogSnapshot;
let published: CatalogSnapshot;
let report: PublishReport;

// Registered before useBrowser, so the server is up when the browser context is created for its origin.
beforeAll(async () => {
  brand = await buildThirdPartyBrand();
  server = await startServer({ label: 'vitrine-publish-render', env: { VITRINE_BRANDS: brand.dir } });
  seeded = await fetchCatalog(server.baseUrl);
  const db = await openDatabase(server.dataDir, {});
  const { token } = await createBrandToken(db, brand.brandId, 'e2e');
  await db.destroy();
  report = await publishFolder(
    brand.dir,
    { server: server.baseUrl, token },
    { write: () => undefined, tty: false },
  );
  published = await fetchCatalog(server.baseUrl);
}, 300_000);

afterAll(async () => {
  await server?.stop();
  await brand?.remove();
});

const session = useBrowser({}, { baseUrl: () => must(server, 'the publish server').baseUrl });

const productIn = (catalog: CatalogSnapshot, id: string): Product =>
  must(
    catalog.products.find((p) => p.id === id),
    `${id} in the catalog`,
  );

async function settle(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 250)))),
  );
}

describe('published (optimised) models in the storefront', () => {
  test('the publish replaced every model with a smaller optimised one', () => {
    expect(report.response.summary.products.changed.sort()).toEqual([...THIRD_PARTY_PRODUCT_IDS].sort());
    for (const id of THIRD_PARTY_PRODUCT_IDS) {
      const before = productIn(seeded, id);
      const after = productIn(published, id);
      expect(after.model.url).not.toBe(before.model.url);
      const stats = must(
        report.models.find((m) => m.productId === id),
        `${id} in the report`,
      );
      expect(after.model.bytes).toBe(stats.after.bytes);
    }
  });

  test.each(THIRD_PARTY_PRODUCT_IDS)('%s: the product viewer draws the optimised model', async (id) => {
    const product = productIn(published, id);
    const stats = must(
      report.models.find((m) => m.productId === id),
      `${id} in the report`,
    );
    const page = await session.newPage();
    const models: string[] = [];
    page.on('response', (response) => {
      if (new URL(response.url()).pathname.endsWith('.glb')) models.push(new URL(response.url()).pathname);
    });
    await page.goto(`/product/${id}`);
    await expect.poll(() => page.locator('h1').innerText(), { timeout: 30_000 }).toBe(product.name);
    const viewer = page.getByTestId('product-viewer');
    const state = await waitFor(
      `the viewer of ${id} to reach data-state=ready`,
      () => viewer.getAttribute('data-state'),
      (s) => s === 'ready' || s === 'error',
      60_000,
    );
    expect(state, `viewer state of ${id}`).toBe('ready');
    expect(models).toContain(product.model.url);
    const triangles = Number(await viewer.getAttribute('data-triangles'));
    expect(triangles, `triangles drawn (optimised model ${stats.after.triangles})`).toBeGreaterThanOrEqual(
      stats.after.triangles,
    );

    await settle(page);
    const section = page.getByRole('region', { name: `3D view of ${product.name}` });
    const image = decodePng(await section.locator('canvas').screenshot());
    expect(distinctColours(image), 'a shaded model has many distinct colours').toBeGreaterThan(200);
    expect(shareUnlike(image, dominantColour(image), 12), 'the model covers the canvas').toBeGreaterThan(
      0.03,
    );
    console.log(
      `[publish-render] ${id}: ${stats.before.bytes} → ${stats.after.bytes} bytes, ${triangles} triangles drawn`,
    );
  });
});
