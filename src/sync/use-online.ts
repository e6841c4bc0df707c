/**
 * Connectivity for React: whether the browser reports a network (`navigator.onLine`), updated on the window's
 * `online` and `offline` events. The one hook every page and the header badge read it from.
 */
import { useSyncExternalStore } from 'react';

function subscribeOnline(listener: () => void): () => void {
  window.addEventListener('online', listener);
  window.addEventListener('offline', listener);
  return () => {
    window.removeEventListener('online', listener);
    window.removeEventListener('offline', listener);
  };
}

const getOnline = (): boolean => navigator.onLine !== false;

/** Whether the browser reports a network; updates on `online`/`offline` (true while rendering on a server). */
export function useOnline(): boolean {
  return useSyncExternalStore(subscribeOnline, getOnline, () => true);
}
