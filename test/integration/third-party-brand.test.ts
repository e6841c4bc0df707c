// The server seeds a brand of real third-party models (test/support/third-party-brand.ts) and publishes them
// with the triangle counts and byte sizes measured independently in the test, files served byte for byte.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyTrail } from '../../src/core/provenance';
import { CatalogSnapshot } from '../../src/protocol/catalog';
import {
  buildThirdPartyBrand,
  MISSING_MATERIAL_VARIANT,
  THIRD_PARTY_PRODUCT_IDS,
  type ThirdPartyBrand,
} from '../support/third-party-brand';
import { closeAll, startServer, type RunningServer } from './server-harness';

let brand: ThirdPartyBrand | undefined;
let server: RunningServer;
let catalog: CatalogSnapshot;

beforeAll(async () => {
  // Posters are placeholders here (seeding only checks they are JPEGs); the e2e test renders real ones.
  brand = await buildThirdPartyBrand({ posters: 'placeholder' });
  server = await startServer({ brandDirs: [brand.dir] });
  catalog = CatalogSnapshot.parse(await (await server.get('/api/v1/catalog')).json());
}, 60_000);

afterAll(async () => {
  await closeAll();
  await brand?.remove();
});

const built = () => {
  if (!brand) throw new Error('the third-party brand was not built');
  return brand;
};

describe('a brand of real third-party models', () => {
  it('seeds the brand, its four products and its showroom', () => {
    expect(catalog.brands.map((b) => b.id)).toEqual([built().brandId]);
    expect(catalog.products.map((p) => p.id).sort()).toEqual([...THIRD_PARTY_PRODUCT_IDS].sort());
    expect(catalog.showrooms.map((s) => s.id)).toEqual([built().showroomId]);
    const fixtures = catalog.showrooms[0]?.fixtures.map((f) => f.productId).sort();
    expect(fixtures).toEqual([...THIRD_PARTY_PRODUCT_IDS].sort());
  });

  it.each(THIRD_PARTY_PRODUCT_IDS)(
    '%s: the catalog reports the triangles and bytes of the model, and serves it unchanged',
    async (id) => {
      const measured = built().products.find((p) => p.id === id);
      const product = catalog.products.find((p) => p.id === id);
      if (!measured || !product) throw new Error(`${id} is missing from the build or the catalog`);
      const file = await readFile(measured.glb);

      expect(product.model.triangles, 'triangles counted in the test').toBe(measured.triangles);
      expect(product.model.bytes).toBe(file.byteLength);
      expect(product.model.sha256).toBe(createHash('sha256').update(file).digest('hex'));
      const served = await server.get(product.model.url);
      expect(served.status).toBe(200);
      expect(Buffer.from(await served.arrayBuffer()).equals(file), 'served bytes equal the file').toBe(true);

      expect(product.dimensions).toEqual(measured.dimensions);
      expect(product.variants.map((v) => v.materialVariant)).toEqual([MISSING_MATERIAL_VARIANT]);
      expect(await verifyTrail(product.provenance)).toEqual({ ok: true });
      expect(product.description, 'the licence travels with the product').toMatch(/\bCC(0| BY 4\.0)/);
    },
  );

  it('keeps the mug Draco-compressed and the Mixer at its ~47k triangles', () => {
    const mug = built().products.find((p) => p.id === 'coffee-mug');
    expect(mug?.extensionsRequired).toContain('KHR_draco_mesh_compression');
    const mixer = built().products.find((p) => p.id === 'kitchen-stand-mixer');
    expect(mixer?.triangles).toBeGreaterThan(45_000);
    expect(mixer?.triangles).toBeLessThan(49_000);
    const vase = built().products.find((p) => p.id === 'glass-vases-with-flowers');
    expect(vase?.extensionsUsed).toEqual(
      expect.arrayContaining(['KHR_materials_transmission', 'KHR_materials_volume']),
    );
  });
});
