/**
 * The USDZ files of AR Quick Look: gets one product variant's USDZ from Cache Storage, or makes it from the
 * product's glTF (through the app's model cache, so a model the viewer already shows is not fetched again) and
 * stores it. Owns the `/assets/usdz/<model sha256>-<placement>-r<three revision>v<export version>-<variant>.usdz`
 * entries of the model cache.
 *
 * Why Cache Storage, keyed so: making a USDZ takes a moment (seconds for a large textured model) and the result
 * depends only on the model file, the placement (its anchoring plane), the variant and the code that exports it
 * (three's exporter and ours), so a second tap, online or offline, opens at once, and a catalog change of
 * placement or an app update that exports differently makes a new file instead of opening a stale one. The key lives in the same runtime model cache as the GLBs, recorded in the asset index like them, so the
 * model cache's byte budget and least-recently-used eviction cover it with no extra bookkeeping. "Save for
 * offline" pins only the GLB: a USDZ evicted (or never made) is made again from the saved GLB offline, since
 * making it needs nothing but that file and code the app shell precaches.
 */
import { REVISION } from 'three';
import { touchAsset } from '../../db/asset-index';
import type { Placement, Product } from '../../protocol/catalog';
import { MODEL_CACHE } from '../../pwa/asset-caches';
import { storeAsset } from '../../pwa/cached-assets';
import { modelCache } from '../../scene/gltf-cache';
import { USDZ_EXPORT_VERSION, USDZ_TYPE, usdzOfInstance } from '../../scene/usdz';

/** The Cache Storage key of the USDZ of model `sha256` placed on `placement`, in material variant `variant`. */
export function usdzCacheUrl(sha256: string, placement: Placement, variant: string): string {
  const exporter = `r${REVISION}v${USDZ_EXPORT_VERSION}`;
  return `/assets/usdz/${sha256}-${placement}-${exporter}-${encodeURIComponent(variant)}.usdz`;
}

/** USDZ files being read or made, by cache URL: a second tap meanwhile waits for the same one. */
const inFlight = new Map<string, Promise<Blob>>();

async function cached(url: string): Promise<Blob | undefined> {
  if (typeof caches === 'undefined') return undefined;
  const hit = await (await caches.open(MODEL_CACHE)).match(url);
  if (!hit) return undefined;
  const body = await hit.blob();
  // Marks it used for the least-recently-used eviction; an index that lags only costs an early eviction.
  void touchAsset(url).catch(() => undefined);
  return body.type === USDZ_TYPE ? body : new Blob([body], { type: USDZ_TYPE });
}

async function make(product: Product, variant: string): Promise<Blob> {
  const instance = await modelCache.acquire(product.model.url);
  try {
    return await usdzOfInstance(instance, variant, product.placement);
  } finally {
    instance.dispose();
  }
}

/**
 * The USDZ of `product` showing material variant `variant`: from Cache Storage when it was made before, else
 * made now and stored (a failure to store, such as a full disk, only costs the next tap the time to make it
 * again). Rejects when the model cannot be loaded or exported.
 */
export function usdzFor(product: Product, variant: string): Promise<Blob> {
  const url = usdzCacheUrl(product.model.sha256, product.placement, variant);
  let pending = inFlight.get(url);
  if (!pending) {
    pending = getOrMake(url, product, variant).finally(() => inFlight.delete(url));
    inFlight.set(url, pending);
  }
  return pending;
}

async function getOrMake(url: string, product: Product, variant: string): Promise<Blob> {
  const hit = await cached(url).catch(() => undefined);
  if (hit) return hit;
  const blob = await make(product, variant);
  if (typeof caches !== 'undefined') {
    await storeAsset(url, blob, new Headers({ 'Content-Type': USDZ_TYPE })).catch((err: unknown) => {
      console.warn(`Vitrine: could not keep the AR Quick Look file ${url} for next time.`, err);
    });
  }
  return blob;
}
