/**
 * What the shopper is told after the device ran out of storage while caching a model or poster: which files
 * were given up to make room, and whether the file being stored still did not fit. Written by whichever
 * context hit the full disk (the service worker or a page), read by every page through liveQuery, kept until
 * the shopper dismisses it. A second event before that adds to the first.
 */
import { db } from './db';

/** One or more full-disk events since the shopper last dismissed the notice. */
export interface StorageNotice {
  /** When the last event happened (ms since epoch). */
  at: number;
  /** Unsaved files removed to make room. */
  evictedFiles: number;
  /** Their bytes. */
  evictedBytes: number;
  /** Files that could not be stored even after making room. */
  notStored: number;
}

/** Adds a full-disk event to the notice (one transaction, so two contexts cannot lose each other's counts). */
export async function noteStorageFull(event: Omit<StorageNotice, 'at'>, now = Date.now()): Promise<void> {
  await db.transaction('rw', db.meta, async () => {
    const previous = await readStorageNotice();
    const next: StorageNotice = {
      at: now,
      evictedFiles: (previous?.evictedFiles ?? 0) + event.evictedFiles,
      evictedBytes: (previous?.evictedBytes ?? 0) + event.evictedBytes,
      notStored: (previous?.notStored ?? 0) + event.notStored,
    };
    await db.meta.put({ key: 'storageNotice', value: JSON.stringify(next) });
  });
}

/** The notice to show, or undefined when there is none. */
export async function readStorageNotice(): Promise<StorageNotice | undefined> {
  const entry = await db.meta.get('storageNotice');
  if (!entry) return undefined;
  try {
    return JSON.parse(entry.value) as StorageNotice;
  } catch {
    return undefined;
  }
}

/** The shopper has read the notice. */
export async function dismissStorageNotice(): Promise<void> {
  await db.meta.delete('storageNotice');
}
