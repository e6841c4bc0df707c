/**
 * Starts real Vitrine servers on loopback for integration tests: each gets a fresh temporary data folder and
 * listens on a free port; `closeAll` stops every server and removes every temporary folder.
 */
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/server/app';
import type { ServerOptions } from '../../src/server/app';

/** The two-product test brand. */
export const BRAND_MINI = fileURLToPath(new URL('../fixtures/brand-mini/', import.meta.url));

/** A running server and where it keeps its data. */
export interface RunningServer {
  app: FastifyInstance;
  /** `http://127.0.0.1:<port>` */
  url: string;
  dataDir: string;
  get(pathname: string, init?: RequestInit): Promise<Response>;
}

const servers = new Set<FastifyInstance>();
const tempDirs = new Set<string>();

/** A new empty temporary folder, removed by `closeAll`. */
export async function tempDir(prefix = 'vitrine-test-'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

/** A copy of brand-mini in a temporary folder, to corrupt on purpose. */
export async function copyOfBrandMini(): Promise<string> {
  const dir = path.join(await tempDir('vitrine-brand-'), 'mini');
  await cp(BRAND_MINI, dir, { recursive: true, filter: (src) => !src.endsWith('make.ts') });
  return dir;
}

/** A tiny built app: index.html, a hashed bundle under static/, sw.js and manifest.webmanifest. */
export async function tinyAppDir(): Promise<string> {
  const dir = await tempDir('vitrine-app-');
  await mkdir(path.join(dir, 'static'));
  await writeFile(
    path.join(dir, 'index.html'),
    '<!doctype html><html><head><script type="module" src="/static/index-abc123.js"></script></head><body><div id="root"></div></body></html>\n',
  );
  await writeFile(path.join(dir, 'static', 'index-abc123.js'), 'document.title = "Vitrine";\n');
  await writeFile(path.join(dir, 'sw.js'), 'self.addEventListener("install", () => {});\n');
  await writeFile(path.join(dir, 'manifest.webmanifest'), '{"name":"Vitrine","start_url":"/"}\n');
  return dir;
}

/** Builds and starts a server on 127.0.0.1 with a fresh data folder unless one is given. */
export async function startServer(options: Partial<ServerOptions> = {}): Promise<RunningServer> {
  const dataDir = options.dataDir ?? (await tempDir('vitrine-data-'));
  const app = await buildServer({ brandDirs: [BRAND_MINI], appDir: null, ...options, dataDir });
  servers.add(app);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url, dataDir, get: (pathname, init) => fetch(url + pathname, init) };
}

/** Stops one server (its data folder stays until `closeAll`). */
export async function stopServer(server: RunningServer): Promise<void> {
  servers.delete(server.app);
  await server.app.close();
}

/** Stops every server and removes every temporary folder. */
export async function closeAll(): Promise<void> {
  await Promise.all([...servers].map((app) => app.close()));
  servers.clear();
  await Promise.all([...tempDirs].map((dir) => rm(dir, { recursive: true, force: true })));
  tempDirs.clear();
}

/** Hex SHA-256 of a response body. */
export async function sha256Of(response: Response): Promise<string> {
  return createHash('sha256')
    .update(new Uint8Array(await response.arrayBuffer()))
    .digest('hex');
}

/** A response read with node:http, which (unlike fetch) sends exactly the headers given, as a browser cache does. */
export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Sends a request with node:http: for conditional requests, since fetch adds `Cache-Control: no-cache`. */
export function rawRequest(
  url: string,
  method = 'GET',
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
