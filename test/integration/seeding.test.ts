import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CatalogSnapshot } from '../../src/protocol/catalog';
import type { Brand, ProductSource, Showroom } from '../../src/protocol/catalog';
import { buildServer } from '../../src/server/app';
import { BrandFolderError } from '../../src/server/seed';
import { backends, type EmptyDatabase } from '../support/backends';
import {
  closeAll,
  copyOfBrandMini,
  startServer,
  stopServer,
  tempDir,
  type RunningServer,
} from './server-harness';

afterAll(closeAll);

async function snapshotOf(url: string): Promise<CatalogSnapshot> {
  return CatalogSnapshot.parse(await (await fetch(`${url}/api/v1/catalog`)).json());
}

/** Rewrites a JSON file of a brand folder through a typed edit. */
async function editJson<T>(file: string, edit: (value: T) => void): Promise<void> {
  const value = JSON.parse(await readFile(file, 'utf8')) as T;
  edit(value);
  await writeFile(file, JSON.stringify(value, null, 2));
}

/** The item at an index, or a failed test. */
function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`no item at ${index}`);
  return item;
}

const products = (dir: string, edit: (products: ProductSource[]) => void) =>
  editJson(path.join(dir, 'products.json'), edit);
const showrooms = (dir: string, edit: (showrooms: Showroom[]) => void) =>
  editJson(path.join(dir, 'showrooms.json'), edit);

/** A second brand made from brand-mini with its own brand, product and showroom ids. */
async function secondBrand(): Promise<string> {
  const dir = await copyOfBrandMini();
  await editJson<Brand>(path.join(dir, 'brand.json'), (brand) => {
    brand.id = 'other';
  });
  await showrooms(dir, (list) => {
    for (const showroom of list) {
      showroom.brandId = 'other';
      showroom.id = `other-${showroom.id}`;
      for (const fixture of showroom.fixtures) fixture.productId = `other-${fixture.productId}`;
    }
  });
  await products(dir, (list) => {
    for (const product of list) product.id = `other-${product.id}`;
  });
  for (const kind of ['models', 'posters']) {
    for (const name of await readdir(path.join(dir, kind))) {
      const bytes = await readFile(path.join(dir, kind, name));
      await rm(path.join(dir, kind, name));
      await writeFile(path.join(dir, kind, `other-${name}`), bytes);
    }
  }
  return dir;
}

describe('seeding brand folders', () => {
  type Corruption = [label: string, file: string, corrupt: (dir: string) => Promise<void>, detail: RegExp];
  const corruptions: Corruption[] = [
    [
      'invalid JSON',
      'products.json',
      (dir) => writeFile(path.join(dir, 'products.json'), '[{"id": "cube-stool",'),
      /not valid JSON/,
    ],
    [
      'a schema violation',
      'products.json',
      (dir) =>
        products(dir, (list) => {
          at(at(list, 1).variants, 0).price.amount = -5;
        }),
      /\[1\]\.variants\[0\]\.price\.amount/,
    ],
    ['a missing file', 'brand.json', (dir) => rm(path.join(dir, 'brand.json')), /missing/],
    [
      'a missing model',
      'models/slab-table.glb',
      (dir) => rm(path.join(dir, 'models/slab-table.glb')),
      /missing/,
    ],
    [
      'a model that is not a GLB',
      'models/cube-stool.glb',
      (dir) => writeFile(path.join(dir, 'models/cube-stool.glb'), 'not a model'),
      /binary glTF/,
    ],
    [
      'a poster that is not a JPEG',
      'posters/cube-stool.jpg',
      (dir) => writeFile(path.join(dir, 'posters/cube-stool.jpg'), '<svg/>'),
      /JPEG/,
    ],
    [
      'a tampered provenance trail',
      'products.json',
      (dir) =>
        products(dir, (list) => {
          at(at(list, 0).provenance, 0).actor = 'Somebody else';
        }),
      /provenance of product "cube-stool" is broken at event 0/,
    ],
    [
      'an unknown category',
      'products.json',
      (dir) =>
        products(dir, (list) => {
          at(list, 0).category = 'lamps';
        }),
      /category "lamps"/,
    ],
    [
      'a fixture of an unknown product',
      'showrooms.json',
      (dir) =>
        showrooms(dir, (list) => {
          at(at(list, 0).fixtures, 1).productId = 'ghost-chair';
        }),
      /unknown product "ghost-chair"/,
    ],
    [
      'a fixture SKU the product does not have',
      'showrooms.json',
      (dir) =>
        showrooms(dir, (list) => {
          at(at(list, 0).fixtures, 0).sku = 'MINI-NOPE';
        }),
      /SKU "MINI-NOPE"/,
    ],
  ];

  it.each(corruptions)('refuses %s with an error naming %s', async (_label, file, corrupt, detail) => {
    const brand = await copyOfBrandMini();
    await corrupt(brand);
    const dataDir = await tempDir('vitrine-data-');
    const error = await buildServer({ dataDir, brandDirs: [brand], appDir: null }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BrandFolderError);
    const { message, file: named } = error as BrandFolderError;
    expect(named).toBe(path.join(brand, file));
    expect(message.startsWith(path.join(brand, file))).toBe(true);
    expect(message).toMatch(detail);
  });

  it('refuses a SKU that another brand already uses (cart lines are keyed by SKU)', async () => {
    const good = await copyOfBrandMini();
    const other = await secondBrand();
    const dataDir = await tempDir('vitrine-data-');
    await expect(buildServer({ dataDir, brandDirs: [good, other], appDir: null })).rejects.toThrow(
      /products\.json: SKU "[A-Z0-9-]+" of product "other-[a-z-]+" is used by another brand/,
    );
  });
});

describe.each(backends)('seeding on $name', (backend) => {
  const started = new Set<RunningServer>();
  const databases: EmptyDatabase[] = [];

  /** A fresh database of this backend: what `startServer` and `buildServer` take to use it. */
  async function emptyDatabase(): Promise<{ dataDir: string; databaseUrl: string | undefined }> {
    const db = await backend.createEmpty();
    databases.push(db);
    return { dataDir: db.dataDir, databaseUrl: db.databaseUrl };
  }
  async function track(server: Promise<RunningServer>): Promise<RunningServer> {
    const running = await server;
    started.add(running);
    return running;
  }
  afterAll(async () => {
    for (const server of started) await stopServer(server);
    for (const db of databases) await db.drop();
  });

  it('seeds once: a restart on the same data folder keeps the assets, the cursor and the records', async () => {
    const brand = await copyOfBrandMini();
    const db = await emptyDatabase();
    const first = await track(startServer({ brandDirs: [brand], ...db }));
    const before = await snapshotOf(first.url);
    const assetsBefore = (await readdir(path.join(first.dataDir, 'assets'))).sort();
    expect(assetsBefore).toHaveLength(4);
    await stopServer(first);
    started.delete(first);

    // Change the folder: a reseed would show the new name and price.
    await products(brand, (list) => {
      at(list, 0).name = 'Renamed Stool';
      at(at(list, 0).variants, 0).price.amount = 1;
    });
    const second = await track(startServer({ brandDirs: [brand], ...db }));
    const after = await snapshotOf(second.url);
    expect(after).toEqual(before);
    expect(after.cursor).toBe('6');
    expect((await readdir(path.join(second.dataDir, 'assets'))).sort()).toEqual(assetsBefore);
  });

  it('keeps an empty catalog without brand folders', async () => {
    const server = await track(startServer({ brandDirs: [], ...(await emptyDatabase()) }));
    const snapshot = await snapshotOf(server.url);
    expect(snapshot).toEqual({ cursor: '0', brands: [], categories: [], products: [], showrooms: [] });
  });

  it('writes nothing when a later brand folder is bad, so the next start seeds from scratch', async () => {
    const good = await copyOfBrandMini();
    const bad = await copyOfBrandMini();
    await editJson<Brand>(path.join(bad, 'brand.json'), (brand) => {
      brand.id = 'other';
    });
    await showrooms(bad, (list) => {
      at(list, 0).brandId = 'other';
    });
    // Same product ids as the first brand: refused, after the first brand was read.
    const db = await emptyDatabase();
    await expect(buildServer({ ...db, brandDirs: [good, bad], appDir: null })).rejects.toThrow(
      /products\.json: product id "cube-stool" is used by another brand/,
    );
    const server = await track(startServer({ ...db, brandDirs: [good] }));
    const snapshot = await snapshotOf(server.url);
    expect(snapshot.cursor).toBe('6');
    expect(snapshot.products).toHaveLength(2);
  });

  it('lets brands share a category id only under the same name', async () => {
    const good = await copyOfBrandMini();
    const other = await secondBrand();
    await products(other, (list) => {
      for (const product of list)
        for (const variant of product.variants) variant.sku = `OTHER-${variant.sku}`;
    });
    await showrooms(other, (list) => {
      for (const fixture of list.flatMap((showroom) => showroom.fixtures)) {
        if (fixture.sku) fixture.sku = `OTHER-${fixture.sku}`;
      }
    });
    const server = await track(startServer({ ...(await emptyDatabase()), brandDirs: [good, other] }));
    const snapshot = await snapshotOf(server.url);
    expect(snapshot.brands.map((b) => b.id)).toEqual(['mini', 'other']);
    // One category row per shared id, kept by the first brand that declared it.
    expect(snapshot.categories.map((c) => c.id)).toEqual(['seating', 'tables']);
    expect(snapshot.products.map((p) => p.id)).toEqual([
      'cube-stool',
      'slab-table',
      'other-cube-stool',
      'other-slab-table',
    ]);

    await editJson<{ id: string; name: string }[]>(path.join(other, 'categories.json'), (list) => {
      at(list, 0).name = 'Something else';
    });
    await expect(
      buildServer({ ...(await emptyDatabase()), brandDirs: [good, other], appDir: null }),
    ).rejects.toThrow(/categories\.json: category id "[a-z-]+" is named "[^"]+" by another brand/);
  });
});
