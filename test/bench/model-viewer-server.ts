/**
 * The baseline of the benchmark: a small node:http server on loopback (not the app) serving Google's
 * <model-viewer> bundle from node_modules, the same product GLB the app shows, and a tiny page that records
 * when model-viewer has drawn the model (its `load` event plus one animation frame).
 * Decoders model-viewer would fetch from Google's CDN (Draco, KTX2) are served from three.js's copies here,
 * so the baseline, like the app, talks to its own origin only.
 * Side effects owned here: one listening HTTP server, closed by `close()`.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { repoRoot } from '../support/server';

/** A running baseline server. */
export interface ModelViewerServer {
  /** `http://127.0.0.1:<port>` */
  readonly baseUrl: string;
  /** URL of the page showing the model in a `width`×`height` CSS-pixel model-viewer. */
  pageUrl(width: number, height: number): string;
  close(): Promise<void>;
}

const MODEL_VIEWER_JS = join(
  repoRoot,
  'node_modules',
  '@google',
  'model-viewer',
  'dist',
  'model-viewer.min.js',
);
const THREE_LIBS = join(repoRoot, 'node_modules', 'three', 'examples', 'jsm', 'libs');

const HTML = 'text/html; charset=utf-8';
const JS = 'text/javascript; charset=utf-8';
const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.glb': 'model/gltf-binary',
  '.html': 'text/html; charset=utf-8',
};

function typeOf(path: string): string {
  const dot = path.lastIndexOf('.');
  return TYPES[path.slice(dot)] ?? 'application/octet-stream';
}

/** Names of the glTF extensions a GLB declares as used. */
export function glbExtensionsUsed(glb: Uint8Array): string[] {
  const view = new DataView(glb.buffer, glb.byteOffset, glb.byteLength);
  if (view.getUint32(0, true) !== 0x46546c67) throw new Error('not a GLB file');
  const jsonLength = view.getUint32(12, true);
  const json = JSON.parse(new TextDecoder().decode(glb.subarray(20, 20 + jsonLength))) as {
    extensionsUsed?: string[];
  };
  return json.extensionsUsed ?? [];
}

function page(width: number, height: number, usesMeshopt: boolean): string {
  const settings = {
    dracoDecoderLocation: '/draco/',
    ktx2TranscoderLocation: '/basis/',
    ...(usesMeshopt ? { meshoptDecoderLocation: '/meshopt-gate.js' } : {}),
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>model-viewer baseline</title>
<link rel="icon" href="data:,">
<style>body{margin:0}model-viewer{display:block;width:${width}px;height:${height}px}</style>
<script>self.ModelViewerElement = ${JSON.stringify(settings)};</script>
<script type="module" src="/model-viewer.min.js"></script>
</head>
<body>
<model-viewer id="mv" src="/model.glb" alt="The product in 3D" camera-controls></model-viewer>
<script>
document.getElementById('mv').addEventListener('load', function () {
  requestAnimationFrame(function () { window.__benchReadyAt = performance.now(); });
});
</script>
</body>
</html>`;
}

/** Starts the baseline server on a free loopback port, serving `glb` as /model.glb. */
export async function startModelViewerServer(glb: Uint8Array): Promise<ModelViewerServer> {
  const usesMeshopt = glbExtensionsUsed(glb).includes('EXT_meshopt_compression');
  const send = (res: ServerResponse, status: number, type: string, body: Uint8Array | string): void => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(body);
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    if (path === '/') {
      const w = Number(url.searchParams.get('w') ?? 800);
      const h = Number(url.searchParams.get('h') ?? 600);
      send(res, 200, HTML, page(w, h, usesMeshopt));
    } else if (path === '/model-viewer.min.js') {
      send(res, 200, JS, await readFile(MODEL_VIEWER_JS));
    } else if (path === '/model.glb') {
      send(res, 200, typeOf('.glb'), glb);
    } else if (path === '/meshopt-gate.js') {
      // model-viewer decodes meshopt with the decoder bundled in model-viewer.min.js; it only waits for
      // this script to load first (CachingGLTFLoader.setMeshoptDecoderLocation), so it can be empty.
      send(res, 200, JS, '/* model-viewer uses its bundled MeshoptDecoder */\n');
    } else if (path.startsWith('/draco/') || path.startsWith('/basis/')) {
      const dir = path.startsWith('/draco/') ? join(THREE_LIBS, 'draco', 'gltf') : join(THREE_LIBS, 'basis');
      const name = normalize(path.slice(path.indexOf('/', 1) + 1));
      if (name.includes('..') || name.includes('/')) return send(res, 404, 'text/plain', 'not found');
      send(res, 200, typeOf(name), await readFile(join(dir, name)));
    } else {
      send(res, 404, 'text/plain', 'not found');
    }
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => send(res, 500, 'text/plain', String(err)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    pageUrl: (width, height) => `${baseUrl}/?w=${Math.round(width)}&h=${Math.round(height)}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
