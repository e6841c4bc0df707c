/**
 * `GET /assets/<sha256>.<ext>`: the content-addressed store, served as immutable files with the hash as
 * entity tag, conditional requests (304) and single byte ranges (206), so models resume and cache well.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { ASSET_NAME, assetPath } from '../asset-store';
import { findAsset } from '../storage/catalog-store';
import type { Database } from '../storage/schema';
import { HttpError, notFound } from '../http-errors';
import { matchesEtag } from '../http-cache';

/** Cache-Control of every asset: the name is the content hash, so it never changes. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/** A single `bytes=` range resolved against the file size, `null` to serve the whole file, or `'invalid'`. */
function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | null | 'invalid' {
  if (header === undefined) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  // Several ranges or another unit: serving the whole file is a valid answer.
  if (match === null) return null;
  const [, from = '', to = ''] = match;
  if (from === '' && to === '') return 'invalid';
  if (from === '') {
    const suffix = Number(to);
    if (suffix === 0) return 'invalid';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(from);
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  if (start >= size || end < start) return 'invalid';
  return { start, end };
}

/** Registers `GET /assets/:name` (HEAD comes with it). */
export function registerAssetRoutes(app: FastifyInstance, db: Kysely<Database>, assetsDir: string): void {
  app.get('/assets/:name', async (request, reply) => {
    const { name } = request.params as { name: string };
    const match = ASSET_NAME.exec(name);
    const [, sha256 = '', ext = ''] = match ?? [];
    const asset = match === null ? undefined : await findAsset(db, sha256);
    if (asset === undefined || asset.ext !== ext) throw notFound(`No asset named "${name.slice(0, 100)}"`);

    const file = assetPath(assetsDir, sha256, ext);
    let size: number;
    try {
      size = (await stat(file)).size;
    } catch {
      request.log.warn({ file }, 'asset listed in the database is missing on disk');
      throw notFound(`No asset named "${name}"`);
    }

    const etag = `"${sha256}"`;
    reply.header('cache-control', IMMUTABLE).header('etag', etag).header('accept-ranges', 'bytes');
    if (matchesEtag(request.headers['if-none-match'], etag)) return reply.code(304).send();

    const ifRange = request.headers['if-range'];
    const range = ifRange === undefined || ifRange === etag ? parseRange(request.headers.range, size) : null;
    if (range === 'invalid') {
      reply.header('content-range', `bytes */${size}`);
      throw new HttpError(416, 'RANGE_NOT_SATISFIABLE', `The file has ${size} bytes`);
    }
    reply.type(asset.content_type);
    if (range === null) {
      reply.header('content-length', String(size));
      return reply.send(createReadStream(file));
    }
    reply
      .code(206)
      .header('content-range', `bytes ${range.start}-${range.end}/${size}`)
      .header('content-length', String(range.end - range.start + 1));
    return reply.send(createReadStream(file, { start: range.start, end: range.end }));
  });
}
