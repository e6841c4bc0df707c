/**
 * The brand publishing API under `/api/v1/brands/:brandId`: content-addressed uploads (HEAD/PUT
 * `assets/:sha256`, `POST assets/missing`), `POST publish`, `POST rollback` and `GET releases`. Every route
 * needs the brand's token (`Authorization: Bearer`), checked before any body is read. Upload bodies are read
 * by this module's own parsers (registered in its scope only), which count bytes against each type's limit.
 */
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { MissingAssetsResponse, ReleaseList, StoredAssetResponse } from '../../protocol/publish';
import { MissingAssetsRequest, PublishRequest, Sha256 } from '../../protocol/publish';
import { bearerToken } from '../carts/cart-tokens';
import { badRequest, HttpError } from '../http-errors';
import type { UploadRead } from '../publishing/asset-uploads';
import {
  isUploadType,
  missingAssets,
  readUploadBody,
  storedAsset,
  storeUpload,
  UPLOAD_TYPES,
} from '../publishing/asset-uploads';
import { jsonDeeperThan, MAX_JSON_DEPTH } from '../json-depth';
import { authorizeBrand } from '../publishing/brand-tokens';
import type { WriteObserver } from '../publishing/brand-state';
import { createPublisher } from '../publishing/publisher';
import { releaseInfo, releasesOf } from '../publishing/releases';
import type { Database } from '../storage/schema';
import { parseBody } from '../validation';

/** Largest publish body (the brand folder's JSON files): 10 MB. */
export const PUBLISH_BODY_LIMIT = 10 * 1024 * 1024;

/** An Idempotency-Key: a UUID (any version), compared in lower case. */
const IDEMPOTENCY_KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Options of the publishing routes. */
export interface PublishRouteOptions {
  /** The asset store folder (`<dataDir>/assets`). */
  assetsDir: string;
  /** Hears each step of a publish or rollback write inside its transaction; throwing aborts it. */
  onWriteStep?: WriteObserver;
}

const brandIdOf = (request: FastifyRequest): string =>
  String((request.params as { brandId?: unknown }).brandId ?? '');

/** The media type of the request without parameters, lower case. */
const mediaTypeOf = (request: FastifyRequest): string =>
  (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

/** Checks the token before anything else of the request is read. */
function authorize(db: Kysely<Database>) {
  return async (request: FastifyRequest): Promise<void> => {
    await authorizeBrand(db, bearerToken(request.headers.authorization), brandIdOf(request));
  };
}

/** The `:sha256` parameter, or 400. */
function shaOf(request: FastifyRequest): string {
  const value = (request.params as { sha256?: unknown }).sha256;
  const parsed = Sha256.safeParse(value);
  if (!parsed.success) {
    throw badRequest(`"${String(value).slice(0, 100)}" is not a SHA-256 (64 lower-case hex digits)`);
  }
  return parsed.data;
}

/** The Idempotency-Key header in lower case, or 400. */
function idempotencyKeyOf(request: FastifyRequest): string {
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key)) {
    throw badRequest(
      'Send an Idempotency-Key header holding a UUID, the same one each time this request is retried.',
    );
  }
  return key.toLowerCase();
}

const noStore = (reply: FastifyReply): FastifyReply => reply.header('cache-control', 'no-store');

/** Registers the publishing routes (in their own scope, with the upload body parsers). */
export function registerPublishRoutes(
  app: FastifyInstance,
  db: Kysely<Database>,
  options: PublishRouteOptions,
): void {
  const { assetsDir } = options;
  const publisher = createPublisher({ db, assetsDir, onWriteStep: options.onWriteStep });
  const onRequest = authorize(db);
  const base = '/api/v1/brands/:brandId';

  void app.register(async (scope) => {
    scope.addContentTypeParser(UPLOAD_TYPES, async (request: FastifyRequest, payload: IncomingMessage) => {
      const type = mediaTypeOf(request);
      if (!isUploadType(type))
        throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', `Uploads cannot be ${type}`);
      return readUploadBody(payload, type, request.headers['content-length']);
    });

    scope.head(`${base}/assets/:sha256`, { onRequest }, async (request, reply) => {
      const stored = await storedAsset(db, assetsDir, shaOf(request));
      noStore(reply);
      if (stored === undefined) return reply.code(404).send();
      return reply.code(200).header('content-type', stored.content_type).send();
    });

    scope.put(
      `${base}/assets/:sha256`,
      {
        onRequest: [
          onRequest,
          async (request) => {
            shaOf(request);
            const type = mediaTypeOf(request);
            if (!isUploadType(type)) {
              throw new HttpError(
                415,
                'UNSUPPORTED_MEDIA_TYPE',
                `Send the file with Content-Type ${UPLOAD_TYPES.join(', ')}, not "${type.slice(0, 80)}".`,
              );
            }
          },
        ],
      },
      async (request, reply) => {
        const type = mediaTypeOf(request);
        if (!isUploadType(type)) throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Not an upload type');
        const read = request.body as UploadRead;
        if (!read.ok) throw read.error;
        const { asset, created } = await storeUpload(db, assetsDir, shaOf(request), type, read.body);
        const answer: StoredAssetResponse = {
          sha256: asset.sha256,
          url: asset.url,
          bytes: asset.bytes,
          contentType: asset.contentType,
        };
        return noStore(reply)
          .code(created ? 201 : 200)
          .send(answer);
      },
    );

    scope.post(`${base}/assets/missing`, { onRequest }, async (request, reply) => {
      const { sha256s } = parseBody(MissingAssetsRequest, request.body);
      const answer: MissingAssetsResponse = { missing: await missingAssets(db, assetsDir, sha256s) };
      return noStore(reply).send(answer);
    });

    scope.post(`${base}/publish`, { onRequest, bodyLimit: PUBLISH_BODY_LIMIT }, async (request, reply) => {
      const key = idempotencyKeyOf(request);
      // Before anything walks the body recursively (hashing it, writing it back as files, validating it).
      if (jsonDeeperThan(request.body, MAX_JSON_DEPTH)) {
        throw new HttpError(
          422,
          'JSON_TOO_DEEP',
          `The publish body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep; a brand folder ` +
            'needs a handful.',
        );
      }
      const body = parseBody(PublishRequest, request.body);
      const { response, replayed } = await publisher.publish(brandIdOf(request), key, body);
      return noStore(reply)
        .code(response.changed && !replayed ? 201 : 200)
        .send(response);
    });

    scope.post(`${base}/rollback`, { onRequest }, async (request, reply) => {
      const key = idempotencyKeyOf(request);
      const { response, replayed } = await publisher.rollback(brandIdOf(request), key);
      return noStore(reply)
        .code(replayed ? 200 : 201)
        .send(response);
    });

    scope.get(`${base}/releases`, { onRequest }, async (request, reply) => {
      const brandId = brandIdOf(request);
      const rows = await releasesOf(db, brandId);
      const answer: ReleaseList = { brandId, releases: rows.map((row, i) => releaseInfo(row, i === 0)) };
      return noStore(reply).send(answer);
    });
  });
}
