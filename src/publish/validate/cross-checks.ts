/**
 * Checks across the files of a brand folder, once each file has parsed on its own: ids and SKUs unique,
 * every reference (category, fixture product and variant, showroom brand) pointing at something that exists,
 * provenance trails intact, and each product's model matching it (true scale, material variants).
 */
import { BRAND_FILES } from '../../protocol/brand-folder';
import type { Brand, Category, ProductSource, Showroom } from '../../protocol/catalog';
import { verifyTrail } from '../../core/provenance';
import { locate, type JsonSource } from './json-source';
import type { ModelFacts } from './model-checks';
import type { ProblemList } from './problem';

/**
 * The folder's JSON files as far as they parsed: a list file that is an array keeps the items that are valid
 * on their own at their index (a hole where one is not), so one bad SKU does not hide every other check.
 */
export interface ParsedFiles {
  brand?: Brand;
  categories?: (Category | undefined)[];
  products?: (ProductSource | undefined)[];
  showrooms?: (Showroom | undefined)[];
  /** Source text positions of each file that was valid JSON. */
  sources: Partial<Record<keyof typeof BRAND_FILES, JsonSource>>;
}

/** Edit distance, for "did you mean" suggestions. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** `Did you mean "x"? ` for the closest candidate within a few edits (40 % of its length), else ''. */
export function didYouMean(value: string, candidates: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(value.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance && d <= Math.max(2, Math.ceil(candidate.length * 0.4))) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best === undefined ? '' : `Did you mean "${best}"? `;
}

/** Index and item of each valid item of a parsed list. */
export function present<T>(list: readonly (T | undefined)[] | undefined): [number, T][] {
  return (list ?? []).flatMap((item, i) => (item === undefined ? [] : [[i, item] as [number, T]]));
}

/** The `id` strings of a list file as written, valid items or not, with their index. */
export function writtenIds(source: JsonSource | undefined): { id: string; index: number }[] {
  const value = source?.value;
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown, index) => {
    const id = typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined;
    return typeof id === 'string' ? [{ id, index }] : [];
  });
}

const quoteList = (values: readonly string[], max = 12): string =>
  values.slice(0, max).join(', ') + (values.length > max ? `, … (${values.length} in all)` : '');

/** Reports every id that appears twice in `items`, at its second occurrence. */
function reportDuplicates(
  file: string,
  source: JsonSource | undefined,
  items: readonly { key: string; path: PropertyKey[] }[],
  code: string,
  what: string,
  problems: ProblemList,
): void {
  const first = new Map<string, PropertyKey[]>();
  for (const { key, path } of items) {
    const earlier = first.get(key);
    if (earlier === undefined) {
      first.set(key, path);
      continue;
    }
    const at = locate(source, earlier);
    problems.error(file, code, `${what} "${key}" is used twice`, {
      ...locate(source, path),
      hint: `${what} must be unique; the first "${key}" is at ${file}${at.line ? `:${at.line}` : ` ${at.pointer}`}.`,
    });
  }
}

/** Reports references that point nowhere and duplicates within and across files. */
export function checkReferences(parsed: ParsedFiles, problems: ProblemList): void {
  const { brand, categories, products, showrooms, sources } = parsed;
  const F = BRAND_FILES;

  if (brand?.returnPolicy.returnPolicyCategory === 'MerchantReturnFiniteReturnWindow') {
    if (brand.returnPolicy.merchantReturnDays === undefined) {
      problems.error(F.brand, 'RETURN_DAYS_MISSING', 'a finite return window needs merchantReturnDays', {
        ...locate(sources.brand, ['returnPolicy']),
        hint: 'Add "merchantReturnDays": 30 (or your number of days) to returnPolicy.',
      });
    }
  }
  if (categories) {
    reportDuplicates(
      F.categories,
      sources.categories,
      present(categories).map(([i, c]) => ({ key: c.id, path: [i, 'id'] })),
      'DUPLICATE_ID',
      'category id',
      problems,
    );
  }
  if (products) {
    reportDuplicates(
      F.products,
      sources.products,
      present(products).map(([i, p]) => ({ key: p.id, path: [i, 'id'] })),
      'DUPLICATE_ID',
      'product id',
      problems,
    );
    const variants = present(products).flatMap(([i, p]) =>
      p.variants.map((v, j) => ({ v, path: [i, 'variants', j] as PropertyKey[] })),
    );
    reportDuplicates(
      F.products,
      sources.products,
      variants.map(({ v, path }) => ({ key: v.sku, path: [...path, 'sku'] })),
      'DUPLICATE_SKU',
      'SKU',
      problems,
    );
    reportDuplicates(
      F.products,
      sources.products,
      variants.flatMap(({ v, path }) => (v.gtin ? [{ key: v.gtin, path: [...path, 'gtin'] }] : [])),
      'DUPLICATE_GTIN',
      'GTIN',
      problems,
    );
    if (categories) {
      const known = writtenIds(sources.categories).map(({ id }) => id);
      present(products).forEach(([i, product]) => {
        if (known.includes(product.category)) return;
        problems.error(
          F.products,
          'CATEGORY_UNKNOWN',
          `${product.id}: category "${product.category}" is not in ${F.categories}`,
          {
            ...locate(sources.products, [i, 'category']),
            hint: `${didYouMean(product.category, known)}Known categories: ${quoteList(known)}; or add it to ${F.categories}.`,
          },
        );
      });
    }
  }
  if (!showrooms) return;
  reportDuplicates(
    F.showrooms,
    sources.showrooms,
    present(showrooms).map(([i, s]) => ({ key: s.id, path: [i, 'id'] })),
    'DUPLICATE_ID',
    'showroom id',
    problems,
  );
  present(showrooms).forEach(([i, showroom]) => {
    if (brand && showroom.brandId !== brand.id) {
      problems.error(
        F.showrooms,
        'SHOWROOM_BRAND_MISMATCH',
        `${showroom.id}: brandId "${showroom.brandId}" is not this brand ("${brand.id}")`,
        {
          ...locate(sources.showrooms, [i, 'brandId']),
          hint: `Set "brandId": "${brand.id}" (the id in ${F.brand}); a folder publishes one brand's showrooms.`,
        },
      );
    }
    reportDuplicates(
      F.showrooms,
      sources.showrooms,
      showroom.fixtures.map((f, j) => ({ key: f.id, path: [i, 'fixtures', j, 'id'] })),
      'DUPLICATE_ID',
      'fixture id',
      problems,
    );
    const halfWidth = showroom.room.width / 2;
    const halfDepth = showroom.room.depth / 2;
    const inside = ([x, z]: readonly [number, number]): boolean =>
      Math.abs(x) <= halfWidth && Math.abs(z) <= halfDepth;
    if (!inside(showroom.spawn.position)) {
      problems.warning(
        F.showrooms,
        'SPAWN_OUTSIDE_ROOM',
        `${showroom.id}: the spawn point is outside the ${showroom.room.width} × ${showroom.room.depth} m room`,
        {
          ...locate(sources.showrooms, [i, 'spawn', 'position']),
          hint: `Positions are metres from the room's centre: x within ±${halfWidth}, z within ±${halfDepth}.`,
        },
      );
    }
    showroom.fixtures.forEach((fixture, j) => {
      const path = [i, 'fixtures', j];
      if (!inside(fixture.position)) {
        problems.warning(
          F.showrooms,
          'FIXTURE_OUTSIDE_ROOM',
          `${showroom.id}: fixture "${fixture.id}" stands outside the room`,
          {
            ...locate(sources.showrooms, [...path, 'position']),
            hint: `Positions are metres from the room's centre: x within ±${halfWidth}, z within ±${halfDepth}.`,
          },
        );
      }
      if (!products) return;
      const ids = writtenIds(sources.products).map(({ id }) => id);
      if (!ids.includes(fixture.productId)) {
        problems.error(
          F.showrooms,
          'FIXTURE_PRODUCT_UNKNOWN',
          `${showroom.id}: fixture "${fixture.id}" shows product "${fixture.productId}", which is not in ${F.products}`,
          {
            ...locate(sources.showrooms, [...path, 'productId']),
            hint: `${didYouMean(fixture.productId, ids)}Products: ${quoteList(ids)}.`,
          },
        );
        return;
      }
      const product = products.find((p) => p?.id === fixture.productId);
      if (product && fixture.sku !== undefined && !product.variants.some((v) => v.sku === fixture.sku)) {
        const skus = product.variants.map((v) => v.sku);
        problems.error(
          F.showrooms,
          'FIXTURE_SKU_UNKNOWN',
          `${showroom.id}: fixture "${fixture.id}" shows SKU "${fixture.sku}", which is not a variant of ${product.id}`,
          {
            ...locate(sources.showrooms, [...path, 'sku']),
            hint: `${didYouMean(fixture.sku, skus)}Variants of ${product.id}: ${quoteList(skus)}; or leave "sku" out to show the first.`,
          },
        );
      }
    });
  });
}

/** Reports provenance trails whose hashes do not chain (an event edited, removed or reordered after sealing). */
export async function checkProvenance(parsed: ParsedFiles, problems: ProblemList): Promise<void> {
  for (const [i, product] of present(parsed.products)) {
    const check = await verifyTrail(product.provenance);
    if (check.ok) continue;
    problems.error(
      BRAND_FILES.products,
      'PROVENANCE_BROKEN',
      `${product.id}: provenance[${check.brokenAt}] does not chain to the event before it`,
      {
        ...locate(parsed.sources.products, [i, 'provenance', check.brokenAt, 'hash']),
        hint:
          'Each hash seals the event and every one before it: an event was edited, removed or reordered after ' +
          'sealing. Restore it, or reseal the trail with sealTrail (src/core/provenance.ts) if the change is real.',
      },
    );
  }
}

const AXES = [
  { name: 'width (x)', key: 'width' },
  { name: 'height (y)', key: 'height' },
  { name: 'depth (z)', key: 'depth' },
] as const;

/** Units a model is often exported in by mistake, by how many of them make a metre. */
const WRONG_UNITS = [
  { factor: 100, words: 'centimetres' },
  { factor: 1000, words: 'millimetres' },
  { factor: 39.37, words: 'inches' },
  { factor: 3.281, words: 'feet' },
] as const;

const metres = (n: number): string => `${Number(n.toPrecision(3))} m`;

/**
 * Compares a product with its model: the model's bounding box against the declared dimensions (within the
 * tolerance on each axis, naming the axis and the factor when not; spotting centimetres, millimetres, inches
 * and a Z-up export), and each variant's materialVariant against the model's KHR_materials_variants names.
 */
export function checkProductModel(
  product: ProductSource,
  index: number,
  facts: ModelFacts,
  modelFile: string,
  tolerance: number,
  productsSource: JsonSource | undefined,
  problems: ProblemList,
): void {
  const F = BRAND_FILES.products;
  const declared = [product.dimensions.width, product.dimensions.height, product.dimensions.depth] as const;
  const ratios = facts.size.map((s, i) => s / (declared[i] ?? 1));
  const near = (ratio: number, target: number): boolean => Math.abs(ratio / target - 1) <= tolerance;
  const dims = locate(productsSource, [index, 'dimensions']);
  const dimsAt = `${F}${dims.line ? `:${dims.line}` : ''}`;
  const modelSize = facts.size.map((s) => Number(s.toPrecision(4))).join(' × ');
  const declaredSize = declared.join(' × ');

  if (!ratios.every((r) => near(r, 1))) {
    const unit = WRONG_UNITS.find(({ factor }) => ratios.every((r) => near(r, factor)));
    const rx = ratios[0] ?? 1;
    const zUp =
      near(rx, 1) &&
      near((facts.size[1] ?? 0) / declared[2], 1) &&
      near((facts.size[2] ?? 0) / declared[1], 1);
    if (unit) {
      problems.error(
        modelFile,
        'MODEL_UNITS',
        `the model measures ${modelSize} where ${product.id} is ${declaredSize} m: ${unit.factor}× too large on every axis; the model seems to be in ${unit.words}`,
        {
          hint: `Export in metres (glTF's unit is the metre: set the exporter's scale or scene units so 1 unit = 1 m), or scale the model by ${Number((1 / unit.factor).toPrecision(3))}.`,
        },
      );
    } else if (zUp) {
      problems.error(
        modelFile,
        'MODEL_UP_AXIS',
        `the model's height and depth are swapped (${modelSize} for ${declaredSize} m): it seems to be exported Z-up`,
        {
          hint: 'Export with +Y up, as glTF requires (most exporters have a "+Y up" option).',
        },
      );
    } else {
      AXES.forEach(({ name, key }, i) => {
        const ratio = ratios[i] ?? 1;
        if (near(ratio, 1)) return;
        problems.error(
          modelFile,
          'MODEL_SCALE',
          `${name} is ${metres(facts.size[i] ?? 0)} in the model but ${metres(declared[i] ?? 0)} in ${F} (${Number(ratio.toPrecision(3))}×, over the ${tolerance * 100} % allowed)`,
          {
            hint: `Fix the model's scale, or ${product.id}'s dimensions.${key} at ${dimsAt} if the model is right.`,
          },
        );
      });
    }
  }

  const names = facts.variantNames;
  if (names.length === 0) {
    if (new Set(product.variants.map((v) => v.materialVariant)).size > 1) {
      problems.warning(
        F,
        'MATERIAL_VARIANTS_ABSENT',
        `${product.id}: its variants name different materialVariants but the model has no KHR_materials_variants: every variant will look the same`,
        {
          ...locate(productsSource, [index, 'variants']),
          hint: `Add KHR_materials_variants to ${modelFile} (one variant per finish), or use one model per look.`,
        },
      );
    }
    return;
  }
  product.variants.forEach((variant, j) => {
    if (names.includes(variant.materialVariant)) return;
    problems.error(
      F,
      'MATERIAL_VARIANT_UNKNOWN',
      `${product.id}: variants[${j}].materialVariant "${variant.materialVariant}" is not a material variant of ${modelFile}`,
      {
        ...locate(productsSource, [index, 'variants', j, 'materialVariant']),
        hint: `${didYouMean(variant.materialVariant, names)}The model's KHR_materials_variants: ${quoteList(names)}.`,
      },
    );
  });
}
