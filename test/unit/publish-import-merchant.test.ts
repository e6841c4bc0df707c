// Google Merchant Center feed import: the XML feed and the tab-separated feed of the same products read the
// same; exact ProductSource records with dimensions in metres and materials; the safe XML reader refuses DTDs
// and undefined entities; product ids, prices and partial or missing dimensions are reported precisely.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { z } from 'zod/mini';
import { Category, ProductSource } from '../../src/protocol/catalog';
import { parseLength } from '../../src/publish/import/feed-values';
import type { FeedImport } from '../../src/publish/import/feed-import';
import { parseMerchantFeed } from '../../src/publish/import/merchant-feed';
import { mergeProducts } from '../../src/publish/import/merge-products';
import { parseXml, XmlSyntaxError } from '../../src/publish/import/xml-reader';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixture = (name: string) => readFileSync(path.join(root, 'test/fixtures/import', name), 'utf8');
const XML = fixture('merchant-feed.xml');
const TSV = fixture('merchant-feed.tsv');
const DEMO = path.join(root, 'assets/brands/linde');
const categories = z
  .array(Category)
  .parse(JSON.parse(readFileSync(path.join(DEMO, 'categories.json'), 'utf8')));
const demoProducts = z
  .array(ProductSource)
  .parse(JSON.parse(readFileSync(path.join(DEMO, 'products.json'), 'utf8')));
const read = (text: string, options: { existing?: unknown[]; currency?: string } = {}) =>
  parseMerchantFeed(text, { file: 'feed', categories, existing: options.existing ?? [], ...options });
const withoutLines = (feed: FeedImport) =>
  feed.products.map((p) => ({ ...p, line: 0, variants: p.variants.map((v) => ({ ...v, line: 0 })) }));
const codes = (problems: readonly { code: string; line?: number }[]) =>
  problems.map((p) => `${p.line}:${p.code}`);

const G = 'xmlns:g="http://base.google.com/ns/1.0"';
/** An RSS feed: its first item starts on line 3. */
const rss = (items: string) =>
  `<?xml version="1.0"?>\n<rss version="2.0" ${G}><channel>\n${items}</channel></rss>\n`;

describe('lengths into metres', () => {
  test.each([
    ['46 cm', 0.46],
    ['80cm', 0.8],
    ['1.5 CM', 0.015],
    ['18 in', 0.4572],
    ['20.5 in', 0.5207],
    ['300 cm', 3],
  ])('%s → %f m', (text, metres) => {
    expect(parseLength(text)).toEqual({ ok: true, value: metres });
  });

  test.each(['46', '46 mm', '-4 cm', '0 cm', 'cm'])('%s is refused', (text) => {
    expect(parseLength(text).ok).toBe(false);
  });
});

describe('the fixture feeds', () => {
  const xml = read(XML);
  const tsv = read(TSV);

  test('XML and tab-separated feeds of the same products read the same, at their own lines', () => {
    expect(xml.problems).toEqual([]);
    expect(tsv.problems).toEqual([]);
    expect(withoutLines(tsv)).toEqual(withoutLines(xml));
    expect(xml.products.map((p) => [p.id, p.line, p.variants.map((v) => v.line)])).toEqual([
      ['aster-dining-chair', 7, [7, 33, 59]],
      ['fjord-lounge-chair', 85, [85, 111, 137]],
    ]);
    expect(tsv.products.map((p) => [p.id, p.line, p.variants.map((v) => v.line)])).toEqual([
      ['aster-dining-chair', 2, [2, 3, 4]],
      ['fjord-lounge-chair', 5, [5, 6, 7]],
    ]);
  });

  test('into an empty products.json: exact records; only origin and placement are missing', () => {
    const merged = mergeProducts([], xml, { file: 'feed', categories });
    const aster = demoProducts[0];
    expect(merged.products[0]).toEqual({
      id: 'aster-dining-chair',
      name: 'Aster Dining Chair',
      description:
        'A light, upright dining chair in solid oak, with a shaped back rail and a seat at a relaxed 46 cm. Mortise-and-tenon joints, no metal fixings.',
      category: 'seating',
      materials: ['Solid European oak', 'Plant-based hardwax oil'],
      dimensions: { width: 0.46, height: 0.8, depth: 0.52 },
      variants: [
        {
          sku: 'LIN-ASTCHR-NAT',
          gtin: '2087310001017',
          name: 'Natural oak',
          options: { color: 'Natural oak' },
          price: { amount: 35900, currency: 'EUR' },
          materialVariant: 'natural-oak',
        },
        {
          sku: 'LIN-ASTCHR-SMK',
          gtin: '2087310001024',
          name: 'Smoked oak',
          options: { color: 'Smoked oak' },
          price: { amount: 36900, currency: 'EUR' },
          materialVariant: 'smoked-oak',
        },
        {
          sku: 'LIN-ASTCHR-BLK',
          gtin: '2087310001031',
          name: 'Black oak',
          options: { color: 'Black oak' },
          price: { amount: 36900, currency: 'EUR' },
          stock: 0,
          materialVariant: 'black-oak',
        },
      ],
      certifications: [],
      provenance: [],
    });
    // The feed's true size is the demo brand's: the model will fit it.
    expect((merged.products[0] as ProductSource).dimensions).toEqual(aster?.dimensions);
    expect(merged.products[1]).toMatchObject({
      id: 'fjord-lounge-chair', // from the link: item_group_id FJD-100 is not a product id
      name: 'Fjord Lounge Chair',
      description: 'A deep lounge chair with a solid oak frame, sprung seat & stone-washed linen.',
      materials: ['Solid oak', 'Stone-washed linen', 'Natural latex and wool padding', 'Steel springs'],
      dimensions: { width: 0.74, height: 0.76, depth: 0.8 },
    });
    expect(merged.problems.map((p) => [p.line, p.code, p.message])).toEqual(
      [
        [
          7,
          'FIELDS_MISSING',
          'aster-dining-chair: the Google Merchant Center feed has no countryOfOrigin and placement',
        ],
        [
          85,
          'CATEGORY_UNKNOWN',
          'fjord-lounge-chair: "Lounge chairs" and "443" matches no category of the brand',
        ],
        [
          85,
          'FIELDS_MISSING',
          'fjord-lounge-chair: the Google Merchant Center feed has no countryOfOrigin and placement',
        ],
        // A feed says in_stock, not how many: the count must come from products.json.
        [
          85,
          'STOCK_MISSING',
          'fjord-lounge-chair: LIN-FJDLNG-SND has no stock count, in the feed or in products.json',
        ],
        [
          111,
          'STOCK_MISSING',
          'fjord-lounge-chair: LIN-FJDLNG-MOS has no stock count, in the feed or in products.json',
        ],
        [
          7,
          'STOCK_MISSING',
          'aster-dining-chair: LIN-ASTCHR-NAT has no stock count, in the feed or in products.json',
        ],
        [
          33,
          'STOCK_MISSING',
          'aster-dining-chair: LIN-ASTCHR-SMK has no stock count, in the feed or in products.json',
        ],
      ].sort((a, b) => Number(a[0]) - Number(b[0])),
    );
  });

  test('merged with the demo brand: valid records; stock, origin and placement kept; out of stock is 0', () => {
    const merged = mergeProducts(demoProducts, read(XML, { existing: demoProducts }), {
      file: 'feed',
      categories,
    });
    expect(merged.problems).toEqual([]);
    const [aster, fjord] = z.array(ProductSource).parse(merged.products);
    expect(aster).toMatchObject({
      countryOfOrigin: 'NL',
      placement: 'floor',
      category: 'seating',
      certifications: demoProducts[0]?.certifications,
    });
    expect(aster?.variants.map((v) => [v.sku, v.name, v.stock, v.price.amount, v.materialVariant])).toEqual([
      ['LIN-ASTCHR-NAT', 'Natural oak', 24, 35900, 'natural-oak'],
      ['LIN-ASTCHR-SMK', 'Smoked oak', 2, 36900, 'smoked-oak'],
      ['LIN-ASTCHR-BLK', 'Black oak', 0, 36900, 'black-oak'],
    ]);
    expect(fjord?.variants.map((v) => v.stock)).toEqual([6, 2, 0]);
    expect(merged.changes[1]).toEqual({
      id: 'fjord-lounge-chair',
      kind: 'changed',
      details: [
        'description',
        'LIN-FJDLNG-SND: options',
        'LIN-FJDLNG-MOS: options',
        'LIN-FJDLNG-RST: options',
      ],
    });
  });
});

describe('the safe XML reader', () => {
  test('elements, namespaces, CDATA, the five entities and character references', () => {
    const root = parseXml(
      `<?xml version="1.0"?>\n<!-- feed -->\n<rss ${G}><g:t a='1 &amp; 2'>A &lt;b&gt; &#233;&#xE9; <![CDATA[<raw> & ok]]></g:t><x/></rss>`,
    );
    const [t, x] = root.children;
    expect(t).toMatchObject({ name: 'g:t', local: 't', namespace: 'http://base.google.com/ns/1.0', line: 3 });
    expect(t?.text).toBe('A <b> éé <raw> & ok');
    expect(t?.attributes.get('a')).toBe('1 & 2');
    expect(x).toMatchObject({ name: 'x', namespace: '', children: [] });
  });

  test('a DOCTYPE is refused, with or without entities ("billion laughs", external entities)', () => {
    const laughs =
      '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n <!ENTITY lol2 "&lol;&lol;&lol;&lol;">\n]>\n<lolz>&lol2;</lolz>';
    const external = '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>';
    for (const text of [laughs, external, '<!doctype rss><rss/>']) {
      expect(() => parseXml(text)).toThrow(XmlSyntaxError);
      try {
        parseXml(text);
      } catch (error) {
        expect((error as XmlSyntaxError).refused).toBe('DOCTYPE');
      }
    }
    const feed = read(laughs);
    expect(feed).toMatchObject({
      unreadable: true,
      products: [],
      problems: [{ code: 'XML_REFUSED', line: 2 }],
    });
    expect(feed.problems[0]?.message).toContain('document type declarations are refused');
  });

  test('an entity that is not predefined is refused, never expanded or left as text', () => {
    try {
      parseXml('<r>\n<a>&nbsp;</a></r>');
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ refused: 'ENTITY', line: 2 });
    }
    expect(() => parseXml('<r>a & b</r>')).toThrow(/bare "&"/);
  });

  test('malformed XML is reported at its line', () => {
    expect(() => parseXml('<r>\n<a></b></r>')).toThrow(/<\/b> closes <a>/);
    expect(() => parseXml('<r>\n<a>')).toThrow(/never closed/);
    expect(() => parseXml('<r><g:a/></r>')).toThrow(/prefix "g"/);
    expect(() => parseXml('<r/><s/>')).toThrow(/second root/);
    expect(read(rss('<item>\n<g:id>A1</g:id></itm>'))).toMatchObject({
      unreadable: true,
      problems: [{ code: 'XML_SYNTAX', line: 4 }],
    });
  });

  test('nesting is bounded', () => {
    expect(() => parseXml('<a>'.repeat(100) + '</a>'.repeat(100))).toThrow(/deeper than 64/);
  });

  test('Atom feeds (entry) read as RSS items do', () => {
    const atom = `<feed xmlns="http://www.w3.org/2005/Atom" ${G}><entry><g:id>OAK-1</g:id><title>Oak Stool</title><link href="https://shop.example/products/oak-stool"/><g:price>129.00 EUR</g:price><g:availability>in_stock</g:availability></entry></feed>`;
    const feed = read(atom);
    expect(feed.problems).toEqual([]);
    expect(feed.products[0]).toMatchObject({ id: 'oak-stool', fields: { name: 'Oak Stool' } });
  });
});

describe('what the Merchant reader reports', () => {
  const item = (fields: Record<string, string>) =>
    `<item>\n${Object.entries(fields)
      .map(([k, v]) => `<g:${k}>${v}</g:${k}>`)
      .join('\n')}\n</item>\n`;

  test('a product without dimensions: the report names dimensions and materials too', () => {
    const feed = read(
      rss(
        item({
          id: 'OAK-1',
          item_group_id: 'oak-stool',
          title: 'Oak Stool',
          price: '129.00 EUR',
          availability: 'out of stock',
          product_type: 'Seating',
        }),
      ),
    );
    const merged = mergeProducts([], feed, { file: 'feed', categories });
    expect(merged.problems.map((p) => p.message)).toEqual([
      'oak-stool: the Google Merchant Center feed has no materials, countryOfOrigin, dimensions and placement',
    ]);
    expect(merged.problems[0]?.hint).toContain('measure the real product');
    // …and dimensions already in products.json are kept, never replaced by a guess.
    const existing = [
      { id: 'oak-stool', dimensions: { width: 0.4, height: 0.45, depth: 0.4 }, placement: 'floor' },
    ];
    const again = mergeProducts(existing, feed, { file: 'feed', categories });
    expect(again.products[0]).toMatchObject({ dimensions: { width: 0.4, height: 0.45, depth: 0.4 } });
    expect(again.problems.map((p) => p.message)).toEqual([
      'oak-stool: the Google Merchant Center feed has no materials and countryOfOrigin and products.json neither',
    ]);
  });

  test('partial or malformed dimensions are reported, not half-used', () => {
    const feed = read(
      rss(
        item({
          id: 'OAK-1',
          item_group_id: 'oak-stool',
          title: 'Oak Stool',
          price: '129.00 EUR',
          product_width: '40 cm',
          product_height: '45 cm',
        }) +
          item({
            id: 'OAK-2',
            item_group_id: 'oak-stool',
            title: 'Oak Stool',
            price: '129.00 EUR',
            product_width: '40 mm',
            product_height: '45 cm',
            product_length: '40 cm',
          }),
      ),
    );
    expect(codes(feed.problems)).toEqual(['3:DIMENSIONS_PARTIAL', '11:DIMENSION_FORMAT']);
    expect(feed.problems[0]?.message).toBe(
      'oak-stool: the item has product_width and product_height but no product_length',
    );
    expect(feed.products[0]?.fields.dimensions).toBeUndefined();
  });

  test('prices: currency from the price, --currency checked against it, refused decimal commas', () => {
    const feed = read(
      rss(
        item({ id: 'A-1', item_group_id: 'a', title: 'A', price: '1,234.50 EUR' }) +
          item({ id: 'A-2', item_group_id: 'a', title: 'A', price: 'EUR 19.99' }) +
          item({ id: 'A-3', item_group_id: 'a', title: 'A', price: '19,99 EUR' }) +
          item({ id: 'A-4', item_group_id: 'a', title: 'A', price: '19.99' }),
      ),
    );
    expect(feed.products[0]?.variants.map((v) => v.fields.price)).toEqual([
      { amount: 123450, currency: 'EUR' },
      { amount: 1999, currency: 'EUR' },
      undefined,
      undefined,
    ]);
    expect(feed.problems.map((p) => p.message)).toEqual([
      'price "19,99 EUR": a decimal comma is ambiguous: write the amount with a decimal point, such as 1234.50',
      'price "19.99": no currency: write it as "349.00 EUR", or pass --currency',
    ]);
    const usd = read(rss(item({ id: 'A-1', item_group_id: 'a', title: 'A', price: '19.99 EUR' })), {
      currency: 'USD',
    });
    expect(usd.problems[0]?.message).toBe('price "19.99 EUR": in EUR, not USD as --currency says');
  });

  test('product ids: an existing SKU wins, then item_group_id, then the link; otherwise reported', () => {
    const owned = read(
      rss(item({ id: 'LIN-ASTCHR-NAT', item_group_id: 'whatever-1', title: 'A', price: '1.00 EUR' })),
      {
        existing: demoProducts,
      },
    );
    expect(owned.products[0]?.id).toBe('aster-dining-chair');
    const none = read(
      rss(item({ id: 'X-1', item_group_id: 'G 100', title: 'Oak Stool – Large', price: '1.00 EUR' })),
    );
    expect(none.products).toEqual([]);
    expect(none.problems).toMatchObject([
      { code: 'PRODUCT_ID', line: 3, hint: expect.stringContaining('"oak-stool-large"') },
    ]);
  });

  test('SKUs and GTINs are checked, never rewritten', () => {
    const feed = read(
      rss(
        item({ id: 'oak_1', item_group_id: 'oak', title: 'Oak', price: '1.00 EUR', gtin: '4006381333932' }),
      ),
    );
    expect(feed.products[0]?.variants[0]?.fields).toMatchObject({ sku: 'oak_1' });
    expect(feed.products[0]?.variants[0]?.fields.gtin).toBeUndefined();
    expect(codes(feed.problems)).toEqual(['3:SKU_FORMAT', '3:GTIN_INVALID']);
    expect(feed.problems[0]?.hint).toContain('"OAK-1"');
  });

  test('a tab-separated file without id and price columns is not a feed', () => {
    expect(read('name\tcost\nchair\t1\n')).toMatchObject({
      unreadable: true,
      problems: [{ code: 'FEED_FORMAT', line: 1 }],
    });
  });
});
