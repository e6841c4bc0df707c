/**
 * The byte budget of a runtime cache: which cached files to evict, least recently used first, so that the cache
 * fits its budget, never touching a pinned ("saved for offline") file; and the one retry after a full disk.
 * Plain decisions over plain data: the service worker and the page do the Cache Storage and IndexedDB work.
 */

/** One file in a runtime cache, as the asset index knows it. */
export interface BudgetEntry {
  url: string;
  /** Size of the file in bytes. */
  bytes: number;
  /** Last time the file was stored or served (ms since epoch). */
  lastUsed: number;
  /** True when a saved showroom or product holds the file: it is never evicted. */
  pinned: boolean;
}

/**
 * URLs to evict so that the cache's total bytes fit `budgetBytes`: unpinned entries, least recently used first
 * (ties by URL, so the choice is stable), and no more than needed. Pinned entries count towards the total but
 * are never chosen, so when pinned files alone exceed the budget every unpinned entry goes and the total stays
 * above the budget.
 */
export function chooseEvictions(entries: readonly BudgetEntry[], budgetBytes: number): string[] {
  let total = entries.reduce((sum, e) => sum + e.bytes, 0);
  if (total <= budgetBytes) return [];
  const candidates = entries
    .filter((e) => !e.pinned)
    .sort((a, b) => a.lastUsed - b.lastUsed || (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  const evict: string[] = [];
  for (const entry of candidates) {
    if (total <= budgetBytes) break;
    evict.push(entry.url);
    total -= entry.bytes;
  }
  return evict;
}

/** Every unpinned URL, least recently used first: what a full disk gives up before one more try. */
export function unpinnedByAge(entries: readonly BudgetEntry[]): string[] {
  return chooseEvictions(entries, -1);
}

/** True for the error a storage write throws when the origin's quota is used up. */
export function isQuotaError(err: unknown): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    'name' in err &&
    (err.name === 'QuotaExceededError' || err.name === 'NS_ERROR_DOM_QUOTA_REACHED')
  );
}

/**
 * Runs `put`; when it fails with a quota error, runs `makeRoom` (evict unpinned files) and tries `put` exactly
 * once more. Any other error, or a second quota error, is thrown to the caller.
 */
export async function putWithQuotaRetry<T>(
  put: () => Promise<T>,
  makeRoom: () => Promise<unknown>,
): Promise<T> {
  try {
    return await put();
  } catch (err) {
    if (!isQuotaError(err)) throw err;
    await makeRoom();
    return put();
  }
}
