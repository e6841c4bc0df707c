/**
 * Catalog pull: the only client code that calls the catalog API. It asks the change feed
 * (`GET /api/v1/catalog/changes`) for what changed since the cursor stored in `db.meta`, page by page, keeps
 * the pages in memory, and applies them all in ONE Dexie transaction together with the last page's cursor once
 * the server says there is no more. Pages end wherever `limit` falls, which can be inside one catalog version
 * (a publish of 500 changes spans three pages), and each page sends records as they are now: committing page
 * by page would let an interrupted pull show part of a publish. Committing once means a device shows the
 * catalog it had or the one it reached, never half; an interrupted pull changes nothing and the next one starts
 * again from the stored cursor.
 * Cart lines are never touched. When the server no longer knows the stored cursor (`CURSOR_AHEAD`), or a
 * catalog is on the device without a cursor (a database upgraded from version 1), the pull rebuilds: it reads
 * every page from 0 and replaces the catalog tables in one transaction at the end.
 * The UI does not wait on it: pages read the database, and the status store (pull-status.ts) tells them
 * whether a pull is running or failed. The UI loads this module on demand through request-pull.ts.
 */
import { ApiError, CatalogChanges, type CatalogChange } from '../protocol/catalog';
import { db as appDb, type VitrineDB } from '../db/db';
import { OFFLINE_MESSAGE, setPullStatus } from './pull-status';

/** Path of the catalog change feed, relative to the app's origin. */
export const CHANGES_PATH = '/api/v1/catalog/changes';

/** Changes asked for per page. */
export const PAGE_LIMIT = 200;

/** The URL path of the page after `since`. */
export function changesPath(since: string, limit = PAGE_LIMIT): string {
  return `${CHANGES_PATH}?since=${encodeURIComponent(since)}&limit=${limit}`;
}

/** The first page a device without a catalog asks for (the server preloads it on product pages). */
export const FIRST_PAGE_PATH = changesPath('0');

let inFlight: Promise<boolean> | undefined;
/** The pull queued to run once `inFlight` ends (see `pullCatalog`). */
let followUp: Promise<boolean> | undefined;

export interface PullOptions {
  /** Database to fill; the app's database by default. */
  db?: VitrineDB;
  /** Origin of the API (e.g. `http://127.0.0.1:8080`); the page's own origin by default. */
  baseUrl?: string;
  /** Abort signal for the requests. */
  signal?: AbortSignal;
  /** Changes per page; {@link PAGE_LIMIT} by default. */
  limit?: number;
}

class PullError extends Error {}

/** The server no longer has the stored cursor (its catalog was reset): start again from 0. */
class CursorAheadError extends Error {}

async function fetchPage(url: string, signal?: AbortSignal): Promise<CatalogChanges> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json' }, signal });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new PullError(OFFLINE_MESSAGE);
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
    if (apiError.success && apiError.data.error.code === 'CURSOR_AHEAD') throw new CursorAheadError();
    const detail = apiError.success ? `: ${apiError.data.error.message}` : '.';
    throw new PullError(`The server could not send the catalog (HTTP ${response.status})${detail}`);
  }
  const parsed = CatalogChanges.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` (at ${issue.path.join('.')})` : '';
    throw new PullError(`The server sent a catalog this app does not understand${where}.`);
  }
  return parsed.data;
}

/** The catalog tables' contents by table, as a rebuild collects them. */
interface CatalogRecords {
  brands: Map<string, Extract<CatalogChange, { entity: 'brand'; op: 'put' }>['record']>;
  categories: Map<string, Extract<CatalogChange, { entity: 'category'; op: 'put' }>['record']>;
  products: Map<string, Extract<CatalogChange, { entity: 'product'; op: 'put' }>['record']>;
  showrooms: Map<string, Extract<CatalogChange, { entity: 'showroom'; op: 'put' }>['record']>;
}

const emptyRecords = (): CatalogRecords => ({
  brands: new Map(),
  categories: new Map(),
  products: new Map(),
  showrooms: new Map(),
});

const TABLE_OF = {
  brand: 'brands',
  category: 'categories',
  product: 'products',
  showroom: 'showrooms',
} as const;

/** Folds changes into `records`: puts replace, deletes remove. */
function foldChanges(records: CatalogRecords, changes: CatalogChange[]): void {
  for (const change of changes) {
    if (change.op === 'delete') {
      records[TABLE_OF[change.entity]].delete(change.id);
      continue;
    }
    switch (change.entity) {
      case 'brand':
        records.brands.set(change.id, change.record);
        break;
      case 'category':
        records.categories.set(change.id, change.record);
        break;
      case 'product':
        records.products.set(change.id, change.record);
        break;
      case 'showroom':
        records.showrooms.set(change.id, change.record);
        break;
    }
  }
}

const catalogTables = (target: VitrineDB) =>
  [target.brands, target.categories, target.products, target.showrooms, target.meta] as const;

/** Meta entries written with a page: its cursor, and the time when it completes the pull. */
function metaFor(page: CatalogChanges): { key: 'catalogCursor' | 'catalogPulledAt'; value: string }[] {
  return [
    { key: 'catalogCursor', value: page.cursor },
    ...(page.hasMore ? [] : [{ key: 'catalogPulledAt' as const, value: new Date().toISOString() }]),
  ];
}

/**
 * Applies one page of changes (or the pages of a whole pull folded into one, see `pullChanges`) and its cursor
 * in one transaction; cart lines stay as they are.
 */
export async function applyPage(target: VitrineDB, page: CatalogChanges): Promise<void> {
  const puts = emptyRecords();
  foldChanges(puts, page.changes);
  const deletes = page.changes.filter((c) => c.op === 'delete');
  await target.transaction('rw', catalogTables(target), async () => {
    await Promise.all([
      target.brands.bulkPut([...puts.brands.values()]),
      target.categories.bulkPut([...puts.categories.values()]),
      target.products.bulkPut([...puts.products.values()]),
      target.showrooms.bulkPut([...puts.showrooms.values()]),
      ...(['brand', 'category', 'product', 'showroom'] as const).map((entity) =>
        target[TABLE_OF[entity]].bulkDelete(deletes.filter((c) => c.entity === entity).map((c) => c.id)),
      ),
      target.meta.bulkPut(metaFor(page)),
    ]);
  });
}

/** Replaces every catalog table with `records` and stores the final page's cursor, in one transaction. */
async function replaceCatalog(
  target: VitrineDB,
  records: CatalogRecords,
  last: CatalogChanges,
): Promise<void> {
  await target.transaction('rw', catalogTables(target), async () => {
    await Promise.all([
      target.brands.clear(),
      target.categories.clear(),
      target.products.clear(),
      target.showrooms.clear(),
    ]);
    await Promise.all([
      target.brands.bulkPut([...records.brands.values()]),
      target.categories.bulkPut([...records.categories.values()]),
      target.products.bulkPut([...records.products.values()]),
      target.showrooms.bulkPut([...records.showrooms.values()]),
      target.meta.bulkPut(metaFor(last)),
    ]);
  });
}

/** Fetches pages from `since` until the last one, handing each to `onPage`; a page must move the cursor on. */
async function eachPage(
  since: string,
  url: (since: string) => string,
  signal: AbortSignal | undefined,
  onPage: (page: CatalogChanges) => Promise<void>,
): Promise<void> {
  let cursor = since;
  for (;;) {
    const page = await fetchPage(url(cursor), signal);
    if (page.hasMore && Number(page.cursor) <= Number(cursor)) {
      throw new PullError('The server sent a catalog page that does not move on; try again later.');
    }
    await onPage(page);
    cursor = page.cursor;
    if (!page.hasMore) return;
  }
}

/** Reads the whole catalog from cursor 0 and swaps it in at the end: an interruption changes nothing. */
async function rebuild(
  target: VitrineDB,
  url: (since: string) => string,
  signal?: AbortSignal,
): Promise<void> {
  const records = emptyRecords();
  let last: CatalogChanges | undefined;
  await eachPage('0', url, signal, async (page) => {
    foldChanges(records, page.changes);
    last = page;
  });
  if (last) await replaceCatalog(target, records, last);
}

/**
 * Reads every page after `since`, keeping each record's latest change, and applies them with the last page's
 * cursor in one transaction at the end: an interruption changes nothing (see the module comment).
 */
async function pullChanges(
  target: VitrineDB,
  since: string,
  url: (since: string) => string,
  signal?: AbortSignal,
): Promise<void> {
  const latest = new Map<string, CatalogChange>();
  let last: CatalogChanges | undefined;
  await eachPage(since, url, signal, async (page) => {
    for (const change of page.changes) {
      const key = `${change.entity}:${change.id}`;
      latest.delete(key); // a record keeps the position of its latest change
      latest.set(key, change);
    }
    last = page;
  });
  if (last) await applyPage(target, { cursor: last.cursor, hasMore: false, changes: [...latest.values()] });
}

/** Brings the catalog on `target` up to the server's cursor (see the module comment for the strategy). */
async function pullInto(target: VitrineDB, url: (since: string) => string, signal?: AbortSignal) {
  const stored = (await target.meta.get('catalogCursor'))?.value;
  const hasRecords = (await target.products.count()) > 0 || (await target.brands.count()) > 0;
  if (stored === undefined && hasRecords) return rebuild(target, url, signal);
  try {
    await pullChanges(target, stored ?? '0', url, signal);
  } catch (err) {
    if (!(err instanceof CursorAheadError)) throw err;
    await rebuild(target, url, signal);
  }
}

/**
 * Pulls what changed in the catalog and stores it. Resolves `true` on success, `false` on failure (the status
 * then holds the reason; the catalog is then as it was before the pull). A call while a pull runs gets one
 * more pull after it (shared by every call made meanwhile): the running pull may have read the server before
 * the change the caller is waiting for, or have started while the connection was down.
 */
export function pullCatalog(options: PullOptions = {}): Promise<boolean> {
  if (inFlight) {
    followUp ??= inFlight.then(() => {
      followUp = undefined;
      return pullCatalog(options);
    });
    return followUp;
  }
  const target = options.db ?? appDb;
  const url = (since: string): string => {
    const path = changesPath(since, options.limit);
    return options.baseUrl ? new URL(path, options.baseUrl).href : path;
  };
  setPullStatus({ state: 'pulling' });
  inFlight = (async () => {
    try {
      await pullInto(target, url, options.signal);
      setPullStatus({ state: 'idle' });
      return true;
    } catch (err) {
      const message =
        err instanceof PullError
          ? err.message
          : err instanceof CursorAheadError
            ? 'The server’s catalog was reset while it was being read. Try again.'
            : `The catalog could not be updated: ${err instanceof Error ? err.message : String(err)}`;
      setPullStatus({ state: 'error', message });
      return false;
    } finally {
      inFlight = undefined;
    }
  })();
  return inFlight;
}
