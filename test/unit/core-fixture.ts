/**
 * A small, schema-valid catalog for the app's unit tests (core, db and sync): two brands' worth of products
 * with accents, several categories, currencies and stock levels.
 */
import { CatalogSnapshot, type Brand, type Product, type Variant } from '../../src/protocol/catalog';

const hex = (c: string) => c.repeat(64);

export const brand: Brand = {
  id: 'atelier-linde',
  name: 'Atelier Linde',
  story: 'Chairs from one workshop.',
  contact: { email: 'hello@linde.example' },
  returnPolicy: {
    returnPolicyCategory: 'MerchantReturnFiniteReturnWindow',
    merchantReturnDays: 30,
    returnFees: 'FreeReturn',
    refundType: 'FullRefund',
    returnMethod: 'ReturnByMail',
    conditions: 'Unused, in its original packaging.',
  },
};

function variant(sku: string, name: string, amount: number, stock: number, currency = 'EUR'): Variant {
  return { sku, name, options: { colour: name }, price: { amount, currency }, stock, materialVariant: name };
}

function product(
  id: string,
  name: string,
  category: string,
  description: string,
  materials: string[],
  variants: Variant[],
): Product {
  return {
    id,
    name,
    description,
    category,
    materials,
    countryOfOrigin: 'PT',
    dimensions: { width: 0.6, height: 0.8, depth: 0.55 },
    placement: 'floor',
    variants,
    certifications: [],
    provenance: [],
    brandId: brand.id,
    model: { url: `/assets/${hex('a')}.glb`, sha256: hex('a'), bytes: 1000, triangles: 5000 },
    poster: { url: `/assets/${hex('b')}.webp`, sha256: hex('b'), bytes: 500 },
    updatedAt: '2025-01-01T00:00:00Z',
  };
}

export const products: Product[] = [
  product(
    'oak-lounge-chair',
    'Oak Lounge Chair',
    'chairs',
    'A low, wide chair for reading.',
    ['Oak', 'Wool'],
    [variant('OAK-CHAIR-NAT', 'Natural oak', 89000, 12), variant('OAK-CHAIR-SMK', 'Smoked oak', 95000, 2)],
  ),
  product(
    'cafe-table',
    'Café Table',
    'tables',
    'Round bistro table with a marble top.',
    ['Marble', 'Steel'],
    [variant('CAFE-TABLE-WHT', 'White marble', 45000, 0)],
  ),
  product(
    'linen-cushion',
    'Linen Cushion',
    'textiles',
    'Soft cushion for any chair, stone washed.',
    ['Linen'],
    [variant('LINEN-CUSH-SND', 'Sand', 4500, 40), variant('LINEN-CUSH-RST', 'Rust', 4900, 40)],
  ),
  product(
    'cherry-side-chair',
    'Cherry Side Chair',
    'chairs',
    'A dining chair in crème upholstery.',
    ['Cherry wood'],
    [variant('CHERRY-CHAIR', 'Cherry', 62000, 5)],
  ),
  product(
    'kyoto-tea-bowl',
    'Kyoto Tea Bowl',
    'tableware',
    'Hand-thrown stoneware bowl.',
    ['Stoneware'],
    [variant('KYOTO-BOWL', 'Ash glaze', 4800, 7, 'JPY')],
  ),
];

export const categories = [
  { id: 'chairs', name: 'Chairs' },
  { id: 'tables', name: 'Tables' },
  { id: 'textiles', name: 'Textiles' },
  { id: 'tableware', name: 'Tableware' },
];

/** A full snapshot, parsed with the wire schema so a fixture mistake fails loudly. */
export function snapshot(cursor = 'c1', only: Product[] = products): CatalogSnapshot {
  return CatalogSnapshot.parse({ cursor, brands: [brand], categories, products: only, showrooms: [] });
}

/** The product with this id (the fixture has it). */
export function productById(id: string): Product {
  const found = products.find((p) => p.id === id);
  if (!found) throw new Error(`fixture has no product ${id}`);
  return found;
}
