/**
 * Timing of a catalog import into IndexedDB, shared by the Node run (fake-indexeddb) and the Chromium run
 * (bundled into a page by import-chromium.ts): the app's path, `applyPage` page by page as a first pull does,
 * against a raw Dexie `bulkPut` of the same product records. Every timed import starts from a new, empty
 * database (deleted afterwards); the order of app and raw alternates between runs so that a busy moment on
 * the machine hits both alike. No side effects beyond the databases it creates and deletes.
 */
import { Dexie } from 'dexie';
import { VitrineDB } from '../../src/db/db';
import type { CatalogChanges, Product } from '../../src/protocol/catalog';
import { applyPage } from '../../src/sync/catalog-pull';

/**
 * `app`: `applyPage` for every page (one transaction each, cursor included); `raw`: one `bulkPut` of every
 * record in one transaction; `raw-paged`: `bulkPut` of each page's records, one transaction per page.
 */
export type ImportMode = 'app' | 'raw' | 'raw-paged';

/** Median and runs of one mode, in records per second. */
export interface ImportModeResult {
  medianRecordsPerSecond: number;
  medianMs: number;
  runsMs: number[];
}

/** What {@link compareImport} measured. */
export interface ImportComparison {
  records: number;
  pages: number;
  runs: number;
  app: ImportModeResult;
  raw: ImportModeResult;
  rawPaged: ImportModeResult;
  /** app records/s ÷ raw records/s (goal ≥ 0.8). */
  appToRaw: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const at = (i: number): number => sorted[i] ?? NaN;
  return sorted.length % 2 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
}

function productsOf(page: CatalogChanges): Product[] {
  return page.changes.flatMap((c) => (c.op === 'put' && c.entity === 'product' ? [c.record] : []));
}

/** Milliseconds one import of `pages` takes in `mode`, into a new database called `name`. */
export async function timeImport(mode: ImportMode, pages: readonly CatalogChanges[], name: string) {
  await Dexie.delete(name);
  const db = new VitrineDB(name);
  await db.open();
  const pageRecords = pages.map(productsOf);
  const all = pageRecords.flat();
  const started = performance.now();
  if (mode === 'app') {
    for (const page of pages) await applyPage(db, page);
  } else if (mode === 'raw') {
    await db.products.bulkPut(all);
  } else {
    for (const records of pageRecords) await db.products.bulkPut(records);
  }
  const ms = performance.now() - started;
  const count = await db.products.count();
  db.close({ disableAutoOpen: true });
  await Dexie.delete(name);
  if (count !== all.length) throw new Error(`${mode} import stored ${count} of ${all.length} products`);
  return ms;
}

/** Imports `pages` `runs` times in each mode, alternating, and compares medians. */
export async function compareImport(
  pages: readonly CatalogChanges[],
  runs: number,
  log: (line: string) => void = () => undefined,
): Promise<ImportComparison> {
  const records = pages.reduce((n, p) => n + productsOf(p).length, 0);
  const times: Record<ImportMode, number[]> = { app: [], raw: [], 'raw-paged': [] };
  // Warm-up (JIT, Dexie's first open), not counted.
  await timeImport('app', pages.slice(0, 2), 'vitrine-bench-warmup');
  await timeImport('raw', pages.slice(0, 2), 'vitrine-bench-warmup');
  for (let run = 0; run < runs; run++) {
    const order: ImportMode[] = run % 2 === 0 ? ['app', 'raw', 'raw-paged'] : ['raw-paged', 'raw', 'app'];
    for (const mode of order) {
      times[mode].push(await timeImport(mode, pages, `vitrine-bench-${mode}-${run}`));
    }
    log(
      `run ${run + 1}: app ${times.app.at(-1)?.toFixed(0)} ms, raw ${times.raw.at(-1)?.toFixed(0)} ms, ` +
        `raw per page ${times['raw-paged'].at(-1)?.toFixed(0)} ms`,
    );
  }
  const result = (ms: number[]): ImportModeResult => {
    const m = median(ms);
    return {
      medianRecordsPerSecond: Math.round((records / m) * 1000),
      medianMs: Math.round(m),
      runsMs: ms.map((x) => Math.round(x)),
    };
  };
  const app = result(times.app);
  const raw = result(times.raw);
  return {
    records,
    pages: pages.length,
    runs,
    app,
    raw,
    rawPaged: result(times['raw-paged']),
    appToRaw: Math.round((app.medianRecordsPerSecond / raw.medianRecordsPerSecond) * 1000) / 1000,
  };
}
