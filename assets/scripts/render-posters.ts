/**
 * `npm run assets:posters [product id…]`: renders a 640×640 JPEG poster of every demo model (or of the products
 * named) into assets/brands/linde/posters/, with the poster renderer `vitrine publish` uses
 * (src/publish/posters: a three.js page in headless Debian Chromium). Everything it starts (server, browser)
 * is closed before it returns.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { modelPath, posterPath } from '../../src/protocol/brand-folder';
import { openPosterRenderer } from '../../src/publish/posters/poster-renderer';
import { PRODUCTS } from './demo-catalog';
import { BRAND_DIR } from './write-catalog';

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const products = only.length > 0 ? PRODUCTS.filter((p) => only.includes(p.id)) : PRODUCTS;
  await mkdir(path.join(BRAND_DIR, 'posters'), { recursive: true });
  const renderer = await openPosterRenderer();
  try {
    for (const product of products) {
      const glb = await readFile(path.join(BRAND_DIR, modelPath(product.id)));
      const jpeg = await renderer.render({ id: product.id, glb, placement: product.placement });
      await writeFile(path.join(BRAND_DIR, posterPath(product.id)), jpeg);
      console.log(`${product.id}: poster ${jpeg.byteLength} bytes`);
    }
  } finally {
    await renderer.close();
  }
}

await main();
