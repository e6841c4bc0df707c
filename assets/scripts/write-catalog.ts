/**
 * Writes the demo brand folder's JSON files (brand, categories, products, showrooms) from demo-catalog.ts:
 * seals every provenance trail with core/provenance, drops the model-only `look` of each variant, checks the
 * result against the brand-folder schema and formats it with the repository's Prettier settings.
 * Run on its own with `npx tsx assets/scripts/write-catalog.ts`; `npm run assets:models` runs it first.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { sealTrail } from '../../src/core/provenance';
import { BRAND_FILES, BrandFolderData } from '../../src/protocol/brand-folder';
import type { ProductSource } from '../../src/protocol/catalog';
import { BRAND, CATEGORIES, PRODUCTS, SHOWROOMS } from './demo-catalog';

/** Folder of the demo brand. */
export const BRAND_DIR = fileURLToPath(new URL('../brands/linde/', import.meta.url));

/** Builds the folder data with sealed trails (validated, throws when the data breaks the schema). */
export async function buildBrandFolder(): Promise<BrandFolderData> {
  const products: ProductSource[] = [];
  for (const { trail, variants, ...fields } of PRODUCTS) {
    products.push({
      ...fields,
      variants: variants.map(({ look: _look, ...variant }) => variant),
      provenance: await sealTrail(trail),
    });
  }
  return BrandFolderData.parse({ brand: BRAND, categories: CATEGORIES, products, showrooms: SHOWROOMS });
}

/** Writes brand.json, categories.json, products.json and showrooms.json into the brand folder. */
export async function writeCatalog(dir = BRAND_DIR): Promise<void> {
  const data = await buildBrandFolder();
  const options = (await prettier.resolveConfig(path.join(dir, BRAND_FILES.products))) ?? {};
  await mkdir(dir, { recursive: true });
  for (const key of ['brand', 'categories', 'products', 'showrooms'] as const) {
    const file = path.join(dir, BRAND_FILES[key]);
    const text = await prettier.format(JSON.stringify(data[key]), { ...options, parser: 'json' });
    await writeFile(file, text);
  }
  console.log(`catalog: ${data.products.length} products, ${data.showrooms.length} showrooms -> ${dir}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await writeCatalog();
}
