/**
 * Reads Shopify's product CSV export into products (see feed-import.ts). Shopify writes one row per variant;
 * the rows of a product share its Handle, and only the first carries the product's fields (Title, Body (HTML),
 * Type, Option names…). Rows with only an image (Image Src) add no variant. Both the classic headers
 * ("Handle", "Variant SKU", "Variant Inventory Qty") and the newer ones ("URL handle", "SKU", "Inventory
 * quantity") are read, in any order and case.
 *
 * How columns become fields:
 * - id ← Handle, when it is a slug (lower-case letters, digits, single dashes); otherwise reported with the
 *   slug to use: the id names the product's model file, so it is never rewritten behind the brand's back.
 * - name ← Title; description ← Body (HTML) as plain text (html-text.ts).
 * - category ← Type, then Product Category, onto categories.json (category-match.ts).
 * - variants: sku ← Variant SKU (reported, not rewritten, when it breaks the SKU rule); price ← Variant Price
 *   in minor units of the `currency` option (a Shopify export carries no currency); stock ← Variant Inventory
 *   Qty (negative, i.e. oversold, counts as 0); gtin ← Variant Barcode when its check digit is right; options
 *   ← OptionN Name (lower-cased) and OptionN Value, leaving out Shopify's "Title: Default Title" placeholder.
 * - Fields Shopify has no column for: a variant's name is its option values joined by " / " and its
 *   materialVariant is their slug ("Natural oak" → "natural-oak", "Walnut / Large" → "walnut-large",
 *   "default" without options): name the model's KHR_materials_variants the same way. A variant already in
 *   products.json (same SKU) keeps its own name and materialVariant.
 * - Products whose Status is not active (draft, archived), or that are unpublished, are skipped and reported.
 */
import type { Variant } from '../../protocol/catalog';
import type { Problem } from '../validate/problem';
import { matchCategory } from './category-match';
import { DelimitedSyntaxError, parseDelimited, type DelimitedRecord } from './delimited-text';
import type { FeedImport, ImportedProduct, ImportedVariant, ImportOptions } from './feed-import';
import {
  gtinReason,
  isValidGtin,
  parseMoneyAmount,
  parseStock,
  SKU,
  SLUG,
  suggestSku,
  toSlug,
} from './feed-values';
import { htmlToText } from './html-text';

/** Options of the Shopify reader: a Shopify export has no currency column. */
export interface ShopifyImportOptions extends ImportOptions {
  /** ISO 4217 code of the shop's prices. */
  currency: string;
}

const SOURCE = 'Shopify CSV';

/** Column → the header names Shopify has used for it (lower case). */
const COLUMNS = {
  handle: ['handle', 'url handle'],
  title: ['title'],
  body: ['body (html)', 'description'],
  type: ['type'],
  productCategory: ['product category'],
  status: ['status'],
  published: ['published', 'published on online store'],
  option1Name: ['option1 name'],
  option1Value: ['option1 value'],
  option2Name: ['option2 name'],
  option2Value: ['option2 value'],
  option3Name: ['option3 name'],
  option3Value: ['option3 value'],
  sku: ['variant sku', 'sku'],
  price: ['variant price', 'price'],
  stock: ['variant inventory qty', 'inventory quantity'],
  barcode: ['variant barcode', 'barcode'],
} as const;
type Column = keyof typeof COLUMNS;

const OPTIONS = [
  ['option1Name', 'option1Value'],
  ['option2Name', 'option2Value'],
  ['option3Name', 'option3Value'],
] as const;

/** Longest description the schema takes. */
const MAX_DESCRIPTION = 4000;

/** Reads a Shopify product CSV export; see the module comment. Never throws for anything in `text`. */
export function parseShopifyCsv(text: string, options: ShopifyImportOptions): FeedImport {
  const { file, currency } = options;
  const problems: Problem[] = [];
  const result: FeedImport = { source: SOURCE, products: [], problems, unreadable: false };
  const error = (line: number | undefined, code: string, message: string, hint?: string): void => {
    problems.push({
      severity: 'error',
      file,
      code,
      message,
      ...(line ? { line } : {}),
      ...(hint ? { hint } : {}),
    });
  };
  const warning = (line: number, code: string, message: string, hint?: string): void => {
    problems.push({ severity: 'warning', file, line, code, message, ...(hint ? { hint } : {}) });
  };

  let records: DelimitedRecord[];
  try {
    records = parseDelimited(text, ',');
  } catch (e) {
    if (!(e instanceof DelimitedSyntaxError)) throw e;
    error(
      e.line,
      'CSV_SYNTAX',
      `not a well-formed CSV file: ${e.message}`,
      'Export the products from Shopify again.',
    );
    return { ...result, unreadable: true };
  }
  const [header, ...rows] = records;
  const names = (header?.fields ?? []).map((name) => name.trim().toLowerCase());
  const index = {} as Record<Column, number>;
  for (const [column, aliases] of Object.entries(COLUMNS) as [Column, readonly string[]][]) {
    index[column] = names.findIndex((name) => aliases.includes(name));
  }
  const absent = (['handle', 'price'] as const).filter((column) => index[column] < 0);
  if (!header || absent.length > 0) {
    error(
      1,
      'CSV_FORMAT',
      `not a Shopify product CSV: no ${absent.map((c) => `"${COLUMNS[c][0]}"`).join(' or ')} column in the first line`,
      'Export it from Shopify admin: Products → Export → CSV for Excel, Numbers, or other spreadsheet programs.',
    );
    return { ...result, unreadable: true };
  }
  const cell = (row: DelimitedRecord, column: Column): string => {
    const i = index[column];
    return i < 0 ? '' : (row.fields[i] ?? '').trim();
  };

  // Rows grouped by handle, in the order products first appear.
  const groups = new Map<string, DelimitedRecord[]>();
  for (const row of rows) {
    const handle = cell(row, 'handle');
    if (handle === '') {
      error(
        row.line,
        'HANDLE_MISSING',
        'this row has no Handle, so it belongs to no product',
        'Every row of a product carries its Handle.',
      );
      continue;
    }
    groups.set(handle, [...(groups.get(handle) ?? []), row]);
  }

  for (const [handle, group] of groups) {
    const first = group.find((row) => cell(row, 'title') !== '') ?? group[0];
    if (!first) continue;
    const line = group[0]?.line ?? first.line;
    const status = cell(first, 'status').toLowerCase();
    const published = cell(first, 'published').toLowerCase();
    if ((status !== '' && status !== 'active') || (status === '' && published === 'false')) {
      warning(
        line,
        'PRODUCT_SKIPPED',
        `${handle} is ${status !== '' ? status : 'not published'} in Shopify: not imported`,
        'Set it active in Shopify and export again to import it.',
      );
      continue;
    }
    if (!SLUG.test(handle) || handle.length > 80) {
      const slug = toSlug(handle);
      error(
        line,
        'ID_FORMAT',
        `the Handle "${handle}" is not a product id: lower-case letters, digits and single dashes`,
        `${slug ? `Change the Handle to "${slug}" in Shopify (or in this file)` : 'Give the product a Handle of lower-case letters, digits and dashes'}: the id also names its model, models/<id>.glb.`,
      );
    }

    const product: ImportedProduct = { id: handle, line, fields: {}, variants: [] };
    const title = cell(first, 'title');
    if (title !== '') product.fields.name = title;
    let description = htmlToText(index.body < 0 ? '' : (first.fields[index.body] ?? ''));
    if (description.length > MAX_DESCRIPTION) {
      warning(
        line,
        'DESCRIPTION_CUT',
        `${handle}: the description is ${description.length} characters; cut to ${MAX_DESCRIPTION}`,
      );
      description = description.slice(0, MAX_DESCRIPTION);
    }
    product.fields.description = description;
    const categoryValues = [cell(first, 'type'), cell(first, 'productCategory')].filter(Boolean);
    const category = matchCategory(categoryValues, options.categories, options.categoryMap);
    if (category !== undefined) product.fields.category = category;
    else if (categoryValues.length > 0) product.unmatchedCategory = categoryValues;

    const optionNames = OPTIONS.map(([name]) => cell(first, name));
    for (const row of group) {
      const isVariant = ['sku', 'price', 'option1Value'].some((c) => cell(row, c as Column) !== '');
      if (!isVariant) continue; // an image row
      product.variants.push(readVariant(row, optionNames, title || handle));
    }
    if (product.variants.length === 0) {
      error(line, 'VARIANTS_MISSING', `${handle} has no variant row (no SKU, price or option value)`);
      continue;
    }
    result.products.push(product);
  }
  return result;

  function readVariant(row: DelimitedRecord, optionNames: string[], productName: string): ImportedVariant {
    const fields: Partial<Variant> = {};
    const options: Record<string, string> = {};
    OPTIONS.forEach(([nameColumn, valueColumn], i) => {
      const name = cell(row, nameColumn) || (optionNames[i] ?? '');
      const value = cell(row, valueColumn);
      if (name === '' || value === '' || (name === 'Title' && value === 'Default Title')) return;
      if (name.length > 40 || value.length > 80) {
        error(
          row.line,
          'OPTION_TOO_LONG',
          `option "${name.slice(0, 40)}" is longer than 40 characters or its value than 80`,
        );
        return;
      }
      options[name.toLowerCase()] = value;
    });
    fields.options = options;

    const sku = cell(row, 'sku');
    if (sku === '') {
      error(
        row.line,
        'SKU_MISSING',
        'this variant has no SKU',
        'Give every variant a SKU in Shopify: carts and stock are kept by SKU.',
      );
    } else {
      fields.sku = sku;
      if (!SKU.test(sku)) {
        const suggestion = suggestSku(sku);
        error(
          row.line,
          'SKU_FORMAT',
          `SKU "${sku}" is not 2 to 40 upper-case letters, digits and dashes`,
          `Change it in Shopify${SKU.test(suggestion) ? ` (perhaps to "${suggestion}")` : ''}: the import does not rewrite SKUs, since orders and stock refer to them.`,
        );
      }
    }

    const price = parseMoneyAmount(cell(row, 'price'), currency);
    if (price.ok) fields.price = { amount: price.value, currency };
    else error(row.line, 'PRICE_FORMAT', `Variant Price "${cell(row, 'price')}": ${price.reason}`);

    const stockText = cell(row, 'stock');
    if (stockText !== '') {
      const stock = parseStock(stockText);
      if (!stock.ok) {
        error(row.line, 'STOCK_FORMAT', `Variant Inventory Qty "${stockText}": ${stock.reason}`);
      } else if (stock.value < 0) {
        warning(
          row.line,
          'STOCK_NEGATIVE',
          `${sku || 'a variant'} has ${stock.value} in stock (oversold): imported as 0`,
        );
        fields.stock = 0;
      } else {
        fields.stock = stock.value;
      }
    }

    const barcode = cell(row, 'barcode');
    if (barcode !== '') {
      if (isValidGtin(barcode)) fields.gtin = barcode;
      else
        warning(
          row.line,
          'GTIN_INVALID',
          `Variant Barcode "${barcode}" is not a GTIN (${gtinReason(barcode)}): left out`,
        );
    }

    const values = Object.values(options);
    return {
      line: row.line,
      fields,
      fallback: {
        name: values.length > 0 ? values.join(' / ') : productName,
        materialVariant: toSlug(values.join(' ')) || 'default',
      },
    };
  }
}
