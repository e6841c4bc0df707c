import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

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

export default defineConfig({
  plugins: [react(), selfHostedDecoders(), perClassThree()],
  build: {
    outDir: 'dist/app',
    // /assets/ is the content-addressed model and poster store served by the API; bundles go elsewhere.
    assetsDir: 'static',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: {},
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.{ts,tsx}', 'test/integration/**/*.test.ts'],
          environment: 'node',
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
