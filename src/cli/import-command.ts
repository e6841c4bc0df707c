/**
 * `vitrine import <shopify|merchant> <file> --into <brand folder> [--currency EUR] [--category-map T=id]
 * [--dry-run]`: reads a Shopify product CSV or a Google Merchant Center feed, merges its products into the
 * folder's products.json (fields the feed lacks are kept from the file), prints what was added and changed and
 * every problem with its line, then validates the folder as `vitrine validate` does. Side effect: writes
 * products.json (through a temporary file and a rename, so it is never half-written), unless --dry-run.
 * Answers the exit code: 0 clean, 1 problems (import or validation errors), 2 wrong usage.
 */
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod/mini';
import { BRAND_FILES } from '../protocol/brand-folder';
import { Category, Currency } from '../protocol/catalog';
import { parseCategoryMap } from '../publish/import/category-match';
import type { FeedImport } from '../publish/import/feed-import';
import { parseMerchantFeed } from '../publish/import/merchant-feed';
import { mergeProducts, type ProductChange } from '../publish/import/merge-products';
import { parseShopifyCsv } from '../publish/import/shopify-csv';
import {
  BrandFolderReadError,
  readBrandFolder,
  validateBrandFolder,
  type Problem,
} from '../publish/validate';
import { countProblems, formatProblems, problemLocation } from './format-problems';
import type { CommandIO } from './validate-command';

/** Feed formats the command reads. */
export const IMPORT_FORMATS = ['shopify', 'merchant'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Options of the import command, as parsed from the command line. */
export interface ImportCommandOptions {
  into: string;
  currency?: string;
  categoryMap: string[];
  dryRun: boolean;
}

/** Wrong usage that the CLI reports with the usage text (exit code 2). */
export class ImportUsageError extends Error {}

/** Largest feed file read (a catalog of many thousand products is far less). */
export const MAX_FEED_BYTES = 64 * 1024 * 1024;

const paint = (on: boolean, code: number, text: string): string =>
  on ? `\u001b[${code}m${text}\u001b[0m` : text;

/** Runs the import; answers the exit code. Throws {@link ImportUsageError} on wrong usage. */
export async function importCommand(
  format: string,
  feedPath: string,
  options: ImportCommandOptions,
  io: CommandIO,
): Promise<number> {
  if (!(IMPORT_FORMATS as readonly string[]).includes(format)) {
    throw new ImportUsageError(
      `import reads "shopify" (product CSV) or "merchant" (Merchant Center feed), not "${format}"`,
    );
  }
  if (options.currency !== undefined && !Currency.safeParse(options.currency).success) {
    throw new ImportUsageError(`--currency takes an ISO 4217 code such as EUR, not "${options.currency}"`);
  }
  const folder = path.resolve(io.cwd, options.into);
  const feedFile = path.resolve(io.cwd, feedPath);
  const feedName = path.basename(feedFile);
  const { color } = io;

  let files: Map<string, Uint8Array>;
  try {
    files = new Map((await readBrandFolder(folder)).files);
  } catch (error) {
    if (!(error instanceof BrandFolderReadError)) throw error;
    io.out(formatProblems(options.into, [error.problem], { color }));
    return 1;
  }
  const fatal = (problem: Omit<Problem, 'severity'>): number => {
    io.out(formatProblems(problem.file, [{ severity: 'error', ...problem }], { color }));
    return 1;
  };

  // The folder's categories and products, as far as they read: products.json is merged into, never clobbered.
  const readJson = (file: string): { value?: unknown; error?: string } => {
    const bytes = files.get(file);
    if (bytes === undefined) return {};
    try {
      return { value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  };
  const products = readJson(BRAND_FILES.products);
  if (products.error !== undefined || (products.value !== undefined && !Array.isArray(products.value))) {
    return fatal({
      file: BRAND_FILES.products,
      code: 'PRODUCTS_UNREADABLE',
      message: `${BRAND_FILES.products} is ${products.error ? `not valid JSON (${products.error})` : 'not a list'}: the import will not overwrite it`,
      hint: `Fix it first (vitrine validate ${options.into} shows where), or move it away to start from the feed alone.`,
    });
  }
  const existing = (products.value ?? []) as unknown[];
  const categoriesRead = z.array(Category).safeParse(readJson(BRAND_FILES.categories).value);
  const categories = categoriesRead.success ? categoriesRead.data : [];

  const parsedMap = parseCategoryMap(options.categoryMap);
  if ('error' in parsedMap) throw new ImportUsageError(parsedMap.error);
  for (const id of parsedMap.map.values()) {
    if (!categories.some((c) => c.id === id)) {
      throw new ImportUsageError(
        `--category-map: "${id}" is not a category in ${BRAND_FILES.categories} (${categories.map((c) => c.id).join(', ') || 'none'})`,
      );
    }
  }

  let text: string;
  try {
    const size = (await stat(feedFile)).size;
    if (size > MAX_FEED_BYTES) {
      return fatal({
        file: feedName,
        code: 'FEED_TOO_LARGE',
        message: `the feed is ${size} bytes; at most ${MAX_FEED_BYTES}`,
      });
    }
    text = new TextDecoder('utf-8', { fatal: true }).decode(await readFile(feedFile));
  } catch (error) {
    const encoding = error instanceof TypeError;
    return fatal({
      file: feedName,
      code: encoding ? 'FEED_ENCODING' : 'FEED_MISSING',
      message: encoding ? 'the feed is not UTF-8 text' : `${feedPath} does not exist or cannot be read`,
      hint: encoding
        ? 'Export it again as UTF-8 (Shopify and Google both write UTF-8).'
        : 'Give the path of the exported file.',
    });
  }

  let feed: FeedImport;
  if (format === 'shopify') {
    let currency = options.currency;
    if (currency === undefined) {
      const used = new Set(
        existing.flatMap((p) =>
          Array.isArray((p as { variants?: unknown })?.variants)
            ? (p as { variants: { price?: { currency?: unknown } }[] }).variants.map(
                (v) => v?.price?.currency,
              )
            : [],
        ),
      );
      const [only] = used;
      if (used.size !== 1 || typeof only !== 'string') {
        throw new ImportUsageError(
          'a Shopify CSV has no currency column: give the shop currency with --currency EUR',
        );
      }
      currency = only;
      io.out(
        `Prices read as ${currency}, the currency of ${BRAND_FILES.products} (--currency to choose another).`,
      );
    }
    feed = parseShopifyCsv(text, { file: feedName, currency, categories, categoryMap: parsedMap.map });
  } else {
    feed = parseMerchantFeed(text, {
      file: feedName,
      categories,
      categoryMap: parsedMap.map,
      existing,
      ...(options.currency ? { currency: options.currency } : {}),
    });
  }

  const merged = mergeProducts(existing, feed, { file: feedName, categories });
  const importProblems = [...feed.problems, ...merged.problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const out: string[] = [];
  out.push(
    paint(
      color,
      1,
      `${feedName} → ${path.join(options.into, BRAND_FILES.products)}${options.dryRun ? ' (dry run: nothing written)' : ''}`,
    ),
  );
  out.push(...merged.changes.map((change) => describe(change, color)));
  if (merged.changes.length === 0) out.push('  no products read');
  for (const problem of importProblems) {
    const severity = problem.severity === 'error' ? paint(color, 31, 'error  ') : paint(color, 33, 'warning');
    out.push(
      `  ${problemLocation(problem)} ${severity} ${paint(color, 1, problem.code)}  ${problem.message}`,
    );
    if (problem.hint) out.push(paint(color, 2, `      hint: ${problem.hint}`));
  }
  const counts = countProblems(importProblems);
  const added = merged.changes.filter((c) => c.kind === 'added').length;
  const changed = merged.changes.filter((c) => c.kind === 'changed').length;
  out.push(
    `Import: ${added} added, ${changed} changed, ${merged.changes.length - added - changed} unchanged; ` +
      `${counts.errors} error${counts.errors === 1 ? '' : 's'}, ${counts.warnings} warning${counts.warnings === 1 ? '' : 's'}`,
  );
  io.out(`${out.join('\n')}\n`);
  if (feed.unreadable) return 1;

  const json = `${JSON.stringify(merged.products, null, 2)}\n`;
  const bytes = new TextEncoder().encode(json);
  if (!options.dryRun) {
    const target = path.join(folder, BRAND_FILES.products);
    const temporary = path.join(folder, `.${BRAND_FILES.products}.${process.pid}.tmp`);
    await writeFile(temporary, bytes);
    await rename(temporary, target);
  }
  files.set(BRAND_FILES.products, bytes);
  io.out(paint(color, 1, `Validating ${options.into}${options.dryRun ? ' as it would be' : ''}:`));
  const validation = await validateBrandFolder({ files });
  io.out(formatProblems(options.into, validation.problems, { color }));
  return counts.errors > 0 || countProblems(validation.problems).errors > 0 ? 1 : 0;
}

/** One line per product: + added, ~ changed (with what), = unchanged. */
function describe(change: ProductChange, color: boolean): string {
  if (change.kind === 'added')
    return paint(color, 32, `  + ${change.id}`) + ` (new, ${change.details.join(', ')})`;
  if (change.kind === 'unchanged') return paint(color, 2, `  = ${change.id} (unchanged)`);
  return paint(color, 33, `  ~ ${change.id}`) + `: ${change.details.join('; ')}`;
}
