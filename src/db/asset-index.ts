/**
 * Writes of the asset index (the `assets` table): which model and poster files are in Cache Storage, how big
 * they are, when they were last used and which saved showrooms and products pin them. The service worker
 * records what it caches and serves; "Save for offline" pins and unpins. This table is the one source of truth
 * for pins: the service worker reads it before evicting anything.
 */
import type { BudgetEntry } from '../core/cache-budget';
import { db, type AssetEntry, type AssetPin } from './db';

/** A file to keep: its URL and size in bytes. */
export interface AssetFile {
  url: string;
  bytes: number;
}

/** Records that `url` is now in its cache (size `bytes`), used at `now`; keeps its pins. */
export async function recordCached(url: string, bytes: number, now = Date.now()): Promise<void> {
  await db.transaction('rw', db.assets, async () => {
    const entry = await db.assets.get(url);
    await db.assets.put({ url, bytes, cached: 1, pinnedBy: entry?.pinnedBy ?? [], lastUsed: now });
  });
}

/**
 * Marks `url` as used at `now` (a cache hit). Returns false when the index does not know the file as cached
 * (cached by an older version of the app), so the caller can record it with its size.
 */
export async function touchAsset(url: string, now = Date.now()): Promise<boolean> {
  const changed = await db.assets
    .where('url')
    .equals(url)
    .and((e) => e.cached === 1)
    .modify({ lastUsed: now });
  return changed > 0;
}

/** Records that these files left their cache; files no pin holds leave the index altogether. */
export async function recordEvicted(urls: readonly string[]): Promise<void> {
  if (urls.length === 0) return;
  await db.transaction('rw', db.assets, async () => {
    const entries = await db.assets.bulkGet([...urls]);
    const keep = entries.filter((e): e is AssetEntry => e !== undefined && e.pinnedBy.length > 0);
    await db.assets.bulkDelete(urls.filter((url) => !keep.some((e) => e.url === url)));
    await db.assets.bulkPut(keep.map((e) => ({ ...e, cached: 0 as const })));
  });
}

/** The cached files whose URL passes `belongs` (one cache's files), as the budget decision reads them. */
export async function cachedEntries(belongs: (url: string) => boolean): Promise<BudgetEntry[]> {
  const entries = await db.assets.where('cached').equals(1).toArray();
  return entries
    .filter((e) => belongs(e.url))
    .map((e) => ({ url: e.url, bytes: e.bytes, lastUsed: e.lastUsed, pinned: e.pinnedBy.length > 0 }));
}

/** Adds `pin` to every file in `files` (creating index entries, not yet cached, for files it lacks). */
export async function pinAssets(pin: AssetPin, files: readonly AssetFile[]): Promise<void> {
  await db.transaction('rw', db.assets, async () => {
    const entries = await db.assets.bulkGet(files.map((f) => f.url));
    await db.assets.bulkPut(
      files.map((file, i) => {
        const entry = entries[i];
        const pinnedBy = entry?.pinnedBy ?? [];
        return {
          url: file.url,
          bytes: entry?.cached ? entry.bytes : file.bytes,
          cached: entry?.cached ?? 0,
          pinnedBy: pinnedBy.includes(pin) ? pinnedBy : [...pinnedBy, pin],
          lastUsed: entry?.lastUsed ?? Date.now(),
        };
      }),
    );
  });
}

/**
 * Takes `pin` off every file it holds. Returns the URLs of the cached files that no pin holds any more (the
 * caller deletes them from Cache Storage, then records them evicted).
 */
export async function unpinAssets(pin: AssetPin): Promise<string[]> {
  return db.transaction('rw', db.assets, async () => {
    const held = await db.assets.where('pinnedBy').equals(pin).toArray();
    const released: string[] = [];
    const updated = held.map((e) => {
      const pinnedBy = e.pinnedBy.filter((p) => p !== pin);
      if (pinnedBy.length === 0 && e.cached === 1) released.push(e.url);
      return { ...e, pinnedBy };
    });
    await db.assets.bulkPut(updated.filter((e) => e.pinnedBy.length > 0 || e.cached === 1));
    await db.assets.bulkDelete(
      updated.filter((e) => e.pinnedBy.length === 0 && e.cached === 0).map((e) => e.url),
    );
    return released;
  });
}

/** The files `pin` holds. */
export function pinnedAssets(pin: AssetPin): Promise<AssetEntry[]> {
  return db.assets.where('pinnedBy').equals(pin).toArray();
}
