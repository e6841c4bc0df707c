/**
 * The JSON API under `/api/v1`: health, the catalog snapshot, the catalog change feed, and single products and
 * showrooms.
 */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { CatalogChangesQuery, CHANGES_LIMIT, Slug } from '../../protocol/catalog';
import {
  findProduct,
  findShowroom,
  readCatalogSnapshot,
  readChangePage,
  readCursor,
} from '../storage/catalog-store';
import type { Database } from '../storage/schema';
import { badRequest, HttpError, notFound } from '../http-errors';
import { matchesEtag } from '../http-cache';

const JSON_TYPE = 'application/json; charset=utf-8';

/** Parses an `:id` path parameter as a slug, or throws 400. */
function parseId(params: unknown, what: string): string {
  const id = (params as { id?: unknown }).id;
  const result = Slug.safeParse(id);
  if (!result.success) {
    throw badRequest(
      `"${String(id).slice(0, 100)}" is not a valid ${what} id (lower-case letters, digits, dashes)`,
    );
  }
  return result.data;
}

/** Parses the change feed's query (`since`, `limit`) with defaults, or throws 400 saying what is wrong. */
function parseChangesQuery(query: unknown): { since: number; limit: number } {
  const result = CatalogChangesQuery.safeParse(query);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.map(String).join('.') || 'query';
    throw badRequest(`Invalid ${where}: ${issue?.message ?? 'not understood'}`);
  }
  return { since: result.data.since ?? 0, limit: result.data.limit ?? CHANGES_LIMIT.default };
}

/** Registers the `/api/v1` routes. */
export function registerApiRoutes(app: FastifyInstance, db: Kysely<Database>): void {
  // The serialized snapshot of the current cursor; rebuilt when the cursor moves.
  let cached: { cursor: string; body: string } | undefined;

  app.get('/api/v1/health', async (_request, reply) => {
    return reply.header('cache-control', 'no-store').send({ ok: true });
  });

  app.get('/api/v1/catalog', async (request, reply) => {
    const cursor = await readCursor(db);
    if (cached?.cursor !== cursor) {
      const snapshot = await readCatalogSnapshot(db);
      cached = { cursor: snapshot.cursor, body: JSON.stringify(snapshot) };
    }
    const etag = `"catalog-${cached.cursor}"`;
    reply.header('cache-control', 'no-cache').header('etag', etag);
    if (matchesEtag(request.headers['if-none-match'], etag)) return reply.code(304).send();
    return reply.type(JSON_TYPE).send(cached.body);
  });

  app.get('/api/v1/catalog/changes', async (request, reply) => {
    const { since, limit } = parseChangesQuery(request.query);
    const result = await readChangePage(db, since, limit);
    if (result.ahead) {
      throw new HttpError(
        400,
        'CURSOR_AHEAD',
        `Cursor ${since} is newer than the catalog (${result.cursor}): pull again from 0`,
      );
    }
    return reply.header('cache-control', 'no-cache').type(JSON_TYPE).send(JSON.stringify(result.page));
  });

  app.get('/api/v1/products/:id', async (request, reply) => {
    const id = parseId(request.params, 'product');
    const product = await findProduct(db, id);
    if (product === undefined) throw notFound(`No product with id "${id}"`);
    return reply.header('cache-control', 'no-cache').type(JSON_TYPE).send(product);
  });

  app.get('/api/v1/showrooms/:id', async (request, reply) => {
    const id = parseId(request.params, 'showroom');
    const showroom = await findShowroom(db, id);
    if (showroom === undefined) throw notFound(`No showroom with id "${id}"`);
    return reply.header('cache-control', 'no-cache').type(JSON_TYPE).send(showroom);
  });
}
