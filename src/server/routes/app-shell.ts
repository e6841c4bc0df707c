/**
 * Serves the built PWA (Vite output in `appDir`) and answers every request no route took: app paths get
 * index.html so client-side routes load the app, API and asset paths get a JSON 404 (405 for a known path
 * with the wrong method). Bundles under `/static/` are hashed and cached forever; index.html, sw.js,
 * manifest.webmanifest and every other un-hashed file revalidate on each use. A known product's page gets
 * the shell with preload hints for what it will fetch (preload-hints.ts); an unknown one the plain shell.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { sendError } from '../http-errors';
import { ProductShells } from '../preload-hints';
import type { Database } from '../storage/schema';
import { IMMUTABLE } from './asset-routes';

/** Paths owned by the server itself; never answered with the app shell. */
const SERVER_PATH = /^\/(?:api|assets)(?:\/|$)/;

/** A product page's path; the id is the first group (still URL-encoded). */
const PRODUCT_PATH = /^\/product\/([^/]+)\/?$/;

/** The product id of a product page's path, or null for any other path (or a malformed escape). */
export function productIdOf(pathname: string): string | null {
  const encoded = PRODUCT_PATH.exec(pathname)?.[1];
  if (encoded === undefined) return null;
  try {
    return decodeURIComponent(encoded);
  } catch {
    return null;
  }
}

/** True when an Accept header asks for HTML (`text/html` with a non-zero quality). */
export function acceptsHtml(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  return accept.split(',').some((part) => {
    const [type = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (type !== 'text/html') return false;
    const q = params.find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/** Cache-Control of a file of the built app, by its path relative to `appDir`. */
export function appCacheControl(relativePath: string): string {
  return relativePath.startsWith('static/') ? IMMUTABLE : 'no-cache';
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/**
 * Registers the app routes and the not-found handler. `appDir` null serves no app (the API behind a dev
 * server): app paths then answer 503 `APP_NOT_BUILT` like an unbuilt app. With `db`, product pages get
 * preload hints for their product.
 */
export async function registerAppShell(
  app: FastifyInstance,
  appDir: string | null,
  db?: Kysely<Database>,
): Promise<void> {
  const root = appDir === null ? null : path.resolve(appDir);
  const productShells = root !== null && db !== undefined ? new ProductShells(root, db) : null;

  if (root !== null) {
    await app.register(fastifyStatic, {
      root,
      prefix: '/',
      wildcard: true,
      index: false,
      redirect: false,
      dotfiles: 'ignore',
      cacheControl: false,
      setHeaders(res, filePath) {
        const relative = path.relative(root, filePath).split(path.sep).join('/');
        res.setHeader('cache-control', appCacheControl(relative));
      },
    });
  }

  const sendIndex = async (reply: FastifyReply, pathname = '/'): Promise<FastifyReply> => {
    if (root === null || !(await isFile(path.join(root, 'index.html')))) {
      return sendError(
        reply,
        503,
        'APP_NOT_BUILT',
        'The app is not built. Run `npm run build` to build it into dist/app, then reload this page.',
      );
    }
    const productId = productIdOf(pathname);
    if (productShells !== null && productId !== null) {
      let page: string | null = null;
      try {
        page = await productShells.shell(productId);
      } catch (error) {
        // Hints are an optimisation: the plain shell still works.
        reply.log.warn({ err: error }, 'product preload hints failed');
      }
      if (page !== null) {
        return reply
          .type('text/html; charset=utf-8')
          .header('cache-control', appCacheControl('index.html'))
          .send(page);
      }
    }
    return reply.sendFile('index.html', root);
  };

  app.get('/', (_request, reply) => sendIndex(reply));
  app.get('/index.html', (_request, reply) => sendIndex(reply));

  app.setNotFoundHandler(async (request: FastifyRequest, reply: FastifyReply) => {
    const pathname = request.url.split('?')[0] ?? '/';
    const readOnly = request.method === 'GET' || request.method === 'HEAD';
    const serverPath = SERVER_PATH.test(pathname);
    if (readOnly && !serverPath && acceptsHtml(request.headers.accept)) return sendIndex(reply, pathname);
    if (!readOnly && serverPath && app.findRoute({ method: 'GET', url: pathname }) !== null) {
      reply.header('allow', 'GET, HEAD');
      return sendError(reply, 405, 'METHOD_NOT_ALLOWED', `${request.method} is not allowed on ${pathname}`);
    }
    return sendError(reply, 404, 'NOT_FOUND', `No route for ${request.method} ${pathname.slice(0, 200)}`);
  });
}
