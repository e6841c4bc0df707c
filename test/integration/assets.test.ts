import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, CatalogSnapshot } from '../../src/protocol/catalog';
import type { Product } from '../../src/protocol/catalog';
import { BRAND_MINI, closeAll, sha256Of, startServer } from './server-harness';
import type { RunningServer } from './server-harness';

let server: RunningServer;
let stool: Product;

beforeAll(async () => {
  server = await startServer();
  const snapshot = CatalogSnapshot.parse(await (await server.get('/api/v1/catalog')).json());
  const found = snapshot.products.find((p) => p.id === 'cube-stool');
  if (found === undefined) throw new Error('cube-stool missing from the catalog');
  stool = found;
});
afterAll(closeAll);

describe('GET /assets/<sha256>.<ext>', () => {
  it('serves the model with its content type, immutable caching, the hash as ETag and the exact bytes', async () => {
    const response = await server.get(stool.model.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('model/gltf-binary');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('etag')).toBe(`"${stool.model.sha256}"`);
    expect(response.headers.get('content-length')).toBe(String(stool.model.bytes));
    expect(await sha256Of(response)).toBe(stool.model.sha256);
    const original = await readFile(path.join(BRAND_MINI, 'models', 'cube-stool.glb'));
    expect(stool.model.bytes).toBe(original.byteLength);
  });

  it('serves the poster as image/jpeg with the bytes its name promises', async () => {
    const response = await server.get(stool.poster.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(await sha256Of(response)).toBe(stool.poster.sha256);
  });

  it('stores files in the data folder under their hash', async () => {
    const stored = await readFile(path.join(server.dataDir, 'assets', `${stool.model.sha256}.glb`));
    expect(stored.byteLength).toBe(stool.model.bytes);
  });

  it('answers HEAD with headers and no body', async () => {
    const response = await server.get(stool.model.url, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe(String(stool.model.bytes));
    expect(response.headers.get('content-type')).toBe('model/gltf-binary');
    expect((await response.arrayBuffer()).byteLength).toBe(0);
  });

  it('answers If-None-Match with 304', async () => {
    const response = await server.get(stool.model.url, {
      headers: { 'if-none-match': `"${stool.model.sha256}"` },
    });
    expect(response.status).toBe(304);
  });

  it('serves byte ranges', async () => {
    const whole = new Uint8Array(await (await server.get(stool.model.url)).arrayBuffer());
    const head = await server.get(stool.model.url, { headers: { range: 'bytes=0-11' } });
    expect(head.status).toBe(206);
    expect(head.headers.get('content-range')).toBe(`bytes 0-11/${stool.model.bytes}`);
    expect(new Uint8Array(await head.arrayBuffer())).toEqual(whole.slice(0, 12));
    expect(new TextDecoder().decode(whole.slice(0, 4))).toBe('glTF');

    const tail = await server.get(stool.model.url, { headers: { range: 'bytes=-100' } });
    expect(tail.status).toBe(206);
    expect(new Uint8Array(await tail.arrayBuffer())).toEqual(whole.slice(-100));

    const beyond = await server.get(stool.model.url, { headers: { range: `bytes=${stool.model.bytes}-` } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${stool.model.bytes}`);
    expect(ApiError.parse(await beyond.json()).error.code).toBe('RANGE_NOT_SATISFIABLE');
  });

  it.each([
    ['an unknown hash', `/assets/${'0'.repeat(64)}.glb`],
    ['a known hash with another extension', 'SWAP_EXT'],
    ['upper-case hex', 'UPPER'],
    ['a short hash', '/assets/abc.glb'],
    ['an unknown extension', 'EXT_EXE'],
    ['a path traversal', '/assets/..%2F..%2Fpackage.json'],
    ['a nested path', '/assets/a/b.glb'],
    ['the folder itself', '/assets/'],
    ['a temporary file name', `/assets/.${'0'.repeat(64)}.glb.tmp`],
  ])('%s is a 404 JSON error', async (_label, url) => {
    const target =
      url === 'SWAP_EXT'
        ? `/assets/${stool.model.sha256}.jpg`
        : url === 'UPPER'
          ? `/assets/${stool.model.sha256.toUpperCase()}.glb`
          : url === 'EXT_EXE'
            ? `/assets/${stool.model.sha256}.exe`
            : url;
    const response = await server.get(target);
    expect(response.status).toBe(404);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(ApiError.parse(await response.json()).error.code).toBe('NOT_FOUND');
  });

  it('answers 404 (not a crash) when a listed file has vanished from disk', async () => {
    await rm(path.join(server.dataDir, 'assets', `${stool.poster.sha256}.jpg`));
    const response = await server.get(stool.poster.url);
    expect(response.status).toBe(404);
    expect(ApiError.parse(await response.json()).error.code).toBe('NOT_FOUND');
  });
});
