/**
 * The cart API under `/api/v1/carts`: create a cart, read it priced from the catalog, and push a client's ops.
 * Every answer is private to the token holder and never cached.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { CartId, PushRequest } from '../../protocol/cart';
import type { CartResponse, NewCart } from '../../protocol/cart';
import { authorizeCart, cartNotFound, createCart, pushOps, readCart } from '../carts/cart-store';
import { bearerToken } from '../carts/cart-tokens';
import type { Database } from '../storage/schema';
import { parseBody } from '../validation';

/** The `:cartId` path parameter; an id that cannot be a cart's is a cart that does not exist (404). */
export function cartIdOf(request: FastifyRequest): string {
  const parsed = CartId.safeParse((request.params as { cartId?: unknown }).cartId);
  if (!parsed.success) throw cartNotFound();
  return parsed.data;
}

/** Checks the request's bearer token against cart `cartId` (404 / 403) and returns the id. */
export async function authorizedCartId(db: Kysely<Database>, request: FastifyRequest): Promise<string> {
  const cartId = cartIdOf(request);
  await authorizeCart(db, cartId, bearerToken(request.headers.authorization));
  return cartId;
}

/** Registers the `/api/v1/carts` routes. */
export function registerCartRoutes(app: FastifyInstance, db: Kysely<Database>): void {
  app.post('/api/v1/carts', async (_request, reply) => {
    const created: NewCart = await createCart(db);
    return reply.code(201).header('cache-control', 'no-store').send(created);
  });

  app.get('/api/v1/carts/:cartId', async (request, reply) => {
    const cartId = await authorizedCartId(db, request);
    const answer: CartResponse = { cart: await readCart(db, cartId) };
    return reply.header('cache-control', 'no-store').send(answer);
  });

  app.post('/api/v1/carts/:cartId/ops', async (request, reply) => {
    const cartId = await authorizedCartId(db, request);
    const push = parseBody(PushRequest, request.body);
    const answer: CartResponse = await pushOps(db, cartId, push);
    return reply.header('cache-control', 'no-store').send(answer);
  });
}
