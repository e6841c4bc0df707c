import type { AssetFile } from '../../db/asset-index';
import { db, type AssetPin } from '../../db/db';
import type { Product } from '../../protocol/catalog';

/** What "Save for offline" saves: one showroom (with every product on its stands) or one product. */
export interface OfflineTarget {
  kind: 'showroom' | 'product';
  id: string;
}

/** The pin that holds a target's files in the asset index. */
export function pinOf(target: OfflineTarget): AssetPin {
  return target.kind === 'showroom' ? `showroom:${target.id}` : `product:${target.id}`;
}

/** The model and poster of each product, each file once, in product order. */
export function productFiles(products: readonly Product[]): AssetFile[] {
  const files = new Map<string, AssetFile>();
  for (const p of products) {
    for (const ref of [p.model, p.poster]) files.set(ref.url, { url: ref.url, bytes: ref.bytes });
  }
  return [...files.values()];
}

/**
 * The files a target needs offline, read from the local catalog: empty when the target is not in it (yet).
 * Call inside `useLiveQuery` to follow catalog changes.
 */
export async function targetFiles(target: OfflineTarget): Promise<AssetFile[]> {
  if (target.kind === 'product') {
    const product = await db.products.get(target.id);
    return product ? productFiles([product]) : [];
  }
  const showroom = await db.showrooms.get(target.id);
  if (!showroom) return [];
  const ids = [...new Set(showroom.fixtures.map((f) => f.productId))];
  const products = await db.products.bulkGet(ids);
  return productFiles(products.filter((p): p is Product => p !== undefined));
}
