/**
 * The app-update store: whether a new version of the app is installed and waiting, and how to switch to it.
 * Registration (register.ts) writes it; the update prompt reads it through `useSyncExternalStore`. Kept apart
 * from registration so the prompt does not load workbox-window up front.
 */

/** Where the app update stands. `apply` asks the waiting version to take over and reloads once it has. */
export type UpdateStatus = { state: 'current' } | { state: 'waiting'; apply: () => void };

let status: UpdateStatus = { state: 'current' };
const listeners = new Set<() => void>();

/** Current update status (a stable object until it changes, as `useSyncExternalStore` needs). */
export function getUpdateStatus(): UpdateStatus {
  return status;
}

/** Calls `listener` whenever the update status changes; returns the unsubscribe function. */
export function subscribeUpdateStatus(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Replaces the status and tells every subscriber. Only service worker registration calls this. */
export function setUpdateStatus(next: UpdateStatus): void {
  status = next;
  for (const listener of listeners) listener();
}
