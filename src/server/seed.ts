/**
 * First-start seeding: reads brand folders from disk, checks them, puts their models and posters in the asset
 * store and writes the catalog in one transaction. Owns nothing after it returns; runs only while the catalog
 * has never been written, so a restart never reseeds.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { z } from 'zod/mini';
import type { Brand, Category, Showroom } from '../protocol/catalog';
import { Product } from '../protocol/catalog';
import { BRAND_FILES, BrandFolderData, modelPath, posterPath } from '../protocol/brand-folder';
import { verifyTrail } from '../core/provenance';
import type { StoredAsset } from './asset-store';
import { storeAsset } from './asset-store';
import type { CatalogWrite } from './storage/catalog-store';
import { isCatalogEmpty, writeCatalog } from './storage/catalog-store';
import type { Database, NewAsset } from './storage/schema';
import { countTriangles, readGlb } from '../publish/model-reader';

/** A brand folder problem; `file` is the path of the file at fault and the message starts with it. */
export class BrandFolderError extends Error {
  override readonly name = 'BrandFolderError';
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
  }
}

/** Where each issue sits in the file (`[0].variants[1].price.amount`) and what is wrong there. */
function describeIssues(error: z.core.$ZodError, max = 5): string {
  const lines = error.issues.slice(0, max).map((issue) => {
    const where = issue.path
      .map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`))
      .join('');
    return `${where === '' ? '(top level)' : where}: ${issue.message}`;
  });
  const more = error.issues.length > max ? `; and ${error.issues.length - max} more` : '';
  return `${lines.join('; ')}${more}`;
}

async function readBytes(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new BrandFolderError(
      file,
      code === 'ENOENT' ? 'file is missing' : `cannot be read (${String(code)})`,
    );
  }
}

async function readJson<S extends z.ZodMiniType>(file: string, schema: S): Promise<z.infer<S>> {
  const text = (await readBytes(file)).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new BrandFolderError(file, `is not valid JSON (${(error as Error).message})`);
  }
  const result = schema.safeParse(json);
  if (!result.success)
    throw new BrandFolderError(file, `does not match the schema: ${describeIssues(result.error)}`);
  return result.data;
}

/**
 * Reads and checks one brand folder: each file against its schema, then the references between files
 * (product categories, showroom brand, fixture products and SKUs, unique ids and SKUs) and every provenance
 * hash chain.
 */
export async function readBrandFolder(dir: string): Promise<BrandFolderData> {
  const shape = BrandFolderData.shape;
  const file = (name: string): string => path.join(dir, name);
  const data: BrandFolderData = {
    brand: await readJson(file(BRAND_FILES.brand), shape.brand),
    categories: await readJson(file(BRAND_FILES.categories), shape.categories),
    products: await readJson(file(BRAND_FILES.products), shape.products),
    showrooms: await readJson(file(BRAND_FILES.showrooms), shape.showrooms),
  };

  const duplicate = (ids: string[]): string | undefined => ids.find((id, i) => ids.indexOf(id) !== i);
  const dupCategory = duplicate(data.categories.map((c) => c.id));
  if (dupCategory !== undefined)
    throw new BrandFolderError(file(BRAND_FILES.categories), `category id "${dupCategory}" appears twice`);
  const dupProduct = duplicate(data.products.map((p) => p.id));
  if (dupProduct !== undefined)
    throw new BrandFolderError(file(BRAND_FILES.products), `product id "${dupProduct}" appears twice`);
  const dupSku = duplicate(data.products.flatMap((p) => p.variants.map((v) => v.sku)));
  if (dupSku !== undefined)
    throw new BrandFolderError(file(BRAND_FILES.products), `SKU "${dupSku}" appears twice`);
  const dupShowroom = duplicate(data.showrooms.map((s) => s.id));
  if (dupShowroom !== undefined)
    throw new BrandFolderError(file(BRAND_FILES.showrooms), `showroom id "${dupShowroom}" appears twice`);

  const categoryIds = new Set(data.categories.map((c) => c.id));
  for (const product of data.products) {
    if (!categoryIds.has(product.category)) {
      throw new BrandFolderError(
        file(BRAND_FILES.products),
        `product "${product.id}" names category "${product.category}", which ${BRAND_FILES.categories} does not list`,
      );
    }
  }
  for (const product of data.products) {
    const trail = await verifyTrail(product.provenance);
    if (!trail.ok) {
      throw new BrandFolderError(
        file(BRAND_FILES.products),
        `the provenance of product "${product.id}" is broken at event ${trail.brokenAt} (its hash does not match)`,
      );
    }
  }
  const products = new Map(data.products.map((p) => [p.id, p]));
  for (const showroom of data.showrooms) {
    if (showroom.brandId !== data.brand.id) {
      throw new BrandFolderError(
        file(BRAND_FILES.showrooms),
        `showroom "${showroom.id}" has brandId "${showroom.brandId}" but the brand is "${data.brand.id}"`,
      );
    }
    for (const fixture of showroom.fixtures) {
      const product = products.get(fixture.productId);
      if (product === undefined) {
        throw new BrandFolderError(
          file(BRAND_FILES.showrooms),
          `fixture "${fixture.id}" in showroom "${showroom.id}" shows unknown product "${fixture.productId}"`,
        );
      }
      if (fixture.sku !== undefined && !product.variants.some((v) => v.sku === fixture.sku)) {
        throw new BrandFolderError(
          file(BRAND_FILES.showrooms),
          `fixture "${fixture.id}" in showroom "${showroom.id}" names SKU "${fixture.sku}", not a variant of "${product.id}"`,
        );
      }
    }
  }
  return data;
}

/** The sub-folders of a folder (each a brand folder), sorted by name; none when the folder is missing. */
export async function listBrandDirs(brandsRoot: string): Promise<string[]> {
  try {
    const entries = await readdir(brandsRoot, { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory())
      .map((e) => path.join(brandsRoot, e.name))
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

const JPEG_MAGIC = [0xff, 0xd8, 0xff];

/** Options of a seeding run. */
export interface SeedOptions {
  /** Brand folders to read, in order. */
  brandDirs: string[];
  /** The asset store folder (`<dataDir>/assets`). */
  assetsDir: string;
}

/** What a seeding run did. */
export interface SeedResult {
  /** False when the catalog already had data and nothing was read. */
  seeded: boolean;
  brands: number;
  products: number;
  showrooms: number;
  /** Catalog cursor after the run (unchanged when not seeded). */
  cursor?: string;
}

function toAssetRow(asset: StoredAsset, now: string): NewAsset {
  return {
    sha256: asset.sha256,
    ext: asset.ext,
    bytes: asset.bytes,
    content_type: asset.contentType,
    created_at: now,
  };
}

/**
 * Seeds the catalog from brand folders when it has never been written. Every folder is read and checked before
 * anything is written; files go to the asset store first, then all records land in one transaction.
 * Throws a `BrandFolderError` naming the file at fault.
 */
export async function seedIfEmpty(db: Kysely<Database>, options: SeedOptions): Promise<SeedResult> {
  if (!(await isCatalogEmpty(db)) || options.brandDirs.length === 0) {
    return { seeded: false, brands: 0, products: 0, showrooms: 0 };
  }
  const now = new Date().toISOString();
  const brands: Brand[] = [];
  const categories: { brandId: string; category: Category }[] = [];
  const products: Product[] = [];
  const showrooms: Showroom[] = [];
  const assets = new Map<string, NewAsset>();
  const productIds = new Set<string>();
  const showroomIds = new Set<string>();
  const brandIds = new Set<string>();
  /** Cart lines are keyed by SKU, so a SKU must name one variant across every brand. */
  const skus = new Set<string>();
  /** Brands may share a category id (both sell "seating") only under the same name. */
  const categoryNames = new Map<string, string>();

  for (const dir of options.brandDirs) {
    const data = await readBrandFolder(dir);
    if (brandIds.has(data.brand.id)) {
      throw new BrandFolderError(
        path.join(dir, BRAND_FILES.brand),
        `brand id "${data.brand.id}" is used twice`,
      );
    }
    brandIds.add(data.brand.id);
    brands.push(data.brand);
    for (const category of data.categories) {
      const known = categoryNames.get(category.id);
      if (known !== undefined && known !== category.name) {
        throw new BrandFolderError(
          path.join(dir, BRAND_FILES.categories),
          `category id "${category.id}" is named "${known}" by another brand; use that name or another id`,
        );
      }
      categoryNames.set(category.id, category.name);
      categories.push({ brandId: data.brand.id, category });
    }

    for (const source of data.products) {
      if (productIds.has(source.id)) {
        throw new BrandFolderError(
          path.join(dir, BRAND_FILES.products),
          `product id "${source.id}" is used by another brand`,
        );
      }
      productIds.add(source.id);
      for (const { sku } of source.variants) {
        if (skus.has(sku)) {
          throw new BrandFolderError(
            path.join(dir, BRAND_FILES.products),
            `SKU "${sku}" of product "${source.id}" is used by another brand`,
          );
        }
        skus.add(sku);
      }

      const modelFile = path.join(dir, modelPath(source.id));
      const modelBytes = await readBytes(modelFile);
      let triangles: number;
      try {
        triangles = countTriangles(await readGlb(modelBytes));
      } catch (error) {
        throw new BrandFolderError(modelFile, `is not a readable binary glTF (${(error as Error).message})`);
      }
      const posterFile = path.join(dir, posterPath(source.id));
      const posterBytes = await readBytes(posterFile);
      if (!JPEG_MAGIC.every((byte, i) => posterBytes[i] === byte)) {
        throw new BrandFolderError(posterFile, 'is not a JPEG image');
      }

      const model = await storeAsset(options.assetsDir, modelBytes, 'glb');
      const poster = await storeAsset(options.assetsDir, posterBytes, 'jpg');
      assets.set(model.sha256, toAssetRow(model, now));
      assets.set(poster.sha256, toAssetRow(poster, now));

      const product = Product.safeParse({
        ...source,
        brandId: data.brand.id,
        model: { url: model.url, sha256: model.sha256, bytes: model.bytes, triangles },
        poster: { url: poster.url, sha256: poster.sha256, bytes: poster.bytes },
        updatedAt: now,
      });
      if (!product.success) {
        throw new BrandFolderError(
          path.join(dir, BRAND_FILES.products),
          `product "${source.id}" is not publishable: ${describeIssues(product.error)}`,
        );
      }
      products.push(product.data);
    }

    for (const showroom of data.showrooms) {
      if (showroomIds.has(showroom.id)) {
        throw new BrandFolderError(
          path.join(dir, BRAND_FILES.showrooms),
          `showroom id "${showroom.id}" is used by another brand`,
        );
      }
      showroomIds.add(showroom.id);
      showrooms.push(showroom);
    }
  }

  const write: CatalogWrite = {
    brands,
    categories,
    products,
    showrooms,
    assets: [...assets.values()],
    reason: 'seed',
  };
  const cursor = await writeCatalog(db, write);
  return {
    seeded: true,
    brands: brands.length,
    products: products.length,
    showrooms: showrooms.length,
    cursor,
  };
}
