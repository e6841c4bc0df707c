/**
 * Brand uploads into the content-addressed asset store: reads an upload body while counting its bytes against
 * the limit of its content type (refusing as soon as it goes over, before the rest arrives), checks that the
 * bytes hash to the name they were sent under and look like the type they claim, and records them. The store
 * itself (files on disk) is asset-store.ts; this module adds the `assets` rows and answers which hashes the
 * server already has.
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { UploadContentType } from '../../protocol/publish';
import { UPLOAD_LIMITS } from '../../protocol/publish';
import type { AssetExt, StoredAsset } from '../asset-store';
import { assetPath, storeAsset } from '../asset-store';
import { HttpError } from '../http-errors';
import type { AssetRow, Executor } from '../storage/schema';

/** The store's file extension of each upload content type. */
export const UPLOAD_EXT: Readonly<Record<UploadContentType, AssetExt>> = {
  'model/gltf-binary': 'glb',
  'model/vnd.usdz+zip': 'usdz',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
};

/** Content types an upload may have. */
export const UPLOAD_TYPES = Object.keys(UPLOAD_LIMITS) as UploadContentType[];

/** True for a content type uploads accept. */
export function isUploadType(type: string): type is UploadContentType {
  return Object.hasOwn(UPLOAD_LIMITS, type);
}

/** An upload body, read whole: its bytes and their SHA-256 (computed while they arrived). */
export interface UploadBody {
  bytes: Buffer;
  sha256: string;
}

const tooLarge = (type: UploadContentType): HttpError =>
  new HttpError(
    413,
    'TOO_LARGE',
    `A ${type} upload may have at most ${UPLOAD_LIMITS[type]} bytes (${UPLOAD_LIMITS[type] / (1024 * 1024)} MB).`,
    { limit: UPLOAD_LIMITS[type], contentType: type },
  );

/** What reading an upload body gave: the body, or the error to answer with. */
export type UploadRead = { ok: true; body: UploadBody } | { ok: false; error: HttpError };

/**
 * Reads an upload body of content type `type`, hashing as it streams. Never holds more than the type's limit:
 * when `Content-Length` announces more, or as soon as more bytes arrive, it settles with 413 `TOO_LARGE`
 * (`details.limit`) at once, and lets the rest of the body drain unread, so the answer goes out while the
 * client is still sending and the connection closes cleanly (closing a socket with unread bytes resets it,
 * and the client may lose the answer). Fewer bytes than `Content-Length` announced: 400.
 */
export function readUploadBody(
  payload: Readable,
  type: UploadContentType,
  contentLength: string | undefined,
): Promise<UploadRead> {
  const limit = UPLOAD_LIMITS[type];
  const declared = contentLength === undefined ? Number.NaN : Number(contentLength);
  return new Promise((resolve) => {
    const hash = createHash('sha256');
    const chunks: Buffer[] = [];
    let received = 0;
    const stop = (): void => {
      payload.removeListener('data', onData);
      payload.removeListener('end', onEnd);
      payload.removeListener('error', onError);
    };
    const refuse = (error: HttpError): void => {
      stop();
      chunks.length = 0;
      // The rest of the body is read and dropped (the request timeout bounds how long a client may send).
      payload.on('error', () => undefined);
      payload.resume();
      resolve({ ok: false, error });
    };
    function onData(chunk: Buffer | string): void {
      const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      received += data.length;
      if (received > limit) {
        refuse(tooLarge(type));
        return;
      }
      hash.update(data);
      chunks.push(data);
    }
    function onEnd(): void {
      stop();
      if (!Number.isNaN(declared) && declared !== received) {
        resolve({
          ok: false,
          error: new HttpError(
            400,
            'BAD_REQUEST',
            `Content-Length said ${declared} bytes, ${received} arrived.`,
          ),
        });
        return;
      }
      resolve({ ok: true, body: { bytes: Buffer.concat(chunks, received), sha256: hash.digest('hex') } });
    }
    function onError(error: Error): void {
      stop();
      resolve({
        ok: false,
        error: new HttpError(400, 'BAD_REQUEST', `The upload was interrupted: ${error.message}`),
      });
    }
    if (declared > limit) {
      refuse(tooLarge(type));
      return;
    }
    payload.on('data', onData);
    payload.on('end', onEnd);
    payload.on('error', onError);
    payload.resume();
  });
}

/** The first bytes each stored type starts with (RIFF….WEBP checks both halves). */
function looksLike(ext: AssetExt, bytes: Uint8Array): boolean {
  const starts = (magic: readonly number[], at = 0): boolean => magic.every((b, i) => bytes[at + i] === b);
  switch (ext) {
    case 'glb':
      return starts([0x67, 0x6c, 0x54, 0x46]); // "glTF"
    case 'jpg':
      return starts([0xff, 0xd8, 0xff]);
    case 'png':
      return starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    case 'webp':
      return starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8);
    case 'usdz':
      return starts([0x50, 0x4b, 0x03, 0x04]); // a zip archive
  }
}

async function fileExists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/** The asset row of `sha256` when the store has both the row and the file, else undefined. */
export async function storedAsset(
  db: Executor,
  assetsDir: string,
  sha256: string,
): Promise<AssetRow | undefined> {
  const row = await db.selectFrom('assets').selectAll().where('sha256', '=', sha256).executeTakeFirst();
  if (row === undefined || !(await fileExists(assetPath(assetsDir, row.sha256, row.ext)))) return undefined;
  return row;
}

/** Hashes per `IN` query. */
const IN_CHUNK = 500;

/** The hashes of `sha256s` the store lacks (no row or no file), in the order asked, each once. */
export async function missingAssets(
  db: Executor,
  assetsDir: string,
  sha256s: readonly string[],
): Promise<string[]> {
  const asked = [...new Set(sha256s)];
  const rows = new Map<string, AssetRow>();
  for (let i = 0; i < asked.length; i += IN_CHUNK) {
    const found = await db
      .selectFrom('assets')
      .selectAll()
      .where('sha256', 'in', asked.slice(i, i + IN_CHUNK))
      .execute();
    for (const row of found) rows.set(row.sha256, row);
  }
  const missing: string[] = [];
  for (const sha256 of asked) {
    const row = rows.get(sha256);
    if (row === undefined || !(await fileExists(assetPath(assetsDir, row.sha256, row.ext))))
      missing.push(sha256);
  }
  return missing;
}

/** What storing an upload did. */
export interface UploadResult {
  asset: StoredAsset;
  /** False when the store already had these bytes (the upload changed nothing). */
  created: boolean;
}

/**
 * Stores an upload named `sha256`: 400 `HASH_MISMATCH` when its bytes hash to something else, 400
 * `CONTENT_TYPE_MISMATCH` when they do not start as their content type does. Idempotent: bytes already
 * stored are left as they are (under the extension they were first stored with).
 */
export async function storeUpload(
  db: Executor,
  assetsDir: string,
  sha256: string,
  type: UploadContentType,
  body: UploadBody,
): Promise<UploadResult> {
  if (body.sha256 !== sha256) {
    throw new HttpError(
      400,
      'HASH_MISMATCH',
      `The body's SHA-256 is ${body.sha256}, not ${sha256}: the file changed or was cut short on the way.`,
      { expected: sha256, actual: body.sha256 },
    );
  }
  const ext = UPLOAD_EXT[type];
  if (!looksLike(ext, body.bytes)) {
    throw new HttpError(400, 'CONTENT_TYPE_MISMATCH', `The body is not a ${type} file.`, {
      contentType: type,
    });
  }
  const existing = await storedAsset(db, assetsDir, sha256);
  if (existing !== undefined) {
    return {
      created: false,
      asset: {
        sha256,
        ext: existing.ext as AssetExt,
        bytes: existing.bytes,
        contentType: existing.content_type,
        url: `/assets/${sha256}.${existing.ext}`,
      },
    };
  }
  // The row may exist without its file (a wiped disk): the file goes back under the row's extension.
  const row = await db.selectFrom('assets').select('ext').where('sha256', '=', sha256).executeTakeFirst();
  const asset = await storeAsset(assetsDir, body.bytes, (row?.ext as AssetExt | undefined) ?? ext);
  await db
    .insertInto('assets')
    .values({
      sha256,
      ext: asset.ext,
      bytes: asset.bytes,
      content_type: asset.contentType,
      created_at: new Date().toISOString(),
    })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
  return { created: true, asset };
}
