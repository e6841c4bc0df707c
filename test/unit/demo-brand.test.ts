import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NodeIO, getBounds } from '@gltf-transform/core';
import type { Document } from '@gltf-transform/core';
import { KHRONOS_EXTENSIONS } from '@gltf-transform/extensions';
import type { KHRMaterialsVariants, MappingList } from '@gltf-transform/extensions';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyTrail } from '../../src/core/provenance';
import { BRAND_FILES, BrandFolderData, modelPath, posterPath } from '../../src/protocol/brand-folder';
import type { Fixture, ProductSource, Showroom } from '../../src/protocol/catalog';

const BRAND_DIR = fileURLToPath(new URL('../../assets/brands/linde/', import.meta.url));
const MAX_BYTES = 5 * 1024 * 1024;
const MAX_TRIANGLES = 100_000;

let folder: BrandFolderData;
const models = new Map<string, { doc: Document; bytes: number }>();

async function readJson(file: string): Promise<unknown> {
  return JSON.parse(await readFile(path.join(BRAND_DIR, file), 'utf8'));
}

beforeAll(async () => {
  folder = BrandFolderData.parse({
    brand: await readJson(BRAND_FILES.brand),
    categories: await readJson(BRAND_FILES.categories),
    products: await readJson(BRAND_FILES.products),
    showrooms: await readJson(BRAND_FILES.showrooms),
  });
  const io = new NodeIO().registerExtensions(KHRONOS_EXTENSIONS);
  for (const product of folder.products) {
    const file = path.join(BRAND_DIR, modelPath(product.id));
    models.set(product.id, { doc: await io.read(file), bytes: (await stat(file)).size });
  }
});

/** The element at `index`, failing the test if there is none. */
function nth<T>(list: readonly T[], index: number): T {
  const item = list[index];
  if (item === undefined) throw new Error(`no element ${index}`);
  return item;
}

function productById(id: string): ProductSource {
  const product = folder.products.find((p) => p.id === id);
  if (!product) throw new Error(`no product ${id}`);
  return product;
}

function modelOf(id: string): { doc: Document; bytes: number } {
  const model = models.get(id);
  if (!model) throw new Error(`no model for ${id}`);
  return model;
}

/** Width and height of a baseline or progressive JPEG, from its start-of-frame segment. */
function jpegSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.readUInt16BE(0)).toBe(0xffd8);
  let offset = 2;
  while (offset < bytes.length) {
    const marker = bytes.readUInt16BE(offset);
    const length = bytes.readUInt16BE(offset + 2);
    if (marker === 0xffc0 || marker === 0xffc2) {
      return { height: bytes.readUInt16BE(offset + 5), width: bytes.readUInt16BE(offset + 7) };
    }
    offset += 2 + length;
  }
  throw new Error('no start-of-frame marker');
}

/** Half extents on the floor of a fixture's product (and its stand), turned by rotationY. */
function footprint(fixture: Fixture, product: ProductSource): { x: number; z: number } {
  const angle = (fixture.rotationY * Math.PI) / 180;
  const cos = Math.abs(Math.cos(angle));
  const sin = Math.abs(Math.sin(angle));
  const { width, depth } = product.dimensions;
  // Plinths and tables are a little larger than what stands on them; a table is at least 50 cm across.
  const margin = fixture.stand === 'plinth' || fixture.stand === 'table' ? 0.1 : 0;
  const minimum = fixture.stand === 'table' ? 0.25 : 0;
  return {
    x: Math.max(cos * (width / 2) + sin * (depth / 2) + margin, minimum),
    z: Math.max(sin * (width / 2) + cos * (depth / 2) + margin, minimum),
  };
}

const standsFor = { floor: ['floor', 'plinth'], tabletop: ['table'], wall: ['wall'] } as const;

describe('demo brand folder', () => {
  it('parses and holds a brand with a finite, free, full-refund return policy', () => {
    expect(folder.brand.id).toBe('linde');
    expect(folder.brand.name).toBe('Linde Atelier');
    expect(folder.brand.story.length).toBeGreaterThan(200);
    expect(folder.brand.returnPolicy).toMatchObject({
      returnPolicyCategory: 'MerchantReturnFiniteReturnWindow',
      merchantReturnDays: 30,
      returnFees: 'FreeReturn',
      refundType: 'FullRefund',
      returnMethod: 'ReturnByMail',
    });
    expect(folder.brand.returnPolicy.conditions.length).toBeGreaterThan(50);
  });

  it('has at least 14 products over at least 5 categories, with wall and tabletop items', () => {
    expect(folder.products.length).toBeGreaterThanOrEqual(14);
    const categoryIds = new Set(folder.categories.map((c) => c.id));
    for (const product of folder.products) expect(categoryIds, product.id).toContain(product.category);
    expect(new Set(folder.products.map((p) => p.category)).size).toBeGreaterThanOrEqual(5);
    expect(folder.products.filter((p) => p.placement === 'wall').length).toBeGreaterThanOrEqual(1);
    expect(folder.products.filter((p) => p.placement === 'tabletop').length).toBeGreaterThanOrEqual(2);
    expect(new Set(folder.products.map((p) => p.id)).size).toBe(folder.products.length);
  });

  it('gives every product 2-4 EUR variants with unique skus, certifications and a stock mix', () => {
    const skus = folder.products.flatMap((p) => p.variants.map((v) => v.sku));
    expect(new Set(skus).size).toBe(skus.length);
    for (const product of folder.products) {
      expect(product.variants.length, product.id).toBeGreaterThanOrEqual(2);
      expect(product.variants.length, product.id).toBeLessThanOrEqual(4);
      expect(product.certifications.length, product.id).toBeGreaterThanOrEqual(1);
      expect(product.certifications.length, product.id).toBeLessThanOrEqual(2);
      for (const variant of product.variants) {
        expect(variant.price.currency).toBe('EUR');
        expect(variant.price.amount).toBeGreaterThan(0);
      }
    }
    const stocks = folder.products.flatMap((p) => p.variants.map((v) => v.stock));
    expect(stocks).toContain(0);
    expect(stocks.some((s) => s > 0 && s <= 3)).toBe(true);
  });

  it('has a model and a 640×640 JPEG poster for every product', async () => {
    for (const product of folder.products) {
      expect(models.has(product.id)).toBe(true);
      const poster = await readFile(path.join(BRAND_DIR, posterPath(product.id)));
      expect(jpegSize(poster), product.id).toEqual({ width: 640, height: 640 });
    }
  });
});

describe('demo models', () => {
  it('stay within the 3D commerce budgets (≤ 100k triangles, ≤ 5 MB)', () => {
    for (const product of folder.products) {
      const { doc, bytes } = modelOf(product.id);
      let triangles = 0;
      for (const mesh of doc.getRoot().listMeshes()) {
        for (const primitive of mesh.listPrimitives()) {
          expect(primitive.getMode(), product.id).toBe(4); // TRIANGLES
          triangles += (primitive.getIndices()?.getCount() ?? 0) / 3;
        }
      }
      expect(triangles, product.id).toBeGreaterThan(0);
      expect(triangles, product.id).toBeLessThanOrEqual(MAX_TRIANGLES);
      expect(bytes, product.id).toBeLessThanOrEqual(MAX_BYTES);
    }
  });

  it('match the declared dimensions, stand on y = 0 and are centred on x and z', () => {
    for (const product of folder.products) {
      const scene = modelOf(product.id).doc.getRoot().listScenes()[0];
      if (!scene) throw new Error(`${product.id}: no scene`);
      const { min, max } = getBounds(scene);
      const { width, height, depth } = product.dimensions;
      expect(Math.abs(max[0] - min[0] - width) / width, `${product.id} width`).toBeLessThanOrEqual(0.01);
      expect(Math.abs(max[1] - min[1] - height) / height, `${product.id} height`).toBeLessThanOrEqual(0.01);
      expect(Math.abs(max[2] - min[2] - depth) / depth, `${product.id} depth`).toBeLessThanOrEqual(0.01);
      expect(Math.abs(min[1]), `${product.id} min y`).toBeLessThanOrEqual(0.001);
      expect(Math.abs(max[0] + min[0]) / 2, `${product.id} x centre`).toBeLessThanOrEqual(0.001);
      expect(Math.abs(max[2] + min[2]) / 2, `${product.id} z centre`).toBeLessThanOrEqual(0.001);
    }
  });

  it('carry a KHR_materials_variants variant per product variant, the first one as default', () => {
    for (const product of folder.products) {
      const { doc } = modelOf(product.id);
      const extension = doc
        .getRoot()
        .listExtensionsUsed()
        .find((e) => e.extensionName === 'KHR_materials_variants') as KHRMaterialsVariants | undefined;
      if (!extension) throw new Error(`${product.id}: no KHR_materials_variants`);
      const names = extension.listVariants().map((v) => v.getName());
      for (const variant of product.variants) expect(names, product.id).toContain(variant.materialVariant);

      const first = nth(product.variants, 0).materialVariant;
      for (const mesh of doc.getRoot().listMeshes()) {
        for (const primitive of mesh.listPrimitives()) {
          const mappings = primitive.getExtension<MappingList>('KHR_materials_variants');
          if (!mappings) throw new Error(`${product.id}/${mesh.getName()}: no variant mappings`);
          const mapped = new Set(
            mappings.listMappings().flatMap((m) => m.listVariants().map((v) => v.getName())),
          );
          for (const variant of product.variants) expect(mapped).toContain(variant.materialVariant);
          const defaultMapping = mappings
            .listMappings()
            .find((m) => m.listVariants().some((v) => v.getName() === first));
          expect(defaultMapping?.getMaterial(), `${product.id}/${mesh.getName()}`).toBe(
            primitive.getMaterial(),
          );
          expect(primitive.getMaterial()?.getRoughnessFactor()).toBeGreaterThan(0);
        }
      }
    }
  });

  it('draw once per material slot, each joined part named after its slot', () => {
    for (const product of folder.products) {
      const { doc } = modelOf(product.id);
      const nodes = doc.getRoot().listNodes();
      for (const node of nodes) expect(node.getName(), product.id).toMatch(/^[a-z][a-z0-9-]*$/);
      const names = nodes.map((n) => n.getName());
      expect(new Set(names).size, `${product.id}: one node per slot`).toBe(names.length);
      const primitives = doc
        .getRoot()
        .listMeshes()
        .flatMap((m) => m.listPrimitives());
      expect(primitives.length, product.id).toBeLessThanOrEqual(nodes.length);
    }
    const chair = modelOf('aster-dining-chair')
      .doc.getRoot()
      .listNodes()
      .map((n) => n.getName());
    // Seat, back and four legs are all wood: one primitive.
    expect(chair).toEqual(['wood']);
  });
});

describe('demo provenance', () => {
  it('seals every trail of 3-6 events in time order, and the seal catches an edit', async () => {
    for (const product of folder.products) {
      expect(product.provenance.length, product.id).toBeGreaterThanOrEqual(3);
      expect(product.provenance.length, product.id).toBeLessThanOrEqual(6);
      expect(await verifyTrail(product.provenance), product.id).toEqual({ ok: true });
      const times = product.provenance.map((e) => Date.parse(e.eventTime));
      expect(times, product.id).toEqual([...times].sort((a, b) => a - b));
    }
    const trail = nth(folder.products, 0).provenance;
    const edited = trail.map((e, i) => (i === 1 ? { ...e, actor: `${e.actor} (edited)` } : e));
    expect(await verifyTrail(edited)).toEqual({ ok: false, brokenAt: 1 });
  });
});

describe('demo showrooms', () => {
  const each = (check: (showroom: Showroom) => void) => () => {
    expect(folder.showrooms.length).toBeGreaterThanOrEqual(2);
    for (const showroom of folder.showrooms) check(showroom);
  };

  it(
    'reference existing products and skus, on stands that suit their placement',
    each((showroom) => {
      expect(showroom.brandId).toBe(folder.brand.id);
      expect(new Set(showroom.fixtures.map((f) => f.id)).size).toBe(showroom.fixtures.length);
      for (const fixture of showroom.fixtures) {
        const product = folder.products.find((p) => p.id === fixture.productId);
        if (!product) throw new Error(`${showroom.id}/${fixture.id}: unknown product ${fixture.productId}`);
        if (fixture.sku !== undefined) expect(product.variants.map((v) => v.sku)).toContain(fixture.sku);
        expect(standsFor[product.placement], `${showroom.id}/${fixture.id}`).toContain(fixture.stand);
      }
    }),
  );

  it('show every product at least once', () => {
    const shown = new Set(folder.showrooms.flatMap((s) => s.fixtures.map((f) => f.productId)));
    for (const product of folder.products) expect(shown, product.id).toContain(product.id);
  });

  it(
    'keep fixtures inside the room and apart from each other',
    each((showroom) => {
      const halfW = showroom.room.width / 2;
      const halfD = showroom.room.depth / 2;
      const boxes = showroom.fixtures.map((fixture) => {
        const extent = footprint(fixture, productById(fixture.productId));
        const [x, z] = fixture.position;
        return { id: fixture.id, x0: x - extent.x, x1: x + extent.x, z0: z - extent.z, z1: z + extent.z };
      });
      for (const b of boxes) {
        const where = `${showroom.id}/${b.id}`;
        expect(b.x0, where).toBeGreaterThanOrEqual(-halfW - 1e-9);
        expect(b.x1, where).toBeLessThanOrEqual(halfW + 1e-9);
        expect(b.z0, where).toBeGreaterThanOrEqual(-halfD - 1e-9);
        expect(b.z1, where).toBeLessThanOrEqual(halfD + 1e-9);
      }
      for (const [i, a] of boxes.entries()) {
        for (const b of boxes.slice(i + 1)) {
          const overlap = a.x0 < b.x1 && b.x0 < a.x1 && a.z0 < b.z1 && b.z0 < a.z1;
          expect(overlap, `${showroom.id}: ${a.id} overlaps ${b.id}`).toBe(false);
        }
      }
    }),
  );

  it(
    'hang wall items with their back on a wall, facing into the room',
    each((showroom) => {
      for (const fixture of showroom.fixtures.filter((f) => f.stand === 'wall')) {
        const { depth } = productById(fixture.productId).dimensions;
        const angle = (fixture.rotationY * Math.PI) / 180;
        const facing = [Math.sin(angle), Math.cos(angle)] as const; // rotationY 0 faces +z
        const backX = fixture.position[0] - (facing[0] * depth) / 2;
        const backZ = fixture.position[1] - (facing[1] * depth) / 2;
        const walls = [
          { distance: Math.abs(backX + showroom.room.width / 2), inward: [1, 0] as const },
          { distance: Math.abs(backX - showroom.room.width / 2), inward: [-1, 0] as const },
          { distance: Math.abs(backZ + showroom.room.depth / 2), inward: [0, 1] as const },
          { distance: Math.abs(backZ - showroom.room.depth / 2), inward: [0, -1] as const },
        ];
        const wall = walls.find((w) => w.distance <= 0.02);
        if (!wall) throw new Error(`${showroom.id}/${fixture.id} is not against a wall`);
        expect(facing[0] * wall.inward[0] + facing[1] * wall.inward[1]).toBeCloseTo(1, 6);
      }
    }),
  );

  it('start the first showroom looking straight at a tall floor product 2-4 m ahead', () => {
    const showroom = nth(folder.showrooms, 0);
    const [sx, sz] = showroom.spawn.position;
    const angle = (showroom.spawn.rotationY * Math.PI) / 180;
    const look = [-Math.sin(angle), -Math.cos(angle)] as const; // rotationY 0 looks towards -z
    // The first fixture the line of sight crosses, and how far along it.
    const hits = showroom.fixtures
      .map((fixture) => {
        const extent = footprint(fixture, productById(fixture.productId));
        const [x, z] = fixture.position;
        const along = (x - sx) * look[0] + (z - sz) * look[1];
        const across = Math.abs((x - sx) * look[1] - (z - sz) * look[0]);
        return { fixture, along, across, reach: Math.max(extent.x, extent.z) };
      })
      .filter((h) => h.along > 0 && h.across < h.reach)
      .sort((a, b) => a.along - b.along);
    const first = nth(hits, 0);
    const product = productById(first.fixture.productId);
    expect(product.placement).toBe('floor');
    expect(first.fixture.stand).toBe('floor');
    expect(first.across).toBeLessThan(0.05);
    expect(first.along).toBeGreaterThanOrEqual(2);
    expect(first.along).toBeLessThanOrEqual(4);
    // Tall enough that a level gaze from standing eye height meets it.
    expect(product.dimensions.height).toBeGreaterThanOrEqual(1.7);
  });
});
