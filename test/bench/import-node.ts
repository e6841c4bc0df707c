/**
 * Catalog import bench in Node: Dexie on fake-indexeddb (an in-memory IndexedDB written in JavaScript, not
 * a browser's engine, so its absolute numbers say little about a device; the app/raw ratio is the point).
 * Side effect owned here: installs fake-indexeddb as the global `indexedDB` of this process.
 */
import 'fake-indexeddb/auto';
import type { CatalogChanges } from '../../src/protocol/catalog';
import { compareImport, type ImportComparison } from './import-measure';

/** Runs per mode. */
export const NODE_IMPORT_RUNS = 5;

/** Compares the app's import with a raw `bulkPut` on fake-indexeddb (see import-measure.ts). */
export function benchImportNode(pages: readonly CatalogChanges[]): Promise<ImportComparison> {
  return compareImport(pages, NODE_IMPORT_RUNS, (line) => console.log(`[bench] import (node) ${line}`));
}
