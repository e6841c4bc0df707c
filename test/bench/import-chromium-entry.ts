/**
 * Browser entry of the Chromium import bench (bundled by import-chromium.ts): exposes `window.benchImport`,
 * which fetches the validated change pages from the bench page's server and runs import-measure.ts on the
 * browser's own IndexedDB. Side effect: sets `window.benchImport`.
 */
import type { CatalogChanges } from '../../src/protocol/catalog';
import { compareImport, type ImportComparison } from './import-measure';

declare global {
  interface Window {
    benchImport?: (runs: number) => Promise<ImportComparison>;
  }
}

window.benchImport = async (runs) => {
  const response = await fetch('/pages.json');
  const pages = (await response.json()) as CatalogChanges[];
  return compareImport(pages, runs, (line) => console.log(line));
};
