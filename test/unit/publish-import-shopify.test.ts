// Shopify product CSV import: the RFC 4180 reader, exact money, GTIN check digits, HTML to text, and the
// fixture export (2 products × 3 variants with continuation and image rows, quoted HTML with commas, quotes
// and line breaks, a draft product) read into exact ProductSource records, alone and merged with products.json.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { z } from 'zod/mini';
import { Category, ProductSource } from '../../src/protocol/catalog';
import { parseCategoryMap } from '../../src/publish/import/category-match';
import { DelimitedSyntaxError, parseDelimited } from '../../src/publish/import/delimited-text';
import { isValidGtin, parseMoneyAmount, parseStock, toSlug } from '../../src/publish/import/feed-values';
import { htmlToText } from '../../src/publish/import/html-text';
import { mergeProducts } from '../../src/publish/import/merge-products';
import { parseShopifyCsv } from '../../src/publish/import/shopify-csv';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CSV = readFileSync(path.join(root, 'test/fixtures/import/shopify-products.csv'), 'utf8');
const DEMO = path.join(root, 'assets/brands/linde');
const categories = z
  .array(Category)
  .parse(JSON.parse(readFileSync(path.join(DEMO, 'categories.json'), 'utf8')));
const demoProducts = z
  .array(ProductSource)
  .parse(JSON.parse(readFileSync(path.join(DEMO, 'products.json'), 'utf8')));
const demo = (id: string): ProductSource => {
  const product = demoProducts.find((p) => p.id === id);
  if (!product) throw new Error(`${id} is not in the demo brand`);
  return product;
};
const FILE = 'shopify-products.csv';
const read = (text: string, extra: { categoryMap?: Map<string, string> } = {}) =>
  parseShopifyCsv(text, { file: FILE, currency: 'EUR', categories, ...extra });
const codes = (problems: readonly { code: string; line?: number }[]) =>
  problems.map((p) => `${p.line}:${p.code}`);

describe('RFC 4180 reader', () => {
  test('quoted fields with delimiters, escaped quotes, CRLF and line breaks inside quotes', () => {
    const text = 'a,b,c\r\n"x, y","say ""hi""","two\r\nlines"\r\n1,,3\r\n';
    expect(parseDelimited(text, ',')).toEqual([
      { fields: ['a', 'b', 'c'], line: 1 },
      { fields: ['x, y', 'say "hi"', 'two\nlines'], line: 2 },
      { fields: ['1', '', '3'], line: 4 },
    ]);
  });

  test('LF and lone CR end records; blank lines are skipped; a trailing delimiter is an empty field; BOM dropped', () => {
    expect(parseDelimited('\ufeffa,b\n\nc,\rd,"e"', ',')).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['c', ''], line: 3 },
      { fields: ['d', 'e'], line: 4 },
    ]);
  });

  test('tabs as delimiter, and a quote inside an unquoted field is kept', () => {
    expect(parseDelimited('id\tnote\nA1\t18" wide\n', '\t')).toEqual([
      { fields: ['id', 'note'], line: 1 },
      { fields: ['A1', '18" wide'], line: 2 },
    ]);
  });

  test('an unclosed quote is reported at the line it opens; text after a closing quote is refused', () => {
    const unclosed = () => parseDelimited('a,b\n1,"never\nclosed,3\n', ',');
    expect(unclosed).toThrow(DelimitedSyntaxError);
    expect(unclosed).toThrow('never closed');
    try {
      unclosed();
    } catch (error) {
      expect((error as DelimitedSyntaxError).line).toBe(2);
    }
    expect(() => parseDelimited('a\n"x"y\n', ',')).toThrow(/after a closing quote/);
  });

  test('the fixture: 9 records over 14 lines, quoted HTML kept whole', () => {
    const records = parseDelimited(CSV, ',');
    expect(records.map((r) => r.line)).toEqual([1, 2, 7, 8, 9, 10, 12, 13, 14]);
    expect(new Set(records.map((r) => r.fields.length))).toEqual(new Set([31]));
    expect(records[1]?.fields[2]).toContain(
      '<p class="lead">A light, upright dining chair in solid oak, with',
    );
  });
});

describe('money from decimal strings, exactly', () => {
  test.each([
    ['19.99', 'EUR', 1999],
    ['0.10', 'EUR', 10],
    ['349', 'EUR', 34900],
    ['349.000', 'EUR', 34900],
    ['1,234.50', 'EUR', 123450],
    ['1,234,567.89', 'EUR', 123456789],
    ['1,234', 'EUR', 123400],
    ['4800', 'JPY', 4800],
    ['1.234', 'BHD', 1234],
    ['21474836.47', 'EUR', 2147483647],
  ])('%s %s → %i minor units', (text, currency, minor) => {
    expect(parseMoneyAmount(text, currency)).toEqual({ ok: true, value: minor });
  });

  test('every amount from 0.00 to 99.99 comes out exact, read digit by digit', () => {
    for (let cents = 0; cents < 10000; cents += 1) {
      const text = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
      expect(parseMoneyAmount(text, 'EUR')).toEqual({ ok: true, value: cents });
    }
  });

  test.each([
    ['19,99', /decimal comma/],
    ['1.234,50', /decimal comma/],
    ['1,5', /decimal comma/],
    ['19.999', /EUR has 2 decimals/],
    ['-5.00', /negative/],
    ['€19.99', /not an amount/],
    ['1e3', /not an amount/],
    ['', /no amount/],
    ['21474836.48', /largest amount/],
    ['99999999999999999999.00', /largest amount/],
  ])('%s is refused, not guessed', (text, reason) => {
    const result = parseMoneyAmount(text, 'EUR');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  test('a yen amount with decimals is refused', () => {
    expect(parseMoneyAmount('1500.50', 'JPY')).toEqual({
      ok: false,
      reason: 'JPY has 0 decimals; this amount has more',
    });
  });

  test('stock counts are whole numbers', () => {
    expect(parseStock('12')).toEqual({ ok: true, value: 12 });
    expect(parseStock('-3')).toEqual({ ok: true, value: -3 });
    expect(parseStock('2.5').ok).toBe(false);
  });
});

describe('GTIN check digits', () => {
  test.each([
    ['4006381333931', true], // EAN-13
    ['4006381333932', false],
    ['96385074', true], // EAN-8
    ['96385075', false],
    ['036000291452', true], // UPC-A
    ['036000291453', false],
    ['10012345678902', true], // GTIN-14
    ['2087310001017', true],
    ['208731000101', false], // 12 digits, wrong check
    ['12345', false],
    ['2.08731E+12', false],
  ])('%s → %s', (code, valid) => {
    expect(isValidGtin(code)).toBe(valid);
  });
});

describe('HTML to text', () => {
  test('blocks and list items become lines, entities are decoded, whitespace collapses', () => {
    expect(
      htmlToText(
        '<p>One,   two</p>\n<ul>\n<li>A &amp; B</li>\n<li>C&nbsp;&#233;&#x20AC;</li>\n</ul><p>End<br>here</p>',
      ),
    ).toBe('One, two\n\n• A & B\n• C é€\n\nEnd\nhere');
  });

  test('scripts, styles and comments are dropped whole; a lone < is text; quoted > in attributes is skipped', () => {
    expect(
      htmlToText(
        '<script>alert("x<p>")</script><style>p{}</style><!-- note --><a title="a > b" href=x>3 < 4</a>',
      ),
    ).toBe('3 < 4');
  });

  test('an unclosed script drops the rest; nothing is ever interpreted', () => {
    expect(htmlToText('Safe <script>document.cookie')).toBe('Safe');
    expect(htmlToText('&lt;img src=x onerror=alert(1)&gt;')).toBe('<img src=x onerror=alert(1)>');
  });

  test('runs in linear time on hostile input', () => {
    const started = performance.now();
    htmlToText('<a '.repeat(50_000) + '<'.repeat(50_000) + '&'.repeat(50_000));
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

test('slugs for material variant names', () => {
  expect(toSlug('Natural oak')).toBe('natural-oak');
  expect(toSlug('Oat bouclé / Large')).toBe('oat-boucle-large');
  expect(toSlug('  --  ')).toBe('');
});

describe('the Shopify fixture', () => {
  const feed = read(CSV);

  test('two products of three variants; the image row adds none; the draft is skipped; lines are the rows', () => {
    expect(feed.unreadable).toBe(false);
    expect(feed.products.map((p) => [p.id, p.line, p.variants.map((v) => v.line)])).toEqual([
      ['aster-dining-chair', 2, [2, 7, 8]],
      ['fjord-lounge-chair', 10, [10, 12, 13]],
    ]);
    expect(feed.problems).toEqual([
      {
        severity: 'warning',
        file: FILE,
        line: 13,
        code: 'STOCK_NEGATIVE',
        message: 'LIN-FJDLNG-RST has -1 in stock (oversold): imported as 0',
      },
      {
        severity: 'warning',
        file: FILE,
        line: 14,
        code: 'PRODUCT_SKIPPED',
        message: 'lera-vase is draft in Shopify: not imported',
        hint: 'Set it active in Shopify and export again to import it.',
      },
    ]);
  });

  test('into an empty products.json: exact records, and exactly which fields the brand must add', () => {
    const merged = mergeProducts([], feed, { file: FILE, categories });
    expect(merged.products).toEqual([
      {
        id: 'aster-dining-chair',
        name: 'Aster Dining Chair',
        description:
          'A light, upright dining chair in solid oak, with a shaped back rail and a seat at a relaxed 46 cm.\n\n' +
          '• Mortise-and-tenon joints, no metal fixings\n• Re-oil it, repair it & keep it for decades',
        category: 'seating',
        variants: [
          {
            sku: 'LIN-ASTCHR-NAT',
            gtin: '2087310001017',
            name: 'Natural oak',
            options: { finish: 'Natural oak' },
            price: { amount: 35900, currency: 'EUR' },
            stock: 20,
            materialVariant: 'natural-oak',
          },
          {
            sku: 'LIN-ASTCHR-SMK',
            gtin: '2087310001024',
            name: 'Smoked oak',
            options: { finish: 'Smoked oak' },
            price: { amount: 36900, currency: 'EUR' },
            stock: 2,
            materialVariant: 'smoked-oak',
          },
          {
            sku: 'LIN-ASTCHR-BLK',
            gtin: '2087310001031',
            name: 'Black oak',
            options: { finish: 'Black oak' },
            price: { amount: 36900, currency: 'EUR' },
            stock: 0,
            materialVariant: 'black-oak',
          },
        ],
        certifications: [],
        provenance: [],
      },
      {
        id: 'fjord-lounge-chair',
        name: 'Fjord Lounge Chair',
        description:
          'A deep lounge chair with a solid oak frame, sprung seat and stone-washed linen.\n\n' +
          'Cushions of natural latex, wool & "feather-light" padding.\nCovers come off for washing.',
        variants: [
          {
            sku: 'LIN-FJDLNG-SND',
            gtin: '2087310001048',
            name: 'Sand linen',
            options: { fabric: 'Sand linen' },
            price: { amount: 119000, currency: 'EUR' },
            stock: 6,
            materialVariant: 'sand-linen',
          },
          {
            sku: 'LIN-FJDLNG-MOS',
            gtin: '2087310001055',
            name: 'Moss linen',
            options: { fabric: 'Moss linen' },
            price: { amount: 119000, currency: 'EUR' },
            stock: 2,
            materialVariant: 'moss-linen',
          },
          {
            sku: 'LIN-FJDLNG-RST',
            gtin: '2087310001062',
            name: 'Rust linen',
            options: { fabric: 'Rust linen' },
            price: { amount: 124000, currency: 'EUR' },
            stock: 0,
            materialVariant: 'rust-linen',
          },
        ],
        certifications: [],
        provenance: [],
      },
    ]);
    // No size, placement, origin or materials was invented: each is named as missing.
    expect(merged.problems.map((p) => [p.line, p.code, p.message])).toEqual([
      [
        2,
        'FIELDS_MISSING',
        'aster-dining-chair: the Shopify CSV has no materials, countryOfOrigin, dimensions and placement',
      ],
      [
        10,
        'CATEGORY_UNKNOWN',
        'fjord-lounge-chair: "Lounge chairs" and "Furniture > Chairs > Arm Chairs, Recliners & Sleeper Chairs" matches no category of the brand',
      ],
      [
        10,
        'FIELDS_MISSING',
        'fjord-lounge-chair: the Shopify CSV has no materials, countryOfOrigin, dimensions and placement',
      ],
    ]);
    expect(merged.problems[1]?.hint).toContain('Known categories: seating, tables, lighting, storage, decor');
    expect(merged.problems[0]?.hint).toContain('dimensions in metres');
    expect(merged.changes.map((c) => `${c.kind} ${c.id}`)).toEqual([
      'added aster-dining-chair',
      'added fjord-lounge-chair',
    ]);
    // Not yet valid products, precisely because of those fields.
    expect(ProductSource.safeParse(merged.products[0]).success).toBe(false);
  });

  test('--category-map maps a Shopify Type (or any level of Product Category) onto a category', () => {
    for (const key of ['Lounge chairs', 'arm chairs, recliners & sleeper chairs']) {
      const mapped = parseCategoryMap([`${key}=seating`]);
      if ('error' in mapped) throw new Error(mapped.error);
      const fjord = read(CSV, { categoryMap: mapped.map }).products[1];
      expect(fjord?.fields.category).toBe('seating');
      expect(fjord?.unmatchedCategory).toBeUndefined();
    }
    expect(parseCategoryMap(['Chairs'])).toEqual({
      error: '--category-map takes a "feed value=category id" pair, not "Chairs"',
    });
  });

  test('merged with the demo brand: the feed changes price, stock and text; everything else is kept', () => {
    const merged = mergeProducts(demoProducts, feed, { file: FILE, categories });
    expect(merged.problems).toEqual([]);
    const parsed = z.array(ProductSource).parse(merged.products);
    expect(parsed).toHaveLength(demoProducts.length);
    const aster = demo('aster-dining-chair');
    const fjord = demo('fjord-lounge-chair');
    expect(parsed[0]).toEqual({
      ...aster,
      description: feed.products[0]?.fields.description,
      variants: [
        { ...aster.variants[0], price: { amount: 35900, currency: 'EUR' }, stock: 20 },
        aster.variants[1],
        aster.variants[2],
      ],
    });
    expect(parsed[1]).toEqual({
      ...fjord,
      description: feed.products[1]?.fields.description,
      variants: [fjord.variants[0], fjord.variants[1], fjord.variants[2]],
    });
    expect(parsed.slice(2)).toEqual(demoProducts.slice(2));
    expect(merged.changes).toEqual([
      {
        id: 'aster-dining-chair',
        kind: 'changed',
        details: ['description', 'LIN-ASTCHR-NAT: price 34900 EUR → 35900 EUR, stock 24 → 20'],
      },
      { id: 'fjord-lounge-chair', kind: 'changed', details: ['description'] },
    ]);
  });

  test('a variant gone from the feed is reported removed; one new is added with its made-up name', () => {
    const edited = CSV.replace('LIN-ASTCHR-BLK', 'LIN-ASTCHR-WHT').replace(',Black oak,', ',White oak,');
    const merged = mergeProducts(demoProducts, read(edited), { file: FILE, categories });
    expect(merged.changes[0]?.details).toEqual([
      'description',
      'LIN-ASTCHR-NAT: price 34900 EUR → 35900 EUR, stock 24 → 20',
      '+LIN-ASTCHR-WHT',
      '-LIN-ASTCHR-BLK',
    ]);
    const variant = (merged.products[0] as ProductSource).variants[2];
    expect(variant).toMatchObject({ sku: 'LIN-ASTCHR-WHT', name: 'White oak', materialVariant: 'white-oak' });
  });
});

describe('what the Shopify reader reports instead of rewriting', () => {
  const HEADER =
    'Handle,Title,Body (HTML),Type,Option1 Name,Option1 Value,Option2 Name,Option2 Value,Variant SKU,Variant Inventory Qty,Variant Price,Variant Barcode,Status\n';

  test('a lower-case SKU is reported with the SKU to use, and kept as written', () => {
    const feed = read(
      `${HEADER}oak-stool,Oak Stool,,Seating,Title,Default Title,,,oak-stool-1,3,129.00,,active\n`,
    );
    expect(feed.products[0]?.variants[0]?.fields.sku).toBe('oak-stool-1');
    expect(feed.problems).toMatchObject([
      { line: 2, code: 'SKU_FORMAT', hint: expect.stringContaining('"OAK-STOOL-1"') },
    ]);
  });

  test('Shopify\'s "Title: Default Title" is no option; two options make name and materialVariant', () => {
    const feed = read(
      `${HEADER}oak-stool,Oak Stool,<b>Solid</b>,Seating,Title,Default Title,,,OAK-1,3,129.00,,active\n` +
        `rug,Rug,,Decor,Colour,Ecru,Size,200 × 140,RUG-ECR-L,1,590.00,4006381333931,active\n`,
    );
    expect(feed.products.map((p) => p.variants[0])).toEqual([
      {
        line: 2,
        fields: { options: {}, sku: 'OAK-1', price: { amount: 12900, currency: 'EUR' }, stock: 3 },
        fallback: { name: 'Oak Stool', materialVariant: 'default' },
      },
      {
        line: 3,
        fields: {
          options: { colour: 'Ecru', size: '200 × 140' },
          sku: 'RUG-ECR-L',
          price: { amount: 59000, currency: 'EUR' },
          stock: 1,
          gtin: '4006381333931',
        },
        fallback: { name: 'Ecru / 200 × 140', materialVariant: 'ecru-200-140' },
      },
    ]);
    expect(feed.products[0]?.fields.description).toBe('Solid');
  });

  test('bad barcodes, prices, stock and handles each get a problem on their row', () => {
    const feed = read(
      `${HEADER}Oak_Stool,Oak Stool,,Seating,,,,,OAK-1,3,"12,90",4006381333932,active\n` +
        `Oak_Stool,,,,,,,,OAK-2,many,12.90,2.08731E+12,\n` +
        `Oak_Stool,,,,,,,,,1,12.90,,\n`,
    );
    expect(codes(feed.problems)).toEqual([
      '2:ID_FORMAT',
      '2:PRICE_FORMAT',
      '2:GTIN_INVALID',
      '3:STOCK_FORMAT',
      '3:GTIN_INVALID',
      '4:SKU_MISSING',
    ]);
    expect(feed.problems[0]?.hint).toContain('"oak-stool"');
    expect(feed.problems[1]?.message).toContain('decimal comma');
    expect(feed.problems[2]?.message).toContain('check digit');
    expect(feed.problems[4]?.message).toContain('scientific notation');
    const variants = feed.products[0]?.variants ?? [];
    expect(variants.map((v) => v.fields.gtin)).toEqual([undefined, undefined, undefined]);
    expect(variants.map((v) => v.fields.price)).toEqual([
      undefined,
      { amount: 1290, currency: 'EUR' },
      { amount: 1290, currency: 'EUR' },
    ]);
  });

  test('a stock count missing from the feed and from products.json is reported at its row', () => {
    const feed = read(`${HEADER}oak-stool,Oak Stool,,Seating,,,,,OAK-1,,129.00,,active\n`);
    const merged = mergeProducts([], feed, { file: FILE, categories });
    expect(codes(merged.problems)).toEqual(['2:FIELDS_MISSING', '2:STOCK_MISSING']);
  });

  test('a file that is not a Shopify export, or not CSV, is unreadable', () => {
    expect(read('name,price\nchair,12.00\n')).toMatchObject({
      unreadable: true,
      problems: [{ code: 'CSV_FORMAT', line: 1 }],
    });
    expect(read(`${HEADER}"oak-stool,Oak\n`)).toMatchObject({
      unreadable: true,
      problems: [{ code: 'CSV_SYNTAX', line: 2 }],
    });
  });

  test('the newer export headers ("URL handle", "SKU", "Inventory quantity") read the same', () => {
    const feed = read(
      'URL handle,Title,Description,Type,Option1 name,Option1 value,SKU,Inventory quantity,Price,Barcode,Status\n' +
        'oak-stool,Oak Stool,<p>Oak.</p>,Seating,Wood,Oak,OAK-1,4,129.00,4006381333931,Active\n',
    );
    expect(feed.problems).toEqual([]);
    expect(feed.products[0]).toEqual({
      id: 'oak-stool',
      line: 2,
      fields: { name: 'Oak Stool', description: 'Oak.', category: 'seating' },
      variants: [
        {
          line: 2,
          fields: {
            options: { wood: 'Oak' },
            sku: 'OAK-1',
            price: { amount: 12900, currency: 'EUR' },
            stock: 4,
            gtin: '4006381333931',
          },
          fallback: { name: 'Oak', materialVariant: 'oak' },
        },
      ],
    });
  });
});
