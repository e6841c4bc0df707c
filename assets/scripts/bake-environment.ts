/**
 * `npm run assets:environment -- [size]`: bakes the 3D views' room environment (three.js RoomEnvironment,
 * pre-filtered for image-based lighting) into public/environments/room.pmrem.gz, so that devices download 150 KB
 * instead of spending seconds of GPU time generating it (src/scene/room-environment.ts loads it). Serves
 * assets/scripts/bake-environment/ with Vite on loopback, runs the bake in headless Debian Chromium (SwiftShader
 * WebGL), checks that spheres lit by the baked file look like spheres lit by the generated environment, and
 * writes the file. Rerun it after upgrading three.js. Everything it starts (server, browser) is closed before
 * it returns.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { createServer } from 'vite';
import { launchChromium } from '../../test/support/chromium';
import type { BakeResult } from './bake-environment/main';

const ROOT = fileURLToPath(new URL('./bake-environment/', import.meta.url));
const OUTPUT = fileURLToPath(new URL('../../public/environments/room.pmrem.gz', import.meta.url));
/** Largest allowed mean difference (0..255 sRGB) between the check renders. */
const MAX_MEAN_DIFFERENCE = 1.5;

async function main(): Promise<void> {
  const size = Number(process.argv[2] ?? 128);
  if (!Number.isInteger(Math.log2(size)) || size < 8) throw new Error('size must be a power of two >= 8');
  const server = await createServer({
    configFile: false,
    root: ROOT,
    cacheDir: path.join(ROOT, '../../../node_modules/.vite-bake-environment'),
    logLevel: 'warn',
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, watch: null },
  });
  await server.listen();
  const { port } = server.httpServer?.address() as AddressInfo;
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') console.error(`console error: ${m.text()}`);
    });
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => document.body.dataset.state === 'ready', undefined, {
      timeout: 120_000,
    });
    const result: BakeResult = await page.evaluate((s) => window.bakeEnvironment(s), size);
    const file = Buffer.from(result.file, 'base64');
    // Gzipped here rather than by the server: the viewer inflates it with DecompressionStream.
    const gzip = gzipSync(file, { level: 9 });
    console.log(
      `room environment: ${result.size}-texel faces, ${result.levels} levels, ${file.byteLength} bytes ` +
        `(${gzip.byteLength} gzip); check renders differ by ` +
        `${result.meanDifference.toFixed(2)} on average, ${result.maxDifference} at most (0..255)`,
    );
    if (result.meanDifference > MAX_MEAN_DIFFERENCE)
      throw new Error(`the baked environment looks different from the generated one; not written`);
    await mkdir(path.dirname(OUTPUT), { recursive: true });
    await writeFile(OUTPUT, gzip);
    console.log(`wrote ${path.relative(process.cwd(), OUTPUT)}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
