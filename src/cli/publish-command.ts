/**
 * `vitrine publish <folder> --server <url> --token <token>`: validates the brand folder (stopping on errors),
 * optimises each product model, takes each poster from `posters/<id>.jpg` or renders one from the optimised
 * model in headless Chromium, hashes every file, uploads only the files the server does not have, then
 * publishes the folder's JSON with those hashes. Progress goes to standard error, the report (a table of sizes
 * before and after, the uploads, the server's summary) to standard output.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { formatBytes } from '../core/bytes';
import { BRAND_FILES, modelPath, posterPath } from '../protocol/brand-folder';
import type { ChangeSummary, ProductAssets, PublishResponse, UploadContentType } from '../protocol/publish';
import { optimizeModel, type ModelStats } from '../publish/optimize/optimize-model';
import { openPosterRenderer, type PosterRenderer } from '../publish/posters/poster-renderer';
import {
  BrandFolderReadError,
  readBrandFolder,
  validateBrandFolder,
  type Problem,
} from '../publish/validate';
import { countProblems, formatProblems } from './format-problems';
import { startProgress, type ProgressSink } from './progress';
import { ApiError, createPublishClient, type PublishClient } from './publish-client';

/** How to reach the server. */
export interface ServerOptions {
  server: string;
  token: string;
}

/** One product model as published. */
export interface ModelReport {
  productId: string;
  before: ModelStats;
  after: ModelStats;
  /** Where its poster came from. */
  poster: 'folder' | 'rendered';
}

/** What a publish did. */
export interface PublishReport {
  brandId: string;
  /** Warnings of the local validation (errors stop before this report exists). */
  warnings: Problem[];
  models: ModelReport[];
  /** Files sent (hash, folder path, bytes). */
  uploaded: { sha256: string; file: string; bytes: number }[];
  /** Files the server already had. */
  skipped: { sha256: string; file: string; bytes: number }[];
  response: PublishResponse;
}

/** Why a publish stopped: problems to print (validation), or a message. */
export class PublishFailure extends Error {
  constructor(
    message: string,
    readonly problems: Problem[] = [],
  ) {
    super(message);
    this.name = 'PublishFailure';
  }
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** One file to publish. */
interface FileToSend {
  file: string;
  sha256: string;
  bytes: Uint8Array;
  type: UploadContentType;
}

const parseJson = (files: ReadonlyMap<string, Uint8Array>, name: string): unknown =>
  JSON.parse(Buffer.from(files.get(name) ?? new Uint8Array()).toString('utf8')) as unknown;

/**
 * Publishes the brand folder `dir` (see the module comment). Throws {@link PublishFailure} when the folder
 * has errors, {@link ApiError} when the server refuses, `NetworkError` when it cannot be reached,
 * `ChromiumMissingError` when a poster must be rendered without Chromium.
 */
export async function publishFolder(
  dir: string,
  options: ServerOptions & { client?: PublishClient },
  progress: ProgressSink,
): Promise<PublishReport> {
  let folder;
  try {
    folder = await readBrandFolder(dir);
  } catch (error) {
    if (error instanceof BrandFolderReadError) throw new PublishFailure(error.message, [error.problem]);
    throw error;
  }
  const validated = await validateBrandFolder(folder);
  const { data } = validated;
  if (!data || countProblems(validated.problems).errors > 0) {
    throw new PublishFailure('The brand folder has errors.', validated.problems);
  }
  const brandId = data.brand.id;
  const client = options.client ?? createPublishClient(options);

  // Optimise every model.
  const models: ModelReport[] = [];
  const toSend: FileToSend[] = [];
  const assets: Record<string, ProductAssets> = {};
  const optimised = new Map<string, Uint8Array>();
  const optimising = startProgress(progress, 'Optimising', data.products.length);
  for (const product of data.products) {
    const file = modelPath(product.id);
    const source = folder.files.get(file);
    if (!source) throw new PublishFailure(`${file} is missing`);
    let result;
    try {
      result = await optimizeModel(source);
    } catch (error) {
      throw new PublishFailure(`${file}: could not be optimised: ${(error as Error).message}`);
    }
    optimised.set(product.id, result.glb);
    models.push({ productId: product.id, before: result.before, after: result.after, poster: 'folder' });
    toSend.push({ file, sha256: sha256(result.glb), bytes: result.glb, type: 'model/gltf-binary' });
    optimising.tick(product.id);
  }
  optimising.done(`${data.products.length} models`);

  // Posters: the folder's, else rendered from the optimised model.
  const toRender = data.products.filter((p) => !folder.files.has(posterPath(p.id)));
  let renderer: PosterRenderer | undefined;
  const rendering = toRender.length > 0 ? startProgress(progress, 'Posters', toRender.length) : undefined;
  try {
    for (const product of data.products) {
      const file = posterPath(product.id);
      let poster = folder.files.get(file);
      if (!poster) {
        try {
          renderer ??= await openPosterRenderer();
          poster = await renderer.render({
            id: product.id,
            glb: optimised.get(product.id) ?? new Uint8Array(),
            placement: product.placement,
          });
        } catch (error) {
          if (error instanceof Error && error.name === 'ChromiumMissingError') throw error;
          throw new PublishFailure(
            `${file}: the poster could not be rendered (${(error as Error).message.split('\n')[0]}). Add ` +
              `${file} to the folder, or check that Chromium runs.`,
          );
        }
        rendering?.tick(product.id);
        const report = models.find((m) => m.productId === product.id);
        if (report) report.poster = 'rendered';
      }
      toSend.push({ file, sha256: sha256(poster), bytes: poster, type: 'image/jpeg' });
    }
  } finally {
    await renderer?.close();
  }
  rendering?.done(`${toRender.length} rendered`);
  for (const product of data.products) {
    const hashOf = (file: string): string => toSend.find((f) => f.file === file)?.sha256 ?? '';
    assets[product.id] = { model: hashOf(modelPath(product.id)), poster: hashOf(posterPath(product.id)) };
  }

  // Upload what the server does not have (each distinct file once).
  const unique = [...new Map(toSend.map((f) => [f.sha256, f])).values()];
  const missing = new Set(
    await client.missing(
      brandId,
      unique.map((f) => f.sha256),
    ),
  );
  const uploads = unique.filter((f) => missing.has(f.sha256));
  const uploading = startProgress(progress, 'Uploading', uploads.length);
  for (const file of uploads) {
    await client.upload(brandId, file.sha256, file.bytes, file.type);
    uploading.tick(file.file);
  }
  uploading.done(
    `${uploads.length} file${uploads.length === 1 ? '' : 's'}, ${formatBytes(uploads.reduce((n, f) => n + f.bytes.byteLength, 0))}`,
  );

  const response = await client.publish(brandId, {
    data: {
      brand: parseJson(folder.files, BRAND_FILES.brand),
      categories: parseJson(folder.files, BRAND_FILES.categories),
      products: parseJson(folder.files, BRAND_FILES.products),
      showrooms: parseJson(folder.files, BRAND_FILES.showrooms),
    },
    assets,
  });
  const brief = (f: FileToSend) => ({ sha256: f.sha256, file: f.file, bytes: f.bytes.byteLength });
  return {
    brandId,
    warnings: validated.problems,
    models,
    uploaded: uploads.map(brief),
    skipped: unique.filter((f) => !missing.has(f.sha256)).map(brief),
    response,
  };
}

const num = (n: number): string => n.toLocaleString('en');
const percent = (before: number, after: number): string =>
  before === 0
    ? ''
    : `${after <= before ? '−' : '+'}${Math.round((Math.abs(before - after) / before) * 100)} %`;

const NUMERIC = /^[\d,.\s%+−-]*$/;

/** Lays out rows as columns: numeric columns right-aligned, the others left-aligned. */
export function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  const numeric = widths.map((_, i) => rows.slice(1).every((r) => NUMERIC.test(r[i] ?? '')));
  return rows.map((row) =>
    row
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

/** `added 1 (oak-chair), changed 0, removed 0, unchanged 15` */
export function formatChanges(summary: ChangeSummary): string {
  const part = (word: string, ids: string[]): string =>
    `${word} ${ids.length}${ids.length > 0 ? ` (${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''})` : ''}`;
  return [
    part('added', summary.added),
    part('changed', summary.changed),
    part('removed', summary.removed),
    `unchanged ${summary.unchanged}`,
  ].join(', ');
}

/** The server's summary of a publish or rollback, a few lines. */
export function formatRelease(response: PublishResponse): string[] {
  const { summary } = response;
  return [
    `  brand       ${summary.brandChanged ? 'changed' : 'unchanged'}`,
    `  categories  ${formatChanges(summary.categories)}`,
    `  products    ${formatChanges(summary.products)}`,
    `  showrooms   ${formatChanges(summary.showrooms)}`,
  ];
}

/** The report printed after a publish. */
export function formatPublishReport(report: PublishReport): string {
  const rows = [
    ['model', 'bytes before', 'after', '', 'triangles', 'after', 'draw calls', 'after', 'poster'],
  ];
  const total = { before: 0, after: 0 };
  for (const m of report.models) {
    total.before += m.before.bytes;
    total.after += m.after.bytes;
    rows.push([
      m.productId,
      num(m.before.bytes),
      num(m.after.bytes),
      percent(m.before.bytes, m.after.bytes),
      num(m.before.triangles),
      num(m.after.triangles),
      num(m.before.primitives),
      num(m.after.primitives),
      m.poster,
    ]);
  }
  rows.push([
    'total',
    num(total.before),
    num(total.after),
    percent(total.before, total.after),
    '',
    '',
    '',
    '',
    '',
  ]);
  const sum = (files: { bytes: number }[]): string => formatBytes(files.reduce((n, f) => n + f.bytes, 0));
  const { response } = report;
  const lines = [
    ...table(rows),
    '',
    `Files: ${report.uploaded.length} uploaded (${sum(report.uploaded)}), ${report.skipped.length} already on the server (${sum(report.skipped)})`,
    response.changed
      ? `Published ${report.brandId}: release ${response.release}, catalog version ${response.version}`
      : `Nothing changed: ${report.brandId} release ${response.release} (catalog version ${response.version}) is live`,
    ...formatRelease(response),
  ];
  if (response.warnings.length > 0) {
    lines.push('', `The server's validation warns (${response.warnings.length}):`);
    for (const w of response.warnings) lines.push(`  ${w.file} ${w.code}  ${w.message}`);
  }
  return lines.join('\n');
}

/** Where the command writes: the report, colours, the folder paths are relative to, and progress. */
export interface PublishIO {
  out(text: string): void;
  color: boolean;
  cwd: string;
  progress: ProgressSink;
}

/** Prints why a command failed; answers exit code 1. */
export function reportFailure(
  error: unknown,
  io: { out(text: string): void; color: boolean },
  folder = '.',
): number {
  if (error instanceof PublishFailure) {
    io.out(error.problems.length > 0 ? formatProblems(folder, error.problems, io) : `✖ ${error.message}`);
    return 1;
  }
  if (error instanceof ApiError) {
    const problems = (error.details?.problems ?? []) as Problem[];
    if (problems.length > 0) io.out(formatProblems(`${folder} (on the server)`, problems, io));
    const missing = (error.details?.missing ?? []) as ({ file: string } | string)[];
    for (const m of missing) io.out(`  missing on the server: ${typeof m === 'string' ? m : m.file}`);
    io.out(`✖ The server refused (${error.status} ${error.code}): ${error.message}`);
    return 1;
  }
  if (error instanceof Error && (error.name === 'NetworkError' || error.name === 'ChromiumMissingError')) {
    io.out(`✖ ${error.message}`);
    return 1;
  }
  throw error;
}

/** Runs the publish command; answers the process exit code (0 published, 1 refused or failed). */
export async function publishCommand(folder: string, options: ServerOptions, io: PublishIO): Promise<number> {
  try {
    const report = await publishFolder(path.resolve(io.cwd, folder), options, io.progress);
    io.out(`${formatProblems(folder, report.warnings, io)}\n`);
    io.out(formatPublishReport(report));
    return 0;
  } catch (error) {
    return reportFailure(error, io, folder);
  }
}
