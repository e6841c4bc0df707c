/**
 * Renders product posters (640×640 JPEG stills) from binary glTF models in headless Debian Chromium: bundles
 * the three.js page in ./page/ with esbuild (a runtime dependency, as tsx's own; no Vite at run time), serves it
 * on loopback with the models to render from memory under `/models/<n>.glb`, loads the page once per model
 * (software WebGL through SwiftShader) and screenshots its canvas. Side effects owned here: a loopback HTTP
 * server and a Chromium process per renderer, both ended by `close()`. Used by `vitrine publish` for products
 * without a poster and by `npm run assets:posters`.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { Placement } from '../../protocol/catalog';
import { chromiumArgs, chromiumPath } from './chromium';

/** Side of a poster in pixels. */
export const POSTER_SIZE = 640;

const PAGE_ROOT = fileURLToPath(new URL('./page/', import.meta.url));

/** The page's HTML and its script bundled into one ES module, built once per process. */
let pageFiles: Promise<{ html: string; script: string }> | undefined;

async function buildPage(): Promise<{ html: string; script: string }> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [path.join(PAGE_ROOT, 'main.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const script = result.outputFiles[0]?.text;
  if (script === undefined) throw new Error('the poster page could not be bundled');
  const source = await readFile(path.join(PAGE_ROOT, 'index.html'), 'utf8');
  const html = source.replace('src="./main.ts"', 'src="/main.js"');
  if (html === source) throw new Error('the poster page has no ./main.ts script to replace');
  return { html, script };
}

/** Thrown when Chromium is not installed: the message says how to install it. */
export class ChromiumMissingError extends Error {
  constructor(readonly path: string) {
    super(
      `Chromium is needed to render posters and was not found at ${path}. Install Debian's package with ` +
        '"apt-get install -y chromium" (as root), set CHROMIUM_PATH to a Chromium binary, or add ' +
        'posters/<product id>.jpg to the brand folder.',
    );
    this.name = 'ChromiumMissingError';
  }
}

/** One poster to render. */
export interface PosterJob {
  /** A name for error messages (the product id). */
  id: string;
  glb: Uint8Array;
  /** Where the product stands: wall things are seen more from the front, without a ground shadow. */
  placement: Placement;
}

/** An open renderer: render posters one at a time, then close it. */
export interface PosterRenderer {
  /** A JPEG poster of the model. Throws when the page cannot load or render it. */
  render(job: PosterJob): Promise<Uint8Array>;
  /** Ends the browser and the server. */
  close(): Promise<void>;
}

/**
 * Starts the page server and Chromium. Throws {@link ChromiumMissingError} when Chromium is missing (before
 * starting anything).
 */
export async function openPosterRenderer(): Promise<PosterRenderer> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) throw new ChromiumMissingError(executablePath);
  const models = new Map<string, Uint8Array>();
  let next = 0;

  pageFiles ??= buildPage().catch((error: unknown) => {
    pageFiles = undefined;
    throw error;
  });
  const { html, script } = await pageFiles;
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    const name = /^\/models\/(\d+)\.glb$/.exec(url)?.[1];
    const pathname = url.split('?')[0];
    const bytes = name === undefined ? undefined : models.get(name);
    if (name !== undefined) {
      res.writeHead(bytes === undefined ? 404 : 200, { 'content-type': 'model/gltf-binary' }).end(bytes);
    } else if (pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    } else if (pathname === '/main.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(script);
    } else {
      res.writeHead(404).end();
    }
  });
  const closeServer = (): Promise<void> =>
    new Promise((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
  let browser: Browser | undefined;
  let page: Page;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath, headless: true, args: [...chromiumArgs] });
    page = await browser.newPage({
      viewport: { width: POSTER_SIZE, height: POSTER_SIZE },
      deviceScaleFactor: 1,
    });
  } catch (error) {
    await browser?.close();
    if (server.listening) await closeServer();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const openBrowser = browser;

  return {
    async render(job) {
      const name = String(next++);
      models.set(name, job.glb);
      try {
        const query = new URLSearchParams({ model: `/models/${name}.glb`, placement: job.placement });
        await page.goto(`http://127.0.0.1:${port}/?${query}`);
        await page.waitForFunction(() => document.body.dataset.state !== undefined, undefined, {
          timeout: 120_000,
        });
        const state = await page.evaluate(() => ({ ...document.body.dataset }));
        if (state.state !== 'done')
          throw new Error(`${job.id}: ${state.error ?? 'the poster did not render'}`);
        const jpeg = await page.locator('#poster').screenshot({ type: 'jpeg', quality: 85 });
        return new Uint8Array(jpeg);
      } finally {
        models.delete(name);
      }
    },
    async close() {
      await openBrowser.close();
      await closeServer();
    },
  };
}
