/**
 * Names and byte budgets of the runtime caches of models and posters, shared by the service worker (which
 * serves from them) and "Save for offline" on the page (which fills them): one place, so both use the same.
 */

/** Name of the runtime cache of 3D models. */
export const MODEL_CACHE = 'vitrine-models';
/** Name of the runtime cache of posters. */
export const POSTER_CACHE = 'vitrine-posters';

/** Bytes of unpinned models the model cache may hold before evicting the least recently used. */
export const MODEL_BUDGET_BYTES = 200 * 1024 * 1024;
/** Bytes the poster cache may hold before evicting the least recently used unpinned posters. */
export const POSTER_BUDGET_BYTES = 50 * 1024 * 1024;

/**
 * Header on the page's own "Save for offline" downloads: the service worker lets them through to the network
 * untouched, because the page stores them itself (with progress and pins).
 */
export const SAVE_REQUEST_HEADER = 'X-Vitrine-Save';

/** A content-addressed model file. */
export const MODEL_PATH = /^\/assets\/[0-9a-f]{64}\.glb$/;
/** A content-addressed poster image. */
export const POSTER_PATH = /^\/assets\/[0-9a-f]{64}\.(?:jpg|png|webp)$/;
/**
 * A USDZ made on the device for AR Quick Look from model `<sha256>` in one material variant (URI-encoded):
 * a synthetic same-origin key the page stores in the model cache itself (features/product/usdz-store.ts); the
 * server has no such file and the service worker never fetches it.
 */
export const USDZ_PATH = /^\/assets\/usdz\/[0-9a-f]{64}-[^/]+\.usdz$/;

/** The runtime cache a file path belongs in, or undefined when it is not a model or a poster. */
export function cacheFor(path: string): { name: string; budgetBytes: number } | undefined {
  if (MODEL_PATH.test(path) || USDZ_PATH.test(path))
    return { name: MODEL_CACHE, budgetBytes: MODEL_BUDGET_BYTES };
  if (POSTER_PATH.test(path)) return { name: POSTER_CACHE, budgetBytes: POSTER_BUDGET_BYTES };
  return undefined;
}

/**
 * Name of the runtime cache of WebXR controller and hand models (/xr/input-profiles/, served by the app itself):
 * filled on the first VR session, so a showroom works in VR offline afterwards. Kept out of the precache (about
 * 4.6 MB that most shoppers never need) and out of the model budget (a handful of small files).
 */
export const INPUT_PROFILE_CACHE = 'vitrine-xr-input-profiles';

/** A file of the self-hosted WebXR input profiles: `profilesList.json` or `<profile>/<file>.json|glb`. */
export const INPUT_PROFILE_PATH = /^\/xr\/input-profiles\/(?:[\w-]+\/)?[\w.-]+\.(?:json|glb)$/;
