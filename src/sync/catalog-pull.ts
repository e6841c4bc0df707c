/**
 * Catalog pull: the only client code that calls the catalog API. It fetches `GET /api/v1/catalog`, parses it
 * with the wire schema and replaces the catalog tables in one Dexie transaction (cart lines are never touched).
 * The UI does not wait on it: pages read the database, and the status store (pull-status.ts) tells them
 * whether a pull is running or failed so they can say "Loading catalog…" or offer Retry. The UI loads this
 * module on demand through request-pull.ts.
 */
import { CatalogSnapshot, ApiError } from '../protocol/catalog';
import { db as appDb, type VitrineDB } from '../db/db';
import { setPullStatus } from './pull-status';

/** Path of the catalog endpoint, relative to the app's origin. */
export const CATALOG_PATH = '/api/v1/catalog';

let inFlight: Promise<boolean> | undefined;

export interface PullOptions {
  /** Database to fill; the app's database by default. */
  db?: VitrineDB;
  /** Origin of the API (e.g. `http://127.0.0.1:8080`); the page's own origin by default. */
  baseUrl?: string;
  /** Abort signal for the request. */
  signal?: AbortSignal;
}

class PullError extends Error {}

async function fetchSnapshot(url: string, signal?: AbortSignal): Promise<CatalogSnapshot> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json' }, signal });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new PullError('Could not reach the server. Check your connection and try again.');
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new PullError(
      response.ok
        ? 'The server sent a catalog that could not be read.'
        : `The server could not send the catalog (HTTP ${response.status}).`,
    );
  }
  if (!response.ok) {
    const apiError = ApiError.safeParse(body);
    const detail = apiError.success ? `: ${apiError.data.error.message}` : '.';
    throw new PullError(`The server could not send the catalog (HTTP ${response.status})${detail}`);
  }
  const parsed = CatalogSnapshot.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` (at ${issue.path.join('.')})` : '';
    throw new PullError(`The server sent a catalog this app does not understand${where}.`);
  }
  return parsed.data;
}

/** Replaces every catalog table with the snapshot in one transaction; cart lines stay as they are. */
export async function storeSnapshot(target: VitrineDB, snapshot: CatalogSnapshot): Promise<void> {
  await target.transaction(
    'rw',
    [target.brands, target.categories, target.products, target.showrooms, target.meta],
    async () => {
      await Promise.all([
        target.brands.clear(),
        target.categories.clear(),
        target.products.clear(),
        target.showrooms.clear(),
      ]);
      await Promise.all([
        target.brands.bulkPut(snapshot.brands),
        target.categories.bulkPut(snapshot.categories),
        target.products.bulkPut(snapshot.products),
        target.showrooms.bulkPut(snapshot.showrooms),
        target.meta.bulkPut([
          { key: 'catalogCursor', value: snapshot.cursor },
          { key: 'catalogPulledAt', value: new Date().toISOString() },
        ]),
      ]);
    },
  );
}

/**
 * Pulls the catalog once and stores it. Resolves `true` on success, `false` on failure (the status then holds
 * the reason and the previous catalog is left intact). A call while a pull is running joins that pull.
 */
export function pullCatalog(options: PullOptions = {}): Promise<boolean> {
  if (inFlight) return inFlight;
  const target = options.db ?? appDb;
  const url = options.baseUrl ? new URL(CATALOG_PATH, options.baseUrl).href : CATALOG_PATH;
  setPullStatus({ state: 'pulling' });
  inFlight = (async () => {
    try {
      const snapshot = await fetchSnapshot(url, options.signal);
      await storeSnapshot(target, snapshot);
      setPullStatus({ state: 'idle' });
      return true;
    } catch (err) {
      const message =
        err instanceof PullError
          ? err.message
          : `The catalog could not be updated: ${err instanceof Error ? err.message : String(err)}`;
      setPullStatus({ state: 'error', message });
      return false;
    } finally {
      inFlight = undefined;
    }
  })();
  return inFlight;
}
