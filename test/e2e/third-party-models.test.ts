// Real third-party product models (shared/models: a 47k-triangle mixer with 2048 px textures, an alpha-blended
// wicker chair, transmissive glass vases, a Draco-compressed mug) in the storefront: each product page's viewer
// reaches ready, draws the model's triangles and real pixels, labels the measured size, and the showroom holding
// all four stays within 100 draw calls. Runs its own server, seeded with only this test-time brand.
import type { Locator, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CatalogSnapshot, Product } from '../../src/protocol/catalog';
import { fetchCatalog } from '../support/catalog-api';
import { startServer, type RunningServer } from '../support/server';
import {
  buildThirdPartyBrand,
  THIRD_PARTY_PRODUCT_IDS,
  type ThirdPartyBrand,
  type ThirdPartyProduct,
} from '../support/third-party-brand';
import { useBrowser } from './browser';
import { must, waitFor } from './catalog-data';
import { decodePng, distinctColours, dominantColour, shareUnlike } from './png';

let brand: ThirdPartyBrand | undefined;
let server: RunningServer | undefined;
let catalog: CatalogSnapshot;

// Registered before useBrowser, so the server is up when the browser context is created for its origin.
beforeAll(async () => {
  const started = Date.now();
  brand = await buildThirdPartyBrand();
  const built = Date.now();
  server = await startServer({ label: 'vitrine-third-party', env: { VITRINE_BRANDS: brand.dir } });
  catalog = await fetchCatalog(server.baseUrl);
  console.log(
    `[third-party] brand built with rendered posters in ${built - started} ms, server up in ${Date.now() - built} ms`,
  );
});

afterAll(async () => {
  await server?.stop();
  await brand?.remove();
});

const session = useBrowser({}, { baseUrl: () => must(server, 'the third-party server').baseUrl });

const measuredOf = (id: string): ThirdPartyProduct =>
  must(
    brand?.products.find((p) => p.id === id),
    `measurements of ${id}`,
  );
const productOf = (id: string): Product =>
  must(
    catalog.products.find((p) => p.id === id),
    `${id} in the catalog`,
  );

async function waitReady(page: Page, what: string): Promise<Locator> {
  const viewer = page.getByTestId('product-viewer');
  const state = await waitFor(
    `the viewer of ${what} to reach data-state=ready`,
    () => viewer.getAttribute('data-state'),
    (s) => s === 'ready' || s === 'error',
    60_000,
  );
  expect(state, `viewer state of ${what}`).toBe('ready');
  return viewer;
}

/** Waits two animation frames and a little more, so the last change is on screen. */
async function settle(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 250)))),
  );
}

/** The centimetre numbers of the visible dimension labels in the viewer section. */
async function dimensionLabels(section: Locator): Promise<number[]> {
  const texts = await waitFor(
    'three cm labels',
    () =>
      section
        .getByText(/\d\s*cm\b/)
        .evaluateAll((els) =>
          els.filter((e) => e.getClientRects().length > 0).map((e) => e.textContent ?? ''),
        ),
    (t) => t.length >= 3,
    20_000,
  );
  return texts.flatMap((t) => [...t.matchAll(/(\d+(?:\.\d+)?)\s*cm/g)].map((m) => Number(m[1])));
}

/**
 * Triangles the product viewer may report for a model. renderer.info counts every triangle drawn in the frame:
 * the model, once the whole of it is in view; for a model with transmissive materials, also its opaque parts
 * a second time (three.js draws them into its transmission buffer first); and a few of the stage's own (the
 * contact shadow is 2), allowed for with a small margin.
 */
function expectedViewerTriangles(measured: ThirdPartyProduct): { min: number; max: number } {
  const transmissive = measured.extensionsUsed.includes('KHR_materials_transmission');
  const min = measured.triangles + (transmissive ? measured.opaqueTriangles : 0);
  return { min, max: min + 16 };
}

describe('third-party models in the storefront', () => {
  test.each(THIRD_PARTY_PRODUCT_IDS)(
    '%s: the product viewer draws the real model and labels its measured size',
    async (id) => {
      const measured = measuredOf(id);
      const product = productOf(id);
      const page = await session.newPage();
      const origin = new URL(session.baseUrl).origin;
      const decoderRequests: string[] = [];
      page.on('request', (request: Request) => {
        if (request.url().includes('/decoders/')) decoderRequests.push(request.url());
      });

      const started = Date.now();
      await page.goto(`/product/${id}`);
      await expect.poll(() => page.locator('h1').innerText(), { timeout: 30_000 }).toBe(product.name);
      const viewer = await waitReady(page, id);
      const readyMs = Date.now() - started;

      const triangles = Number(await viewer.getAttribute('data-triangles'));
      const { min, max } = expectedViewerTriangles(measured);
      expect(triangles, `triangles drawn for ${id} (model ${measured.triangles})`).toBeGreaterThanOrEqual(
        min,
      );
      expect(triangles, `triangles drawn for ${id} (model ${measured.triangles})`).toBeLessThanOrEqual(max);
      // The model has no KHR_materials_variants: the variant's name finds nothing and the file's own
      // materials show (an empty data-variant), without an error.
      expect(await viewer.getAttribute('data-variant')).toBe('');

      await settle(page);
      const section = page.getByRole('region', { name: `3D view of ${product.name}` });
      const image = decodePng(await section.locator('canvas').screenshot());
      const colours = distinctColours(image);
      const covered = shareUnlike(image, dominantColour(image), 12);
      expect(colours, 'a shaded model has many distinct colours').toBeGreaterThan(200);
      expect(covered, 'the model covers part of the canvas').toBeGreaterThan(0.03);

      const toggle = section.getByRole('button', { name: 'Show dimensions' });
      await toggle.click();
      await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe('true');
      const labels = await dimensionLabels(section);
      const { min: lo, max: hi } = measured.bounds;
      const sizeCm = {
        width: (hi[0] - lo[0]) * 100,
        height: (hi[1] - lo[1]) * 100,
        depth: (hi[2] - lo[2]) * 100,
      };
      for (const [axis, cm] of Object.entries(sizeCm)) {
        expect(
          labels.some((n) => Math.abs(n - cm) <= 1),
          `${axis} ${cm.toFixed(1)} cm (from the model's bounds) among the labels ${JSON.stringify(labels)}`,
        ).toBe(true);
      }

      if (measured.extensionsRequired.includes('KHR_draco_mesh_compression')) {
        expect(decoderRequests.length, 'the Draco decoder was fetched').toBeGreaterThan(0);
        for (const url of decoderRequests)
          expect(url.startsWith(`${origin}/decoders/draco/`), url).toBe(true);
      } else {
        expect(decoderRequests, 'no decoder for an uncompressed model').toEqual([]);
      }
      console.log(
        `[third-party] ${id}: ready in ${readyMs} ms, ${triangles} triangles drawn (model ${measured.triangles}), ` +
          `${colours} colours, ${(covered * 100).toFixed(1)} % covered, labels ${labels.join('/')} cm` +
          (decoderRequests.length > 0
            ? `, decoders ${decoderRequests.map((u) => new URL(u).pathname).join(' ')}`
            : ''),
      );
    },
  );

  test('the showroom with all four models reaches ready within 100 draw calls', async () => {
    const room = must(
      catalog.showrooms.find((s) => s.id === brand?.showroomId),
      'the third-party showroom',
    );
    const page = await session.newPage();
    const started = Date.now();
    await page.goto(`/showroom/${room.id}`);
    await expect.poll(() => page.locator('h1').innerText(), { timeout: 30_000 }).toBe(room.name);
    const view = page.getByTestId('showroom-view');
    await waitFor(
      'the showroom to reach data-state=ready',
      () => view.getAttribute('data-state'),
      (s) => s === 'ready',
      90_000,
    );
    const drawCalls = Number(await view.getAttribute('data-draw-calls'));
    const triangles = Number(await view.getAttribute('data-triangles'));
    const modelTriangles = (brand?.products ?? []).reduce((sum, p) => sum + p.triangles, 0);
    console.log(
      `[third-party] showroom ready in ${Date.now() - started} ms: ${drawCalls} draw calls, ` +
        `${triangles} triangles (the four models have ${modelTriangles})`,
    );
    expect(drawCalls).toBeGreaterThan(0);
    expect(drawCalls).toBeLessThanOrEqual(100);
    // All four models stand in view of the spawn point, so every one of their triangles is drawn.
    expect(triangles, 'the four models are drawn').toBeGreaterThanOrEqual(modelTriangles);
    const list = page.getByRole('list', { name: 'Products in this room' });
    expect(await list.getByRole('button').count()).toBe(THIRD_PARTY_PRODUCT_IDS.length);
  });
});
