import { describe, expect, test } from 'vitest';
import { foldText, lowestPrice, queryCatalog, type CatalogQuery } from '../../src/core/catalog-query';
import { categories, productById, products } from './core-fixture';

const base: CatalogQuery = { text: '', category: '', sort: 'relevance' };
const ids = (q: Partial<CatalogQuery>) =>
  queryCatalog(products, categories, { ...base, ...q }).map((p) => p.id);

describe('text search', () => {
  test('folds case and accents', () => {
    expect(foldText('Café CRÈME')).toBe('cafe creme');
    expect(ids({ text: 'cafe' })).toEqual(['cafe-table']);
    expect(ids({ text: 'CAFÉ' })).toEqual(['cafe-table']);
    expect(ids({ text: 'creme' })).toEqual(['cherry-side-chair']);
  });

  test('every token must match the start of a word somewhere', () => {
    expect(ids({ text: 'oak wool' })).toEqual(['oak-lounge-chair']);
    expect(ids({ text: 'oak marble' })).toEqual([]);
    expect(ids({ text: 'lin' })).toEqual(['linen-cushion']);
    // "ak" is inside "oak" but starts no word.
    expect(ids({ text: 'ak' })).toEqual([]);
  });

  test('a new product list (the catalog changed) is searched afresh, not from the index of the last one', () => {
    expect(ids({ text: 'walnut' })).toEqual([]);
    const renamed = products.map((p) => (p.id === 'cafe-table' ? { ...p, name: 'Walnut Bistro Table' } : p));
    const found = queryCatalog(renamed, categories, { ...base, text: 'walnut' }).map((p) => p.id);
    expect(found).toEqual(['cafe-table']);
    expect(ids({ text: 'walnut' })).toEqual([]);
  });

  test('searches description, materials and category name', () => {
    expect(ids({ text: 'bistro' })).toEqual(['cafe-table']);
    expect(ids({ text: 'stoneware' })).toEqual(['kyoto-tea-bowl']);
    expect(ids({ text: 'tableware' })).toEqual(['kyoto-tea-bowl']);
  });

  test('relevance ranks name matches above description matches, then by name', () => {
    // Both chairs have "chair" in their name; the cushion only mentions a chair in its description, so it comes
    // last although "Linen Cushion" sorts before "Oak Lounge Chair" by name.
    expect(ids({ text: 'chair' })).toEqual(['cherry-side-chair', 'oak-lounge-chair', 'linen-cushion']);
    expect(ids({ text: 'chair', sort: 'name' })).toEqual([
      'cherry-side-chair',
      'linen-cushion',
      'oak-lounge-chair',
    ]);
  });

  test('relevance weighs the field a token matches in', () => {
    // "stone": the cushion's description has "stone" (whole word, weight 1 × 2), the bowl's material
    // "Stoneware" only starts with it (weight 3); a material beats a description.
    expect(ids({ text: 'stone' })).toEqual(['kyoto-tea-bowl', 'linen-cushion']);
    // "table": the café table by name beats the tea bowl whose category "Tableware" only starts with it.
    expect(ids({ text: 'table' })).toEqual(['cafe-table', 'kyoto-tea-bowl']);
  });

  test('blank or punctuation-only text matches everything', () => {
    expect(ids({ text: '   ' })).toHaveLength(products.length);
    expect(ids({ text: '—!' })).toHaveLength(products.length);
  });
});

describe('filters', () => {
  test('by category', () => {
    expect(ids({ category: 'chairs', sort: 'name' })).toEqual(['cherry-side-chair', 'oak-lounge-chair']);
    expect(ids({ category: 'nothing-here' })).toEqual([]);
  });

  test('by price range in major units on the lowest variant price', () => {
    // Oak chair: from €890 (its smoked variant at €950 does not count).
    expect(ids({ minPrice: 900, category: 'chairs' })).toEqual([]);
    expect(ids({ minPrice: 890, category: 'chairs', sort: 'name' })).toEqual(['oak-lounge-chair']);
    expect(ids({ maxPrice: 45, sort: 'price-asc' })).toEqual(['linen-cushion']);
    expect(ids({ minPrice: 45, maxPrice: 450, sort: 'price-asc' })).toEqual(['linen-cushion', 'cafe-table']);
  });

  test('prices compare in each product’s own currency', () => {
    // The tea bowl costs ¥4,800: a €50 ceiling must not read it as €48.00.
    expect(ids({ maxPrice: 50 })).not.toContain('kyoto-tea-bowl');
    expect(ids({ minPrice: 4800, maxPrice: 4800 })).toEqual(['kyoto-tea-bowl']);
  });

  test('combined with text', () => {
    expect(ids({ text: 'chair', maxPrice: 700 })).toEqual(['cherry-side-chair', 'linen-cushion']);
  });
});

describe('sorting', () => {
  test('by name', () => {
    expect(ids({ sort: 'name' })).toEqual([
      'cafe-table',
      'cherry-side-chair',
      'kyoto-tea-bowl',
      'linen-cushion',
      'oak-lounge-chair',
    ]);
  });

  test('by lowest price, both ways', () => {
    const eur = { category: '' };
    const asc = ids({ ...eur, sort: 'price-asc' }).filter((id) => id !== 'kyoto-tea-bowl');
    expect(asc).toEqual(['linen-cushion', 'cafe-table', 'cherry-side-chair', 'oak-lounge-chair']);
    const desc = ids({ ...eur, sort: 'price-desc' }).filter((id) => id !== 'kyoto-tea-bowl');
    expect(desc).toEqual([...asc].reverse());
  });

  test('does not mutate the input', () => {
    const before = products.map((p) => p.id);
    ids({ sort: 'price-desc' });
    expect(products.map((p) => p.id)).toEqual(before);
  });

  test('an empty catalog gives no results', () => {
    expect(queryCatalog([], categories, { ...base, text: 'oak' })).toEqual([]);
  });
});

test('lowestPrice picks the cheapest variant', () => {
  expect(lowestPrice(productById('linen-cushion'))).toEqual({ amount: 4500, currency: 'EUR' });
  expect(lowestPrice(productById('oak-lounge-chair'))).toEqual({ amount: 89000, currency: 'EUR' });
});
