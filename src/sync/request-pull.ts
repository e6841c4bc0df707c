/**
 * Starts a catalog pull from the UI (app start, Retry buttons). The pull's code, with the wire schemas it
 * parses with, loads on demand here so it does not hold up the first paint of a catalog already on the device.
 */
import type * as CatalogPull from './catalog-pull';
import { OFFLINE_MESSAGE, setPullStatus } from './pull-status';
import { onReconnect } from './reconnect';

let started = false;

/** Pulls the catalog now (a pull already running is joined). Never rejects: failures land in the status. */
export async function requestCatalogPull(): Promise<void> {
  setPullStatus({ state: 'pulling' });
  let pull: typeof CatalogPull;
  try {
    pull = await import('./catalog-pull');
  } catch {
    setPullStatus({
      state: 'error',
      message: 'The part of the app that updates the catalog could not be loaded. Check your connection.',
    });
    return;
  }
  await pull.pullCatalog();
}

/**
 * Starts the first pull of this page load, and a pull each time the connection comes back (reconnect.ts), so
 * changes made on the server while the device was offline arrive without a reload; later calls do nothing
 * (Retry uses `requestCatalogPull`). While the browser reports no network (`navigator.onLine` false) it does not send a
 * request that can only fail (the browser would log it as an error): the status says so instead.
 */
export function startCatalogPull(): void {
  if (started) return;
  started = true;
  onReconnect(() => void requestCatalogPull());
  if (navigator.onLine === false) {
    setPullStatus({ state: 'error', message: OFFLINE_MESSAGE });
    return;
  }
  void requestCatalogPull();
}
