// The production build keeps the WebXR emulator (IWER) out of what shoppers download: builds the app with the
// project's own vite.config.ts into a temporary folder and checks that no eager chunk (index.html's module
// script and its static imports) and no precache entry of the service worker contains IWER code, while the
// XR code itself (@react-three/xr) loads only with the showroom, never with the catalog page.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/server';

/** A string IWER's XRDevice sets on its canvas container: survives minification, found in no other code. */
const IWER_MARK = 'Immersive Web Emulation Runtime';
/** @react-three/xr's default asset path (the app overrides it): present wherever the XR library is bundled. */
const XR_LIBRARY_MARK = 'webxr-input-profiles';

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
}

let outDir = '';
let indexHtml = '';
let manifest: Record<string, ManifestChunk> = {};
let jsFiles: string[] = [];

const read = (file: string): Promise<string> => readFile(path.join(outDir, file), 'utf8');

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(path.join(outDir, dir), { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? listFiles(`${dir}/${e.name}`) : [`${dir}/${e.name}`])),
  );
  return nested.flat();
}

/** index.html's module script and every chunk it imports statically, transitively (what the first page loads). */
function eagerChunks(): string[] {
  const src = /<script type="module"[^>]*\ssrc="\/([^"]+)"/.exec(indexHtml)?.[1];
  if (!src) throw new Error('index.html has no module script');
  const byFile = new Map(Object.entries(manifest).map(([key, chunk]) => [chunk.file, { key, chunk }]));
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const found = byFile.get(file);
    if (!found) throw new Error(`${file} is not in the build manifest`);
    for (const key of found.chunk.imports ?? []) {
      const imported = manifest[key];
      if (!imported) throw new Error(`${key} (imported by ${file}) is not in the build manifest`);
      visit(imported.file);
    }
  };
  visit(src);
  return [...seen];
}

/** URLs of the service worker's precache manifest (injected into sw.js by vite-plugin-pwa). */
async function precacheUrls(): Promise<string[]> {
  const sw = await read('sw.js');
  return [...sw.matchAll(/\{"revision":(?:null|"[^"]*"),"url":"([^"]+)"\}/g)].map((m) => m[1] ?? '');
}

beforeAll(async () => {
  outDir = await mkdtemp(path.join(tmpdir(), 'vitrine-xr-build-'));
  // Vitest runs with NODE_ENV=test, which Vite would keep (a development-flavoured build): build as `npm run
  // build` does, so the files checked are the ones shipped.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      root: repoRoot,
      configFile: path.join(repoRoot, 'vite.config.ts'),
      mode: 'production',
      logLevel: 'error',
      build: { outDir, emptyOutDir: true },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  indexHtml = await read('index.html');
  manifest = JSON.parse(await read('.vite/manifest.json')) as Record<string, ManifestChunk>;
  jsFiles = (await listFiles('static')).filter((f) => f.endsWith('.js'));
}, 300_000);

afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

describe('the production build and the WebXR emulator', () => {
  it('has IWER only in chunks under static/xr-emulator/ (the search finds it there)', async () => {
    const withIwer: string[] = [];
    for (const file of jsFiles) if ((await read(file)).includes(IWER_MARK)) withIwer.push(file);
    // @react-three/xr imports its emulator lazily, so the build does hold IWER: proof the search works.
    expect(withIwer.length, 'IWER is in the build, somewhere').toBeGreaterThan(0);
    expect(withIwer.filter((f) => !f.startsWith('static/xr-emulator/'))).toEqual([]);
  });

  it('loads no IWER in the eager chunks of the first page', async () => {
    const eager = eagerChunks();
    expect(eager.length).toBeGreaterThan(0);
    for (const file of eager) {
      const code = await read(file);
      expect(code.includes(IWER_MARK), `${file} contains IWER`).toBe(false);
      expect(code.includes(XR_LIBRARY_MARK), `${file} contains @react-three/xr`).toBe(false);
    }
    expect(indexHtml).not.toContain('xr-emulator');
  });

  it('precaches no IWER, but does precache the showroom XR code', async () => {
    const urls = await precacheUrls();
    expect(urls).toContain('index.html');
    expect(urls.filter((u) => u.includes('xr-emulator'))).toEqual([]);
    let xrLibrary = 0;
    for (const url of urls.filter((u) => u.endsWith('.js'))) {
      const code = await read(url);
      expect(code.includes(IWER_MARK), `precached ${url} contains IWER`).toBe(false);
      if (code.includes(XR_LIBRARY_MARK)) xrLibrary += 1;
    }
    expect(xrLibrary, 'the showroom can enter VR offline').toBeGreaterThan(0);
  });
});
