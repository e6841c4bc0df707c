/**
 * Wire protocol of carts, orders and returns: what devices push to the server and what it answers.
 *
 * A cart lives on the server under an unguessable id and is opened with a secret token (sent as
 * `Authorization: Bearer <token>`). Devices change it only through ops: each op sets one line to an absolute
 * quantity (0 removes it), carries the price the shopper saw, and is numbered per client (`seq` 1, 2, 3…).
 * The server applies each op at most once (a `seq` it has seen is acknowledged again, a gap is refused),
 * reprices every line from the current catalog, checks stock, and answers with the whole cart and the
 * warnings the shopper must see. The README's "Cart sync" section tells the whole exchange.
 */
import { z } from 'zod/mini';
import { Country, Money, ReturnPolicy, Slug } from './catalog';

/** A cart id: 128 random bits, base64url (22 characters). */
export const CartId = z
  .string()
  .check(z.regex(/^[A-Za-z0-9_-]{22}$/, 'a cart id of 22 base64url characters'));

/** A cart's secret: 256 random bits, base64url (43 characters). Stored by the server only as a hash. */
export const CartToken = z
  .string()
  .check(z.regex(/^[A-Za-z0-9_-]{43}$/, 'a cart token of 43 base64url characters'));

/** A device's id for ops: generated once per browser profile, 16–64 base64url characters. */
export const ClientId = z
  .string()
  .check(z.regex(/^[A-Za-z0-9_-]{16,64}$/, 'a client id of 16 to 64 base64url characters'));

/** A variant sku as the catalog spells it. */
export const Sku = z.string().check(z.minLength(1), z.maxLength(64));

/** Most units of one variant a cart line may hold (core/cart-math's MAX_LINE_QTY). */
export const MAX_OP_QTY = 99;

/** Most ops in one push. */
export const MAX_OPS_PER_PUSH = 500;

/**
 * One cart change: set line `sku` to `qty` units (0 removes the line). `observedPrice` is the unit price the
 * shopper saw when making the change; the server warns when the catalog price differs.
 */
export const CartOp = z.object({
  /** Random id of the op (a UUID); the same `(clientId, seq)` must always carry the same `opId`. */
  opId: z.string().check(z.regex(/^[0-9a-f-]{36}$/, 'a UUID')),
  /** Position of the op among this client's ops, from 1, no gaps. */
  seq: z.int().check(z.positive(), z.maximum(Number.MAX_SAFE_INTEGER)),
  sku: Sku,
  qty: z.int().check(z.minimum(0, 'at least 0'), z.maximum(MAX_OP_QTY, `at most ${MAX_OP_QTY}`)),
  observedPrice: Money,
  /**
   * The server cart version the device had seen when it made the op. An op that sets a quantity (qty > 0)
   * made before the device saw an order empty the cart is acknowledged but not applied (warning
   * `STALE_CHANGE`), so an ordered item does not come back unnoticed. Without it the op is applied as usual.
   */
  baseVersion: z.optional(z.int().check(z.nonnegative())),
});
export type CartOp = z.infer<typeof CartOp>;

/** `POST /api/v1/carts/:cartId/ops`: a client's pending ops, in `seq` order. */
export const PushRequest = z.object({
  clientId: ClientId,
  ops: z.array(CartOp).check(z.maxLength(MAX_OPS_PER_PUSH)),
});
export type PushRequest = z.infer<typeof PushRequest>;

/** A line of the server's cart, priced from the current catalog. */
export const ServerCartLine = z.object({
  sku: Sku,
  productId: Slug,
  /** Units the cart holds now: what the shopper asked for, limited by stock (0 when out of stock). */
  qty: z.int().check(z.nonnegative()),
  /** Units the shopper last asked for (more than `qty` when stock ran short). */
  requestedQty: z.int().check(z.positive()),
  /** Current catalog price of one unit. */
  unitPrice: Money,
  /** The price the shopper last saw for this line (differs from `unitPrice` after a price change). */
  priceSeen: Money,
  /** When the line was first added (ISO date-time): lines are listed in this order. */
  addedAt: z.string(),
});
export type ServerCartLine = z.infer<typeof ServerCartLine>;

/**
 * Why the cart differs from what the shopper last saw. Each warning holds as long as its cause does:
 * `PRICE_CHANGED` until the shopper sends an op with the new price, `QTY_CLAMPED` and `OUT_OF_STOCK` until
 * stock returns or the shopper lowers the quantity.
 */
export const CartWarning = z.discriminatedUnion('code', [
  z.object({ code: z.literal('PRICE_CHANGED'), sku: Sku, old: Money, new: Money }),
  z.object({ code: z.literal('OUT_OF_STOCK'), sku: Sku }),
  /** The sku left the catalog: the line stays (qty 0) until the shopper removes it. */
  z.object({ code: z.literal('UNAVAILABLE'), sku: Sku }),
  /**
   * In one push's answer only: an op setting this sku was made before the device saw an order empty the cart,
   * so it was acknowledged but not applied.
   */
  z.object({ code: z.literal('STALE_CHANGE'), sku: Sku }),
  z.object({
    code: z.literal('QTY_CLAMPED'),
    sku: Sku,
    requested: z.int().check(z.positive()),
    available: z.int().check(z.positive()),
  }),
]);
export type CartWarning = z.infer<typeof CartWarning>;

/** The server's cart: every line and a version that grows with each applied op. */
export const ServerCart = z.object({
  id: CartId,
  /** Grows by one for each applied op (and at checkout); 0 for a new cart. */
  version: z.int().check(z.nonnegative()),
  lines: z.array(ServerCartLine),
  warnings: z.array(CartWarning),
});
export type ServerCart = z.infer<typeof ServerCart>;

/**
 * Answer to a push and to `GET /api/v1/carts/:cartId`: the whole cart, and for a push the highest `seq` of
 * the client's the server has applied (every op up to it may leave the outbox).
 */
export const CartResponse = z.object({
  cart: ServerCart,
  /** Highest applied `seq` of the pushing client; 0 when none (absent on GET). */
  ackedSeq: z.optional(z.int().check(z.nonnegative())),
});
export type CartResponse = z.infer<typeof CartResponse>;

/** `POST /api/v1/carts` (no body) answers 201 with the new cart's id and its secret token. */
export const NewCart = z.object({ cartId: CartId, token: CartToken });
export type NewCart = z.infer<typeof NewCart>;

/**
 * Error codes of the cart routes (HTTP status in brackets): the body is the usual `{ error: { code, message } }`
 * plus `details` where a client needs them to recover.
 * - `CART_NOT_FOUND` (404), `CART_FORBIDDEN` (403, missing or wrong token)
 * - `SEQ_GAP` (409, details `{ expectedSeq }`): the first new op is not the next `seq`; nothing applied
 * - `OP_CONFLICT` (409, details `{ seq }`): a seen `seq` arrived with another `opId`; nothing applied
 * - `UNKNOWN_SKU` (422, details `{ seq, sku }`): a new op sets a quantity (qty > 0) of a sku not in the catalog;
 *   nothing applied (an op removing such a line, qty 0, is applied)
 * - `BAD_REQUEST` (400): the body does not match `PushRequest`
 */
export const CartErrorDetails = z.object({
  expectedSeq: z.optional(z.int()),
  seq: z.optional(z.int()),
  sku: z.optional(z.string()),
});
export type CartErrorDetails = z.infer<typeof CartErrorDetails>;

/** An error body that may carry `details`. */
export const CartApiError = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.optional(CartErrorDetails) }),
});
export type CartApiError = z.infer<typeof CartApiError>;

// ---------------------------------------------------------------------------------------------------------------
// Checkout and orders

/** Trimmed text of bounded length; `what` names the field in the message. */
const Text = (what: string, max: number) =>
  z
    .string()
    .check(
      z.trim(),
      z.minLength(1, `Enter ${what}.`),
      z.maxLength(max, `${what.charAt(0).toUpperCase()}${what.slice(1)} is at most ${max} characters.`),
    );

/** Contact and shipping address of an order, with field-level messages meant for the shopper. */
export const CheckoutDetails = z.object({
  name: Text('your full name', 120),
  email: z
    .string()
    .check(
      z.trim(),
      z.maxLength(254, 'An email address is at most 254 characters.'),
      z.regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'Enter an email address like name@example.com.'),
    ),
  phone: z.optional(
    z
      .string()
      .check(
        z.trim(),
        z.regex(/^$|^\+?[0-9 ()-]{6,20}$/, 'Enter a phone number of digits, like +351 21 123 4567.'),
      ),
  ),
  address: z.object({
    line1: Text('the street and number', 200),
    line2: z.optional(z.string().check(z.trim(), z.maxLength(200, 'At most 200 characters.'))),
    city: Text('the town or city', 100),
    postalCode: z
      .string()
      .check(
        z.trim(),
        z.regex(/^[A-Za-z0-9][A-Za-z0-9 -]{1,10}$/, 'Enter the postal code, letters, digits and dashes.'),
      ),
    country: Country,
  }),
});
export type CheckoutDetails = z.infer<typeof CheckoutDetails>;

/** Payment methods the server accepts; only paying the courier on delivery for now. */
export const PaymentMethod = z.enum(['pay-on-delivery']);
export type PaymentMethod = z.infer<typeof PaymentMethod>;

/**
 * `POST /api/v1/carts/:cartId/orders` with the cart token and `Idempotency-Key: <uuid>` header: places an
 * order for the cart as the server holds it. `expectedVersion` is the cart version the shopper reviewed: a
 * cart changed since then is refused (409 `CART_CHANGED`) so nobody pays for what they did not see.
 * Answers 201 with the `Order` (200 with the same order when the key was already used).
 * Errors: `CART_EMPTY` (409), `CART_CHANGED` (409), `CART_HAS_WARNINGS` (409: prices changed or stock short,
 * not yet acknowledged), `OUT_OF_STOCK` (409), `IDEMPOTENCY_KEY_REUSED` (422: the key was used for another
 * cart or another request), `BAD_REQUEST` (400, details `{ fields: { "address.city": "Enter the town or city." } }`).
 */
export const PlaceOrderRequest = z.object({
  expectedVersion: z.int().check(z.nonnegative()),
  details: CheckoutDetails,
  payment: PaymentMethod,
});
export type PlaceOrderRequest = z.infer<typeof PlaceOrderRequest>;

/** One line of a placed order, priced as it was bought. */
export const OrderLine = z.object({
  sku: Sku,
  productId: Slug,
  brandId: Slug,
  /** Product and variant names as they were when ordered. */
  productName: z.string(),
  variantName: z.string(),
  qty: z.int().check(z.positive()),
  unitPrice: Money,
  lineTotal: Money,
  /** The brand's return policy when the order was placed: returns of this line follow it. */
  returnPolicy: ReturnPolicy,
});
export type OrderLine = z.infer<typeof OrderLine>;

/** Lifecycle of a return request. */
export const ReturnStatus = z.enum(['requested', 'approved', 'received', 'refunded', 'rejected']);
export type ReturnStatus = z.infer<typeof ReturnStatus>;

/** Why a shopper sends something back. */
export const ReturnReason = z.enum([
  'changed-mind',
  'damaged',
  'not-as-described',
  'wrong-item',
  'does-not-fit',
  'other',
]);
export type ReturnReason = z.infer<typeof ReturnReason>;

/** A return or exchange of some units of one order line, under the brand's policy at the time of the order. */
export const ReturnRequestRecord = z.object({
  id: z.string(),
  sku: Sku,
  qty: z.int().check(z.positive()),
  kind: z.enum(['return', 'exchange']),
  reason: ReturnReason,
  /** The shopper's own words (optional). */
  comment: z.optional(z.string().check(z.maxLength(1000))),
  /** For an exchange: the sku wanted instead (a variant of the same product). */
  exchangeSku: z.optional(Sku),
  status: ReturnStatus,
  /** What the shopper pays to send it back (0 when free). */
  fee: Money,
  /** How the brand refunds: the policy's `refundType`. */
  refundType: z.enum(['FullRefund', 'ExchangeRefund', 'StoreCreditRefund']),
  /** ISO date-time of the request. */
  createdAt: z.string(),
});
export type ReturnRequestRecord = z.infer<typeof ReturnRequestRecord>;

/** A placed order as the shopper sees it. */
export const Order = z.object({
  id: z.string(),
  cartId: CartId,
  /** ISO date-time of placement. */
  createdAt: z.string(),
  status: z.enum(['placed', 'shipped', 'delivered', 'cancelled']),
  /** ISO date-time of delivery, once delivered: return windows count from it (from placement until then). */
  deliveredAt: z.optional(z.string()),
  details: CheckoutDetails,
  payment: PaymentMethod,
  lines: z.array(OrderLine).check(z.minLength(1)),
  /** One total per currency. */
  totals: z.array(Money),
  returns: z.array(ReturnRequestRecord),
  /**
   * Per line, the last day a return may be requested (ISO date), `null` for an unlimited window, absent when
   * the brand takes no returns.
   */
  returnUntil: z.record(z.string(), z.nullable(z.string())),
});
export type Order = z.infer<typeof Order>;

/** `GET /api/v1/carts/:cartId/orders` (cart token): every order placed from the cart, newest first. */
export const OrderList = z.object({ orders: z.array(Order) });
export type OrderList = z.infer<typeof OrderList>;

/**
 * `POST /api/v1/orders/:orderId/returns` (token of the order's cart): asks to return or exchange `qty` units
 * of one line. Refused with 409 `RETURN_WINDOW_CLOSED`, `RETURNS_NOT_ACCEPTED` (brand takes no returns),
 * `RETURN_QTY_EXCEEDED` (more units than bought minus those already being returned), 422 `EXCHANGE_SKU_INVALID`.
 * Needs `Idempotency-Key: <uuid>` like an order: the same key again answers 200 with the order and files
 * nothing new; the key with a different request answers 422 `IDEMPOTENCY_KEY_REUSED`.
 * A `cancelled` order takes no returns: 409 `ORDER_CANCELLED`.
 * Answers 201 with the whole `Order`.
 */
export const ReturnRequest = z.object({
  sku: Sku,
  qty: z.int().check(z.positive(), z.maximum(MAX_OP_QTY)),
  kind: z.enum(['return', 'exchange']),
  reason: ReturnReason,
  comment: z.optional(z.string().check(z.trim(), z.maxLength(1000, 'At most 1000 characters.'))),
  exchangeSku: z.optional(Sku),
});
export type ReturnRequest = z.infer<typeof ReturnRequest>;
