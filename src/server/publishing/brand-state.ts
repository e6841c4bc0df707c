/**
 * A brand's published state (brand, categories, products with their files, showrooms) and the one write that
 * makes a state live: it compares the target with the brand's live rows, writes only what differs, deletes
 * what the target no longer has, and returns the change-log entries, all inside the caller's transaction.
 * Other brands' rows are never touched; ids and SKUs another brand owns are reported as conflicts first.
 */
import type { Transaction } from 'kysely';
import type { AssetRef, Brand, Category, Product, Showroom } from '../../protocol/catalog';
import type { ChangeSummary, PublishProblem, ReleaseSummary } from '../../protocol/publish';
import { BRAND_FILES } from '../../protocol/brand-folder';
import { canonicalJson } from '../idempotency';
import type { ChangeEntry } from '../storage/catalog-store';
import { productRow, showroomRow, writeVariants } from '../storage/catalog-store';
import type { Database, Executor } from '../storage/schema';

/** Everything a brand has live, as a release stores it. */
export interface BrandState {
  brand: Brand;
  /** The brand's categories in its order (including ids it shares with another brand that declared them first). */
  categories: Category[];
  /** Products in the brand's order, with their model and poster. */
  products: Product[];
  showrooms: Showroom[];
  /** USDZ files by product id, when the brand uploaded them. */
  usdz: Record<string, AssetRef>;
}

/** A step of `applyBrandState`, as its `onStep` observer hears it. */
export type WriteStep = 'brand' | 'categories' | 'products' | 'showrooms';

/**
 * Called after each step of a publish's write, inside its transaction (awaited): throwing aborts the whole
 * publish, which is how tests prove that an interrupted publish changes nothing.
 */
export type WriteObserver = (step: WriteStep) => void | Promise<void>;

const parse = <T>(document: string): T => JSON.parse(document) as T;

/** The brand's state as its live rows hold it, or undefined when the brand is not in the catalog. */
export async function readLiveBrandState(db: Executor, brandId: string): Promise<BrandState | undefined> {
  const brand = await db.selectFrom('brands').select('document').where('id', '=', brandId).executeTakeFirst();
  if (brand === undefined) return undefined;
  const products = (
    await db.selectFrom('products').select(['document', 'position']).where('brand_id', '=', brandId).execute()
  )
    .sort((a, b) => a.position - b.position)
    .map((r) => parse<Product>(r.document));
  const showrooms = (
    await db
      .selectFrom('showrooms')
      .select(['document', 'position'])
      .where('brand_id', '=', brandId)
      .execute()
  )
    .sort((a, b) => a.position - b.position)
    .map((r) => parse<Showroom>(r.document));
  const own = (
    await db
      .selectFrom('categories')
      .select(['id', 'name', 'position'])
      .where('brand_id', '=', brandId)
      .execute()
  ).sort((a, b) => a.position - b.position);
  const ids = new Set(own.map((c) => c.id));
  const shared = [...new Set(products.map((p) => p.category))].filter((id) => !ids.has(id));
  const borrowed =
    shared.length === 0
      ? []
      : await db.selectFrom('categories').select(['id', 'name']).where('id', 'in', shared).execute();
  return {
    brand: parse<Brand>(brand.document),
    categories: [...own, ...borrowed].map((c) => ({ id: c.id, name: c.name })),
    products,
    showrooms,
    usdz: {},
  };
}

/** Ids of `ids` that rows of another brand hold in `table`, by id → owner. */
async function ownedElsewhere(
  db: Executor,
  table: 'products' | 'showrooms',
  brandId: string,
  ids: string[],
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom(table)
    .select(['id', 'brand_id'])
    .where('id', 'in', ids)
    .where('brand_id', '<>', brandId)
    .execute();
  return new Map(rows.map((r) => [r.id, r.brand_id]));
}

/**
 * What in `target` collides with another brand: a product, showroom or SKU id it owns (ids are catalog-wide,
 * and carts name variants by SKU), or a category id it declared under another name. None: the state can be
 * written without touching another brand.
 */
export async function findConflicts(
  db: Executor,
  brandId: string,
  target: BrandState,
): Promise<PublishProblem[]> {
  const problems: PublishProblem[] = [];
  const conflict = (file: string, pointer: string, message: string): void => {
    problems.push({ severity: 'error', file, pointer, code: 'id-taken', message });
  };
  const products = await ownedElsewhere(
    db,
    'products',
    brandId,
    target.products.map((p) => p.id),
  );
  target.products.forEach((p, i) => {
    const owner = products.get(p.id);
    if (owner !== undefined)
      conflict(BRAND_FILES.products, `/${i}/id`, `Product id "${p.id}" belongs to brand "${owner}".`);
  });
  const showrooms = await ownedElsewhere(
    db,
    'showrooms',
    brandId,
    target.showrooms.map((s) => s.id),
  );
  target.showrooms.forEach((s, i) => {
    const owner = showrooms.get(s.id);
    if (owner !== undefined)
      conflict(BRAND_FILES.showrooms, `/${i}/id`, `Showroom id "${s.id}" belongs to brand "${owner}".`);
  });
  const skus = target.products.flatMap((p, i) =>
    p.variants.map((v, j) => ({ sku: v.sku, at: `/${i}/variants/${j}/sku` })),
  );
  const takenSkus = new Map<string, string>();
  for (let i = 0; i < skus.length; i += 500) {
    const rows = await db
      .selectFrom('catalog_variants')
      .select(['sku', 'brand_id'])
      .where(
        'sku',
        'in',
        skus.slice(i, i + 500).map((s) => s.sku),
      )
      .where('brand_id', '<>', brandId)
      .execute();
    for (const r of rows) takenSkus.set(r.sku, r.brand_id);
  }
  for (const { sku, at } of skus) {
    const owner = takenSkus.get(sku);
    if (owner !== undefined) conflict(BRAND_FILES.products, at, `SKU "${sku}" belongs to brand "${owner}".`);
  }
  const categoryIds = target.categories.map((c) => c.id);
  const categories =
    categoryIds.length === 0
      ? []
      : await db
          .selectFrom('categories')
          .select(['id', 'name', 'brand_id'])
          .where('id', 'in', categoryIds)
          .where('brand_id', '<>', brandId)
          .execute();
  const names = new Map(categories.map((c) => [c.id, c]));
  target.categories.forEach((c, i) => {
    const other = names.get(c.id);
    if (other !== undefined && other.name !== c.name) {
      problems.push({
        severity: 'error',
        file: BRAND_FILES.categories,
        pointer: `/${i}/name`,
        code: 'category-name-taken',
        message: `Category id "${c.id}" is named "${other.name}" by brand "${other.brand_id}".`,
        hint: `Name it "${other.name}" or use another id.`,
      });
    }
  });
  return problems;
}

/** A product without the time it last changed: what "the same product" compares. */
const productContent = (product: Product): string => canonicalJson({ ...product, updatedAt: undefined });

const emptySummary = (): ChangeSummary => ({ added: [], changed: [], removed: [], unchanged: 0 });

/** What `applyBrandState` did. */
export interface AppliedState {
  summary: ReleaseSummary;
  /** The change-log entries to append, in order. */
  changes: ChangeEntry[];
  /** The state as now live (products keep their `updatedAt` when unchanged, take `now` when written). */
  state: BrandState;
}

/**
 * Makes `target` the brand's live state inside `trx` (the caller has called `serializeCatalogWrites` and
 * checked `findConflicts`): upserts the brand, its categories, the products and showrooms that differ (a
 * product's `updatedAt` becomes `now` when its content or position changed), deletes products and showrooms
 * the target lacks, then the brand's categories no product uses any more. Appends nothing to the change log:
 * the caller does, with the returned entries, so it can decide about a write that changed nothing.
 */
export async function applyBrandState(
  trx: Transaction<Database>,
  brandId: string,
  target: BrandState,
  now: string,
  onStep?: WriteObserver,
): Promise<AppliedState> {
  const changes: ChangeEntry[] = [];
  const summary: ReleaseSummary = {
    brandChanged: false,
    categories: emptySummary(),
    products: emptySummary(),
    showrooms: emptySummary(),
  };

  // Brand.
  const brandDocument = JSON.stringify(target.brand);
  const liveBrand = await trx
    .selectFrom('brands')
    .select('document')
    .where('id', '=', brandId)
    .executeTakeFirst();
  if (liveBrand === undefined || canonicalJson(parse(liveBrand.document)) !== canonicalJson(target.brand)) {
    const row = { id: brandId, name: target.brand.name, document: brandDocument, updated_at: now };
    await trx
      .insertInto('brands')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet({ ...row }))
      .execute();
    summary.brandChanged = true;
    changes.push({ entity: 'brand', id: brandId, op: 'put' });
  }
  await onStep?.('brand');

  // Categories: the ones this brand declared are its own; an id another brand declared first stays theirs.
  const liveCategories = new Map(
    (await trx.selectFrom('categories').select(['id', 'brand_id', 'name', 'position']).execute()).map((c) => [
      c.id,
      c,
    ]),
  );
  for (const [position, category] of target.categories.entries()) {
    const live = liveCategories.get(category.id);
    if (live === undefined) {
      await trx
        .insertInto('categories')
        .values({ id: category.id, brand_id: brandId, name: category.name, position })
        .execute();
      summary.categories.added.push(category.id);
      changes.push({ entity: 'category', id: category.id, op: 'put' });
    } else if (live.brand_id !== brandId) {
      summary.categories.unchanged += 1;
    } else if (live.name !== category.name || live.position !== position) {
      await trx
        .updateTable('categories')
        .set({ name: category.name, position })
        .where('id', '=', category.id)
        .execute();
      summary.categories.changed.push(category.id);
      changes.push({ entity: 'category', id: category.id, op: 'put' });
    } else {
      summary.categories.unchanged += 1;
    }
  }
  await onStep?.('categories');

  // Products.
  const liveProducts = new Map(
    (
      await trx
        .selectFrom('products')
        .select(['id', 'document', 'position'])
        .where('brand_id', '=', brandId)
        .execute()
    ).map((r) => [r.id, { product: parse<Product>(r.document), position: r.position }]),
  );
  const products: Product[] = [];
  const written: Product[] = [];
  for (const [position, product] of target.products.entries()) {
    const live = liveProducts.get(product.id);
    if (
      live !== undefined &&
      live.position === position &&
      productContent(live.product) === productContent(product)
    ) {
      products.push(live.product);
      summary.products.unchanged += 1;
      continue;
    }
    const next: Product = { ...product, brandId, updatedAt: now };
    const row = productRow(next, position);
    await trx
      .insertInto('products')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet({ ...row }))
      .execute();
    products.push(next);
    written.push(next);
    (live === undefined ? summary.products.added : summary.products.changed).push(product.id);
    changes.push({ entity: 'product', id: product.id, op: 'put' });
  }
  await writeVariants(trx, written);
  const keptProducts = new Set(target.products.map((p) => p.id));
  for (const id of liveProducts.keys()) {
    if (keptProducts.has(id)) continue;
    await trx.deleteFrom('catalog_variants').where('product_id', '=', id).execute();
    await trx.deleteFrom('products').where('id', '=', id).execute();
    summary.products.removed.push(id);
    changes.push({ entity: 'product', id, op: 'delete' });
  }
  await onStep?.('products');

  // Showrooms.
  const liveShowrooms = new Map(
    (
      await trx
        .selectFrom('showrooms')
        .select(['id', 'document', 'position'])
        .where('brand_id', '=', brandId)
        .execute()
    ).map((r) => [r.id, r]),
  );
  for (const [position, showroom] of target.showrooms.entries()) {
    const live = liveShowrooms.get(showroom.id);
    if (
      live !== undefined &&
      live.position === position &&
      canonicalJson(parse(live.document)) === canonicalJson(showroom)
    ) {
      summary.showrooms.unchanged += 1;
      continue;
    }
    const row = showroomRow(showroom, position, now);
    await trx
      .insertInto('showrooms')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet({ ...row }))
      .execute();
    (live === undefined ? summary.showrooms.added : summary.showrooms.changed).push(showroom.id);
    changes.push({ entity: 'showroom', id: showroom.id, op: 'put' });
  }
  const keptShowrooms = new Set(target.showrooms.map((s) => s.id));
  for (const id of liveShowrooms.keys()) {
    if (keptShowrooms.has(id)) continue;
    await trx.deleteFrom('showrooms').where('id', '=', id).execute();
    summary.showrooms.removed.push(id);
    changes.push({ entity: 'showroom', id, op: 'delete' });
  }
  await onStep?.('showrooms');

  // Categories this brand declared that neither it nor any other brand's products use any more.
  const keptCategories = new Set(target.categories.map((c) => c.id));
  for (const live of liveCategories.values()) {
    if (live.brand_id !== brandId || keptCategories.has(live.id)) continue;
    const used = await trx
      .selectFrom('products')
      .select('id')
      .where('category_id', '=', live.id)
      .limit(1)
      .executeTakeFirst();
    if (used !== undefined) continue;
    await trx.deleteFrom('categories').where('id', '=', live.id).execute();
    summary.categories.removed.push(live.id);
    changes.push({ entity: 'category', id: live.id, op: 'delete' });
  }

  return {
    summary,
    changes,
    state: {
      brand: target.brand,
      categories: target.categories,
      products,
      showrooms: target.showrooms,
      usdz: target.usdz,
    },
  };
}
