/**
 * Wire protocol of brand publishing (`/api/v1/brands/:brandId/…`): the bodies the `vitrine` CLI sends and the
 * answers the server gives. Every route needs `Authorization: Bearer <brand token>`; publish and rollback also
 * need an `Idempotency-Key` (a UUID, the same on each retry of one request).
 */
import { z } from 'zod/mini';

/** Lower-case hex SHA-256 of a file's bytes: the name of an uploaded asset. */
export const Sha256 = z.string().check(z.regex(/^[0-9a-f]{64}$/, '64 lower-case hex digits (a SHA-256)'));

/**
 * Largest model (GLB or USDZ) in bytes, 15 MB: the upload limit and the validator's refusal limit are this one
 * number, so a model the validator accepts always uploads, and one the server would refuse never validates.
 */
export const MAX_MODEL_BYTES = 15_000_000;

/** Upload size limits in bytes, by content type; larger bodies are refused with 413 `TOO_LARGE`. */
export const UPLOAD_LIMITS = {
  'model/gltf-binary': MAX_MODEL_BYTES,
  'model/vnd.usdz+zip': MAX_MODEL_BYTES,
  'image/jpeg': 5 * 1024 * 1024,
  'image/png': 5 * 1024 * 1024,
  'image/webp': 5 * 1024 * 1024,
} as const;
export type UploadContentType = keyof typeof UPLOAD_LIMITS;

/** Most hashes one `POST …/assets/missing` may ask about. */
export const MAX_MISSING_QUERY = 10_000;

/** `POST /api/v1/brands/:brandId/assets/missing`: which of these files does the server not have? */
export const MissingAssetsRequest = z.object({
  sha256s: z.array(Sha256).check(z.maxLength(MAX_MISSING_QUERY)),
});
export type MissingAssetsRequest = z.infer<typeof MissingAssetsRequest>;

/** Its answer: the asked hashes the server does not store, in the order asked, each once. */
export const MissingAssetsResponse = z.object({ missing: z.array(Sha256) });
export type MissingAssetsResponse = z.infer<typeof MissingAssetsResponse>;

/** `PUT /api/v1/brands/:brandId/assets/:sha256` answer (201 stored now, 200 already stored). */
export const StoredAssetResponse = z.object({
  sha256: Sha256,
  url: z.string(),
  bytes: z.int(),
  contentType: z.string(),
});
export type StoredAssetResponse = z.infer<typeof StoredAssetResponse>;

/** The uploaded files of one product, by hash. */
export const ProductAssets = z.object({
  /** The binary glTF (`models/<id>.glb`). */
  model: Sha256,
  /** The poster still (`posters/<id>.jpg`). */
  poster: Sha256,
  /** An optional USDZ for iOS Quick Look. */
  usdz: z.optional(Sha256),
});
export type ProductAssets = z.infer<typeof ProductAssets>;

/**
 * `POST /api/v1/brands/:brandId/publish`: the brand folder's JSON files as they are (`brand.json`,
 * `categories.json`, `products.json`, `showrooms.json`; the server validates them, so they are not parsed
 * here) and the uploaded files of each product, keyed by product id.
 */
export const PublishRequest = z.object({
  data: z.object({
    brand: z.unknown(),
    categories: z.unknown(),
    products: z.unknown(),
    showrooms: z.unknown(),
  }),
  assets: z.record(z.string(), ProductAssets),
});
export type PublishRequest = z.infer<typeof PublishRequest>;

/** What one kind of record did in a release: ids added, changed and removed, and how many stayed as they were. */
export const ChangeSummary = z.object({
  added: z.array(z.string()),
  changed: z.array(z.string()),
  removed: z.array(z.string()),
  unchanged: z.int(),
});
export type ChangeSummary = z.infer<typeof ChangeSummary>;

/** What a publish or rollback changed in the live catalog. */
export const ReleaseSummary = z.object({
  brandChanged: z.boolean(),
  categories: ChangeSummary,
  products: ChangeSummary,
  showrooms: ChangeSummary,
});
export type ReleaseSummary = z.infer<typeof ReleaseSummary>;

/** One problem the server's validation found (the validation library's `Problem`). */
export const PublishProblem = z.object({
  severity: z.enum(['error', 'warning']),
  file: z.string(),
  pointer: z.optional(z.string()),
  line: z.optional(z.number()),
  column: z.optional(z.number()),
  code: z.string(),
  message: z.string(),
  hint: z.optional(z.string()),
});
export type PublishProblem = z.infer<typeof PublishProblem>;

/**
 * Answer of publish and rollback: 201 with a new release and catalog version, 200 when nothing changed
 * (`changed: false`, the current release and version) or when an Idempotency-Key is replayed.
 */
export const PublishResponse = z.object({
  brandId: z.string(),
  changed: z.boolean(),
  /** The release now live (new unless `changed` is false). */
  release: z.int(),
  /** The catalog version now live. */
  version: z.int(),
  /** The catalog cursor after the write: devices that pulled up to it see this release. */
  cursor: z.string(),
  summary: ReleaseSummary,
  /** Warnings of the validation (publish only); they did not block it. */
  warnings: z.array(PublishProblem),
  /** For a rollback: the release whose state it made live again. */
  restoredFrom: z.optional(z.int()),
});
export type PublishResponse = z.infer<typeof PublishResponse>;

/** Why a release exists. */
export const ReleaseReason = z.enum(['seed', 'publish', 'rollback']);
export type ReleaseReason = z.infer<typeof ReleaseReason>;

/** One release of a brand as `GET /api/v1/brands/:brandId/releases` lists it. */
export const ReleaseInfo = z.object({
  id: z.int(),
  /** The catalog version it made live. */
  version: z.int(),
  reason: ReleaseReason,
  /** For a rollback: the release whose state it restored. */
  restoredFrom: z.optional(z.int()),
  createdAt: z.string(),
  products: z.int(),
  showrooms: z.int(),
  /** True for the brand's live release (the newest). */
  current: z.boolean(),
});
export type ReleaseInfo = z.infer<typeof ReleaseInfo>;

/** `GET /api/v1/brands/:brandId/releases`: newest first. */
export const ReleaseList = z.object({ brandId: z.string(), releases: z.array(ReleaseInfo) });
export type ReleaseList = z.infer<typeof ReleaseList>;
