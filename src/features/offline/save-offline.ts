/**
 * "Save for offline" and "Remove from offline": downloads a target's files into the caches the service worker
 * serves from (with progress in bytes), pins them in the asset index, asks once for persistent storage, and
 * undoes all of it on request. Pins go in before the downloads, so the worker's budget never evicts a file of
 * a save in progress, and come out again if the save fails, so a failed save leaves no file pinned.
 */
import { isQuotaError } from '../../core/cache-budget';
import { pinAssets, recordCached, unpinAssets, type AssetFile } from '../../db/asset-index';
import { db, type AssetPin } from '../../db/db';
import { cacheFor, SAVE_REQUEST_HEADER } from '../../pwa/asset-caches';
import { evictAssets, storeAsset } from '../../pwa/cached-assets';

/** A save that did not complete, with a message for the shopper. */
export class SaveFailedError extends Error {
  override readonly name = 'SaveFailedError';
}

/** Puts a file into its cache unless it is there already; reports the bytes as they arrive. */
async function ensureCached(file: AssetFile, onBytes: (n: number) => void): Promise<void> {
  const cache = cacheFor(file.url);
  if (!cache) throw new SaveFailedError(`${file.url} is not a model or a poster.`);
  const present = await (await caches.open(cache.name)).match(file.url);
  if (present) {
    await recordCached(file.url, file.bytes);
    onBytes(file.bytes);
    return;
  }
  const response = await fetch(file.url, { headers: { [SAVE_REQUEST_HEADER]: '1' } });
  if (response.status !== 200 || !response.body) {
    throw new SaveFailedError(`The server could not send a file (HTTP ${response.status}). Try again later.`);
  }
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  const reader = response.body.getReader();
  let received = 0;
  let reported = 0;
  // Never more than the catalog announced for this file, so the bar never runs past its end.
  const report = (bytes: number) => {
    const next = Math.min(bytes, file.bytes);
    onBytes(next - reported);
    reported = next;
  };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.byteLength;
    report(received);
  }
  report(file.bytes);
  await storeAsset(file.url, new Blob(chunks), response.headers);
}

/** A plain-words explanation of why a save failed. */
export function describeSaveError(err: unknown): string {
  if (err instanceof SaveFailedError) return err.message;
  if (isQuotaError(err)) {
    return 'There is not enough storage space on this device. Models not saved for offline were removed to make room, and it still did not fit. Free some space or remove another saved showroom, then try again.';
  }
  if (err instanceof TypeError) {
    return 'The download stopped because the connection to the server was lost. Nothing was saved; try again when you are online.';
  }
  return `Saving for offline failed: ${err instanceof Error ? err.message : String(err)}`;
}

/**
 * Saves `files` for offline under `pin`, calling `onProgress(doneBytes, totalBytes)` as they arrive. On
 * failure the pin is taken off again (the files already downloaded stay as ordinary, evictable cache entries)
 * and the error is rethrown for {@link describeSaveError}.
 */
export async function saveForOffline(
  pin: AssetPin,
  files: readonly AssetFile[],
  onProgress: (doneBytes: number, totalBytes: number) => void,
): Promise<void> {
  const total = files.reduce((sum, f) => sum + f.bytes, 0);
  let done = 0;
  onProgress(0, total);
  await pinAssets(pin, files);
  try {
    for (const file of files) {
      await ensureCached(file, (n) => {
        done += n;
        onProgress(done, total);
      });
    }
  } catch (err) {
    await unpinAssets(pin);
    throw err;
  }
}

/** Takes `pin` off its files and deletes from the caches the files no other pin holds. */
export async function removeFromOffline(pin: AssetPin): Promise<void> {
  await evictAssets(await unpinAssets(pin));
}

/**
 * Asks the browser once per device to keep the app's storage (not evict it under pressure). Returns whether
 * storage is persistent now.
 */
export async function askPersistenceOnce(): Promise<boolean> {
  const storage = navigator.storage as StorageManager | undefined;
  if (!storage?.persist) return false;
  if (await storage.persisted()) return true;
  if (await db.meta.get('persistAsked')) return false;
  await db.meta.put({ key: 'persistAsked', value: new Date().toISOString() });
  return storage.persist();
}
