import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/protocol/catalog';
import { closeAll, rawRequest, startServer, tempDir, tinyAppDir } from './server-harness';
import type { RunningServer } from './server-harness';

const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

afterAll(closeAll);

describe('a built app', () => {
  let server: RunningServer;
  let indexHtml: string;

  beforeAll(async () => {
    server = await startServer({ appDir: await tinyAppDir() });
    indexHtml = await (await server.get('/')).text();
  });

  it('serves index.html at / with no-cache', async () => {
    const response = await server.get('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(indexHtml).toContain('<div id="root"></div>');
  });

  it.each(['/product/x', '/showroom/y', '/showrooms', '/cart', '/no/such/page'])(
    'answers the app route %s with index.html',
    async (url) => {
      const response = await server.get(url, { headers: HTML });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(await response.text()).toBe(indexHtml);
    },
  );

  it('does not answer HTML for a request that does not accept it', async () => {
    const response = await server.get('/product/x', {
      headers: { accept: 'text/html;q=0, application/json' },
    });
    expect(response.status).toBe(404);
    expect(ApiError.parse(await response.json()).error.code).toBe('NOT_FOUND');
  });

  it('never falls back to the app under /api or /assets', async () => {
    for (const url of ['/api/v1/missing', '/assets/missing.glb', '/assets/x/y']) {
      const response = await server.get(url, { headers: HTML });
      expect(response.status, url).toBe(404);
      expect(response.headers.get('content-type'), url).toMatch(/^application\/json/);
    }
  });

  it('caches hashed bundles under /static forever', async () => {
    const response = await server.get('/static/index-abc123.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/javascript/);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await response.text()).toBe('document.title = "Vitrine";\n');
  });

  it.each([
    ['/sw.js', /javascript/],
    ['/manifest.webmanifest', /manifest\+json/],
    ['/index.html', /text\/html/],
  ])('revalidates %s on every use', async (url, type) => {
    const response = await server.get(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(type);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const etag = response.headers.get('etag');
    expect(etag).not.toBeNull();
    // As a browser cache revalidates: If-None-Match alone (fetch would add Cache-Control: no-cache).
    const again = await rawRequest(server.url + url, 'GET', { 'if-none-match': etag ?? '' });
    expect(again.status).toBe(304);
    expect(again.body.byteLength).toBe(0);
  });

  it('a missing bundle is a 404, not the app', async () => {
    const response = await server.get('/static/missing-123.js');
    expect(response.status).toBe(404);
  });
});

describe('an app that is not built', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer({ appDir: await tempDir('vitrine-empty-app-') });
  });

  it('answers / with 503 APP_NOT_BUILT saying to run npm run build', async () => {
    const response = await server.get('/');
    expect(response.status).toBe(503);
    const body = ApiError.parse(await response.json());
    expect(body.error.code).toBe('APP_NOT_BUILT');
    expect(body.error.message).toContain('npm run build');
  });

  it('answers app routes the same way and keeps the API working', async () => {
    const page = await server.get('/product/x', { headers: HTML });
    expect(page.status).toBe(503);
    expect(ApiError.parse(await page.json()).error.code).toBe('APP_NOT_BUILT');
    expect((await server.get('/api/v1/health')).status).toBe(200);
  });

  it('does the same when appDir does not exist at all', async () => {
    const missing = await startServer({ appDir: '/nonexistent/vitrine/app' });
    expect((await missing.get('/')).status).toBe(503);
  });
});
