/**
 * `npm run assets:posters`: renders a 640×640 JPEG poster of every demo model into
 * assets/brands/linde/posters/. Serves assets/scripts/poster/ (a three.js page) with Vite on loopback, plus the
 * brand's models under /models/, opens it in headless Debian Chromium (SwiftShader WebGL) once per product
 * and screenshots the canvas. Everything it starts (server, browser) is closed before it returns.
 */
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';
import type { Plugin } from 'vite';
import { launchChromium } from '../../test/support/chromium';
import { modelPath, posterPath } from '../../src/protocol/brand-folder';
import { PRODUCTS } from './demo-catalog';
import { BRAND_DIR } from './write-catalog';

const POSTER_ROOT = fileURLToPath(new URL('./poster/', import.meta.url));
const SIZE = 640;

/** Serves `/models/<id>.glb` from the brand folder. */
const serveModels = (): Plugin => ({
  name: 'vitrine-poster-models',
  configureServer(server) {
    server.middlewares.use((req, res, next) => {
      const id = /^\/models\/([a-z0-9-]+)\.glb$/.exec(req.url ?? '')?.[1];
      if (!id) return next();
      readFile(path.join(BRAND_DIR, modelPath(id))).then(
        (bytes) => {
          res.setHeader('Content-Type', 'model/gltf-binary');
          res.end(bytes);
        },
        () => {
          res.statusCode = 404;
          res.end();
        },
      );
    });
  },
});

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const products = only.length > 0 ? PRODUCTS.filter((p) => only.includes(p.id)) : PRODUCTS;
  await mkdir(path.join(BRAND_DIR, 'posters'), { recursive: true });

  const server = await createServer({
    configFile: false,
    root: POSTER_ROOT,
    cacheDir: path.join(POSTER_ROOT, '../../../node_modules/.vite-posters'),
    logLevel: 'warn',
    plugins: [serveModels()],
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, watch: null },
  });
  await server.listen();
  const { port } = server.httpServer?.address() as AddressInfo;
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE }, deviceScaleFactor: 1 });
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
    for (const product of products) {
      const query = new URLSearchParams({ model: `/models/${product.id}.glb`, placement: product.placement });
      await page.goto(`http://127.0.0.1:${port}/?${query}`);
      await page.waitForFunction(() => document.body.dataset.state !== undefined, undefined, {
        timeout: 120_000,
      });
      const state = await page.evaluate(() => document.body.dataset);
      if (state.state !== 'done') throw new Error(`${product.id}: ${state.error ?? 'render failed'}`);
      const jpeg = await page.locator('#poster').screenshot({ type: 'jpeg', quality: 85 });
      await writeFile(path.join(BRAND_DIR, posterPath(product.id)), jpeg);
      console.log(`${product.id}: poster ${jpeg.byteLength} bytes`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
