/**
 * Brand API tokens: the secret a brand's CLI sends to publish. A token is 32 random bytes (base64url) shown
 * once when it is made; the server keeps only its SHA-256, looks it up by that hash and compares in constant
 * time. A token opens exactly one brand, until it is revoked.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { Slug } from '../../protocol/catalog';
import { hashToken, tokenMatches } from '../carts/cart-tokens';
import { HttpError } from '../http-errors';
import type { Database, Executor } from '../storage/schema';

/** Bytes of randomness in a brand token (43 base64url characters). */
const BRAND_TOKEN_BYTES = 32;

/** A token as it was made: the only time the token itself is seen. */
export interface NewBrandToken {
  /** The secret to hand to the brand (`Authorization: Bearer <token>`). */
  token: string;
  brandId: string;
  label: string;
  createdAt: string;
}

/**
 * Makes a token for `brandId` (a slug; the brand need not be published yet, its first publish creates it)
 * and stores its hash. Returns the token: it cannot be read back later.
 */
export async function createBrandToken(
  db: Kysely<Database>,
  brandId: string,
  label: string,
): Promise<NewBrandToken> {
  const id = Slug.safeParse(brandId);
  if (!id.success) throw new Error(`"${brandId}" is not a brand id (lower-case letters, digits, dashes)`);
  const token = randomBytes(BRAND_TOKEN_BYTES).toString('base64url');
  const createdAt = new Date().toISOString();
  await db
    .insertInto('brand_tokens')
    .values({
      token_hash: hashToken(token),
      brand_id: id.data,
      label,
      created_at: createdAt,
      revoked_at: null,
    })
    .execute();
  return { token, brandId: id.data, label, createdAt };
}

/** Revokes a token from then on. Returns false when no working token matched. */
export async function revokeBrandToken(db: Kysely<Database>, token: string): Promise<boolean> {
  const result = await db
    .updateTable('brand_tokens')
    .set({ revoked_at: new Date().toISOString() })
    .where('token_hash', '=', hashToken(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The brand a working token opens, or undefined for an unknown or revoked token. */
export async function brandOfToken(db: Executor, token: string): Promise<string | undefined> {
  const hash = hashToken(token);
  const row = await db
    .selectFrom('brand_tokens')
    .select(['token_hash', 'brand_id', 'revoked_at'])
    .where('token_hash', '=', hash)
    .executeTakeFirst();
  if (row === undefined || !tokenMatches(token, row.token_hash) || row.revoked_at !== null) return undefined;
  return row.brand_id;
}

/**
 * Checks that `token` may act for `brandId`: 401 `UNAUTHORIZED` without a token or with an unknown or
 * revoked one, 403 `BRAND_FORBIDDEN` with a token of another brand.
 */
export async function authorizeBrand(
  db: Executor,
  token: string | undefined,
  brandId: string,
): Promise<void> {
  if (token === undefined) {
    throw new HttpError(401, 'UNAUTHORIZED', 'Send the brand token as "Authorization: Bearer <token>".');
  }
  const owner = await brandOfToken(db, token);
  if (owner === undefined) {
    throw new HttpError(401, 'UNAUTHORIZED', 'The brand token is unknown or was revoked.');
  }
  if (owner !== brandId) {
    throw new HttpError(
      403,
      'BRAND_FORBIDDEN',
      `This token publishes brand "${owner}", not "${brandId.slice(0, 80)}".`,
    );
  }
}
