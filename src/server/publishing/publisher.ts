/**
 * Publishing and rolling back a brand. A publish rebuilds the brand folder from the JSON the CLI sent and the
 * files it uploaded before, validates it with the same library the CLI uses (the server never trusts the
 * client), and in ONE transaction writes what changed, appends the change log, records a catalog version and a
 * release holding the brand's whole state: devices pulling the change feed see the old catalog or the new one,
 * never half. A rollback makes the release before the live one live again, as a new release and version.
 * Both run once per Idempotency-Key and one at a time per brand (in this process, by a queue; across servers,
 * by the catalog write lock every catalog write takes first).
 */
import { readFile } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import type { AssetRef } from '../../protocol/catalog';
import { Product, Slug } from '../../protocol/catalog';
import { BRAND_FILES, modelPath, posterPath } from '../../protocol/brand-folder';
import type { PublishProblem, PublishRequest, PublishResponse } from '../../protocol/publish';
import { validateBrandFolder } from '../../publish/validate';
import { assetPath } from '../asset-store';
import { HttpError } from '../http-errors';
import { requestHash } from '../idempotency';
import { countTriangles, readGlb } from '../../publish/model-reader';
import { appendChanges, readCursor, serializeCatalogWrites } from '../storage/catalog-store';
import type { AssetRow, Database } from '../storage/schema';
import { missingAssets, storedAsset } from './asset-uploads';
import type { BrandState, WriteObserver } from './brand-state';
import { applyBrandState, findConflicts } from './brand-state';
import type { KeyUse } from './releases';
import {
  currentVersion,
  ensureFirstRelease,
  recordRelease,
  recordUnchangedPublish,
  releasesOf,
  rollbackTarget,
  keyUseOf,
} from './releases';

/** What the publisher needs: the database, the asset store, and an optional observer of its writes. */
export interface PublisherOptions {
  db: Kysely<Database>;
  /** The asset store folder (`<dataDir>/assets`). */
  assetsDir: string;
  /** Hears each step of a publish or rollback write, inside its transaction (see `WriteObserver`). */
  onWriteStep?: WriteObserver;
}

/** A publish or rollback answer, and whether it repeats an earlier request's (same Idempotency-Key). */
export interface PublishOutcome {
  response: PublishResponse;
  replayed: boolean;
}

/** One file a publish names that the server does not have. */
export interface MissingFile {
  productId: string;
  /** Where the file sits in the brand folder (`models/<id>.glb`). */
  file: string;
  role: 'model' | 'poster' | 'usdz';
  /** The hash the request gave; absent when the request gave none for this product. */
  sha256?: string;
}

/** Publishes and rolls back brands; see the module comment. */
export interface Publisher {
  /**
   * Publishes `request` as brand `brandId` (the caller has checked the token). Throws 422 `ASSETS_MISSING`
   * (`details.missing`), 422 `VALIDATION_FAILED` (`details.problems`), 422 `IDEMPOTENCY_KEY_REUSED`.
   */
  publish(brandId: string, idempotencyKey: string, request: PublishRequest): Promise<PublishOutcome>;
  /**
   * Makes the brand's previous release live again: 409 `NO_PREVIOUS_RELEASE`, `ROLLBACK_CONFLICT`, or
   * `ASSETS_MISSING` (`details.missing`: hashes of its files no longer stored).
   */
  rollback(brandId: string, idempotencyKey: string): Promise<PublishOutcome>;
}

const validationFailed = (problems: PublishProblem[]): HttpError => {
  const errors = problems.filter((p) => p.severity === 'error');
  const first = errors[0];
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return new HttpError(
    422,
    'VALIDATION_FAILED',
    `The brand folder has ${errors.length} error${errors.length === 1 ? '' : 's'}: ${first?.file ?? ''}: ${first?.message ?? ''}${more}`,
    { problems },
  );
};

/** The earlier answer of a reused key: for the same brand and request only. */
function replay(row: KeyUse, brandId: string, hash: string): PublishOutcome {
  if (row.brand_id !== brandId || row.request_hash !== hash) {
    throw new HttpError(
      422,
      'IDEMPOTENCY_KEY_REUSED',
      'This Idempotency-Key was already used for another request; use a new key for each publish or rollback.',
    );
  }
  return { response: JSON.parse(row.response) as PublishResponse, replayed: true };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The ids of the products in the sent `products.json` that are valid slugs (the validator reports the rest). */
function productIdsOf(products: unknown): string[] {
  if (!Array.isArray(products)) return [];
  return products.flatMap((p) => {
    const id = isRecord(p) ? Slug.safeParse(p.id) : undefined;
    return id?.success === true ? [id.data] : [];
  });
}

/** Extensions each role's file may be stored under. */
const ROLE_EXTS = { model: ['glb'], poster: ['jpg'], usdz: ['usdz'] } as const;

/** Where a product's file of `role` sits in its brand folder. */
const folderPath = (productId: string, role: MissingFile['role']): string =>
  role === 'model'
    ? modelPath(productId)
    : role === 'poster'
      ? posterPath(productId)
      : `models/${productId}.usdz`;

const toRef = (row: AssetRow): AssetRef => ({
  url: `/assets/${row.sha256}.${row.ext}`,
  sha256: row.sha256,
  bytes: row.bytes,
});

/** A folder rebuilt from a request: its files, and the stored asset of each product file. */
interface RebuiltFolder {
  files: Map<string, Uint8Array>;
  assets: Map<string, { model: AssetRow; poster: AssetRow; usdz?: AssetRow }>;
  problems: PublishProblem[];
}

/** Creates the publisher of one server. */
export function createPublisher(options: PublisherOptions): Publisher {
  const { db, assetsDir, onWriteStep } = options;
  /** The last queued operation of each brand: the next one starts when it settles. */
  const queues = new Map<string, Promise<unknown>>();

  function oneAtATime<T>(brandId: string, run: () => Promise<T>): Promise<T> {
    const previous = queues.get(brandId) ?? Promise.resolve();
    const next = previous.then(run, run);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    queues.set(brandId, settled);
    void settled.then(() => {
      if (queues.get(brandId) === settled) queues.delete(brandId);
    });
    return next;
  }

  /** The folder as the server sees it: the sent JSON files plus the stored files each product names. */
  async function rebuildFolder(brandId: string, request: PublishRequest): Promise<RebuiltFolder> {
    const files = new Map<string, Uint8Array>();
    const json = (name: string, value: unknown): void => {
      if (value !== undefined) files.set(name, Buffer.from(`${JSON.stringify(value, null, 2)}\n`));
    };
    json(BRAND_FILES.brand, request.data.brand);
    json(BRAND_FILES.categories, request.data.categories);
    json(BRAND_FILES.products, request.data.products);
    json(BRAND_FILES.showrooms, request.data.showrooms);

    const problems: PublishProblem[] = [];
    const sentBrandId = isRecord(request.data.brand) ? request.data.brand.id : undefined;
    if (typeof sentBrandId === 'string' && sentBrandId !== brandId) {
      problems.push({
        severity: 'error',
        file: BRAND_FILES.brand,
        pointer: '/id',
        code: 'BRAND_MISMATCH',
        message: `This folder is brand "${sentBrandId.slice(0, 80)}", but the token publishes "${brandId}".`,
        hint: 'Use the token of the brand in brand.json.',
      });
    }

    const missing: MissingFile[] = [];
    const assets: RebuiltFolder['assets'] = new Map();
    for (const productId of productIdsOf(request.data.products)) {
      const sent = Object.hasOwn(request.assets, productId) ? request.assets[productId] : undefined;
      const rows: Partial<Record<MissingFile['role'], AssetRow>> = {};
      for (const role of ['model', 'poster', 'usdz'] as const) {
        const sha256 = sent?.[role];
        if (sha256 === undefined) {
          if (role !== 'usdz') missing.push({ productId, role, file: folderPath(productId, role) });
          continue;
        }
        const row = await storedAsset(db, assetsDir, sha256);
        if (row === undefined) {
          missing.push({ productId, role, file: folderPath(productId, role), sha256 });
          continue;
        }
        const file = folderPath(productId, role);
        if (!(ROLE_EXTS[role] as readonly string[]).includes(row.ext)) {
          problems.push({
            severity: 'error',
            file,
            code: 'ASSET_WRONG_TYPE',
            message: `The ${role} of product "${productId}" is a ${row.content_type} file.`,
            hint: `Upload a ${ROLE_EXTS[role].join(' or ')} file as its ${role}.`,
          });
          continue;
        }
        rows[role] = row;
        // The folder format has no USDZ (the validator would call it a stray model): it is checked for presence only.
        if (role !== 'usdz') files.set(file, await readFile(assetPath(assetsDir, row.sha256, row.ext)));
      }
      if (rows.model !== undefined && rows.poster !== undefined) {
        assets.set(productId, {
          model: rows.model,
          poster: rows.poster,
          ...(rows.usdz ? { usdz: rows.usdz } : {}),
        });
      }
    }
    if (missing.length > 0) {
      const list = missing.map(
        (m) => `${m.file}${m.sha256 === undefined ? ' (no hash sent)' : ` (${m.sha256})`}`,
      );
      throw new HttpError(
        422,
        'ASSETS_MISSING',
        `${missing.length} file${missing.length === 1 ? ' was' : 's were'} never uploaded: ${list.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}`,
        { missing },
      );
    }
    return { files, assets, problems };
  }

  /** Triangles of each model in the folder: reused from a live product with the same file, else counted. */
  async function trianglesOf(sha256s: string[], files: Map<string, Uint8Array>, paths: Map<string, string>) {
    const known = new Map<string, number>();
    const rows = await db.selectFrom('products').select('document').execute();
    for (const { document } of rows) {
      const { model } = JSON.parse(document) as Product;
      known.set(model.sha256, model.triangles);
    }
    const triangles = new Map<string, number>();
    for (const sha256 of sha256s) {
      const cached = known.get(sha256);
      const bytes = files.get(paths.get(sha256) ?? '');
      if (cached !== undefined) triangles.set(sha256, cached);
      else if (bytes !== undefined) triangles.set(sha256, countTriangles(await readGlb(bytes)));
    }
    return triangles;
  }

  /** The brand state a valid request publishes. */
  async function targetOf(
    brandId: string,
    request: PublishRequest,
  ): Promise<{ state: BrandState; warnings: PublishProblem[] }> {
    const folder = await rebuildFolder(brandId, request);
    const result = await validateBrandFolder({ files: folder.files });
    const problems: PublishProblem[] = [...folder.problems, ...result.problems];
    if (problems.some((p) => p.severity === 'error') || result.data === undefined)
      throw validationFailed(problems);
    const data = result.data;

    const modelPaths = new Map(
      [...folder.assets].map(([productId, a]) => [a.model.sha256, modelPath(productId)] as const),
    );
    let triangles: Map<string, number>;
    try {
      triangles = await trianglesOf([...modelPaths.keys()], folder.files, modelPaths);
    } catch (error) {
      throw validationFailed([
        ...problems,
        {
          severity: 'error',
          file: 'models/',
          code: 'MODEL_UNREADABLE',
          message: `A model could not be read: ${(error as Error).message}`,
        },
      ]);
    }

    const now = new Date().toISOString();
    const products: Product[] = [];
    const usdz: Record<string, AssetRef> = {};
    for (const [i, source] of data.products.entries()) {
      const files = folder.assets.get(source.id);
      if (files === undefined) throw new Error(`product ${source.id} has no stored files after the check`);
      const parsed = Product.safeParse({
        ...source,
        brandId,
        model: { ...toRef(files.model), triangles: triangles.get(files.model.sha256) ?? 0 },
        poster: toRef(files.poster),
        updatedAt: now,
      });
      if (!parsed.success) {
        problems.push({
          severity: 'error',
          file: BRAND_FILES.products,
          pointer: `/${i}`,
          code: 'PRODUCT_NOT_PUBLISHABLE',
          message: `Product "${source.id}" is not publishable: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
        });
        continue;
      }
      products.push(parsed.data);
      if (files.usdz !== undefined) usdz[source.id] = toRef(files.usdz);
    }
    if (problems.some((p) => p.severity === 'error')) throw validationFailed(problems);
    return {
      state: { brand: data.brand, categories: data.categories, products, showrooms: data.showrooms, usdz },
      warnings: problems,
    };
  }

  async function publish(brandId: string, key: string, request: PublishRequest): Promise<PublishOutcome> {
    const hash = requestHash({ brandId, action: 'publish', request });
    const earlier = await keyUseOf(db, key);
    if (earlier !== undefined) return replay(earlier, brandId, hash);
    const { state, warnings } = await targetOf(brandId, request);
    try {
      return await db.transaction().execute(async (trx): Promise<PublishOutcome> => {
        await serializeCatalogWrites(trx);
        const raced = await keyUseOf(trx, key);
        if (raced !== undefined) return replay(raced, brandId, hash);
        await ensureFirstRelease(trx, brandId);
        const conflicts = await findConflicts(trx, brandId, state);
        if (conflicts.length > 0) throw validationFailed([...conflicts, ...warnings]);
        const now = new Date().toISOString();
        const applied = await applyBrandState(trx, brandId, state, now, onWriteStep);
        if (applied.changes.length === 0) {
          const [live] = await releasesOf(trx, brandId);
          const response: PublishResponse = {
            brandId,
            changed: false,
            release: live?.id ?? 0,
            version: await currentVersion(trx),
            cursor: await readCursor(trx),
            summary: applied.summary,
            warnings,
          };
          // Remembered like a release's key: a retry answers this, and the key cannot serve another request.
          await recordUnchangedPublish(trx, { key, brandId, requestHash: hash, response, createdAt: now });
          return { replayed: false, response };
        }
        const cursor = await appendChanges(trx, applied.changes);
        const version = (await currentVersion(trx)) + 1;
        await trx
          .insertInto('catalog_versions')
          .values({ version, created_at: now, reason: `publish ${brandId}` })
          .execute();
        const response = await recordRelease(trx, {
          brandId,
          version,
          reason: 'publish',
          state: applied.state,
          response: { brandId, changed: true, version, cursor, summary: applied.summary, warnings },
          idempotencyKey: key,
          requestHash: hash,
          createdAt: now,
        });
        return { response, replayed: false };
      });
    } catch (error) {
      if (error instanceof HttpError) throw error;
      // Another server committed a publish with the same key first (unique index): answer as it did.
      const winner = await keyUseOf(db, key);
      if (winner !== undefined) return replay(winner, brandId, hash);
      throw error;
    }
  }

  async function rollback(brandId: string, key: string): Promise<PublishOutcome> {
    const hash = requestHash({ brandId, action: 'rollback' });
    try {
      return await db.transaction().execute(async (trx): Promise<PublishOutcome> => {
        await serializeCatalogWrites(trx);
        const earlier = await keyUseOf(trx, key);
        if (earlier !== undefined) return replay(earlier, brandId, hash);
        await ensureFirstRelease(trx, brandId);
        const target = rollbackTarget(await releasesOf(trx, brandId));
        if (target === undefined) {
          throw new HttpError(
            409,
            'NO_PREVIOUS_RELEASE',
            `Brand "${brandId}" has no earlier release to roll back to.`,
          );
        }
        const state = JSON.parse(target.snapshot) as BrandState;
        // The files of the release must still be in the store (a cleaned or restored data folder may lack them):
        // a rollback must never make products live whose model or poster answers 404.
        const files = [
          ...state.products.flatMap((p) => [p.model.sha256, p.poster.sha256]),
          ...Object.values(state.usdz).map((ref) => ref.sha256),
        ];
        const gone = await missingAssets(trx, assetsDir, files);
        if (gone.length > 0) {
          throw new HttpError(
            409,
            'ASSETS_MISSING',
            `Release ${target.id} cannot come back: ${gone.length} of its files ${gone.length === 1 ? 'is' : 'are'} ` +
              `no longer stored (${gone.slice(0, 3).join(', ')}${gone.length > 3 ? ', …' : ''}). Publish the ` +
              'brand folder instead.',
            { missing: gone },
          );
        }
        const conflicts = await findConflicts(trx, brandId, state);
        if (conflicts.length > 0) {
          throw new HttpError(
            409,
            'ROLLBACK_CONFLICT',
            `Release ${target.id} cannot come back: another brand now uses some of its ids.`,
            { problems: conflicts },
          );
        }
        const now = new Date().toISOString();
        const applied = await applyBrandState(trx, brandId, state, now, onWriteStep);
        const cursor =
          applied.changes.length > 0 ? await appendChanges(trx, applied.changes) : await readCursor(trx);
        const version = (await currentVersion(trx)) + 1;
        const restoredFrom = target.restored_from ?? target.id;
        await trx
          .insertInto('catalog_versions')
          .values({ version, created_at: now, reason: `rollback ${brandId} to release ${restoredFrom}` })
          .execute();
        const response = await recordRelease(trx, {
          brandId,
          version,
          reason: 'rollback',
          restoredFrom,
          state: applied.state,
          response: {
            brandId,
            changed: applied.changes.length > 0,
            version,
            cursor,
            summary: applied.summary,
            warnings: [],
            restoredFrom,
          },
          idempotencyKey: key,
          requestHash: hash,
          createdAt: now,
        });
        return { response, replayed: false };
      });
    } catch (error) {
      if (error instanceof HttpError) throw error;
      const winner = await keyUseOf(db, key);
      if (winner !== undefined) return replay(winner, brandId, hash);
      throw error;
    }
  }

  return {
    publish: (brandId, key, request) => oneAtATime(brandId, () => publish(brandId, key, request)),
    rollback: (brandId, key) => oneAtATime(brandId, () => rollback(brandId, key)),
  };
}
