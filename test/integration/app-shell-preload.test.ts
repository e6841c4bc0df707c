import { mkdir, readFile, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogSnapshot, type Product } from '../../src/protocol/catalog';
import { CATALOG_FIRST_PAGE_PATH, insertIntoHead, routeFiles } from '../../src/server/preload-hints';
import { FIRST_PAGE_PATH } from '../../src/sync/catalog-pull';
import { productIdOf } from '../../src/server/routes/app-shell';
import { closeAll, startServer, tempDir, type RunningServer } from './server-harness';

const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

const INDEX_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Vitrine</title>
    <script type="module" crossorigin src="/static/index-e1.js"></script>
    <link rel="modulepreload" crossorigin href="/static/jsx-runtime-j1.js">
  </head>
  <body><div id="root"></div></body>
</html>
`;

/** A Vite manifest shaped like the real build's: the entry, the lazy product route and its viewer. */
const MANIFEST = {
  'index.html': {
    file: 'static/index-e1.js',
    src: 'index.html',
    isEntry: true,
    imports: ['_jsx-runtime-j1.js'],
    dynamicImports: [
      'src/sync/catalog-pull.ts',
      'src/features/product/ProductPage.tsx',
      'src/features/cart/CartPage.tsx',
    ],
    css: ['static/index-c1.css'],
  },
  '_jsx-runtime-j1.js': { file: 'static/jsx-runtime-j1.js' },
  'src/sync/catalog-pull.ts': {
    file: 'static/catalog-pull-p1.js',
    isDynamicEntry: true,
    imports: ['index.html'],
  },
  '_cart-writes-w1.js': { file: 'static/cart-writes-w1.js', imports: ['index.html'] },
  'src/features/product/ProductPage.tsx': {
    file: 'static/ProductPage-r1.js',
    isDynamicEntry: true,
    imports: ['_jsx-runtime-j1.js', 'index.html', '_cart-writes-w1.js'],
    dynamicImports: ['src/features/product/ProductViewer.tsx'],
    css: ['static/ProductPage-s1.css'],
  },
  '_three-t1.js': { file: 'static/three-t1.js' },
  'src/features/product/ProductViewer.tsx': {
    file: 'static/ProductViewer-v1.js',
    isDynamicEntry: true,
    imports: ['_jsx-runtime-j1.js', '_three-t1.js', 'index.html'],
    dynamicImports: ['src/scene/room-environment-pmrem.ts'],
  },
  'src/scene/room-environment-pmrem.ts': {
    file: 'static/room-environment-pmrem-f1.js',
    isDynamicEntry: true,
  },
  'src/features/cart/CartPage.tsx': { file: 'static/CartPage-k1.js', isDynamicEntry: true },
};

/** Every file the manifest names, so that the test can fetch each hinted URL. */
const STATIC_FILES = [
  'static/index-e1.js',
  'static/index-c1.css',
  'static/jsx-runtime-j1.js',
  'static/catalog-pull-p1.js',
  'static/cart-writes-w1.js',
  'static/ProductPage-r1.js',
  'static/ProductPage-s1.css',
  'static/three-t1.js',
  'static/ProductViewer-v1.js',
  'static/room-environment-pmrem-f1.js',
  'static/CartPage-k1.js',
];

async function builtApp(options: { manifest?: boolean; environment?: boolean } = {}): Promise<string> {
  const dir = await tempDir('vitrine-app-');
  await mkdir(path.join(dir, 'static'));
  await writeFile(path.join(dir, 'index.html'), INDEX_HTML);
  for (const file of STATIC_FILES) await writeFile(path.join(dir, file), `/* ${file} */\n`);
  if (options.manifest !== false) {
    await mkdir(path.join(dir, '.vite'));
    await writeFile(path.join(dir, '.vite', 'manifest.json'), JSON.stringify(MANIFEST));
  }
  if (options.environment !== false) {
    await mkdir(path.join(dir, 'environments'));
    await writeFile(path.join(dir, 'environments', 'room.pmrem.gz'), 'baked');
  }
  return dir;
}

interface Link {
  rel: string;
  href: string;
  as?: string;
  crossorigin: boolean;
}

function headLinks(html: string): Link[] {
  const head = html.slice(0, html.indexOf('</head>'));
  return [...head.matchAll(/<link\b([^>]*)>/g)].map(([, attrs = '']) => {
    const attr = (name: string): string | undefined => new RegExp(`\\b${name}="([^"]*)"`).exec(attrs)?.[1];
    return {
      rel: attr('rel') ?? '',
      href: (attr('href') ?? '').replace(/&amp;/g, '&'),
      ...(attr('as') ? { as: attr('as') } : {}),
      crossorigin: /\bcrossorigin\b/.test(attrs),
    };
  });
}

afterAll(closeAll);

describe('product pages get preload hints', () => {
  let server: RunningServer;
  let appDir: string;
  let product: Product;
  let plainShell: string;

  beforeAll(async () => {
    appDir = await builtApp();
    server = await startServer({ appDir });
    const catalog = CatalogSnapshot.parse(await (await server.get('/api/v1/catalog')).json());
    const first = catalog.products[0];
    if (!first) throw new Error('brand-mini has no products');
    product = first;
    plainShell = await (await server.get('/', { headers: HTML })).text();
  });

  it('hints the route chunks, the model, the environment and the poster, after the shell’s own tags', async () => {
    const response = await server.get(`/product/${product.id}`, { headers: HTML });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await response.text();
    const links = headLinks(html);
    const plainLinks = headLinks(plainShell);
    expect(links.slice(0, plainLinks.length)).toEqual(plainLinks);
    const added = links.slice(plainLinks.length);
    expect(added).toEqual([
      { rel: 'preload', as: 'fetch', href: FIRST_PAGE_PATH, crossorigin: true },
      { rel: 'modulepreload', href: '/static/catalog-pull-p1.js', crossorigin: true },
      { rel: 'modulepreload', href: '/static/cart-writes-w1.js', crossorigin: true },
      { rel: 'modulepreload', href: '/static/ProductPage-r1.js', crossorigin: true },
      { rel: 'modulepreload', href: '/static/three-t1.js', crossorigin: true },
      { rel: 'modulepreload', href: '/static/ProductViewer-v1.js', crossorigin: true },
      { rel: 'preload', as: 'style', href: '/static/ProductPage-s1.css', crossorigin: true },
      { rel: 'preload', as: 'fetch', href: product.model.url, crossorigin: true },
      { rel: 'preload', as: 'fetch', href: '/environments/room.pmrem.gz', crossorigin: true },
      { rel: 'preload', as: 'image', href: product.poster.url, crossorigin: false },
    ]);
    // Links only: the shell's one external module script stays the only script.
    expect(html.match(/<script\b/g)).toHaveLength(1);
    // The rest of the shell is unchanged.
    expect(html.replace(/ {4}<link rel="(?:modulepreload|preload)"[^>]*>\n/g, '')).toBe(
      plainShell.replace(/ {4}<link rel="modulepreload"[^>]*>\n/g, ''),
    );
  });

  it('hints only URLs the server answers', async () => {
    const html = await (await server.get(`/product/${product.id}`, { headers: HTML })).text();
    for (const link of headLinks(html)) {
      if (link.rel !== 'modulepreload' && link.rel !== 'preload') continue;
      const response = await server.get(link.href);
      expect(response.status, link.href).toBe(200);
    }
  });

  it('keeps the hints for a page with a query string or a trailing slash', async () => {
    for (const url of [`/product/${product.id}?sku=x`, `/product/${product.id}/`]) {
      const html = await (await server.get(url, { headers: HTML })).text();
      expect(html, url).toContain(`href="${product.model.url}"`);
    }
  });

  it('serves the plain shell for an unknown product and for other pages', async () => {
    for (const url of ['/product/no-such-product', '/cart', '/showrooms', '/product/a/b']) {
      const response = await server.get(url, { headers: HTML });
      expect(response.status, url).toBe(200);
      expect(await response.text(), url).toBe(plainShell);
    }
  });

  it('follows a rebuilt shell', async () => {
    const index = path.join(appDir, 'index.html');
    const before = await readFile(index, 'utf8');
    try {
      await writeFile(index, before.replace('<title>Vitrine</title>', '<title>Vitrine 2</title>'));
      // Make sure the modification time moves even on a coarse clock.
      const later = new Date(Date.now() + 5_000);
      await utimes(index, later, later);
      const html = await (await server.get(`/product/${product.id}`, { headers: HTML })).text();
      expect(html).toContain('<title>Vitrine 2</title>');
      expect(html).toContain(`href="${product.model.url}"`);
    } finally {
      await writeFile(index, before);
    }
  });
});

describe('a build without a manifest or an environment file', () => {
  it('still hints the catalog, the model and the poster', async () => {
    const server = await startServer({ appDir: await builtApp({ manifest: false, environment: false }) });
    const catalog = CatalogSnapshot.parse(await (await server.get('/api/v1/catalog')).json());
    const product = catalog.products[0];
    if (!product) throw new Error('brand-mini has no products');
    const html = await (await server.get(`/product/${product.id}`, { headers: HTML })).text();
    const links = headLinks(html).filter((l) => l.rel === 'preload' || l.href.includes('ProductPage'));
    expect(links).toEqual([
      { rel: 'preload', as: 'fetch', href: FIRST_PAGE_PATH, crossorigin: true },
      { rel: 'preload', as: 'fetch', href: product.model.url, crossorigin: true },
      { rel: 'preload', as: 'image', href: product.poster.url, crossorigin: false },
    ]);
  });
});

describe('a server without a built app', () => {
  it('answers product pages 503 like any app page', async () => {
    const server = await startServer({ appDir: null });
    const response = await server.get('/product/anything', { headers: HTML });
    expect(response.status).toBe(503);
  });
});

describe('preload hint helpers', () => {
  it('preloads the first catalog page at the URL the app pulls it from', () => {
    expect(CATALOG_FIRST_PAGE_PATH).toBe(FIRST_PAGE_PATH);
    expect(FIRST_PAGE_PATH).toBe('/api/v1/catalog/changes?since=0&limit=200');
  });

  it('reads the product id from a product page path only', () => {
    expect(productIdOf('/product/aster-dining-chair')).toBe('aster-dining-chair');
    expect(productIdOf('/product/aster-dining-chair/')).toBe('aster-dining-chair');
    expect(productIdOf('/product/caf%C3%A9')).toBe('café');
    expect(productIdOf('/product/%E0%A4%A')).toBeNull();
    expect(productIdOf('/product/')).toBeNull();
    expect(productIdOf('/product/a/b')).toBeNull();
    expect(productIdOf('/products/a')).toBeNull();
    expect(productIdOf('/')).toBeNull();
  });

  it('lists a route’s chunks dependencies first, without what the entry loads', () => {
    expect(routeFiles(MANIFEST, ['src/features/product/ProductViewer.tsx', 'src/missing.ts'])).toEqual({
      scripts: ['/static/three-t1.js', '/static/ProductViewer-v1.js'],
      styles: [],
    });
  });

  it('inserts tags on their own lines before </head>, and leaves a document without a head alone', () => {
    expect(insertIntoHead('<head>\n  <title>x</title>\n  </head>', '  <link>\n')).toBe(
      '<head>\n  <title>x</title>\n  <link>\n  </head>',
    );
    expect(insertIntoHead('<p>no head</p>', '<link>\n')).toBe('<p>no head</p>');
  });
});
