import { connect } from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, CatalogSnapshot } from '../../src/protocol/catalog';
import { closeAll, rawRequest, startServer, tinyAppDir } from './server-harness';
import type { RunningServer } from './server-harness';

const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; " +
  "connect-src 'self' data: blob:; worker-src 'self' blob:; font-src 'self'; object-src 'none'; base-uri 'self'; " +
  "form-action 'self'; frame-ancestors 'none'; manifest-src 'self'";

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ appDir: await tinyAppDir() });
});
afterAll(closeAll);

function expectSecurityHeaders(headers: Headers): void {
  expect(headers.get('content-security-policy')).toBe(CSP);
  expect(headers.get('x-content-type-options')).toBe('nosniff');
  expect(headers.get('referrer-policy')).toBe('no-referrer');
  expect(headers.get('cross-origin-opener-policy')).toBe('same-origin');
  expect(headers.get('cross-origin-resource-policy')).toBe('same-origin');
  expect(headers.get('x-frame-options')).toBe('DENY');
  const permissions = headers.get('permissions-policy') ?? '';
  for (const allowed of ['xr-spatial-tracking=(self)', 'camera=(self)'])
    expect(permissions).toContain(allowed);
  for (const denied of ['geolocation=()', 'microphone=()', 'payment=()', 'usb=()'])
    expect(permissions).toContain(denied);
  expect(headers.get('strict-transport-security')).toBeNull();
}

async function expectError(response: Response, status: number, code: string): Promise<string> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const text = await response.text();
  const body = ApiError.parse(JSON.parse(text));
  expect(body.error.code).toBe(code);
  // Nothing of the server's insides leaks: no stack frames, no file paths.
  expect(text).not.toMatch(/\bat .+:\d+:\d+|node_modules|src\/server/);
  return body.error.message;
}

describe('security headers', () => {
  it.each([
    ['JSON', '/api/v1/catalog', {}],
    ['an asset', 'ASSET', {}],
    ['the app', '/', {}],
    ['a bundle', '/static/index-abc123.js', {}],
    ['the SPA fallback', '/product/x', { accept: 'text/html' }],
    ['a 404', '/api/v1/nothing-here', {}],
    ['a 400', '/api/v1/products/BAD', {}],
    ['a bad URL', '/api/v1/products/%E0%A4%A', {}],
  ])('are on %s', async (_label, url, headers) => {
    let target = url;
    if (url === 'ASSET') {
      const snapshot = CatalogSnapshot.parse(await (await server.get('/api/v1/catalog')).json());
      target = snapshot.products[0]?.model.url ?? '';
    }
    const response = await server.get(target, { headers });
    expect(response.status).toBeLessThan(500);
    expectSecurityHeaders(response.headers);
  });
});

describe('errors', () => {
  it('an unknown API route is a 404 JSON error', async () => {
    const message = await expectError(await server.get('/api/v1/nothing-here'), 404, 'NOT_FOUND');
    expect(message).toContain('/api/v1/nothing-here');
    await expectError(await server.get('/api/v2/catalog'), 404, 'NOT_FOUND');
    await expectError(await server.get('/api'), 404, 'NOT_FOUND');
  });

  it('an unknown API route is JSON even when the client asks for HTML', async () => {
    await expectError(
      await server.get('/api/v1/nothing', { headers: { accept: 'text/html' } }),
      404,
      'NOT_FOUND',
    );
  });

  it('a non-HTML request for an app path is a 404 JSON error, not the app', async () => {
    await expectError(
      await server.get('/product/x', { headers: { accept: 'application/json' } }),
      404,
      'NOT_FOUND',
    );
  });

  it('a URL that is not valid percent-encoding is a 400 JSON error', async () => {
    await expectError(await server.get('/api/v1/products/%E0%A4%A'), 400, 'BAD_REQUEST');
  });

  it('a known path with the wrong method is a 405 with Allow', async () => {
    const response = await server.get('/api/v1/catalog', { method: 'DELETE' });
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    await expectError(response, 405, 'METHOD_NOT_ALLOWED');
    await expectError(
      await server.get('/api/v1/products/cube-stool', { method: 'PUT', body: '{}' }),
      405,
      'METHOD_NOT_ALLOWED',
    );
  });

  it('a malformed JSON body is a 400 JSON error', async () => {
    const response = await server.get('/api/v1/anything', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"oops":',
    });
    await expectError(response, 400, 'BAD_REQUEST');
  });

  it('a body over 1 MiB is a 413 JSON error', async () => {
    const response = await server.get('/api/v1/anything', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ blob: 'x'.repeat(1024 * 1024 + 10) }),
    });
    await expectError(response, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('malformed HTTP gets a 400 JSON answer on the socket', async () => {
    const { port } = new URL(server.url);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.write('GARBAGE / HTTP/9.9\r\n\r\n'));
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString()));
      socket.on('close', () => resolve(data));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    expect(raw).toContain('x-frame-options: DENY');
    const body = ApiError.parse(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)));
    expect(body.error.code).toBe('BAD_REQUEST');
  });

  it('a failure inside the server is a 500 INTERNAL with a generic message, and the server keeps running', async () => {
    // Break the database under the running server: the products table disappears.
    const sqlite = new Database(path.join(server.dataDir, 'vitrine.sqlite'));
    sqlite.pragma('foreign_keys = OFF');
    sqlite.exec('DROP TABLE products');
    sqlite.close();

    const message = await expectError(await server.get('/api/v1/products/cube-stool'), 500, 'INTERNAL');
    expect(message).not.toMatch(/products|sqlite|table/i);
    const health = await server.get('/api/v1/health');
    expect(health.status).toBe(200);
  });
});

describe('HEAD', () => {
  it('works on API routes without a body', async () => {
    const response = await rawRequest(`${server.url}/api/v1/health`, 'HEAD');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body.byteLength).toBe(0);
  });
});
