/**
 * The wire schemas (written with zod/mini) still refuse what the protocol forbids, field by field, and say
 * where; with brand-folder.ts loaded (as the server and CLI do) the messages are zod's English ones.
 */
import { describe, expect, it } from 'vitest';
import { CatalogSnapshot, Certification, Product, Slug, type Showroom } from '../../src/protocol/catalog';
import { BrandFolderData } from '../../src/protocol/brand-folder';
import { brand, categories, products, snapshot } from './core-fixture';

const showroom: Showroom = {
  id: 'studio',
  brandId: brand.id,
  name: 'Studio',
  description: 'One room.',
  room: { width: 6, depth: 5, height: 3, floorColor: '#cdb89b', wallColor: '#F1ECE4' },
  lighting: {
    ambient: { color: '#fff4e6', intensity: 0.5 },
    environmentIntensity: 0.7,
    lights: [
      { type: 'directional', position: [4, 6, 3], color: '#fff1dc', intensity: 2.2 },
      { type: 'point', position: [-3, 2.6, -1.5], color: '#ffd9a8', intensity: 18 },
    ],
  },
  spawn: { position: [0, 2], rotationY: 0 },
  fixtures: [
    { id: 'chair', productId: 'oak-lounge-chair', position: [0, -1], rotationY: 45, stand: 'plinth' },
  ],
};

const valid = (): CatalogSnapshot => structuredClone({ ...snapshot(), showrooms: [showroom] });

/** Marks a field to delete instead of setting. */
const DELETE = Symbol('delete');

/**
 * Path of every issue (joined by " | ") once the field at `path` of a valid snapshot is set to `value`
 * (or deleted), or "valid".
 */
function issuesAfter(path: string, value: unknown): string {
  const s: unknown = valid();
  const keys = path.split('.');
  const last = keys.pop() ?? '';
  let parent = s as Record<string, unknown>;
  for (const key of keys) parent = parent[key] as Record<string, unknown>;
  if (value === DELETE) Reflect.deleteProperty(parent, last);
  else parent[last] = value;
  const result = CatalogSnapshot.safeParse(s);
  return result.success ? 'valid' : result.error.issues.map((i) => i.path.join('.')).join(' | ');
}

describe('catalog wire schemas', () => {
  it('accept a valid snapshot, optional fields absent or present, and return it unchanged', () => {
    const s = valid();
    expect(CatalogSnapshot.parse(s)).toEqual(s);
    const full = {
      ...s.products[0],
      gtin: '4006381333931',
      certifications: [
        {
          name: 'FSC Chain of Custody',
          issuedBy: 'Forest Stewardship Council',
          certificationIdentification: 'FSC-C000000',
          validFrom: '2024-01-01',
          validUntil: '2029-01-01',
          url: 'https://fsc.example/certificate',
        },
      ],
    };
    expect(Product.parse(full)).toEqual(full);
  });

  it.each<[string, string, unknown, string]>([
    ['a negative price', 'products.0.variants.0.price.amount', -5, 'products.0.variants.0.price.amount'],
    ['a fractional price', 'products.0.variants.0.price.amount', 1.5, 'products.0.variants.0.price.amount'],
    [
      'a lower-case currency',
      'products.1.variants.0.price.currency',
      'eur',
      'products.1.variants.0.price.currency',
    ],
    ['negative stock', 'products.2.variants.1.stock', -1, 'products.2.variants.1.stock'],
    ['a bad SKU', 'products.0.variants.0.sku', 'oak chair', 'products.0.variants.0.sku'],
    ['a bad GTIN', 'products.0.gtin', '123', 'products.0.gtin'],
    ['no variants', 'products.0.variants', [], 'products.0.variants'],
    ['no materials', 'products.0.materials', [], 'products.0.materials'],
    ['an id with capitals', 'products.0.id', 'Oak', 'products.0.id'],
    ['a country of three letters', 'products.0.countryOfOrigin', 'PRT', 'products.0.countryOfOrigin'],
    ['a zero dimension', 'products.0.dimensions.width', 0, 'products.0.dimensions.width'],
    ['a huge dimension', 'products.0.dimensions.depth', 21, 'products.0.dimensions.depth'],
    ['an unknown placement', 'products.0.placement', 'ceiling', 'products.0.placement'],
    ['a date that is not one', 'products.0.updatedAt', 'yesterday', 'products.0.updatedAt'],
    ['a model without triangles', 'products.0.model.triangles', DELETE, 'products.0.model.triangles'],
    [
      'a model URL off the asset store',
      'products.0.model.url',
      'https://cdn.example/a.glb',
      'products.0.model.url',
    ],
    ['a missing brand id', 'products.0.brandId', DELETE, 'products.0.brandId'],
    ['a bad e-mail', 'brands.0.contact.email', 'hello', 'brands.0.contact.email'],
    [
      'zero return days',
      'brands.0.returnPolicy.merchantReturnDays',
      0,
      'brands.0.returnPolicy.merchantReturnDays',
    ],
    [
      'an unknown refund type',
      'brands.0.returnPolicy.refundType',
      'Cash',
      'brands.0.returnPolicy.refundType',
    ],
    ['an empty category name', 'categories.0.name', '', 'categories.0.name'],
    ['a colour name', 'showrooms.0.room.floorColor', 'beige', 'showrooms.0.room.floorColor'],
    ['a low ceiling', 'showrooms.0.room.height', 1.5, 'showrooms.0.room.height'],
    [
      'an unknown light type',
      'showrooms.0.lighting.lights.0.type',
      'spot',
      'showrooms.0.lighting.lights.0.type',
    ],
    [
      'a too bright point light',
      'showrooms.0.lighting.lights.1.intensity',
      201,
      'showrooms.0.lighting.lights.1.intensity',
    ],
    [
      'a light at two coordinates',
      'showrooms.0.lighting.lights.0.position',
      [1, 2],
      'showrooms.0.lighting.lights.0.position',
    ],
    [
      'nine lights',
      'showrooms.0.lighting.lights',
      Array(9).fill(showroom.lighting.lights[0]),
      'showrooms.0.lighting.lights',
    ],
    [
      'a fixture off the floor plan',
      'showrooms.0.fixtures.0.position',
      [51, 0],
      'showrooms.0.fixtures.0.position.0',
    ],
    ['an over-turned fixture', 'showrooms.0.fixtures.0.rotationY', 400, 'showrooms.0.fixtures.0.rotationY'],
    ['an unknown stand', 'showrooms.0.fixtures.0.stand', 'shelf', 'showrooms.0.fixtures.0.stand'],
    ['a missing cursor', 'cursor', DELETE, 'cursor'],
  ])('refuse %s, naming where', (_label, path, value, where) => {
    expect(issuesAfter(path, value)).toBe(where);
  });

  it('check ids on their own (the API routes parse path parameters with Slug)', () => {
    expect(Slug.safeParse('oak-lounge-chair').success).toBe(true);
    for (const bad of ['', 'Oak', 'oak--chair', '-oak', 'oak chair', 'a'.repeat(81), 42]) {
      expect(Slug.safeParse(bad).success).toBe(false);
    }
  });

  it('accept only http(s) certification links: a javascript: or data: URL would run or render on click', () => {
    const cert = {
      name: 'FSC Chain of Custody',
      issuedBy: 'Forest Stewardship Council',
      certificationIdentification: 'FSC-C000000',
      validFrom: '2024-01-01',
    };
    expect(Certification.safeParse(cert).success).toBe(true);
    for (const url of ['https://fsc.org/cert/FSC-C000000', 'http://example.com/c']) {
      expect(Certification.safeParse({ ...cert, url }).success).toBe(true);
    }
    for (const url of [
      'javascript:alert(1)',
      'JAVASCRIPT:alert(document.cookie)',
      'data:text/html,<script>alert(1)</script>',
      'ftp://example.com/c',
    ]) {
      const result = Certification.safeParse({ ...cert, url });
      expect(result.success, url).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual(['url']);
    }
  });

  it('give English messages once brand-folder.ts is loaded, as in the server and CLI', () => {
    const result = BrandFolderData.safeParse({
      brand: { ...brand, contact: { email: 'nope' } },
      categories,
      products: products.map(({ brandId: _b, model: _m, poster: _p, updatedAt: _u, ...source }) => source),
      showrooms: [{ ...showroom, room: { ...showroom.room, width: 1 } }],
    });
    expect(result.success).toBe(false);
    const messages = result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(messages).toEqual([
      'brand.contact.email: Invalid email address',
      'showrooms.0.room.width: Too small: expected number to be >=2',
    ]);
  });
});
