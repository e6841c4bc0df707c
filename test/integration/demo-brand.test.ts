import { readdir } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { CatalogSnapshot } from '../../src/protocol/catalog';
import { DEFAULT_BRANDS_ROOT } from '../../src/server/app';
import { closeAll, sha256Of, startServer } from './server-harness';

afterAll(closeAll);

describe('the demo brands in assets/brands', () => {
  it('seed with the default options and serve a valid catalog with every file', async () => {
    const folders = await readdir(DEFAULT_BRANDS_ROOT);
    expect(folders.length, `brand folders in ${DEFAULT_BRANDS_ROOT}`).toBeGreaterThan(0);

    // brandDirs undefined: the server's default, every folder in assets/brands.
    const server = await startServer({ brandDirs: undefined });
    const snapshot = CatalogSnapshot.parse(await (await server.get('/api/v1/catalog')).json());
    // One change-log entry per seeded record.
    expect(Number(snapshot.cursor)).toBe(
      snapshot.brands.length +
        snapshot.categories.length +
        snapshot.products.length +
        snapshot.showrooms.length,
    );
    expect(snapshot.brands.length).toBe(folders.length);
    expect(snapshot.products.length).toBeGreaterThan(0);
    expect(snapshot.showrooms.length).toBeGreaterThan(0);

    for (const product of snapshot.products) {
      // Khronos 3D Commerce guidelines: at most 100k triangles and 5 MB per product file.
      expect(product.model.triangles, product.id).toBeGreaterThan(0);
      expect(product.model.triangles, product.id).toBeLessThanOrEqual(100_000);
      expect(product.model.bytes, product.id).toBeLessThanOrEqual(5 * 1024 * 1024);
      for (const asset of [product.model, product.poster]) {
        const response = await server.get(asset.url);
        expect(response.status, asset.url).toBe(200);
        expect(await sha256Of(response), asset.url).toBe(asset.sha256);
      }
    }
  });
});
