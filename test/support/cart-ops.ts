/**
 * Helpers of the cart tests: building ops and pushes, and a snapshot of every cart table row of one cart to
 * prove that a refused request changed nothing.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { CartOp, PushRequest } from '../../src/protocol/cart';
import type { Database } from '../../src/server/storage/schema';

/** brand-mini's skus: price in cents and catalog stock. */
export const OAK = { sku: 'MINI-STOOL-OAK', price: 12900, stock: 7 } as const;
export const WALNUT = { sku: 'MINI-STOOL-WAL', price: 14900, stock: 0 } as const;
export const TABLE = { sku: 'MINI-TABLE-ASH', price: 89000, stock: 2 } as const;

/** A client id of the right shape (16–64 base64url characters). */
export const clientId = (name: string): string => `client-${name}`.padEnd(16, '0');

/**
 * An op with a fresh opId; `price` defaults to what the catalog asks for `sku` in brand-mini; `baseVersion`
 * (the cart version the device had seen) is left out unless given.
 */
export function op(seq: number, sku: string, qty: number, price?: number, baseVersion?: number): CartOp {
  const known = [OAK, WALNUT, TABLE].find((s) => s.sku === sku);
  return {
    opId: randomUUID(),
    seq,
    sku,
    qty,
    observedPrice: { amount: price ?? known?.price ?? 1000, currency: 'EUR' },
    ...(baseVersion === undefined ? {} : { baseVersion }),
  };
}

/** A push of `ops` by client `name`. */
export const push = (name: string, ops: CartOp[]): PushRequest => ({ clientId: clientId(name), ops });

/** Every row of every cart table that belongs to cart `cartId` (`updated_at` left out: a lock touches it). */
export async function cartRows(db: Kysely<Database>, cartId: string): Promise<unknown> {
  return {
    cart: await db
      .selectFrom('carts')
      .select(['id', 'token_hash', 'version', 'created_at'])
      .where('id', '=', cartId)
      .executeTakeFirst(),
    lines: await db
      .selectFrom('cart_lines')
      .selectAll()
      .where('cart_id', '=', cartId)
      .orderBy('sku')
      .execute(),
    clients: await db
      .selectFrom('cart_clients')
      .selectAll()
      .where('cart_id', '=', cartId)
      .orderBy('client_id')
      .execute(),
    ops: await db
      .selectFrom('cart_ops')
      .selectAll()
      .where('cart_id', '=', cartId)
      .orderBy('client_id')
      .orderBy('seq')
      .execute(),
  };
}
