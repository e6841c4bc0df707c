/**
 * Service worker registration and updates: owns the page's one workbox-window `Workbox` for `/sw.js`. It
 * registers the worker, and when a new version has installed and is waiting it publishes that in the update
 * store (update-status.ts) instead of switching by itself; when the shopper chooses to reload, it asks the
 * waiting worker to skip waiting and reloads the page once that worker controls it. Production builds only
 * (main.tsx): the dev server has no service worker.
 */
// The package's ES2017 module (the same code as its ES5 entry, without the ES5 helpers): a smaller chunk.
import { Workbox } from 'workbox-window/Workbox.js';
import { setUpdateStatus } from './update-status';

/** URL of the service worker script (built by vite-plugin-pwa into the root of dist/app). */
export const SERVICE_WORKER_URL = '/sw.js';

let workbox: Workbox | undefined;

/**
 * Registers the service worker once per page; later calls do nothing. Resolves when registration settles;
 * never rejects (a browser without service workers, or a failed registration, leaves the app online-only).
 */
export async function registerServiceWorker(): Promise<void> {
  if (workbox !== undefined || !('serviceWorker' in navigator)) return;
  const wb = new Workbox(SERVICE_WORKER_URL);
  workbox = wb;

  wb.addEventListener('waiting', () => {
    setUpdateStatus({
      state: 'waiting',
      apply: () => {
        // Reload only after the new worker controls this page, so the reload is answered by the new version.
        wb.addEventListener('controlling', () => window.location.reload());
        wb.messageSkipWaiting();
      },
    });
  });

  try {
    await wb.register();
  } catch (err) {
    // Not an app failure: the app still works online, it just will not start offline.
    console.warn('The service worker could not be registered; the app will not work offline.', err);
  }
}
