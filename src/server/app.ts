/**
 * Builds the Vitrine HTTP server: opens and migrates the database (SQLite in the data folder, or PostgreSQL),
 * seeds it from brand folders on first start, and registers the API, the asset store, the built app and the
 * error handling. Owns the database handle for the server's lifetime (closed by `app.close()`).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { assetsDirOf } from './asset-store';
import { openDatabase } from './storage/connection';
import type { Database } from './storage/schema';
import { errorServerOptions, registerErrorHandling } from './http-errors';
import { registerApiRoutes } from './routes/api-routes';
import { registerAppShell } from './routes/app-shell';
import { registerAssetRoutes } from './routes/asset-routes';
import { registerCartRoutes } from './routes/cart-routes';
import { registerOrderRoutes } from './routes/order-routes';
import { registerPublishRoutes } from './routes/publish-routes';
import type { WriteObserver } from './publishing/brand-state';
import { recordFirstReleases } from './publishing/releases';
import { registerSecurityHeaders } from './security-headers';
import { listBrandDirs, seedIfEmpty } from './seed';

/** The repository root (this file is src/server/app.ts). */
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Where Vite builds the app. */
export const DEFAULT_APP_DIR = path.join(REPO_ROOT, 'dist', 'app');

/** The folder holding one sub-folder per demo brand. */
export const DEFAULT_BRANDS_ROOT = path.join(REPO_ROOT, 'assets', 'brands');

/** Largest request body the server reads. */
export const BODY_LIMIT = 1024 * 1024;

/** Longest a client may take to send one whole request, headers and body (then: 408 and the socket closes). */
export const REQUEST_TIMEOUT_MS = 30_000;

/** Longest a connection may stay silent, no bytes either way, before it is closed. */
export const CONNECTION_TIMEOUT_MS = 10_000;

/** Options of `buildServer`. */
export interface ServerOptions {
  /**
   * Folder of the asset store (`assets/`) and, without `databaseUrl`, of the SQLite database (`vitrine.sqlite`);
   * created when missing.
   */
  dataDir: string;
  /**
   * A PostgreSQL URL (`postgres://user:password@host:5432/name`): the catalog and carts live there instead of
   * the embedded SQLite database. Absent or empty: SQLite in `dataDir`.
   */
  databaseUrl?: string | undefined;
  /** The built PWA; default `dist/app`. `null` serves no app (the API behind the Vite dev server). */
  appDir?: string | null;
  /** Brand folders seeded on first start; default every folder in `assets/brands`. */
  brandDirs?: string[];
  /** Log requests and errors as JSON lines (pino); default false. */
  logger?: boolean;
  /** Slow-client limits in ms; default REQUEST_TIMEOUT_MS and CONNECTION_TIMEOUT_MS (tests use short ones). */
  timeouts?: { requestMs?: number; connectionMs?: number };
  /** Hears each step of a publish or rollback write inside its transaction; throwing aborts it (tests). */
  onPublishStep?: WriteObserver;
}

/**
 * Builds the server, ready to `listen` (not listening yet). Throws when the database cannot be opened or a
 * brand folder is invalid (a `BrandFolderError` naming the file).
 */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const dataDir = path.resolve(options.dataDir);
  const requestTimeout = options.timeouts?.requestMs ?? REQUEST_TIMEOUT_MS;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: BODY_LIMIT,
    // A client that sends its request slowly (or stops half way) cannot hold a connection for long.
    requestTimeout,
    connectionTimeout: options.timeouts?.connectionMs ?? CONNECTION_TIMEOUT_MS,
    // Node checks the request deadline on this interval (30 s by default, which would double the limit).
    http: { headersTimeout: requestTimeout, connectionsCheckingInterval: Math.min(1_000, requestTimeout) },
    ...errorServerOptions,
  });

  let db: Kysely<Database> | undefined;
  try {
    db = await openDatabase(dataDir, { databaseUrl: options.databaseUrl });
    const brandDirs = options.brandDirs ?? (await listBrandDirs(DEFAULT_BRANDS_ROOT));
    const seed = await seedIfEmpty(db, { brandDirs, assetsDir: assetsDirOf(dataDir) });
    if (seed.seeded) {
      app.log.info(
        { brands: seed.brands, products: seed.products, showrooms: seed.showrooms, cursor: seed.cursor },
        'seeded the catalog from brand folders',
      );
    }
    // Each brand's live state is its first release, so its first publish can be rolled back.
    await recordFirstReleases(db);
  } catch (error) {
    await db?.destroy();
    await app.close();
    throw error;
  }
  const database = db;
  app.addHook('onClose', async () => {
    await database.destroy();
  });

  // Closing drops idle keep-alive connections, but a response still being written at that moment leaves its
  // connection open once it finishes, and `close()` would wait for the client to hang up (up to the
  // keep-alive timeout). End such connections as their response completes.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onResponse', async (request) => {
    if (closing) request.raw.socket.end();
  });

  registerErrorHandling(app);
  registerSecurityHeaders(app);
  registerApiRoutes(app, database);
  registerCartRoutes(app, database);
  registerOrderRoutes(app, database);
  registerAssetRoutes(app, database, assetsDirOf(dataDir));
  registerPublishRoutes(app, database, {
    assetsDir: assetsDirOf(dataDir),
    onWriteStep: options.onPublishStep,
  });
  await registerAppShell(app, options.appDir === undefined ? DEFAULT_APP_DIR : options.appDir, database);
  return app;
}
