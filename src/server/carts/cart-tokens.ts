/**
 * Cart ids and secrets: random values from the operating system's generator, the token kept by the server
 * only as its SHA-256, compared in constant time so response timing says nothing about a guess.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Bytes of a cart id (22 base64url characters). */
const CART_ID_BYTES = 16;

/** Bytes of a cart token (43 base64url characters). */
const CART_TOKEN_BYTES = 32;

/** A new random cart id: 128 bits, base64url. */
export function newCartId(): string {
  return randomBytes(CART_ID_BYTES).toString('base64url');
}

/** A new random cart token: 256 bits, base64url. */
export function newCartToken(): string {
  return randomBytes(CART_TOKEN_BYTES).toString('base64url');
}

/** SHA-256 of a token, hex (what the `carts.token_hash` column stores). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** True when `token` hashes to `storedHash`; constant time in the token's content. */
export function tokenMatches(token: string, storedHash: string): boolean {
  const given = Buffer.from(hashToken(token), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/** The token of an `Authorization: Bearer <token>` header, or undefined when there is none. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  return match?.[1];
}
