/**
 * The catalog pull's status store: one module-scope value (idle, pulling, or error with a message) that the
 * pull writes and pages read through `useSyncExternalStore`. Kept apart from the pull itself so pages can
 * show the status without loading the pull's code (and the wire schemas) up front.
 */

/** Where the catalog pull stands. `message` says in plain words why the last pull failed. */
export type PullStatus = { state: 'idle' } | { state: 'pulling' } | { state: 'error'; message: string };

/** What the status says when the server cannot be reached (no network, or the server is down). */
export const OFFLINE_MESSAGE =
  'You are offline (or the server cannot be reached). The catalog on this device is shown; it updates when the connection is back.';

let status: PullStatus = { state: 'idle' };
const listeners = new Set<() => void>();

/** Current pull status (a stable object until it changes, as `useSyncExternalStore` needs). */
export function getPullStatus(): PullStatus {
  return status;
}

/** Calls `listener` whenever the pull status changes; returns the unsubscribe function. */
export function subscribePullStatus(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Replaces the status and tells every subscriber. Only the catalog pull and its launcher call this. */
export function setPullStatus(next: PullStatus): void {
  status = next;
  for (const listener of listeners) listener();
}
