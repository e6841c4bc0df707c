import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, CatalogSnapshot, Product, Showroom } from '../../src/protocol/catalog';
import { BRAND_MINI, closeAll, startServer } from './server-harness';
import type { RunningServer } from './server-harness';

let server: RunningServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(closeAll);

describe('GET /api/v1/health', () => {
  it('answers ok', async () => {
    const response = await server.get('/api/v1/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });
});

describe('GET /api/v1/catalog', () => {
  it('returns a snapshot that parses with CatalogSnapshot and holds the whole brand folder', async () => {
    const response = await server.get('/api/v1/catalog');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const snapshot = CatalogSnapshot.parse(await response.json());

    // One change-log entry per record: brand, two categories, two products, one showroom.
    expect(snapshot.cursor).toBe('6');
    expect(snapshot.brands.map((b) => b.id)).toEqual(['mini']);
    expect(snapshot.categories).toEqual([
      { id: 'seating', name: 'Seating' },
      { id: 'tables', name: 'Tables' },
    ]);
    expect(snapshot.products.map((p) => p.id)).toEqual(['cube-stool', 'slab-table']);
    expect(snapshot.showrooms.map((s) => s.id)).toEqual(['mini-room']);

    // The brand's own fields come through unchanged; the server adds brand, files and a date.
    const sources = JSON.parse(await readFile(path.join(BRAND_MINI, 'products.json'), 'utf8')) as unknown[];
    for (const [i, product] of snapshot.products.entries()) {
      const { brandId, model, poster, updatedAt, ...source } = product;
      expect(source).toEqual(sources[i]);
      expect(brandId).toBe('mini');
      expect(model.url).toBe(`/assets/${model.sha256}.glb`);
      expect(poster.url).toBe(`/assets/${poster.sha256}.jpg`);
      expect(Date.parse(updatedAt)).not.toBeNaN();
    }
  });

  it('counts the triangles each model draws (a mesh shown by four nodes counts four times)', async () => {
    const snapshot = CatalogSnapshot.parse(await (await server.get('/api/v1/catalog')).json());
    const triangles = Object.fromEntries(snapshot.products.map((p) => [p.id, p.model.triangles]));
    expect(triangles).toEqual({ 'cube-stool': 12, 'slab-table': 60 });
  });

  it('revalidates with the cursor as entity tag', async () => {
    const first = await server.get('/api/v1/catalog');
    const etag = first.headers.get('etag');
    expect(etag).toBe('"catalog-6"');
    expect(first.headers.get('cache-control')).toBe('no-cache');
    const again = await server.get('/api/v1/catalog', { headers: { 'if-none-match': etag ?? '' } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });
});

describe('GET /api/v1/products/:id and /api/v1/showrooms/:id', () => {
  it('returns one product that parses with Product', async () => {
    const response = await server.get('/api/v1/products/slab-table');
    expect(response.status).toBe(200);
    const product = Product.parse(await response.json());
    expect(product.name).toBe('Slab Table');
    expect(product.variants.map((v) => v.sku)).toEqual(['MINI-TABLE-ASH']);
  });

  it('returns one showroom that parses with Showroom', async () => {
    const response = await server.get('/api/v1/showrooms/mini-room');
    expect(response.status).toBe(200);
    const showroom = Showroom.parse(await response.json());
    expect(showroom.fixtures.map((f) => f.productId)).toEqual(['cube-stool', 'slab-table']);
  });

  it.each(['/api/v1/products/no-such-thing', '/api/v1/showrooms/no-such-room'])(
    '%s is a 404 JSON error',
    async (url) => {
      const response = await server.get(url);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const body = ApiError.parse(await response.json());
      expect(body.error.code).toBe('NOT_FOUND');
      expect(body.error.message).toContain('no-such');
    },
  );

  it.each([
    '/api/v1/products/Not_A_Slug',
    '/api/v1/products/two--dashes',
    '/api/v1/products/%20',
    '/api/v1/showrooms/UPPER',
    `/api/v1/showrooms/${'a'.repeat(81)}`,
  ])('%s is a 400 JSON error', async (url) => {
    const response = await server.get(url);
    expect(response.status).toBe(400);
    const body = ApiError.parse(await response.json());
    expect(body.error.code).toBe('BAD_REQUEST');
  });
});
