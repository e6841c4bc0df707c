// Product page against the UI contract: heading and JSON-LD, the 3D viewer really drawing the model
// (element screenshots decoded in Node), variants, dimensions, quality and origin, and the not-found page.
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { toDecimalString } from '../../src/core/money';
import type { CatalogSnapshot, Product } from '../../src/protocol/catalog';
import { useBrowser } from './browser';
import { fetchCatalog } from '../support/catalog-api';
import { must, richProduct, waitFor } from './catalog-data';
import { decodePng, distinctColours, dominantColour, shareChanged, shareUnlike, type RgbaImage } from './png';

const session = useBrowser();
let catalog: CatalogSnapshot;
let product: Product;

beforeAll(async () => {
  catalog = await fetchCatalog(session.baseUrl);
  product = richProduct(catalog);
});

const viewerOf = (page: Page) => page.getByTestId('product-viewer');

async function openProduct(page: Page, p: Product): Promise<void> {
  await page.goto(`/product/${p.id}`);
  await expect.poll(() => page.locator('h1').innerText(), { timeout: 30_000 }).toBe(p.name);
}

async function waitReady(page: Page): Promise<Locator> {
  const viewer = viewerOf(page);
  await waitFor(
    'the product viewer to reach data-state=ready',
    () => viewer.getAttribute('data-state'),
    (s) => s === 'ready' || s === 'error',
    90_000,
  );
  expect(await viewer.getAttribute('data-state')).toBe('ready');
  return viewer;
}

/** Waits two animation frames and a little more, so the last change is on screen. */
async function settle(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 250)))),
  );
}

async function canvasPixels(page: Page, p: Product): Promise<RgbaImage> {
  const canvas = page.getByRole('region', { name: `3D view of ${p.name}` }).locator('canvas');
  return decodePng(await canvas.screenshot());
}

describe('product page', () => {
  test('shows the heading, one h1, and schema.org Product JSON-LD with offers', async () => {
    const page = await session.newPage();
    await openProduct(page, product);
    expect(await page.locator('h1').count()).toBe(1);
    const scripts = page.locator('script[type="application/ld+json"]');
    await expect.poll(() => scripts.count()).toBeGreaterThan(0);
    const docs = (await scripts.allTextContents()).map((t) => JSON.parse(t) as Record<string, unknown>);
    const ld = docs.find((d) => d['@type'] === 'Product');
    expect(ld, 'a JSON-LD document with @type Product').toBeDefined();
    expect(ld?.['@context']).toMatch(/schema\.org/);
    expect(ld?.name).toBe(product.name);
    const offers = ld?.offers;
    expect(offers, 'offers').toBeTruthy();
    const offerList = (Array.isArray(offers) ? offers : [offers]) as Record<string, unknown>[];
    // One Offer per variant, each with the variant's exact price as a decimal string.
    expect(offerList.map((o) => o.sku)).toEqual(product.variants.map((v) => v.sku));
    for (const [i, variant] of product.variants.entries()) {
      expect(offerList[i]?.price, `price of ${variant.sku}`).toBe(toDecimalString(variant.price));
      expect(offerList[i]?.priceCurrency).toBe(variant.price.currency);
      // The return policy's applicableCountry is where it applies (the sale), not where the product is made.
      const policy = offerList[i]?.hasMerchantReturnPolicy as Record<string, unknown> | undefined;
      expect(policy?.applicableCountry).toBeUndefined();
    }
  });

  test('the viewer renders the model: ready state, triangles, real pixels; a variant changes them', async () => {
    const page = await session.newPage();
    await openProduct(page, product);
    const section = page.getByRole('region', { name: `3D view of ${product.name}` });
    await expect.poll(() => section.locator('canvas').count()).toBe(1);
    const viewer = await waitReady(page);
    expect(Number(await viewer.getAttribute('data-triangles'))).toBeGreaterThan(0);
    const describedBy = await viewer.evaluate((el) => {
      const withDesc = el.matches('[aria-describedby]') ? el : el.querySelector('[aria-describedby]');
      const id = withDesc?.getAttribute('aria-describedby') ?? '';
      return document.getElementById(id)?.textContent ?? '';
    });
    expect(describedBy.trim().length, 'a screen-reader description of the model').toBeGreaterThan(10);

    await settle(page);
    const before = await canvasPixels(page, product);
    const background = dominantColour(before);
    const colours = distinctColours(before);
    const covered = shareUnlike(before, background, 12);
    console.log(
      `[product] ${product.id}: ${colours} colours, ${(covered * 100).toFixed(1)} % of pixels unlike the background`,
    );
    expect(colours, 'a shaded model has many distinct colours').toBeGreaterThan(200);
    expect(covered, 'the model covers part of the canvas').toBeGreaterThan(0.03);

    // Does the picture stand still without input? Then a variant change must be what changes it.
    await page.waitForTimeout(500);
    const still = shareChanged(before, await canvasPixels(page, product));

    const current = await viewer.getAttribute('data-variant');
    const target = must(
      product.variants.find((v) => v.materialVariant !== current),
      `${product.id} has a variant other than ${String(current)}`,
    );
    const radio = page.getByRole('radio', { name: target.name, exact: true });
    await radio.check();
    await waitFor(
      `data-variant to become ${target.materialVariant}`,
      () => viewer.getAttribute('data-variant'),
      (v) => v === target.materialVariant,
      20_000,
    );
    await settle(page);
    const after = await canvasPixels(page, product);
    const changed = shareChanged(before, after);
    console.log(
      `[product] idle change ${(still * 100).toFixed(2)} %, variant change ${(changed * 100).toFixed(2)} %`,
    );
    expect(changed, 'switching the variant changes the drawn pixels').toBeGreaterThan(
      Math.max(0.005, still * 2),
    );
  });

  test('"Show dimensions" shows width, height and depth in cm', async () => {
    const page = await session.newPage();
    await openProduct(page, product);
    await waitReady(page);
    const toggle = page.getByRole('button', { name: 'Show dimensions' });
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe('true');
    const section = page.getByRole('region', { name: `3D view of ${product.name}` });
    const labels = await waitFor(
      'three cm labels',
      async () => {
        const texts = await section
          .getByText(/\d\s*cm\b/)
          .evaluateAll((els) =>
            els
              .filter((e) => (e as HTMLElement).offsetParent !== null || e.getClientRects().length > 0)
              .map((e) => e.textContent ?? ''),
          );
        return texts;
      },
      (t) => t.length >= 3,
      20_000,
    );
    const numbers = labels.flatMap((t) => [...t.matchAll(/(\d+(?:\.\d+)?)\s*cm/g)].map((m) => Number(m[1])));
    const { width, height, depth } = product.dimensions;
    for (const [axis, metres] of Object.entries({ width, height, depth })) {
      const cm = metres * 100;
      expect(
        numbers.some((n) => Math.abs(n - cm) <= 1),
        `${axis} ${cm.toFixed(1)} cm among the labels ${JSON.stringify(labels)}`,
      ).toBe(true);
    }
    await page.getByRole('button', { name: 'Reset view' }).click();
  });

  test('Quality & origin lists certifications, the provenance trail and the return policy', async () => {
    const page = await session.newPage();
    await openProduct(page, product);
    const heading = page.getByRole('heading', { name: 'Quality & origin' });
    await heading.waitFor();
    const section = page.locator('section').filter({ has: heading }).last();
    for (const cert of product.certifications) {
      expect(await section.getByText(cert.name).count(), `certification ${cert.name}`).toBeGreaterThan(0);
    }
    const provenance = section.getByRole('list', { name: 'Provenance' });
    await expect.poll(() => provenance.getByRole('listitem').count()).toBe(product.provenance.length);
    for (const event of product.provenance) {
      expect(await provenance.getByText(event.location.name).count(), event.location.name).toBeGreaterThan(0);
    }
    const returns = section.getByRole('heading', { name: 'Returns' });
    expect(await returns.count()).toBe(1);
    const sectionText = await section.innerText();
    const afterReturns = sectionText.slice(sectionText.lastIndexOf('Returns') + 'Returns'.length).trim();
    expect(afterReturns.length, 'return policy in plain words').toBeGreaterThan(20);
    const brand = catalog.brands.find((b) => b.id === product.brandId);
    const days = brand?.returnPolicy.merchantReturnDays;
    if (days !== undefined) expect(afterReturns).toContain(String(days));
  });

  test('an unknown product id shows "Product not found"', async () => {
    const page = await session.newPage();
    await page.goto('/product/no-such-product-here');
    await expect.poll(() => page.locator('h1').innerText(), { timeout: 30_000 }).toBe('Product not found');
    expect(await page.locator('h1').count()).toBe(1);
  });
});
