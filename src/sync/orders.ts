/**
 * Orders: the only client code that calls the order API. It places an order for the cart the shopper reviewed
 * (after sending every pending cart change, and only when no other device changed the cart meanwhile), keeps
 * placed orders in `db.orders` so they read offline, refreshes them, and sends return and exchange requests.
 * Side effects owned here: the idempotency key of the order being placed (`cartSync.checkoutKey`, kept until the
 * server answers 2xx so a retry after a lost answer gives back the same order instead of a second one), the
 * keys of return requests (`db.returnAttempts`, kept the same way), the `orders` table, and, when an order is
 * placed, the removal of the ordered skus from the device's cart. Orders of a cart the device held before
 * joining another are opened with that cart's secret from `db.carts`.
 */
import { fieldMessages } from '../core/field-messages';
import { db as appDb, type CartLine, type VitrineDB } from '../db/db';
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
  CART_CHANGED_ELSEWHERE: 'Your cart changed on another device — please review it.',
  RETURN_NETWORK:
    'The server could not be reached, so the return request is not sent yet. Check your connection and try again: trying again never sends it twice.',
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

/**
 * Refusals of an order request that prove it placed nothing under its key (a replayed key answers with the
 * order even after the cart changed): the key may be dropped.
 */
const PLACED_NOTHING: ReadonlySet<string> = new Set([
  'CART_CHANGED',
  'CART_EMPTY',
  'CART_HAS_WARNINGS',
  'OUT_OF_STOCK',
  'IDEMPOTENCY_KEY_REUSED',
  'BAD_REQUEST',
]);

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

/**
 * Sends one API request; answers the parsed body of a 2xx and its status, or throws an OrderError (`NETWORK`
 * with the message of `networkCode` when there was no answer).
 */
async function call(
  url: string,
  init: RequestInit & { token: string; networkCode?: string },
): Promise<{ status: number; body: unknown }> {
  const { token, networkCode = 'NETWORK', ...rest } = init;
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
    throw new OrderError('NETWORK', messageFor(networkCode, ''));
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

/** One line of the cart as the shopper reviewed it: the sku and the units asked for. */
export interface ReviewedLine {
  sku: string;
  qty: number;
}

/**
 * The cart as the order summary showed it: every line, this device's pending changes included (as the summary
 * shows them), and the server cart version the device had received then (`serverVersion`, for the record: the
 * order is checked against the lines, and sent with the version of the state that matched them).
 */
export interface ReviewedCart {
  version: number;
  lines: ReviewedLine[];
}

/** A cart line as a reviewed line: the units the shopper asked for (the server may hold fewer). */
function reviewedLine(line: CartLine): ReviewedLine {
  return { sku: line.sku, qty: line.requestedQty ?? line.qty };
}

/**
 * The cart as the device shows it now, to remember when the order summary is shown (the checkout page reads it
 * with the summary, in one query).
 */
export async function reviewedCartOf(db: VitrineDB = appDb): Promise<ReviewedCart> {
  return db.transaction('r', db.cartLines, db.cartSync, async () => ({
    version: (await db.cartSync.get('cart'))?.serverVersion ?? 0,
    lines: (await db.cartLines.toArray()).map(reviewedLine),
  }));
}

/** Whether two sets of lines hold the same units of the same skus (lines at 0 units count as absent). */
export function sameLines(a: readonly ReviewedLine[], b: readonly ReviewedLine[]): boolean {
  const units = (lines: readonly ReviewedLine[]) =>
    new Map(lines.filter((l) => l.qty > 0).map((l) => [l.sku, l.qty]));
  const [left, right] = [units(a), units(b)];
  return left.size === right.size && [...left].every(([sku, qty]) => right.get(sku) === qty);
}

/**
 * Places an order for the cart the shopper reviewed (`reviewed`: the lines the order summary showed and the
 * server version they came from). First sends every pending cart change (pulling when there is none, to see the
 * server's cart as it is now); when the server's lines then differ from the reviewed ones (another device
 * changed the cart), nothing is ordered: `CART_CHANGED_ELSEWHERE` is thrown and the device holds the new cart
 * for the shopper to review. Otherwise posts the details with the version of that state (so any later change is
 * refused by the server) under an idempotency key kept in `cartSync.checkoutKey` until a 2xx (a retry after a
 * lost answer reuses it and gets the same order back). The order is stored in `db.orders`; when it is new, the
 * ordered skus leave the device's cart at once, and the cart is then pulled from the server.
 * @throws OrderError with `fields` when the details do not pass `CheckoutDetails` (checked before sending), or
 *   with the server's refusal (CART_CHANGED, CART_HAS_WARNINGS, … in words for the shopper).
 */
export async function placeOrder(
  details: CheckoutDetails,
  payment: PaymentMethod,
  reviewed: ReviewedCart,
  options: OrderOptions = {},
): Promise<Order> {
  const db = options.db ?? appDb;
  const base = options.baseUrl ?? '';
  const checked = CheckoutDetails.safeParse(details);
  if (!checked.success) {
    throw new OrderError(
      'BAD_REQUEST',
      messageFor('BAD_REQUEST', ''),
      0,
      fieldMessages(checked.error.issues),
    );
  }

  const sync = options.cartSync ?? { push: () => pushCart(), pull: () => pullCart() };
  const pushed = await sync.push();
  if (pushed === 'offline' || pushed === 'retrying') {
    throw new OrderError('NETWORK', messageFor('NETWORK', ''));
  }
  if (pushed === 'failed') {
    const error = (await db.cartSync.get('cart'))?.error;
    throw new OrderError(error?.code ?? 'NOT_SYNCED', error?.message ?? messageFor('NOT_SYNCED', ''));
  }
  // Nothing to send: read the server's cart now, so a change made on another device is seen before ordering.
  if (pushed === 'nothing' && !(await sync.pull())) {
    const state = await db.cartSync.get('cart');
    if (!state?.cartId || !state.token) throw new OrderError('NO_CART', messageFor('NO_CART', ''));
    throw new OrderError('NETWORK', messageFor('NETWORK', ''));
  }
  if ((await db.outbox.count()) > 0) throw new OrderError('NOT_SYNCED', messageFor('NOT_SYNCED', ''));

  const post = (attempt: { cartId: string; token: string; key: string; version: number }) =>
    call(`${base}/api/v1/carts/${encodeURIComponent(attempt.cartId)}/orders`, {
      method: 'POST',
      token: attempt.token,
      headers: { 'idempotency-key': attempt.key },
      body: JSON.stringify({ expectedVersion: attempt.version, details: checked.data, payment }),
    });
  const forgetKey = (key: string) =>
    db.transaction('rw', db.cartSync, async () => {
      if ((await db.cartSync.get('cart'))?.checkoutKey === key)
        await db.cartSync.update('cart', { checkoutKey: undefined, checkoutVersion: undefined });
    });

  let answer: { status: number; body: unknown } | undefined;
  let key: string | undefined;
  // An earlier attempt whose answer was lost is sent again exactly as it was: the server answers with the order
  // it placed then, or refuses it when it placed nothing and the cart has changed since.
  const earlier = await db.cartSync.get('cart');
  if (earlier?.cartId && earlier.token && earlier.checkoutKey && earlier.checkoutVersion !== undefined) {
    const attempt = {
      cartId: earlier.cartId,
      token: earlier.token,
      key: earlier.checkoutKey,
      version: earlier.checkoutVersion,
    };
    try {
      answer = await post(attempt);
      key = attempt.key;
    } catch (err) {
      if (!(err instanceof OrderError) || !PLACED_NOTHING.has(err.code)) throw err;
      await forgetKey(attempt.key);
    }
  }

  if (!answer) {
    // Take the key in one transaction with the check, so two tabs placing at once share one key.
    const attempt = await db.transaction('rw', db.cartSync, db.cartLines, async () => {
      const state = await db.cartSync.get('cart');
      if (!state?.cartId || !state.token) return undefined;
      // With the outbox empty the device's lines are the server's as of `serverVersion`: the reviewed lines
      // with this device's own changes applied, unless another device changed the cart.
      const now = (await db.cartLines.toArray()).map(reviewedLine);
      if (!sameLines(now, reviewed.lines)) return 'changed' as const;
      const key = state.checkoutKey ?? crypto.randomUUID();
      const version = state.checkoutVersion ?? state.serverVersion;
      await db.cartSync.update('cart', { checkoutKey: key, checkoutVersion: version });
      return { cartId: state.cartId, token: state.token, version, key };
    });
    if (!attempt) throw new OrderError('NO_CART', messageFor('NO_CART', ''));
    if (attempt === 'changed') {
      throw new OrderError('CART_CHANGED_ELSEWHERE', messageFor('CART_CHANGED_ELSEWHERE', ''));
    }
    try {
      answer = await post(attempt);
      key = attempt.key;
    } catch (err) {
      // A refusal placed nothing: the next attempt gets a fresh key. Without an answer the key stays.
      if (err instanceof OrderError && PLACED_NOTHING.has(err.code)) await forgetKey(attempt.key);
      // The server's cart differs from the device's: fetch it so the shopper reviews what it holds now.
      if (
        err instanceof OrderError &&
        ['CART_CHANGED', 'CART_HAS_WARNINGS', 'OUT_OF_STOCK', 'CART_EMPTY'].includes(err.code)
      ) {
        await pullQuietly(sync);
      }
      throw err;
    }
  }
  const order = orderOf(answer.body);
  const status = answer.status;

  await db.transaction('rw', [db.orders, db.cartSync, db.cartLines], async () => {
    await db.orders.put(order);
    const state = await db.cartSync.get('cart');
    if (state?.checkoutKey === key) {
      await db.cartSync.update('cart', { checkoutKey: undefined, checkoutVersion: undefined });
    }
    // A new order (201) took exactly its skus out of the server cart; anything else in the cart (a line added
    // in another tab meanwhile) stays. A replayed key (200) may come after later changes: the pull sorts it out.
    if (status === 201) await db.cartLines.bulkDelete(order.lines.map((l) => l.sku));
  });
  await pullQuietly(sync);
  return order;
}

/** Pulls the cart, ignoring failures (the cart sync retries on its own and records its errors). */
async function pullQuietly(sync: Pick<CartSync, 'pull'>): Promise<void> {
  try {
    await sync.pull();
  } catch {
    // The order is stored either way; the cart catches up on the next pull.
  }
}

/** Every cart secret the device holds: the current cart first, then the ones it held before. */
async function knownCarts(db: VitrineDB): Promise<{ cartId: string; token: string }[]> {
  const [state, rows] = await Promise.all([db.cartSync.get('cart'), db.carts.toArray()]);
  const carts: { cartId: string; token: string }[] = [];
  if (state?.cartId && state.token) carts.push({ cartId: state.cartId, token: state.token });
  for (const row of rows) if (row.cartId !== state?.cartId) carts.push(row);
  return carts;
}

/**
 * Fetches every order placed from the carts this device holds or held (the current one and those it left by
 * joining another) into `db.orders`, newest first. An old cart the server no longer opens is skipped; its
 * orders stay as stored.
 * @throws OrderError when the server cannot be reached or refuses the current cart.
 */
export async function refreshOrders(options: OrderOptions = {}): Promise<Order[]> {
  const db = options.db ?? appDb;
  const carts = await knownCarts(db);
  const current = (await db.cartSync.get('cart'))?.cartId;
  const orders: Order[] = [];
  for (const cart of carts) {
    let body: unknown;
    try {
      ({ body } = await call(
        `${options.baseUrl ?? ''}/api/v1/carts/${encodeURIComponent(cart.cartId)}/orders`,
        { method: 'GET', token: cart.token },
      ));
    } catch (err) {
      if (cart.cartId === current || (err instanceof OrderError && err.code === 'NETWORK')) throw err;
      continue;
    }
    const parsed = OrderList.safeParse(body);
    if (!parsed.success) throw new OrderError('BAD_RESPONSE', 'The server sent orders this app cannot read.');
    await db.orders.bulkPut(parsed.data.orders);
    orders.push(...parsed.data.orders);
  }
  return orders.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}

/** The secret of the order's cart, when this device holds or held that cart. */
async function tokenFor(db: VitrineDB, orderId: string): Promise<string> {
  const order = await db.orders.get(orderId);
  const cart = order ? (await knownCarts(db)).find((c) => c.cartId === order.cartId) : undefined;
  if (!cart) throw new OrderError('ORDER_NOT_OURS', messageFor('ORDER_NOT_OURS', ''));
  return cart.token;
}

/**
 * Fetches one order (status and returns as the server has them now) into `db.orders`.
 * @throws OrderError (`ORDER_NOT_OURS` when the device has no secret of the order's cart).
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
 * The idempotency key of a return request: the stored one when the same request is being sent again (its answer
 * was lost), else a new one, stored before sending.
 */
async function returnKeyFor(db: VitrineDB, orderId: string, request: ReturnRequestBody): Promise<string> {
  const json = JSON.stringify(request);
  return db.transaction('rw', db.returnAttempts, async () => {
    const stored = await db.returnAttempts.get(orderId);
    if (stored?.request === json) return stored.key;
    const key = crypto.randomUUID();
    await db.returnAttempts.put({ orderId, key, request: json });
    return key;
  });
}

/**
 * Asks to return or exchange units of one line of an order, under an idempotency key kept in
 * `db.returnAttempts` until the server answers (a retry after a lost answer reuses it and files nothing new);
 * stores the order the server answers (with the new request in its `returns`) and returns it.
 * @throws OrderError with the policy's refusal (RETURN_WINDOW_CLOSED, RETURNS_NOT_ACCEPTED,
 *   RETURN_QTY_EXCEEDED, EXCHANGE_SKU_INVALID), `BAD_REQUEST` with `fields` for a request that does not pass
 *   `ReturnRequest`, `NETWORK` (with a message about the return) or `ORDER_NOT_OURS`.
 */
export async function requestReturn(
  orderId: string,
  request: ReturnRequestBody,
  options: OrderOptions = {},
): Promise<Order> {
  const db = options.db ?? appDb;
  const checked = ReturnRequest.safeParse(request);
  if (!checked.success) {
    throw new OrderError(
      'BAD_REQUEST',
      messageFor('BAD_REQUEST', ''),
      0,
      fieldMessages(checked.error.issues),
    );
  }
  const token = await tokenFor(db, orderId);
  const key = await returnKeyFor(db, orderId, checked.data);
  let body: unknown;
  try {
    ({ body } = await call(`${options.baseUrl ?? ''}/api/v1/orders/${encodeURIComponent(orderId)}/returns`, {
      method: 'POST',
      token,
      headers: { 'idempotency-key': key },
      body: JSON.stringify(checked.data),
      networkCode: 'RETURN_NETWORK',
    }));
  } catch (err) {
    // A refusal filed nothing: the next request gets a new key. Without an answer the key stays for the retry.
    if (err instanceof OrderError && err.status >= 400 && err.status < 500)
      await forgetReturnKey(db, orderId, key);
    throw err;
  }
  const order = orderOf(body);
  await db.transaction('rw', db.orders, db.returnAttempts, async () => {
    await db.orders.put(order);
    await forgetReturnKey(db, orderId, key);
  });
  return order;
}

/** Removes the stored return key of an order when it is still `key`. */
async function forgetReturnKey(db: VitrineDB, orderId: string, key: string): Promise<void> {
  await db.transaction('rw', db.returnAttempts, async () => {
    if ((await db.returnAttempts.get(orderId))?.key === key) await db.returnAttempts.delete(orderId);
  });
}
