/**
 * Storing and evicting model and poster files in Cache Storage, keeping the asset index (db/asset-index.ts) in
 * step: every put is recorded with its size, every put is followed by the cache's byte budget (least recently
 * used unpinned files go first), and a put that hits the storage quota evicts every unpinned model and tries
 * once more, leaving a notice for the shopper (db/storage-notice.ts). Used by the service worker and by
 * "Save for offline" on the page.
 */
import { chooseEvictions, isQuotaError, putWithQuotaRetry, unpinnedByAge } from '../core/cache-budget';
import { cachedEntries, recordCached, recordEvicted } from '../db/asset-index';
import { noteStorageFull } from '../db/storage-notice';
import { cacheFor, MODEL_CACHE } from './asset-caches';

/** Deletes the files from their caches and records them evicted in the index. */
export async function evictAssets(urls: readonly string[]): Promise<void> {
  for (const url of urls) {
    const cache = cacheFor(url);
    if (cache) await (await caches.open(cache.name)).delete(url);
  }
  await recordEvicted(urls);
}

/**
 * Evicts every unpinned file of the model cache (models and the USDZs made from them), least recently used
 * first: what a full disk gives up. Says what went.
 */
export async function evictUnpinnedModels(): Promise<{ files: number; bytes: number }> {
  const entries = await cachedEntries((url) => cacheFor(url)?.name === MODEL_CACHE);
  const urls = unpinnedByAge(entries);
  await evictAssets(urls);
  const gone = new Set(urls);
  const bytes = entries.filter((e) => gone.has(e.url)).reduce((sum, e) => sum + e.bytes, 0);
  return { files: urls.length, bytes };
}

/** Brings the cache that `path` belongs to within its byte budget. Returns the evicted URLs. */
export async function enforceBudget(path: string): Promise<string[]> {
  const cache = cacheFor(path);
  if (!cache) return [];
  const entries = await cachedEntries((url) => cacheFor(url)?.name === cache.name);
  const urls = chooseEvictions(entries, cache.budgetBytes);
  await evictAssets(urls);
  return urls;
}

/**
 * Puts the file at `path` (body and response headers) into its cache, recording it in the index, then keeps
 * the cache within budget. On a quota error it evicts unpinned models and retries once; a second failure is
 * thrown (a `QuotaExceededError` the caller can explain). Either way the shopper gets a storage notice.
 */
export async function storeAsset(path: string, body: Blob, headers: Headers): Promise<void> {
  const target = cacheFor(path);
  if (!target) throw new Error(`${path} is not a model or poster file`);
  const cache = await caches.open(target.name);
  // Only the type: the body is already decoded (no Content-Encoding) and never varies (no Vary).
  const stored = { 'Content-Type': headers.get('Content-Type') ?? 'application/octet-stream' };
  let evicted = { files: 0, bytes: 0 };
  try {
    await putWithQuotaRetry(
      () => cache.put(path, new Response(body, { status: 200, headers: stored })),
      async () => {
        evicted = await evictUnpinnedModels();
      },
    );
  } catch (err) {
    if (isQuotaError(err)) {
      await noteStorageFull({ evictedFiles: evicted.files, evictedBytes: evicted.bytes, notStored: 1 });
    }
    throw err;
  }
  if (evicted.files > 0) {
    await noteStorageFull({ evictedFiles: evicted.files, evictedBytes: evicted.bytes, notStored: 0 });
  }
  await recordCached(path, body.size);
  await enforceBudget(path);
}
