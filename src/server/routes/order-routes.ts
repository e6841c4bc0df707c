/**
 * The order API: checkout (`POST /api/v1/carts/:cartId/orders`, once per Idempotency-Key), a cart's orders,
 * one order, and return or exchange requests (also once per Idempotency-Key). Every route needs the token of the cart the order came from;
 * answers carry personal data, so none is ever cached.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { PlaceOrderRequest, ReturnRequest } from '../../protocol/cart';
import type { Order, OrderList } from '../../protocol/cart';
import { authorizeCart } from '../carts/cart-store';
import { bearerToken } from '../carts/cart-tokens';
import { HttpError } from '../http-errors';
import { getOrder, listOrders, placeOrder } from '../orders/order-store';
import { orderNotFound, requestReturn } from '../orders/return-store';
import type { Database } from '../storage/schema';
import { fieldsOf, parseBody } from '../validation';
import { authorizedCartId } from './cart-routes';

/** An Idempotency-Key: a UUID (any version), compared in lower case. */
const IDEMPOTENCY_KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An order id: 16 random bytes, base64url. */
const ORDER_ID = /^[A-Za-z0-9_-]{22}$/;

/**
 * What a shopper reads under a checkout field that was left out altogether (zod's own message would be
 * "expected string, received undefined"); other problems keep the protocol's shopper-facing messages.
 */
const MISSING_FIELD: Readonly<Record<string, string>> = {
  name: 'Enter your full name.',
  email: 'Enter an email address like name@example.com.',
  address: 'Enter the address to deliver to.',
  'address.line1': 'Enter the street and number.',
  'address.city': 'Enter the town or city.',
  'address.postalCode': 'Enter the postal code, letters, digits and dashes.',
  'address.country': 'Choose a country.',
};

/**
 * Parses a checkout body, or throws 400 BAD_REQUEST with `details.fields` keyed as the checkout form names its
 * fields (`"address.city"`, `"email"`; `"expectedVersion"` and `"payment"` for the rest of the request).
 */
export function parsePlaceOrder(body: unknown): PlaceOrderRequest {
  const result = PlaceOrderRequest.safeParse(body);
  if (result.success) return result.data;
  const fields = fieldsOf(
    result.error.issues,
    (path) => (path[0] === 'details' ? path.slice(1) : path).join('.'),
    (issue, field) =>
      (issue.code === 'invalid_type' && issue.path[0] === 'details' ? MISSING_FIELD[field] : undefined) ??
      issue.message,
  );
  const names = Object.keys(fields);
  throw new HttpError(400, 'BAD_REQUEST', `Check these fields: ${names.join(', ')}.`, { fields });
}

/**
 * The `Idempotency-Key` header in lower case, or 400 when it is missing or not a UUID. Checkouts and return
 * requests both need one.
 */
function idempotencyKeyOf(request: FastifyRequest): string {
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key)) {
    throw new HttpError(
      400,
      'BAD_REQUEST',
      'Send an Idempotency-Key header holding a UUID, the same one each time this request is retried.',
    );
  }
  return key.toLowerCase();
}

/** The order of the `:orderId` path parameter, once the request's token opens its cart (404 / 403). */
async function authorizedOrder(db: Kysely<Database>, request: FastifyRequest): Promise<Order> {
  const orderId = (request.params as { orderId?: unknown }).orderId;
  if (typeof orderId !== 'string' || !ORDER_ID.test(orderId)) throw orderNotFound();
  const order = await getOrder(db, orderId);
  if (order === undefined) throw orderNotFound();
  await authorizeCart(db, order.cartId, bearerToken(request.headers.authorization));
  return order;
}

/** Registers the order routes. */
export function registerOrderRoutes(app: FastifyInstance, db: Kysely<Database>): void {
  app.post('/api/v1/carts/:cartId/orders', async (request, reply) => {
    const cartId = await authorizedCartId(db, request);
    const key = idempotencyKeyOf(request);
    const body = parsePlaceOrder(request.body);
    const { order, replayed } = await placeOrder(db, cartId, key, body);
    return reply
      .code(replayed ? 200 : 201)
      .header('cache-control', 'no-store')
      .send(order);
  });

  app.get('/api/v1/carts/:cartId/orders', async (request, reply) => {
    const cartId = await authorizedCartId(db, request);
    const answer: OrderList = { orders: await listOrders(db, cartId) };
    return reply.header('cache-control', 'no-store').send(answer);
  });

  app.get('/api/v1/orders/:orderId', async (request, reply) => {
    const order = await authorizedOrder(db, request);
    return reply.header('cache-control', 'no-store').send(order);
  });

  app.post('/api/v1/orders/:orderId/returns', async (request, reply) => {
    const { id } = await authorizedOrder(db, request);
    const key = idempotencyKeyOf(request);
    const body = parseBody(ReturnRequest, request.body);
    const { order, replayed } = await requestReturn(db, id, key, body);
    return reply
      .code(replayed ? 200 : 201)
      .header('cache-control', 'no-store')
      .send(order);
  });
}
