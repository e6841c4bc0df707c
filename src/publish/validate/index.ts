/**
 * Validates a brand folder (the format of src/protocol/brand-folder.ts) before it is published: the CLI runs
 * it on the brand's machine and the server runs it again on what it receives, never trusting the client.
 *
 * Every problem names its file and, where it can, the field (JSON pointer or glTF path), line and column, with
 * a hint on how to fix it. Errors block publishing; warnings are listed. The checks: JSON syntax and schema
 * of the four JSON files, references and duplicates across them, provenance trails, one model per product
 * (container, URIs, accessors and texture sizes checked first, then the Khronos glTF Validator, then
 * 3D Commerce budgets and true scale against the product's dimensions), optional posters, and folder limits.
 */
import { BRAND_FILES, BrandFolderData, modelPath } from '../../protocol/brand-folder';
import { Brand, Category, ProductSource, Showroom } from '../../protocol/catalog';
import { z } from 'zod/mini';
import { formatBytes } from '../../core/bytes';
import {
  checkProductModel,
  checkProvenance,
  checkReferences,
  didYouMean,
  writtenIds,
  type ParsedFiles,
} from './cross-checks';
import { readImageHeader } from './image-header';
import { JsonSyntaxError, locate, parseJsonSource, type JsonSource } from './json-source';
import { checkModel, type ModelFacts } from './model-checks';
import {
  DEFAULT_MODEL_BUDGETS,
  FOLDER_LIMITS,
  ProblemList,
  type BrandFolderFiles,
  type ModelBudgets,
  type Problem,
  type ValidationResult,
} from './problem';
import { reportSchemaIssues, reportUnknownFields } from './schema-problems';

export type { BrandFolderFiles, ModelBudgets, Problem, ValidationResult } from './problem';
export { DEFAULT_MODEL_BUDGETS, FOLDER_LIMITS } from './problem';
export { BrandFolderReadError, readBrandFolder } from './read-folder';

/** Largest poster side in pixels. */
export const MAX_POSTER_SIZE = 2048;

const MODEL_FILE = /^models\/([^/]+)\.glb$/;
const POSTER_FILE = /^posters\/([^/]+)\.jpg$/;

/** Whether a folder-relative path is plain: no absolute path, no `..`, no backslash, no empty segment. */
function isPlainPath(file: string): boolean {
  if (file.length === 0 || file.length > 255 || file.includes('\\') || file.includes('\0')) return false;
  return file.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

const isHidden = (file: string): boolean => file.split('/').some((segment) => segment.startsWith('.'));

/** Reads one JSON file of the folder as text with positions, reporting why when it cannot. */
function readJsonFile(
  key: keyof typeof BRAND_FILES,
  files: ReadonlyMap<string, Uint8Array>,
  parsed: ParsedFiles,
  problems: ProblemList,
): JsonSource | undefined {
  const file = BRAND_FILES[key];
  const bytes = files.get(file);
  if (bytes === undefined) {
    problems.error(file, 'FILE_MISSING', `${file} is missing`, {
      hint: 'A brand folder holds brand.json, categories.json, products.json and showrooms.json (see the README).',
    });
    return undefined;
  }
  if (bytes.byteLength > FOLDER_LIMITS.maxJsonBytes) {
    problems.error(
      file,
      'FILE_TOO_LARGE',
      `${file} is ${formatBytes(bytes.byteLength)}; at most ${formatBytes(FOLDER_LIMITS.maxJsonBytes)}`,
      {
        hint: 'Catalog JSON files need far less: check that it holds only the brand folder data.',
      },
    );
    return undefined;
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    problems.error(file, 'FILE_ENCODING', `${file} is not UTF-8 text`, { hint: 'Save it as UTF-8.' });
    return undefined;
  }
  let source;
  try {
    source = parseJsonSource(text);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    problems.error(file, 'JSON_SYNTAX', `not valid JSON: ${error.message}`, {
      line: error.position.line,
      column: error.position.column,
      hint: 'Look at this spot and just before it: a missing or extra comma, quote or bracket is the usual cause.',
    });
    return undefined;
  }
  parsed.sources[key] = source;
  for (const duplicate of source.duplicateKeys) {
    problems.warning(
      file,
      'DUPLICATE_KEY',
      `field ${duplicate.pointer} appears twice in the same object: the last one wins`,
      {
        pointer: duplicate.pointer,
        ...duplicate.position,
        hint: 'Keep one of them.',
      },
    );
  }
  return source;
}

/** Parses brand.json, reporting schema problems. */
function parseBrand(
  files: ReadonlyMap<string, Uint8Array>,
  parsed: ParsedFiles,
  problems: ProblemList,
): void {
  const source = readJsonFile('brand', files, parsed, problems);
  if (!source) return;
  const result = Brand.safeParse(source.value);
  if (!result.success) {
    reportSchemaIssues(BRAND_FILES.brand, source, result.error.issues, problems);
    return;
  }
  reportUnknownFields(BRAND_FILES.brand, source, result.data, problems);
  parsed.brand = result.data;
}

/**
 * Parses a list file (categories, products, showrooms), reporting schema problems. When the list is invalid
 * but is an array, answers the items that are valid on their own, at their index, so the other checks still
 * run on them.
 */
function parseList<T>(
  key: 'categories' | 'products' | 'showrooms',
  item: z.ZodMiniType<T>,
  files: ReadonlyMap<string, Uint8Array>,
  parsed: ParsedFiles,
  problems: ProblemList,
): (T | undefined)[] | undefined {
  const file = BRAND_FILES[key];
  const source = readJsonFile(key, files, parsed, problems);
  if (!source) return undefined;
  const result = z.array(item).safeParse(source.value);
  if (result.success) {
    reportUnknownFields(file, source, result.data, problems);
    return result.data;
  }
  reportSchemaIssues(file, source, result.error.issues, problems);
  if (!Array.isArray(source.value)) return undefined;
  return source.value.map((value: unknown) => {
    const one = item.safeParse(value);
    return one.success ? one.data : undefined;
  });
}

/** Checks a poster: a JPEG, at most {@link MAX_POSTER_SIZE} px a side, by its header only. */
function checkPoster(file: string, bytes: Uint8Array, problems: ProblemList): void {
  if (bytes.byteLength > FOLDER_LIMITS.maxPosterBytes) {
    problems.error(
      file,
      'POSTER_TOO_LARGE',
      `the poster is ${formatBytes(bytes.byteLength)}; at most ${formatBytes(FOLDER_LIMITS.maxPosterBytes)}`,
      {
        hint: 'Leave posters out: vitrine publish renders them from the models.',
      },
    );
    return;
  }
  const header = readImageHeader(bytes);
  if (header?.mimeType !== 'image/jpeg') {
    problems.error(
      file,
      'POSTER_FORMAT',
      `the poster is ${header ? header.mimeType : 'not an image this tool reads'}, not a JPEG`,
      {
        hint: 'Save it as JPEG, or leave it out: vitrine publish renders posters from the models.',
      },
    );
    return;
  }
  if (Math.max(header.width, header.height) > MAX_POSTER_SIZE || header.width === 0 || header.height === 0) {
    problems.error(
      file,
      'POSTER_SIZE',
      `the poster is ${header.width} × ${header.height} px; at most ${MAX_POSTER_SIZE} px a side`,
      {
        hint: 'Resize it (512 to 1024 px is plenty), or leave it out: vitrine publish renders posters.',
      },
    );
  }
}

const FILE_ORDER = [...Object.values(BRAND_FILES)];
const fileRank = (file: string): number => {
  const known = FILE_ORDER.indexOf(file as (typeof FILE_ORDER)[number]);
  if (known >= 0) return known;
  if (file.startsWith('models/')) return FILE_ORDER.length + 1;
  if (file.startsWith('posters/')) return FILE_ORDER.length + 2;
  return file === '.' ? -1 : FILE_ORDER.length + 3;
};

/** Problems ordered by file (folder, JSON files, models, posters, others), then by line. */
function sortProblems(problems: Problem[]): Problem[] {
  return problems
    .map((problem, order) => ({ problem, order }))
    .sort(
      (a, b) =>
        fileRank(a.problem.file) - fileRank(b.problem.file) ||
        a.problem.file.localeCompare(b.problem.file) ||
        (a.problem.line ?? 0) - (b.problem.line ?? 0) ||
        a.order - b.order,
    )
    .map(({ problem }) => problem);
}

/**
 * Validates a brand folder held in memory. Never throws for anything in the files: every problem, however
 * hostile the input, comes back as a {@link Problem}. `data` is set only when there is no error.
 */
export async function validateBrandFolder(
  input: BrandFolderFiles,
  options?: { budgets?: Partial<ModelBudgets> },
): Promise<ValidationResult> {
  const budgets: ModelBudgets = { ...DEFAULT_MODEL_BUDGETS, ...options?.budgets };
  const problems = new ProblemList();
  const files = new Map<string, Uint8Array>();
  let total = 0;
  for (const [file, bytes] of input.files) {
    total += bytes.byteLength;
    if (!isPlainPath(file)) {
      problems.error(
        file.slice(0, 255),
        'PATH_INVALID',
        `"${file.slice(0, 80)}" is not a plain path inside the folder`,
        {
          hint: 'Paths are relative, /-separated, without "..", "." or empty parts.',
        },
      );
    } else if (!isHidden(file)) {
      files.set(file, bytes);
    }
  }
  if (input.files.size > FOLDER_LIMITS.maxFiles) {
    problems.error(
      '.',
      'FOLDER_TOO_MANY_FILES',
      `the folder has ${input.files.size} files; at most ${FOLDER_LIMITS.maxFiles}`,
      {
        hint: 'A brand folder holds four JSON files, one model and one poster per product: remove the rest.',
      },
    );
  }
  if (total > FOLDER_LIMITS.maxTotalBytes) {
    problems.error(
      '.',
      'FOLDER_TOO_LARGE',
      `the folder holds ${formatBytes(total)}; at most ${formatBytes(FOLDER_LIMITS.maxTotalBytes)}`,
      {
        hint: 'Models are at most 15 MB each; remove files that are not part of the brand folder.',
      },
    );
  }
  if (problems.hasErrors()) return { problems: sortProblems(problems.items) };

  const parsed: ParsedFiles = { sources: {} };
  parseBrand(files, parsed, problems);
  parsed.categories = parseList('categories', Category, files, parsed, problems);
  parsed.products = parseList('products', ProductSource, files, parsed, problems);
  parsed.showrooms = parseList('showrooms', Showroom, files, parsed, problems);
  checkReferences(parsed, problems);
  await checkProvenance(parsed, problems);

  const written = writtenIds(parsed.sources.products);
  const productIds = parsed.products ? written.map(({ id }) => id) : undefined;
  const models = new Map<string, Uint8Array>();
  for (const [file, bytes] of files) {
    const known = (FILE_ORDER as string[]).includes(file);
    const model = MODEL_FILE.exec(file)?.[1];
    const poster = POSTER_FILE.exec(file)?.[1];
    if (known) continue;
    if (model !== undefined) {
      if (productIds && !productIds.includes(model)) {
        problems.error(file, 'STRAY_MODEL', `no product in ${BRAND_FILES.products} has the id "${model}"`, {
          hint: `${didYouMean(model, productIds)}A model is named after its product: models/<product id>.glb. Rename it or remove it.`,
        });
      } else {
        models.set(model, bytes);
      }
    } else if (poster !== undefined) {
      if (productIds && !productIds.includes(poster)) {
        problems.warning(file, 'STRAY_FILE', `no product has the id "${poster}": this poster is ignored`, {
          hint: `${didYouMean(poster, productIds)}A poster is named after its product: posters/<product id>.jpg.`,
        });
      } else {
        checkPoster(file, bytes, problems);
      }
    } else if (file.startsWith('models/')) {
      problems.error(file, 'MODEL_FORMAT', 'models must be binary glTF files named models/<product id>.glb', {
        hint: 'Export as glTF Binary (.glb) with everything embedded, or convert: npx @gltf-transform/cli copy model.gltf model.glb',
      });
    } else {
      problems.warning(
        file,
        'STRAY_FILE',
        'this file is not part of the brand folder format: it is ignored',
        {
          hint: 'See "Publishing a brand" in the README for what a brand folder holds.',
        },
      );
    }
  }

  // One model at a time: each may be up to the size limit, and the glTF validator is CPU-bound.
  const unchecked = new Set(models.keys());
  for (const { id, index } of written) {
    const file = modelPath(id);
    const bytes = models.get(id);
    const product = parsed.products?.[index];
    if (bytes === undefined) {
      const strays = [...files.keys()].filter((f) => f.startsWith('models/')).map((f) => f.slice(7));
      problems.error(file, 'MODEL_MISSING', `${id} has no model`, {
        ...locate(parsed.sources.products, [index, 'id']),
        hint:
          `${didYouMean(`${id}.glb`, strays)}Add ${file}: one binary glTF per product, in metres, +Y up, ` +
          'origin at the bottom centre.',
      });
      continue;
    }
    if (!product) continue; // checked on its own below
    unchecked.delete(id);
    const measured = await checkModelSafely(bytes, file, budgets, problems);
    if (!measured) continue;
    checkProductModel(
      product,
      index,
      measured,
      file,
      budgets.scaleTolerance,
      parsed.sources.products,
      problems,
    );
  }
  // Models of products that did not parse (or of every product, without products.json): checked on their own.
  for (const id of unchecked) {
    const bytes = models.get(id);
    if (bytes) await checkModelSafely(bytes, modelPath(id), budgets, problems);
  }

  const { brand, categories, products, showrooms } = parsed;
  const result: ValidationResult = { problems: sortProblems(problems.items) };
  if (!problems.hasErrors() && brand && categories && products && showrooms) {
    // Without errors every list parsed whole: no holes left.
    result.data = BrandFolderData.parse({ brand, categories, products, showrooms });
  }
  return result;
}

/** {@link checkModel}, turning anything unexpected it throws into a problem: a model never crashes validation. */
async function checkModelSafely(
  bytes: Uint8Array,
  file: string,
  budgets: ModelBudgets,
  problems: ProblemList,
): Promise<ModelFacts | undefined> {
  try {
    return await checkModel(bytes, file, budgets, problems);
  } catch (error) {
    problems.error(
      file,
      'MODEL_UNREADABLE',
      `the model could not be checked: ${error instanceof Error ? error.message : String(error)}`,
      {
        hint: 'Export it again as glTF 2.0 binary (.glb).',
      },
    );
    return undefined;
  }
}
