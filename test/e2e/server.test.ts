// Server behaviour the browser cannot see directly: API errors as JSON and the security headers.
import { describe, expect, inject, test } from 'vitest';
import { ApiError } from '../../src/protocol/catalog';
import { useBrowser } from './browser';

const baseUrl = inject('baseUrl');
const session = useBrowser();

describe('server', () => {
  test('an unknown API route answers 404 with {error:{code,message}}', async () => {
    const res = await fetch(`${baseUrl}/api/v1/no-such-route`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = ApiError.parse(await res.json());
    expect(body.error.code.length).toBeGreaterThan(0);
    expect(body.error.message.length).toBeGreaterThan(0);
  });

  test('health answers 200', async () => {
    const res = await fetch(`${baseUrl}/api/v1/health`);
    expect(res.status).toBe(200);
  });

  test.each(['/', '/product/anything', '/cart', '/api/v1/catalog'])(
    "%s carries a Content-Security-Policy with default-src 'self'",
    async (path) => {
      // As a browser asks for a page (the server answers JSON 404s to API-style requests).
      const res = await fetch(`${baseUrl}${path}`, {
        headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
      });
      expect(res.status).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toMatch(/(^|;)\s*default-src 'self'(\s*;|$)/);
      await res.arrayBuffer();
    },
  );

  test('the HTML has no inline script (JSON-LD is injected through the DOM)', async () => {
    const html = await (await fetch(`${baseUrl}/`)).text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    for (const [, attributes, body] of scripts) {
      if (!/\bsrc=/.test(attributes ?? ''))
        expect(body?.trim(), `inline script: ${body?.slice(0, 80)}`).toBe('');
    }
  });
});

describe('app shell', () => {
  test('an unknown page shows "Page not found" with the header links', async () => {
    const page = await session.newPage();
    await page.goto('/no/such/page');
    await expect.poll(() => page.locator('h1').innerText(), { timeout: 30_000 }).toBe('Page not found');
    expect(await page.locator('h1').count()).toBe(1);
    expect(await page.getByRole('main').count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Vitrine', exact: true }).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Showrooms', exact: true }).count()).toBe(1);
    expect(await page.getByRole('link', { name: /^Cart, \d+ items?$/ }).count()).toBe(1);
  });
});
