/**
 * Catalog import bench in Chromium: the same measure as in Node (import-measure.ts, the app's `applyPage`
 * against a raw Dexie `bulkPut`) on the browser's real IndexedDB. import-chromium-entry.ts is bundled with
 * esbuild (tsx's dependency) and served with the change pages by a small `node:http` server on loopback.
 * Side effects owned here: that server and a browser context (both closed at the end).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import type { CatalogChanges } from '../../src/protocol/catalog';
import type { ImportComparison } from './import-measure';

/** Runs per mode in Chromium. */
export const CHROMIUM_IMPORT_RUNS = 3;

const PAGE =
  '<!doctype html><meta charset="utf-8"><title>import bench</title><script type="module" src="/bench.js"></script>';

/** Bundles the browser entry into one ES module. */
async function bundle(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./import-chromium-entry.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error('esbuild produced no bundle for the import bench');
  return file.text;
}

/** Compares the app's import with a raw `bulkPut` in Chromium's IndexedDB. */
export async function benchImportChromium(
  browser: Browser,
  pages: readonly CatalogChanges[],
  problem: (text: string) => void,
  log: (line: string) => void = () => undefined,
): Promise<ImportComparison> {
  const script = await bundle();
  const json = JSON.stringify(pages);
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    else if (path === '/bench.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else if (path === '/pages.json') res.writeHead(200, { 'content-type': 'application/json' }).end(json);
    else if (path === '/favicon.ico') res.writeHead(204).end();
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const context = await browser.newContext({ locale: 'en-US' });
  try {
    context.on('request', (request) => {
      if (new URL(request.url()).origin !== origin)
        problem(`import bench: off-origin request ${request.url()}`);
    });
    context.on('weberror', (e) => problem(`import bench: page error ${e.error().message}`));
    context.on('console', (m) => {
      if (m.type() === 'error') problem(`import bench: console.error ${m.text()}`);
      else log(m.text());
    });
    const page = await context.newPage();
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => typeof window.benchImport === 'function');
    return await page.evaluate((runs) => {
      const run = window.benchImport;
      if (!run) throw new Error('the bench page did not load');
      return run(runs);
    }, CHROMIUM_IMPORT_RUNS);
  } finally {
    await context.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
