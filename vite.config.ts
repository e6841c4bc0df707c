import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { HOSTED_INPUT_PROFILES } from './src/xr/input-profile-files';

/**
 * Serves three.js's Draco decoder from our own origin at /decoders/draco/ (never a CDN): the build emits the
 * files into dist/app/decoders/draco/, the dev server answers them from node_modules. Nothing is copied into
 * the source tree.
 */
function selfHostedDecoders(): Plugin {
  const source = fileURLToPath(
    new URL('./node_modules/three/examples/jsm/libs/draco/gltf/', import.meta.url),
  );
  const route = '/decoders/draco/';
  const types: Record<string, string> = { js: 'text/javascript', wasm: 'application/wasm' };
  return {
    name: 'vitrine-self-hosted-decoders',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = req.url?.split('?')[0] ?? '';
        const name = path.startsWith(route) ? path.slice(route.length) : '';
        if (!/^[\w.-]+\.(js|wasm)$/.test(name) || !readdirSync(source).includes(name)) return next();
        res.setHeader('Content-Type', types[name.split('.').pop() ?? ''] ?? 'application/octet-stream');
        res.end(readFileSync(source + name));
      });
    },
    generateBundle() {
      for (const name of readdirSync(source)) {
        this.emitFile({
          type: 'asset',
          fileName: `decoders/draco/${name}`,
          source: readFileSync(source + name),
        });
      }
    },
  };
}

/**
 * Serves the controller and hand models of the WebXR input profiles from our own origin at
 * /xr/input-profiles/ instead of the CDN @react-three/xr defaults to. Only three profiles of
 * `@webxr-input-profiles/assets` (about 60 MB in all): Meta Quest Touch Plus (Quest 3), generic-trigger (any
 * other controller) and generic-hand (hand tracking); `profilesList.json` is cut down to them, so a controller
 * without a hosted profile falls back to generic-trigger instead of asking for a missing file. The build emits
 * the files into dist/app/xr/input-profiles/, the dev server answers them from node_modules; nothing is copied
 * into the source tree.
 */
function selfHostedInputProfiles(): Plugin {
  const source = fileURLToPath(
    new URL('./node_modules/@webxr-input-profiles/assets/dist/profiles/', import.meta.url),
  );
  const route = '/xr/input-profiles/';
  const files = (): Map<string, () => Buffer> => {
    const list = JSON.parse(readFileSync(`${source}profilesList.json`, 'utf8')) as Record<
      string,
      { path: string }
    >;
    const out = new Map<string, () => Buffer>();
    const hosted: Record<string, { path: string }> = {};
    for (const id of HOSTED_INPUT_PROFILES) {
      const entry = list[id];
      if (!entry) throw new Error(`input profile ${id} is missing from @webxr-input-profiles/assets`);
      hosted[id] = { path: entry.path };
      for (const name of readdirSync(`${source}${id}`)) {
        if (/\.(json|glb)$/.test(name))
          out.set(`${id}/${name}`, () => readFileSync(`${source}${id}/${name}`));
      }
    }
    const body = Buffer.from(`${JSON.stringify(hosted)}\n`);
    out.set('profilesList.json', () => body);
    return out;
  };
  return {
    name: 'vitrine-self-hosted-input-profiles',
    configureServer(server) {
      const served = files();
      server.middlewares.use((req, res, next) => {
        const path = req.url?.split('?')[0] ?? '';
        const read = path.startsWith(route) ? served.get(path.slice(route.length)) : undefined;
        if (!read) return next();
        res.setHeader('Content-Type', path.endsWith('.glb') ? 'model/gltf-binary' : 'application/json');
        res.end(read());
      });
    },
    generateBundle() {
      for (const [name, read] of files()) {
        this.emitFile({ type: 'asset', fileName: `xr/input-profiles/${name}`, source: read() });
      }
    },
  };
}

/**
 * In production builds, resolves `three` to its per-class sources instead of the one-module bundle. R3F's
 * `import * as THREE` (showroom) would otherwise pull all of three.js into a chunk the product viewer shares;
 * this way each lazy chunk takes only the classes it uses and the product page loads far less of three.js.
 * Build only: in dev and tests, code in node_modules importing `three` must get the same copy as ours.
 */
function perClassThree(): Plugin {
  const source = fileURLToPath(new URL('./node_modules/three/src/Three.js', import.meta.url));
  return {
    name: 'vitrine-per-class-three',
    config(_config, { command }) {
      if (command !== 'build') return;
      return { resolve: { alias: [{ find: /^three$/, replacement: source }] } };
    },
  };
}

/**
 * Strips comments, indentation, blank lines and the spaces around `= , ; ( ) { } [ ]` from three.js's GLSL
 * sources (the `/* glsl *\/` template literals in node_modules/three/src) in production builds: a quarter of
 * three.js's bytes are shader text. Line breaks stay, and preprocessor lines keep their spaces, because
 * directives are line-based (`#define F (x)` and `#define F(x)` differ) and three.js finds `#include` and
 * `#pragma unroll_loop_start` with line-anchored patterns; only literals without `${…}` are touched.
 */
function minifiedThreeShaders(): Plugin {
  const literal = /\/\* glsl \*\/`([^`$]*)`/g;
  const minify = (glsl: string): string =>
    glsl
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '')
      .split('\n')
      .map((line) => line.trim().replace(/[ \t]+/g, ' '))
      .map((line) => (line.startsWith('#') ? line : line.replace(/ ?([=,;(){}[\]]) ?/g, '$1')))
      .filter((line) => line !== '')
      .join('\n');
  return {
    name: 'vitrine-minified-three-shaders',
    apply: 'build',
    transform: {
      filter: { id: /[\\/]node_modules[\\/]three[\\/]src[\\/].*\.js$/, code: '/* glsl */`' },
      handler(code) {
        const out = code.replace(literal, (_all, glsl: string) => `\`\n${minify(glsl)}\n\``);
        return out === code ? null : { code: out, map: null };
      },
    },
  };
}

/**
 * In production builds, resolves `dexie` to Dexie's ES2018 module (`dexie/dist/modern/dexie.mjs`): the same
 * code as the ES5 UMD bundle its package entry wraps, 1.6 KB gzip smaller. Build only, like perClassThree:
 * in dev and tests, code in node_modules importing `dexie` (dexie-react-hooks) must get the same copy as ours.
 */
function modernDexie(): Plugin {
  const source = fileURLToPath(new URL('./node_modules/dexie/dist/modern/dexie.mjs', import.meta.url));
  return {
    name: 'vitrine-modern-dexie',
    config(_config, { command }) {
      if (command !== 'build') return;
      return { resolve: { alias: [{ find: /^dexie$/, replacement: source }] } };
    },
  };
}

/**
 * WebXR emulator code: IWER, its dev UI and synthetic environments (several MB), and @react-three/xr's
 * `emulate.js`, which the library imports lazily even though the app's XR store turns emulation off
 * (src/xr/xr-store.ts). Chunks holding any of it are emitted under static/xr-emulator/, which the app never
 * loads and the service worker never precaches (test/integration/xr-build-output.test.ts checks both).
 */
const XR_EMULATOR_MODULE =
  /[\\/]node_modules[\\/](?:iwer|@iwer[\\/][^\\/]+|@pmndrs[\\/]xr[\\/]dist[\\/]emulate\.js)[\\/]?/;

/** File name of a non-entry chunk: emulator chunks apart (see XR_EMULATOR_MODULE), the rest as Vite names them. */
function chunkFileName(chunk: { moduleIds: readonly string[] }): string {
  return chunk.moduleIds.some((id) => XR_EMULATOR_MODULE.test(id))
    ? 'static/xr-emulator/[name]-[hash].js'
    : 'static/[name]-[hash].js';
}

/**
 * The service worker (src/pwa/sw.ts), built by vite-plugin-pwa in injectManifest mode into dist/app/sw.js with
 * the precache list injected. The app shell is precached so a repeat visit starts offline: index.html, the
 * hashed bundles, icons, the manifest, the baked environment map, and the Draco WebAssembly decoder (models in
 * the runtime cache may need it offline). Left out on purpose: source maps, Vite's build manifest, the Draco
 * asm.js fallback (every browser with service workers has WebAssembly) and the copies of the Draco files that
 * three's DRACOLoader default paths make Vite emit under static/ (the app points the loader at /decoders/draco/),
 * and the WebXR emulator chunks under static/xr-emulator/ (development and tests only).
 * Models and posters are never precached: the worker caches them at run time. The web manifest stays a static
 * file in public/ (`manifest: false`) and registration is ours (src/pwa/register.ts), so nothing is injected.
 */
function serviceWorker(): Plugin[] {
  return VitePWA({
    strategies: 'injectManifest',
    srcDir: 'src/pwa',
    filename: 'sw.ts',
    manifest: false,
    injectRegister: false,
    includeManifestIcons: false,
    injectManifest: {
      globPatterns: [
        'index.html',
        'manifest.webmanifest',
        'icons/*.svg',
        'static/*.{js,css}',
        'environments/room.pmrem.gz',
        'decoders/draco/draco_wasm_wrapper.js',
        'decoders/draco/draco_decoder.wasm',
      ],
      globIgnores: ['static/draco_*', 'static/xr-emulator/**'],
      // Hashed file names need no cache-busting revision.
      dontCacheBustURLsMatching: /^static\//,
      // Every shell file is far below Workbox's 2 MiB default; keep the default so a bundle that grows past
      // it is noticed (the build warns) instead of silently precached.
      maximumFileSizeToCacheInBytes: 2 * 1024 * 1024,
    },
  });
}

export default defineConfig({
  plugins: [
    react(),
    selfHostedDecoders(),
    selfHostedInputProfiles(),
    perClassThree(),
    minifiedThreeShaders(),
    modernDexie(),
    serviceWorker(),
  ],
  build: {
    outDir: 'dist/app',
    // /assets/ is the content-addressed model and poster store served by the API; bundles go elsewhere.
    assetsDir: 'static',
    emptyOutDir: true,
    sourcemap: true,
    // dist/app/.vite/manifest.json: the server reads it to preload a route's chunks (src/server/preload-hints.ts).
    manifest: true,
    // Browsers without native modulepreload (Safari before 17) just fetch a chunk when it is imported.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1200,
    rollupOptions: { output: { chunkFileNames: chunkFileName } },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.{ts,tsx}', 'test/integration/**/*.test.ts'],
          environment: 'node',
          // A private PostgreSQL for the storage tests, which run on SQLite and PostgreSQL alike.
          globalSetup: ['test/support/postgres-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/e2e/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
