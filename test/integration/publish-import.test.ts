// `vitrine import`: a Shopify CSV and a Merchant Center feed imported through the CLI into temporary copies of
// the demo brand folder. New products get exactly what the feed has and a report of what the brand must add;
// once the brand adds the true sizes (and maps a category), importing again keeps them and the folder
// validates clean. --dry-run writes nothing; wrong usage exits 2.
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod/mini';
import { ProductSource } from '../../src/protocol/catalog';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DEMO = path.join(repoRoot, 'assets/brands/linde');
const CSV = path.join(repoRoot, 'test/fixtures/import/shopify-products.csv');
const XML = path.join(repoRoot, 'test/fixtures/import/merchant-feed.xml');
const TSV = path.join(repoRoot, 'test/fixtures/import/merchant-feed.tsv');
const IMPORTED = ['aster-dining-chair', 'fjord-lounge-chair'];

let work: string;
let demoProducts: ProductSource[];

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'vitrine-import-'));
  demoProducts = z
    .array(ProductSource)
    .parse(JSON.parse(await readFile(path.join(DEMO, 'products.json'), 'utf8')));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Runs the CLI as a brand would; answers exit code and output. */
function vitrine(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'src/cli/vitrine.mjs'), ...args], {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

/** A copy of the demo brand folder, optionally without some products. */
async function copyDemo(name: string, without: readonly string[] = []): Promise<string> {
  const folder = path.join(work, name);
  await cp(DEMO, folder, { recursive: true });
  if (without.length > 0) {
    const kept = demoProducts.filter((p) => !without.includes(p.id));
    await writeFile(path.join(folder, 'products.json'), JSON.stringify(kept, null, 2));
  }
  return folder;
}

const productsOf = async (folder: string): Promise<Record<string, unknown>[]> =>
  JSON.parse(await readFile(path.join(folder, 'products.json'), 'utf8'));

describe('vitrine import shopify', () => {
  test('new products: written without invented fields, reported with their lines; valid once the brand adds them', async () => {
    const folder = await copyDemo('shopify', IMPORTED);
    const first = await vitrine('import', 'shopify', CSV, '--into', folder);
    expect(first.code).toBe(1);
    expect(first.out).toContain('Prices read as EUR, the currency of products.json');
    expect(first.out).toContain('  + aster-dining-chair (new, 3 variants)');
    expect(first.out).toContain('  + fjord-lounge-chair (new, 3 variants)');
    expect(first.out).toContain(
      'shopify-products.csv:2:1 error   FIELDS_MISSING  aster-dining-chair: the Shopify CSV has no materials, countryOfOrigin, dimensions and placement',
    );
    expect(first.out).toContain('shopify-products.csv:10:1 error   CATEGORY_UNKNOWN  fjord-lounge-chair:');
    expect(first.out).toContain('shopify-products.csv:13:1 warning STOCK_NEGATIVE');
    expect(first.out).toContain('Import: 2 added, 0 changed, 0 unchanged; 3 errors, 2 warnings');
    // Then the folder's validation, pointing into products.json.
    expect(first.out).toMatch(
      /products\.json:\d+:3 error {3}FIELD_MISSING {2}aster-dining-chair: dimensions is missing/,
    );
    expect(first.out).toMatch(/✖ .*shopify: \d+ errors/);

    let products = await productsOf(folder);
    const aster = products.find((p) => p.id === 'aster-dining-chair');
    expect(aster).toBeDefined();
    for (const field of ['dimensions', 'placement', 'countryOfOrigin', 'materials']) {
      expect(aster).not.toHaveProperty(field);
    }
    expect(aster).toMatchObject({ name: 'Aster Dining Chair', category: 'seating', certifications: [] });

    // The brand measures its products and writes what Shopify has no column for.
    products = products.map((p) => {
      const demo = demoProducts.find((d) => d.id === p.id);
      if (!demo || !IMPORTED.includes(demo.id)) return p;
      const { dimensions, placement, countryOfOrigin, materials } = demo;
      return { ...p, dimensions, placement, countryOfOrigin, materials };
    });
    const edited = JSON.stringify(products, null, 2);
    await writeFile(path.join(folder, 'products.json'), edited);

    // A dry run shows the result and writes nothing.
    const dry = await vitrine(
      'import',
      'shopify',
      CSV,
      '--into',
      folder,
      '--category-map',
      'Lounge chairs=seating',
      '--dry-run',
    );
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('(dry run: nothing written)');
    expect(await readFile(path.join(folder, 'products.json'), 'utf8')).toBe(edited);

    const second = await vitrine(
      'import',
      'shopify',
      CSV,
      '--into',
      folder,
      '--currency',
      'EUR',
      '--category-map',
      'Lounge chairs=seating',
    );
    expect(second.err).toBe('');
    expect(second.code).toBe(0);
    expect(second.out).toContain('  = aster-dining-chair (unchanged)');
    expect(second.out).toContain('  ~ fjord-lounge-chair: category');
    expect(second.out).toContain('Import: 0 added, 1 changed, 1 unchanged; 0 errors, 2 warnings');
    expect(second.out).toMatch(/✔ .*shopify is valid: no problems/);

    // The sizes the brand wrote were kept; the feed's prices and stock are in; the rest of the catalog is intact.
    const final = z.array(ProductSource).parse(await productsOf(folder));
    const byId = new Map(final.map((p) => [p.id, p]));
    for (const demo of demoProducts) {
      const product = byId.get(demo.id);
      if (!IMPORTED.includes(demo.id)) {
        expect(product).toEqual(demo);
        continue;
      }
      expect(product?.dimensions).toEqual(demo.dimensions);
      expect(product?.variants.map((v) => [v.sku, v.materialVariant])).toEqual(
        demo.variants.map((v) => [v.sku, v.materialVariant]),
      );
    }
    expect(byId.get('aster-dining-chair')?.variants[0]).toMatchObject({
      price: { amount: 35900 },
      stock: 20,
    });
    expect(byId.get('fjord-lounge-chair')?.variants[2]?.stock).toBe(0);
  });
});

describe('vitrine import merchant', () => {
  test.each([
    ['XML', XML],
    ['tab-separated', TSV],
  ])(
    'the %s feed into the demo brand: dimensions from the feed in metres, stock kept, valid',
    async (_, feed) => {
      const folder = await copyDemo(`merchant-${path.extname(feed).slice(1)}`);
      const result = await vitrine('import', 'merchant', feed, '--into', folder);
      expect(result.code).toBe(0);
      expect(result.out).toContain('Import: 0 added, 2 changed, 0 unchanged; 0 errors, 0 warnings');
      expect(result.out).toContain('LIN-ASTCHR-NAT: options, price 34900 EUR → 35900 EUR');
      expect(result.out).toMatch(/is valid: no problems/);
      const products = z.array(ProductSource).parse(await productsOf(folder));
      expect(products[0]).toMatchObject({
        id: 'aster-dining-chair',
        dimensions: { width: 0.46, height: 0.8, depth: 0.52 },
        materials: ['Solid European oak', 'Plant-based hardwax oil'],
        countryOfOrigin: 'NL',
      });
      expect(products[0]?.variants.map((v) => v.stock)).toEqual([24, 2, 0]);
    },
  );

  test('a feed with a DOCTYPE is refused and products.json is left as it was', async () => {
    const folder = await copyDemo('merchant-hostile');
    const before = await readFile(path.join(folder, 'products.json'), 'utf8');
    const hostile = path.join(work, 'hostile.xml');
    await writeFile(
      hostile,
      '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<rss><channel><item><title>&x;</title></item></channel></rss>\n',
    );
    const result = await vitrine('import', 'merchant', hostile, '--into', folder);
    expect(result.code).toBe(1);
    expect(result.out).toContain('hostile.xml:2:1 error   XML_REFUSED');
    expect(await readFile(path.join(folder, 'products.json'), 'utf8')).toBe(before);
  });
});

describe('wrong usage exits 2 and writes nothing', () => {
  let folder: string;
  let before: string;
  beforeAll(async () => {
    folder = await copyDemo('usage');
    before = await readFile(path.join(folder, 'products.json'), 'utf8');
  });

  test.each([
    [['woo', '<csv>', '--into', '<folder>'], 'import reads "shopify"'],
    [['shopify', '<csv>'], 'import needs --into'],
    [['shopify', '--into', '<folder>'], 'import takes a format'],
    [['shopify', '<csv>', '--into', '<folder>', '--currency', 'euro'], '--currency takes an ISO 4217 code'],
    [
      ['shopify', '<csv>', '--into', '<folder>', '--category-map', 'Lounge=sofas'],
      '"sofas" is not a category',
    ],
    [
      ['shopify', '<csv>', '--into', '<folder>', '--category-map', 'Lounge'],
      'takes a "feed value=category id" pair',
    ],
  ])('import %j', async (args, message) => {
    const paths: Record<string, string> = { '<folder>': folder, '<csv>': CSV };
    const result = await vitrine('import', ...args.map((a) => paths[a] ?? a));
    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
    expect(await readFile(path.join(folder, 'products.json'), 'utf8')).toBe(before);
  });
});
