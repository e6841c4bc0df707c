/**
 * Orders: the only client code that calls the order API. It places an order for the server's cart (after
 * sending every pending cart change), keeps placed orders in `db.orders` so they read offline, refreshes them,
 * and sends return and exchange requests.
 * Side effects owned here: the idempotency key of the order being placed (`cartSync.checkoutKey`, kept until the
 * server answers 2xx so a retry after a lost answer gives back the same order instead of a second one), the
 * `orders` table, and, when an order is placed, the removal of the ordered lines from the device's cart.
 */
import { db as appDb, type VitrineDB } from '../db/db';
import {
  CheckoutDetails,
  Order,
  OrderList,
  ReturnRequest,
  type PaymentMethod,
  type ReturnRequest as ReturnRequestBody,
} from '../protocol/cart';
import { pullCart, pushCart, type CartSync } from './cart-sync';

/** How long one request may take before it counts as a network failure. */
export const ORDER_TIMEOUT_MS = 15_000;

/** Where the order calls go and which database they keep orders in (tests pass both). */
export interface OrderOptions {
  /** Database of the device; the app's database by default. */
  db?: VitrineDB;
  /** Origin of the API (e.g. `http://127.0.0.1:8080`); the page's own origin by default. */
  baseUrl?: string;
  /** The cart sync that pushes the outbox before an order and pulls the cart after; the app's by default. */
  cartSync?: Pick<CartSync, 'push' | 'pull'>;
}

/**
 * Why an order call failed, in words for the shopper. `code` is the server's error code, or one of the
 * device's own: `NETWORK` (no answer: nothing is known to have changed, a retry is safe), `NOT_SYNCED` (cart
 * changes still wait to be sent), `NO_CART` (this device holds no server cart or not the order's one),
 * `BAD_RESPONSE` (an answer this app cannot read).
 */
export class OrderError extends Error {
  override readonly name = 'OrderError';
  constructor(
    readonly code: string,
    message: string,
    /** HTTP status of the answer; 0 when there was none. */
    readonly status = 0,
    /** Per field messages of a 400 answer (`{ "address.city": "Enter the town or city." }`). */
    readonly fields?: Readonly<Record<string, string>>,
  ) {
    super(message);
  }
}

/** Messages for the codes a shopper can act on; other codes show the server's own message. */
const MESSAGES: Readonly<Record<string, string>> = {
  NETWORK:
    'The server could not be reached, so the order is not confirmed. Check your connection and try again: trying again never places it twice.',
  NOT_SYNCED: 'Your latest cart changes have not reached the server yet. Try again in a moment.',
  NO_CART: 'Your cart is empty.',
  CART_EMPTY: 'Your cart is empty.',
  CART_CHANGED:
    'Your cart changed since you reviewed it (perhaps on another device). Check the summary and place the order again.',
  CART_HAS_WARNINGS:
    'Prices or stock changed since these items were added. Review the changes in your cart, then place the order.',
  OUT_OF_STOCK: 'Some items ran out while you were ordering. Review your cart, then place the order.',
  IDEMPOTENCY_KEY_REUSED: 'This order attempt could not be matched to your cart. Place the order again.',
  BAD_REQUEST: 'Some details need fixing.',
  RETURN_WINDOW_CLOSED: 'The return window for this item has closed.',
  RETURNS_NOT_ACCEPTED: 'The brand does not take this item back.',
  RETURN_QTY_EXCEEDED: 'That is more units than are left to return on this line.',
  EXCHANGE_SKU_INVALID: 'Choose another variant of the same product to exchange for.',
  ORDER_NOT_OURS:
    'This order was placed from a cart this device no longer holds, so it cannot be changed from here.',
};

/** The message for a code, or `fallback` (the server's message) for codes the shopper cannot act on. */
function messageFor(code: string, fallback: string): string {
  return MESSAGES[code] ?? fallback;
}

/** Reads an error body `{ error: { code, message, details? } }`, keeping `details.fields` (zod would strip it). */
function errorOf(status: number, body: unknown): OrderError {
  const error =
    typeof body === 'object' && body !== null && 'error' in body
      ? (body as { error: unknown }).error
      : undefined;
  const fields: Record<string, string> = {};
  let code = `HTTP_${status}`;
  let message = `The server refused the request (HTTP ${status}).`;
  if (typeof error === 'object' && error !== null) {
    const e = error as { code?: unknown; message?: unknown; details?: unknown };
    if (typeof e.code === 'string') code = e.code;
    if (typeof e.message === 'string') message = e.message;
    const raw =
      typeof e.details === 'object' && e.details !== null
        ? (e.details as { fields?: unknown }).fields
        : undefined;
    if (typeof raw === 'object' && raw !== null) {
      for (const [key, value] of Object.entries(raw)) if (typeof value === 'string') fields[key] = value;
    }
  }
  const hasFields = Object.keys(fields).length > 0;
  return new OrderError(code, messageFor(code, message), status, hasFields ? fields : undefined);
}

/** Sends one API request; answers the parsed body of a 2xx and its status, or throws an OrderError. */
async function call(
  url: string,
  init: RequestInit & { token: string },
): Promise<{ status: number; body: unknown }> {
  const { token, ...rest } = init;
  let response: Response;
  try {
    response = await fetch(url, {
      ...rest,
      headers: {
        accept: 'application/json',
        authorization: `Bearer ${token}`,
        ...(rest.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(rest.headers as Record<string, string> | undefined),
      },
      signal: AbortSignal.timeout(ORDER_TIMEOUT_MS),
    });
  } catch {
    throw new OrderError('NETWORK', messageFor('NETWORK', ''));
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    if (response.ok) throw new OrderError('BAD_RESPONSE', 'The server sent an answer this app cannot read.');
    throw errorOf(response.status, undefined);
  }
  if (!response.ok) throw errorOf(response.status, body);
  return { status: response.status, body };
}

/** The order in an answer, checked against the protocol. */
function orderOf(body: unknown): Order {
  const parsed = Order.safeParse(body);
  if (!parsed.success) {
    throw new OrderError('BAD_RESPONSE', 'The server sent an order this app cannot read.');
  }
  return parsed.data;
}

/**
 * Places an order for the cart as the server holds it: sends every pending cart change first, then posts the
 * details with the cart version the device last received (the one the shopper reviewed) under an idempotency
 * key kept in `cartSync.checkoutKey` until a 2xx (a retry after a lost answer reuses it and gets the same
 * order back). The order is stored in `db.orders`; when it is new, the ordered lines leave the device's cart at
 * once (changes made meanwhile stay), and the cart is then pulled from the server.
 * @throws OrderError with `fields` when the details do not pass `CheckoutDetails` (checked before sending), or
 *   with the server's refusal (CART_CHANGED, CART_HAS_WARNINGS, … in words for the shopper).
 */
export async function placeOrder(
  details: CheckoutDetails,
  payment: PaymentMethod,
  options: OrderOptions = {},
): Promise<Order> {
  const db = options.db ?? appDb;
  const base = options.baseUrl ?? '';
  const checked = CheckoutDetails.safeParse(details);
  if (!checked.success) {
    const fields: Record<string, string> = {};
    for (const issue of checked.error.issues) {
      const key = issue.path.map(String).join('.');
      fields[key] ??= issue.message;
    }
    throw new OrderError('BAD_REQUEST', messageFor('BAD_REQUEST', ''), 0, fields);
  }

  const pushed = await (options.cartSync ? options.cartSync.push() : pushCart());
  if (pushed === 'offline' || pushed === 'retrying') {
    throw new OrderError('NETWORK', messageFor('NETWORK', ''));
  }
  if (pushed === 'failed') {
    const error = (await db.cartSync.get('cart'))?.error;
    throw new OrderError(error?.code ?? 'NOT_SYNCED', error?.message ?? messageFor('NOT_SYNCED', ''));
  }
  if ((await db.outbox.count()) > 0) throw new OrderError('NOT_SYNCED', messageFor('NOT_SYNCED', ''));

  // Read the cart and take (or reuse) the key in one transaction, so two tabs placing at once share one key.
  const attempt = await db.transaction('rw', db.cartSync, async () => {
    const state = await db.cartSync.get('cart');
    if (!state?.cartId || !state.token) return undefined;
    const key = state.checkoutKey ?? crypto.randomUUID();
    if (state.checkoutKey === undefined) await db.cartSync.update('cart', { checkoutKey: key });
    return { cartId: state.cartId, token: state.token, version: state.serverVersion, key };
  });
  if (!attempt) throw new OrderError('NO_CART', messageFor('NO_CART', ''));

  let answer: { status: number; body: unknown };
  try {
    answer = await call(`${base}/api/v1/carts/${encodeURIComponent(attempt.cartId)}/orders`, {
      method: 'POST',
      token: attempt.token,
      headers: { 'idempotency-key': attempt.key },
      body: JSON.stringify({ expectedVersion: attempt.version, details: checked.data, payment }),
    });
  } catch (err) {
    // The key was never used for an order on this cart: a fresh one is needed next time.
    if (err instanceof OrderError && err.code === 'IDEMPOTENCY_KEY_REUSED') {
      await db.cartSync.update('cart', { checkoutKey: undefined });
    }
    // The server's cart differs from the device's: fetch it so the shopper reviews what it holds now.
    if (
      err instanceof OrderError &&
      ['CART_CHANGED', 'CART_HAS_WARNINGS', 'OUT_OF_STOCK', 'CART_EMPTY'].includes(err.code)
    ) {
      await pullQuietly(options);
    }
    throw err;
  }
  const order = orderOf(answer.body);

  await db.transaction('rw', [db.orders, db.cartSync, db.cartLines, db.outbox], async () => {
    await db.orders.put(order);
    const state = await db.cartSync.get('cart');
    if (state?.checkoutKey === attempt.key) await db.cartSync.update('cart', { checkoutKey: undefined });
    // A new order (201) emptied the server cart at the version the device sent, which is every line not
    // changed since; a replayed key (200) may come after later changes, which the pull below sorts out.
    if (answer.status === 201) {
      const pending = new Set((await db.outbox.toArray()).map((op) => op.sku));
      const ordered = (await db.cartLines.toArray()).filter((l) => !pending.has(l.sku)).map((l) => l.sku);
      await db.cartLines.bulkDelete(ordered);
    }
  });
  await pullQuietly(options);
  return order;
}

/** Pulls the cart, ignoring failures (the cart sync retries on its own and records its errors). */
async function pullQuietly(options: OrderOptions): Promise<void> {
  try {
    await (options.cartSync ? options.cartSync.pull() : pullCart());
  } catch {
    // The order is stored either way; the cart catches up on the next pull.
  }
}

/**
 * Fetches every order placed from this device's cart (newest first) into `db.orders`; orders of carts the
 * device held before stay as they are. Answers the cart's orders; none when the device has no server cart.
 * @throws OrderError when the server cannot be reached or refuses.
 */
export async function refreshOrders(options: OrderOptions = {}): Promise<Order[]> {
  const db = options.db ?? appDb;
  const state = await db.cartSync.get('cart');
  if (!state?.cartId || !state.token) return [];
  const { body } = await call(
    `${options.baseUrl ?? ''}/api/v1/carts/${encodeURIComponent(state.cartId)}/orders`,
    { method: 'GET', token: state.token },
  );
  const parsed = OrderList.safeParse(body);
  if (!parsed.success) throw new OrderError('BAD_RESPONSE', 'The server sent orders this app cannot read.');
  await db.orders.bulkPut(parsed.data.orders);
  return parsed.data.orders;
}

/** The token of the order's cart, when this device still holds that cart. */
async function tokenFor(db: VitrineDB, orderId: string): Promise<string> {
  const [order, state] = await Promise.all([db.orders.get(orderId), db.cartSync.get('cart')]);
  if (!order || !state?.token || state.cartId !== order.cartId) {
    throw new OrderError('ORDER_NOT_OURS', messageFor('ORDER_NOT_OURS', ''));
  }
  return state.token;
}

/**
 * Fetches one order (status and returns as the server has them now) into `db.orders`.
 * @throws OrderError (`ORDER_NOT_OURS` when the device no longer holds the order's cart).
 */
export async function refreshOrder(orderId: string, options: OrderOptions = {}): Promise<Order> {
  const db = options.db ?? appDb;
  const token = await tokenFor(db, orderId);
  const { body } = await call(`${options.baseUrl ?? ''}/api/v1/orders/${encodeURIComponent(orderId)}`, {
    method: 'GET',
    token,
  });
  const order = orderOf(body);
  await db.orders.put(order);
  return order;
}

/**
 * Asks to return or exchange units of one line of an order; stores the order the server answers (with the new
 * request in its `returns`) and returns it.
 * @throws OrderError with the policy's refusal (RETURN_WINDOW_CLOSED, RETURNS_NOT_ACCEPTED,
 *   RETURN_QTY_EXCEEDED, EXCHANGE_SKU_INVALID), `BAD_REQUEST` with `fields` for a request that does not pass
 *   `ReturnRequest`, or `ORDER_NOT_OURS`.
 */
export async function requestReturn(
  orderId: string,
  request: ReturnRequestBody,
  options: OrderOptions = {},
): Promise<Order> {
  const db = options.db ?? appDb;
  const checked = ReturnRequest.safeParse(request);
  if (!checked.success) {
    const fields: Record<string, string> = {};
    for (const issue of checked.error.issues) fields[issue.path.map(String).join('.')] ??= issue.message;
    throw new OrderError('BAD_REQUEST', messageFor('BAD_REQUEST', ''), 0, fields);
  }
  const token = await tokenFor(db, orderId);
  const { body } = await call(
    `${options.baseUrl ?? ''}/api/v1/orders/${encodeURIComponent(orderId)}/returns`,
    { method: 'POST', token, body: JSON.stringify(checked.data) },
  );
  const order = orderOf(body);
  await db.orders.put(order);
  return order;
}
