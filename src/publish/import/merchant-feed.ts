/**
 * Reads a Google Merchant Center product feed into products (see feed-import.ts): the XML feed (RSS 2.0 with
 * items, or Atom with entries, attributes in the `g:` namespace http://base.google.com/ns/1.0) or the
 * tab-separated text feed (a header line of attribute names, one item a line). XML is read by xml-reader.ts,
 * which refuses DTDs and undefined entities.
 *
 * Google lists one item per variant and groups variants by item_group_id. How attributes become fields:
 * - product id: the id of the existing product in products.json that already has one of the group's SKUs;
 *   else item_group_id when it is a slug; else the last path segment of `link` when it is a slug (shops put
 *   the product's handle there); else it is reported.
 * - name ← the title the group's items share (their common start, trimmed of separators; Google advises
 *   variant titles that add the colour or size); description ← description, as plain text.
 * - category ← product_type, then google_product_category, onto categories.json (category-match.ts).
 * - materials ← material ("Oak/Brass" is two materials), every distinct one of the group.
 * - dimensions ← product_width, product_height, product_length (depth), "46 cm" or "18 in", in metres.
 * - variants: sku ← id (reported, not rewritten, when it breaks the SKU rule); price ← price ("349.00 EUR");
 *   gtin ← gtin when its check digit is right; options ← color and size; stock ← 0 when out_of_stock, else
 *   kept from products.json (a feed carries availability, not a count); name and materialVariant as for
 *   Shopify: option values joined by " / ", and their slug.
 * - Not used: link, image_link, brand, condition, product_weight and shipping (Vitrine has no field for them).
 */
import type { Dimensions, Variant } from '../../protocol/catalog';
import type { Problem } from '../validate/problem';
import { matchCategory } from './category-match';
import { DelimitedSyntaxError, parseDelimited } from './delimited-text';
import type { FeedImport, ImportedProduct, ImportOptions } from './feed-import';
import {
  gtinReason,
  isValidGtin,
  parseLength,
  parseMoneyAmount,
  SKU,
  SLUG,
  suggestSku,
  toSlug,
} from './feed-values';
import { htmlToText } from './html-text';
import { parseXml, XmlSyntaxError, type XmlElement } from './xml-reader';

/** Google's namespace for product attributes in XML feeds. */
export const GOOGLE_NS = 'http://base.google.com/ns/1.0';

/** Options of the Merchant Center reader. */
export interface MerchantImportOptions extends ImportOptions {
  /** When given, every price must be in this currency. */
  currency?: string;
  /** The brand's products.json as parsed, to keep product ids of SKUs it already has. */
  existing: readonly unknown[];
}

const SOURCE = 'Google Merchant Center feed';

/** One item of the feed: its attributes by name, and the line it starts on. */
interface FeedItem {
  line: number;
  attributes: Map<string, string>;
}

const ATTRIBUTE_ORDER = ['color', 'size'] as const;
const MAX_DESCRIPTION = 4000;

/** Reads a Merchant Center feed, XML or tab-separated; see the module comment. Never throws for `text`. */
export function parseMerchantFeed(text: string, options: MerchantImportOptions): FeedImport {
  const { file } = options;
  const problems: Problem[] = [];
  const result: FeedImport = { source: SOURCE, products: [], problems, unreadable: false };
  const add = (severity: Problem['severity'], line: number, code: string, message: string, hint?: string) => {
    problems.push({ severity, file, line, code, message, ...(hint ? { hint } : {}) });
  };

  const items = text.trimStart().startsWith('<') ? readXmlItems(text, add) : readTextItems(text, add);
  if (!items) return { ...result, unreadable: true };

  // SKU → product id in products.json, to keep ids the brand already uses.
  const idOfSku = new Map<string, string>();
  for (const product of options.existing) {
    if (typeof product !== 'object' || product === null) continue;
    const { id, variants } = product as { id?: unknown; variants?: unknown };
    if (typeof id !== 'string' || !Array.isArray(variants)) continue;
    for (const v of variants) {
      const sku = (v as { sku?: unknown } | null)?.sku;
      if (typeof sku === 'string') idOfSku.set(sku, id);
    }
  }

  const groups = new Map<string, FeedItem[]>();
  for (const item of items) {
    const id = item.attributes.get('id') ?? '';
    if (id === '') {
      add(
        'error',
        item.line,
        'ITEM_ID_MISSING',
        'this item has no id',
        'Every item needs its id: Vitrine uses it as the SKU.',
      );
      continue;
    }
    const key = item.attributes.get('item_group_id') || `\u0000${id}`;
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }

  for (const [key, group] of groups) {
    const first = group[0];
    if (!first) continue;
    const get = (item: FeedItem, name: string): string => item.attributes.get(name) ?? '';
    const groupId = key.startsWith('\u0000') ? '' : key;
    const linkSlug = /\/([^/?#]+)\/?(?:[?#].*)?$/.exec(get(first, 'link'))?.[1] ?? '';
    const known = group.map((item) => idOfSku.get(get(item, 'id'))).find((id) => id !== undefined);
    const id =
      known ??
      (SLUG.test(groupId) ? groupId : undefined) ??
      (SLUG.test(linkSlug) && linkSlug.length <= 80 ? linkSlug : undefined);
    if (id === undefined) {
      const suggestion = toSlug(commonTitle(group.map((item) => get(item, 'title')))) || 'oak-chair';
      add(
        'error',
        first.line,
        'PRODUCT_ID',
        `no product id for ${groupId ? `item group "${groupId}"` : `item "${get(first, 'id')}"`}: no SKU of it is in products.json, and neither item_group_id nor the link ends in a product id`,
        `Set item_group_id to the product's id (lower-case letters, digits and dashes, e.g. "${suggestion}"), or add the product with its SKUs to products.json first.`,
      );
      continue;
    }

    const product: ImportedProduct = { id, line: first.line, fields: {}, variants: [] };
    const name = commonTitle(group.map((item) => get(item, 'title')));
    if (name !== '') product.fields.name = name.slice(0, 200);
    // Google's description is plain text that may carry basic HTML; plain text keeps its line breaks.
    const rawDescription = get(first, 'description');
    let description = /<[a-zA-Z/!]/.test(rawDescription) ? htmlToText(rawDescription) : rawDescription.trim();
    if (description.length > MAX_DESCRIPTION) {
      add(
        'warning',
        first.line,
        'DESCRIPTION_CUT',
        `${id}: the description is ${description.length} characters; cut to ${MAX_DESCRIPTION}`,
      );
      description = description.slice(0, MAX_DESCRIPTION);
    }
    product.fields.description = description;

    const categoryValues = [get(first, 'product_type'), get(first, 'google_product_category')].filter(
      Boolean,
    );
    const category = matchCategory(categoryValues, options.categories, options.categoryMap);
    if (category !== undefined) product.fields.category = category;
    else if (categoryValues.length > 0) product.unmatchedCategory = categoryValues;

    const materials = [
      ...new Set(
        group.flatMap((item) =>
          get(item, 'material')
            .split('/')
            .map((m) => m.trim())
            .filter(Boolean),
        ),
      ),
    ];
    if (materials.length > 0) product.fields.materials = materials;

    const dimensions = group.map((item) => readDimensions(item, id, add)).filter((d) => d !== undefined);
    const [size] = dimensions;
    if (size) {
      product.fields.dimensions = size;
      if (dimensions.some((d) => JSON.stringify(d) !== JSON.stringify(size))) {
        add(
          'warning',
          first.line,
          'DIMENSIONS_DIFFER',
          `${id}: its variants have different sizes; products.json holds one size per product, the first was taken`,
          'Variants that differ in size are separate products in Vitrine, each with its own model.',
        );
      }
    }

    for (const item of group) {
      const fields: Partial<Variant> = {};
      const sku = get(item, 'id');
      fields.sku = sku;
      if (!SKU.test(sku)) {
        const suggestion = suggestSku(sku);
        add(
          'error',
          item.line,
          'SKU_FORMAT',
          `id "${sku}" is not a SKU: 2 to 40 upper-case letters, digits and dashes`,
          `Change the item id${SKU.test(suggestion) ? ` (perhaps to "${suggestion}")` : ''}: the import does not rewrite SKUs, since orders and stock refer to them.`,
        );
      }
      const price = readPrice(get(item, 'price'), options.currency);
      if ('reason' in price)
        add('error', item.line, 'PRICE_FORMAT', `price "${get(item, 'price')}": ${price.reason}`);
      else fields.price = price;

      const availability = get(item, 'availability').toLowerCase().replaceAll(' ', '_');
      if (availability === 'out_of_stock') fields.stock = 0;

      const gtin = get(item, 'gtin');
      if (gtin !== '') {
        if (isValidGtin(gtin)) fields.gtin = gtin;
        else
          add(
            'warning',
            item.line,
            'GTIN_INVALID',
            `gtin "${gtin}" is not a GTIN (${gtinReason(gtin)}): left out`,
          );
      }
      const optionValues: Record<string, string> = {};
      for (const attribute of ATTRIBUTE_ORDER) {
        const value = get(item, attribute);
        if (value !== '') optionValues[attribute] = value.slice(0, 80);
      }
      fields.options = optionValues;
      const values = Object.values(optionValues);
      product.variants.push({
        line: item.line,
        fields,
        fallback: {
          name: (values.length > 0 ? values.join(' / ') : get(item, 'title') || id).slice(0, 120),
          materialVariant: toSlug(values.join(' ')) || 'default',
        },
      });
    }
    result.products.push(product);
  }
  return result;
}

type Add = (
  severity: Problem['severity'],
  line: number,
  code: string,
  message: string,
  hint?: string,
) => void;

/** The longest start the titles share, cut back to a word and trimmed of separators; one title as it is. */
function commonTitle(titles: readonly string[]): string {
  const present = titles.map((t) => t.trim()).filter(Boolean);
  const [first, ...rest] = present;
  if (first === undefined) return '';
  let common = first;
  for (const title of rest) {
    let n = 0;
    while (n < common.length && n < title.length && common[n] === title[n]) n += 1;
    common = common.slice(0, n);
  }
  if (common === first && rest.every((t) => t === first)) return first;
  // Cut back to the end of a whole word, then drop trailing separators (" - ", " – ", ",", "|", "(").
  const whole = rest.every((t) => t.length === common.length || /[\s,|–—(/-]/.test(t[common.length] ?? ''));
  const cut = whole ? common : common.replace(/\S*$/, '');
  return cut.replace(/[\s,|–—(/-]+$/, '');
}

/** "349.00 EUR" (or "EUR 349.00"; or "349.00" with `currency`) as money. */
function readPrice(text: string, currency: string | undefined): Variant['price'] | { reason: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { reason: 'no price' };
  const match = /^([A-Z]{3})\s+(\S+)$|^(\S+)\s+([A-Z]{3})$/.exec(trimmed);
  const code = match ? (match[1] ?? match[4] ?? '') : currency;
  const amountText = match ? (match[2] ?? match[3] ?? '') : trimmed;
  if (code === undefined) return { reason: 'no currency: write it as "349.00 EUR", or pass --currency' };
  if (currency !== undefined && code !== currency)
    return { reason: `in ${code}, not ${currency} as --currency says` };
  const amount = parseMoneyAmount(amountText, code);
  return amount.ok ? { amount: amount.value, currency: code } : { reason: amount.reason };
}

/** product_width/height/length of one item in metres, or undefined when it has none. */
function readDimensions(item: FeedItem, id: string, add: Add): Dimensions | undefined {
  const axes = { width: 'product_width', height: 'product_height', depth: 'product_length' } as const;
  const given = Object.entries(axes).filter(([, attribute]) => (item.attributes.get(attribute) ?? '') !== '');
  if (given.length === 0) return undefined;
  if (given.length < 3) {
    const missing = Object.values(axes).filter((a) => !given.some(([, g]) => g === a));
    add(
      'error',
      item.line,
      'DIMENSIONS_PARTIAL',
      `${id}: the item has ${given.map(([, a]) => a).join(' and ')} but no ${missing.join(' or ')}`,
      'Give all three (product_length is the depth), or none and write dimensions in products.json.',
    );
    return undefined;
  }
  const out: Partial<Dimensions> = {};
  for (const [axis, attribute] of given) {
    const value = item.attributes.get(attribute) ?? '';
    const length = parseLength(value);
    if (!length.ok) {
      add('error', item.line, 'DIMENSION_FORMAT', `${attribute} "${value}": ${length.reason}`);
      return undefined;
    }
    out[axis as keyof Dimensions] = length.value;
  }
  return out as Dimensions;
}

/** Items of an XML feed (RSS items or Atom entries); undefined when it cannot be read. */
function readXmlItems(text: string, add: Add): FeedItem[] | undefined {
  let root: XmlElement;
  try {
    root = parseXml(text);
  } catch (e) {
    if (!(e instanceof XmlSyntaxError)) throw e;
    const code = e.refused ? 'XML_REFUSED' : 'XML_SYNTAX';
    add('error', e.line, code, e.refused ? e.message : `not well-formed XML: ${e.message}`);
    return undefined;
  }
  const items: FeedItem[] = [];
  const walk = (element: XmlElement): void => {
    for (const child of element.children) {
      if ((child.local === 'item' || child.local === 'entry') && child.namespace !== GOOGLE_NS) {
        items.push(xmlItem(child));
      } else {
        walk(child);
      }
    }
  };
  walk(root);
  if (items.length === 0) {
    add('error', root.line, 'FEED_FORMAT', `not a product feed: <${root.name}> holds no <item> or <entry>`);
    return undefined;
  }
  return items;
}

/** One item's attributes: g: ones first, then plain (RSS/Atom) title, description and link where g: has none. */
function xmlItem(element: XmlElement): FeedItem {
  const attributes = new Map<string, string>();
  for (const child of element.children) {
    if (child.namespace === GOOGLE_NS && !attributes.has(child.local))
      attributes.set(child.local, child.text.trim());
  }
  for (const child of element.children) {
    if (child.namespace === GOOGLE_NS || attributes.has(child.local)) continue;
    const value =
      child.local === 'link' && child.text.trim() === '' ? (child.attributes.get('href') ?? '') : child.text;
    attributes.set(child.local, value.trim());
  }
  return { line: element.line, attributes };
}

/** Items of a tab-separated feed; undefined when it cannot be read. */
function readTextItems(text: string, add: Add): FeedItem[] | undefined {
  let records;
  try {
    records = parseDelimited(text, '\t');
  } catch (e) {
    if (!(e instanceof DelimitedSyntaxError)) throw e;
    add('error', e.line, 'TSV_SYNTAX', `not a well-formed tab-separated file: ${e.message}`);
    return undefined;
  }
  const [header, ...rows] = records;
  const names = (header?.fields ?? []).map((name) =>
    name.trim().toLowerCase().replace(/^g:/, '').replaceAll(' ', '_'),
  );
  if (!names.includes('id') || !names.includes('price')) {
    add(
      'error',
      1,
      'FEED_FORMAT',
      'not a Merchant Center feed: the first line must name the attributes, tab-separated, with id and price among them',
      'Export the feed as a tab-separated text file, or use the XML feed.',
    );
    return undefined;
  }
  return rows.map((row) => ({
    line: row.line,
    attributes: new Map(names.map((name, i) => [name, (row.fields[i] ?? '').trim()] as [string, string])),
  }));
}
