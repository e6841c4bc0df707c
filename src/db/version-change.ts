/**
 * Watches the app's database for an upgrade made by another tab (a newer version of Vitrine opened there).
 * IndexedDB cannot upgrade while this tab holds the database open, so this tab closes it at once, letting the
 * other tab go on, and records that it did: the UI then asks the shopper to reload instead of failing on the
 * next read. Everything already written stays in the database and the new version keeps it.
 */
import type { Dexie } from 'dexie';

let closed = false;
const listeners = new Set<() => void>();

/** Whether the database was closed for another tab's upgrade (this tab must reload to use it again). */
export function isClosedByUpgrade(): boolean {
  return closed;
}

/** Calls `listener` when the database gets closed for an upgrade; returns the unsubscribe function. */
export function subscribeClosedByUpgrade(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Closes `database` when another connection asks to upgrade it, and records that for the UI. */
export function closeOnVersionChange(database: Dexie): void {
  database.on('versionchange', () => {
    database.close();
    closed = true;
    for (const listener of listeners) listener();
    // Handled here: Dexie's own handling would reopen the database on the next query and fail there.
    return false;
  });
}
