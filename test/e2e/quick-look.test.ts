// AR Quick Look, driven as a shopper on an iPhone would: the page is told what Safari on iOS tells it (an
// `<a rel="ar">` opens Quick Look; there is no WebXR), the shopper taps "View in your space", and the USDZ the
// app hands to Quick Look is checked in Node against the product's GLB: a valid USDZ archive (stored, first file
// .usda, 64-byte aligned), one mesh per drawn glTF primitive, the same bounds within 1 mm, each part's colour
// as the chosen variant gives it, textures carried as png/jpg for a textured third-party model, the anchoring
// plane of the product's placement, and a second tap offline (after a fresh start) opening the cached file.
//
// Chromium has no Quick Look: the link's `download` attribute (which Safari's Quick Look also reads for the
// file name) makes Chromium save the file instead, and the test reads that download. Runs its own server,
// seeded with the demo brand and the third-party models brand.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CatalogSnapshot, Product, Variant } from '../../src/protocol/catalog';
import { usdzCacheUrl } from '../../src/features/product/usdz-store';
import { fetchCatalog } from '../support/catalog-api';
import { readGltfParts, type GltfParts } from '../support/gltf-parts';
import { repoRoot, startServer, type RunningServer } from '../support/server';
import { buildThirdPartyBrand, type ThirdPartyBrand } from '../support/third-party-brand';
import { readUsdz, type Usdz } from '../support/usdz-archive';
import { expectUsdzOfGltf, meshColours } from '../support/usdz-expect';
import { useBrowser } from './browser';
import { must, waitFor } from './catalog-data';

let brand: ThirdPartyBrand | undefined;
let server: RunningServer | undefined;
let catalog: CatalogSnapshot;

beforeAll(async () => {
  brand = await buildThirdPartyBrand({ posters: 'placeholder' });
  const brands = [path.join(repoRoot, 'assets', 'brands', 'linde'), brand.dir].join(path.delimiter);
  server = await startServer({ label: 'vitrine-quick-look', env: { VITRINE_BRANDS: brands } });
  catalog = await fetchCatalog(server.baseUrl);
});

afterAll(async () => {
  await server?.stop();
  await brand?.remove();
});

const session = useBrowser({ acceptDownloads: true }, { baseUrl: () => must(server, 'the server').baseUrl });

// Registered after useBrowser's hooks, so the context exists: every page of this file is "Safari on iPhone".
beforeAll(async () => {
  await session.context.addInitScript(IOS_SAFARI);
});

/** What the page learns from Safari on iPhone: Quick Look opens rel="ar" links, and there is no WebXR. */
const IOS_SAFARI = `
  const supports = DOMTokenList.prototype.supports;
  DOMTokenList.prototype.supports = function (token) {
    return token === 'ar' ? true : supports.call(this, token);
  };
  Object.defineProperty(Navigator.prototype, 'xr', { configurable: true, get: () => undefined });
  // Records each rel="ar" link clicked (the test reads it; nothing is changed or prevented).
  window.__arLinks = [];
  addEventListener('click', (event) => {
    const a = event.target;
    if (!(a instanceof HTMLAnchorElement) || !a.relList.contains('ar')) return;
    window.__arLinks.push({
      href: a.href,
      download: a.download,
      firstChild: a.firstElementChild ? a.firstElementChild.tagName : null,
      connected: a.isConnected,
    });
  }, true);
`;

interface ArLink {
  href: string;
  download: string;
  firstChild: string | null;
  connected: boolean;
}

const glbs = new Map<string, Promise<GltfParts>>();

/** The parts of a product's GLB as the server serves it, read in Node. */
function gltfOf(product: Product): Promise<GltfParts> {
  let parts = glbs.get(product.id);
  if (!parts) {
    parts = (async () => {
      const res = await fetch(`${must(server, 'the server').baseUrl}${product.model.url}`);
      expect(res.status).toBe(200);
      return readGltfParts(new Uint8Array(await res.arrayBuffer()));
    })();
    glbs.set(product.id, parts);
  }
  return parts;
}

async function openProduct(page: Page, product: Product, variant: Variant): Promise<void> {
  await page.goto(`/product/${product.id}?sku=${variant.sku}`);
  await expect.poll(() => page.locator('h1').innerText(), { timeout: 30_000 }).toBe(product.name);
}

/** Taps "View in your space" and returns the USDZ handed to Quick Look, with the link and the time it took. */
async function tapViewInYourSpace(
  page: Page,
  product: Product,
): Promise<{ bytes: Uint8Array; link: ArLink; ms: number }> {
  const button = page.getByRole('button', { name: /view in your space/i });
  await button.waitFor({ state: 'visible', timeout: 60_000 });
  const before = await page.evaluate(() => (window as unknown as { __arLinks: unknown[] }).__arLinks.length);
  const started = Date.now();
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 90_000 }), button.click()]);
  const ms = Date.now() - started;
  expect(download.suggestedFilename()).toBe(`${product.id}.usdz`);
  const file = await download.path();
  const bytes = new Uint8Array(await readFile(file));
  const links = await page.evaluate(() => (window as unknown as { __arLinks: ArLink[] }).__arLinks);
  expect(links.length, 'one rel="ar" link clicked per tap').toBe(before + 1);
  const link = must(links.at(-1), 'the rel="ar" link');
  expect(link.href).toMatch(/^blob:http:\/\/127\.0\.0\.1:\d+\/[0-9a-f-]+#allowsContentScaling=0$/);
  expect(link.firstChild, 'Safari needs an <img> as the link’s child').toBe('IMG');
  expect(link.download).toBe(`${product.id}.usdz`);
  return { bytes, link, ms };
}

/** The cached USDZ of a product variant (Cache Storage, read in the page), or null. */
function cachedUsdz(
  page: Page,
  product: Product,
  variant: Variant,
): Promise<{ bytes: number; type: string } | null> {
  const url = usdzCacheUrl(product.model.sha256, product.placement, variant.materialVariant);
  return page.evaluate(async (key) => {
    const hit = await (await caches.open('vitrine-models')).match(key);
    if (!hit) return null;
    const blob = await hit.blob();
    return { bytes: blob.size, type: blob.type };
  }, url);
}

const alignmentOf = (product: Product): string => (product.placement === 'wall' ? 'vertical' : 'horizontal');

/** A demo product with three variants (the third is first made offline). */
function demoProduct(): { product: Product; variants: [Variant, Variant, Variant] } {
  const product = must(
    catalog.products.find(
      (p) => p.brandId !== brand?.brandId && p.placement === 'floor' && p.variants.length >= 3,
    ),
    'a demo floor product with three variants',
  );
  const [a, b, c] = product.variants;
  return { product, variants: [must(a, 'variant 1'), must(b, 'variant 2'), must(c, 'variant 3')] };
}

let firstUsdz: Uint8Array | undefined;

describe('AR Quick Look (iOS Safari emulated)', () => {
  test('a demo product: the USDZ is the same product in each variant, and is kept for next time', async () => {
    const { product, variants } = demoProduct();
    const [first, second] = variants;
    const gltf = await gltfOf(product);
    const page = await session.newPage();
    await page.goto('/');
    await waitFor(
      'the service worker to control the page',
      () => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null),
      (url) => url !== null,
      60_000,
    );
    const scripts: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
    });
    await openProduct(page, product, first);
    expect(await page.evaluate(() => document.createElement('a').relList.supports('ar'))).toBe(true);
    // The USDZ code and three's exporter load only when the shopper asks for AR.
    const usdzChunks = (): string[] =>
      scripts.filter((s) => /\/(?:USDZExporter|usdz-store)-[\w-]+\.js$/.test(s));
    expect(usdzChunks(), 'USDZ code loaded before the tap').toEqual([]);

    const one = await tapViewInYourSpace(page, product);
    expect(usdzChunks().length, 'the USDZ code and exporter chunks, loaded at the tap').toBe(2);
    const usdzOne: Usdz = readUsdz(one.bytes);
    expectUsdzOfGltf(usdzOne, gltf, first.materialVariant);
    expect(usdzOne.alignment).toBe(alignmentOf(product));
    console.log(
      `[quick-look] ${product.id} (${first.materialVariant}): ${one.bytes.byteLength} bytes, ` +
        `${usdzOne.entries.length} files, ${usdzOne.meshes.length} meshes, made in ${one.ms} ms`,
    );
    firstUsdz = one.bytes;

    await page.getByRole('radio', { name: second.name, exact: true }).check();
    const two = await tapViewInYourSpace(page, product);
    const usdzTwo = readUsdz(two.bytes);
    expectUsdzOfGltf(usdzTwo, gltf, second.materialVariant);
    const changed = meshColours(usdzOne).filter(
      (c, i) => JSON.stringify(c) !== JSON.stringify(meshColours(usdzTwo)[i]),
    );
    expect(
      changed.length,
      `parts whose colour differs between ${first.name} and ${second.name}`,
    ).toBeGreaterThan(0);

    // Both are kept in the model cache, under the model's hash and the variant.
    expect(await cachedUsdz(page, product, first)).toEqual({
      bytes: one.bytes.byteLength,
      type: 'model/vnd.usdz+zip',
    });
    expect(await cachedUsdz(page, product, second)).toEqual({
      bytes: two.bytes.byteLength,
      type: 'model/vnd.usdz+zip',
    });
    // Tapping again (second variant still selected) answers from the cache: the very same bytes (the archive
    // holds its write time, so a file made again would differ).
    const again = await tapViewInYourSpace(page, product);
    expect(Buffer.from(again.bytes).equals(Buffer.from(two.bytes)), 'the kept file, byte for byte').toBe(
      true,
    );
  });

  test('offline after a fresh start: a second tap opens the kept USDZ at once, a new variant is made from the cached GLB', async () => {
    const { product, variants } = demoProduct();
    const [first, , third] = variants;
    const kept = must(firstUsdz, 'the USDZ of the first test');
    await session.context.setOffline(true);
    try {
      const page = await session.newPage();
      const response = await page.goto(`/product/${product.id}?sku=${first.sku}`);
      expect(response?.fromServiceWorker(), 'the app shell comes from the service worker').toBe(true);
      await expect.poll(() => page.locator('h1').innerText(), { timeout: 30_000 }).toBe(product.name);

      const cached = await tapViewInYourSpace(page, product);
      expect(Buffer.from(cached.bytes).equals(Buffer.from(kept)), 'the kept file, byte for byte').toBe(true);
      console.log(`[quick-look] offline second tap: ${cached.ms} ms`);

      await page.getByRole('radio', { name: third.name, exact: true }).check();
      const made = await tapViewInYourSpace(page, product);
      expectUsdzOfGltf(readUsdz(made.bytes), await gltfOf(product), third.materialVariant);
      console.log(`[quick-look] offline, new variant made from the cached GLB in ${made.ms} ms`);
    } finally {
      await session.context.setOffline(false);
    }
  });

  test('a textured third-party model and a wall product: textures travel as png/jpg, walls anchor vertically', async () => {
    const mixer = must(
      catalog.products.find((p) => p.id === 'kitchen-stand-mixer'),
      'the third-party mixer',
    );
    const wall = must(
      catalog.products.find((p) => p.brandId !== brand?.brandId && p.placement === 'wall'),
      'a demo wall product',
    );
    for (const product of [mixer, wall]) {
      const variant = must(product.variants[0], 'a variant');
      const page = await session.newPage();
      await openProduct(page, product, variant);
      const { bytes, ms } = await tapViewInYourSpace(page, product);
      const usdz = readUsdz(bytes);
      const gltf = await gltfOf(product);
      expectUsdzOfGltf(usdz, gltf, variant.materialVariant);
      expect(usdz.alignment).toBe(alignmentOf(product));
      const textures = usdz.entries.filter((e) => /^textures\/.+\.(png|jpg)$/.test(e.name));
      for (const texture of textures) {
        const png = texture.data[0] === 0x89 && texture.data[1] === 0x50;
        const jpg = texture.data[0] === 0xff && texture.data[1] === 0xd8;
        expect(png || jpg, `${texture.name} is a PNG or JPEG image`).toBe(true);
        expect(texture.name.endsWith(png ? '.png' : '.jpg'), `${texture.name} has its type's extension`).toBe(
          true,
        );
      }
      if (product === mixer) {
        expect(textures.length, 'the mixer’s textures are in the archive').toBeGreaterThan(0);
        expect(gltf.parts.some((p) => p.material?.getBaseColorTexture())).toBe(true);
      }
      console.log(
        `[quick-look] ${product.id}: ${bytes.byteLength} bytes, ${textures.length} textures, ` +
          `${usdz.meshes.length} meshes, made in ${ms} ms`,
      );
      await page.close();
    }
  });
});
