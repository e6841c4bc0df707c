/**
 * The query layer of orders: placing an order from a cart (once per idempotency key, in one transaction that
 * reprices the cart, reserves stock, stores the order and empties the cart), and reading orders back with
 * their return requests. Portable Kysely only, so SQLite and PostgreSQL share it.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Money, ReturnPolicy } from '../../protocol/catalog';
import type { Order, OrderLine, PlaceOrderRequest, ReturnRequestRecord } from '../../protocol/cart';
import { returnDeadline } from '../../core/return-window';
import { emptyCartForOrder, findVariants, lockCart, priceCart } from '../carts/cart-store';
import { HttpError } from '../http-errors';
import { requestHash } from '../idempotency';
import type { Database, Executor } from '../storage/schema';
import { byCodeUnit, timeAfter } from '../storage/sort-order';

/** Bytes of an order or return id (22 base64url characters): unguessable, so a link to one leaks nothing. */
const ID_BYTES = 16;

/** A new random order or return request id: 128 bits, base64url. */
export function newOrderId(): string {
  return randomBytes(ID_BYTES).toString('base64url');
}

/**
 * What the `orders.document` column holds: the protocol `Order` without what is kept elsewhere (`returns` are
 * rows of `return_requests`; `createdAt` and `status` are columns; `returnUntil` is derived on read). Each line
 * carries its brand's return policy at placement, which its returns are judged by.
 */
export type StoredOrder = Omit<Order, 'returns' | 'returnUntil' | 'createdAt' | 'status'>;

/**
 * An order document as stored before lines carried their return policy: the policies were kept per brand.
 * Read for orders placed then.
 */
interface LegacyStoredOrder extends Omit<StoredOrder, 'lines'> {
  lines: (Omit<OrderLine, 'returnPolicy'> & { returnPolicy?: ReturnPolicy })[];
  /** Brand id → that brand's return policy when the order was placed. */
  policies?: Record<string, ReturnPolicy>;
}

/**
 * The stored document of an order row, each line with the return policy its returns are judged by (taken
 * from the per-brand policies of an order stored before lines carried their own).
 */
export function storedOrderOf(row: { document: string }): StoredOrder {
  const { policies, lines, ...fields } = JSON.parse(row.document) as LegacyStoredOrder;
  return {
    ...fields,
    lines: lines.map((line) => {
      const returnPolicy = line.returnPolicy ?? policies?.[line.brandId];
      if (returnPolicy === undefined) {
        throw new Error(`Order ${fields.id} has no return policy for brand ${line.brandId}`);
      }
      return { ...line, returnPolicy };
    }),
  };
}

/** The columns of an `OrderRow`. */
const ORDER_COLUMNS = ['id', 'cart_id', 'status', 'created_at', 'document', 'request_hash'] as const;

/** An order row as read from the database. */
interface OrderRow {
  id: string;
  cart_id: string;
  status: string;
  created_at: string;
  document: string;
  request_hash: string | null;
}

/** Per line sku, the last day of its return window (see `Order.returnUntil`). */
export function returnUntilOf(stored: StoredOrder, createdAt: string): Order['returnUntil'] {
  const from = stored.deliveredAt ?? createdAt;
  const until: Order['returnUntil'] = {};
  for (const line of stored.lines) {
    const deadline = returnDeadline(line.returnPolicy, from);
    if (deadline !== undefined) until[line.sku] = deadline;
  }
  return until;
}

/** The protocol order of a row and its return requests. */
function toOrder(row: OrderRow, returns: ReturnRequestRecord[]): Order {
  const stored = storedOrderOf(row);
  return {
    ...stored,
    createdAt: row.created_at,
    status: row.status as Order['status'],
    returns,
    returnUntil: returnUntilOf(stored, row.created_at),
  };
}

/** Return requests of the given orders, oldest first, by order id. */
async function returnsOf(db: Executor, orderIds: string[]): Promise<Map<string, ReturnRequestRecord[]>> {
  const byOrder = new Map<string, ReturnRequestRecord[]>(orderIds.map((id) => [id, []]));
  if (orderIds.length === 0) return byOrder;
  const rows = await db
    .selectFrom('return_requests')
    .select(['order_id', 'status', 'document'])
    .where('order_id', 'in', orderIds)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  for (const row of rows) {
    const record = JSON.parse(row.document) as ReturnRequestRecord;
    byOrder.get(row.order_id)?.push({ ...record, status: row.status as ReturnRequestRecord['status'] });
  }
  return byOrder;
}

/** One order with its returns, or undefined when there is no order with that id. */
export async function getOrder(db: Executor, orderId: string): Promise<Order | undefined> {
  const row = await db
    .selectFrom('orders')
    .select(ORDER_COLUMNS)
    .where('id', '=', orderId)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return toOrder(row, (await returnsOf(db, [row.id])).get(row.id) ?? []);
}

/** Every order placed from a cart, newest first, each with its returns. */
export async function listOrders(db: Executor, cartId: string): Promise<Order[]> {
  const rows = await db
    .selectFrom('orders')
    .select(ORDER_COLUMNS)
    .where('cart_id', '=', cartId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  const returns = await returnsOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => toOrder(row, returns.get(row.id) ?? []));
}

/** What `placeOrder` answers: the order, and whether it had been placed before under the same key. */
export interface PlacedOrder {
  order: Order;
  /** True when the idempotency key had already placed this order (the route answers 200, not 201). */
  replayed: boolean;
}

/** The order an idempotency key placed, if any. */
async function findByKey(db: Executor, key: string): Promise<OrderRow | undefined> {
  return db.selectFrom('orders').select(ORDER_COLUMNS).where('idempotency_key', '=', key).executeTakeFirst();
}

/**
 * The earlier order of a reused key: the same order again for the same request (`hash`), 422 for another cart
 * or another request. An order stored before request hashes were kept replays for its own cart.
 */
async function replay(db: Executor, row: OrderRow, cartId: string, hash: string): Promise<PlacedOrder> {
  if (row.cart_id !== cartId) {
    throw new HttpError(
      422,
      'IDEMPOTENCY_KEY_REUSED',
      'This Idempotency-Key already placed an order for another cart; use a new key for each checkout.',
    );
  }
  if (row.request_hash !== null && row.request_hash !== hash) {
    throw new HttpError(
      422,
      'IDEMPOTENCY_KEY_REUSED',
      'This Idempotency-Key was already used for a different order request; use a new key for each checkout.',
    );
  }
  return { order: toOrder(row, (await returnsOf(db, [row.id])).get(row.id) ?? []), replayed: true };
}

/** What an order request is remembered by: the hash of its cart id and the parsed request. */
export const placeOrderHash = (cartId: string, request: PlaceOrderRequest): string =>
  requestHash({ cartId, request });

/** One unit count to hold back from sale. */
export interface StockClaim {
  sku: string;
  qty: number;
  /** The variant's catalog stock, read in the same transaction. */
  stock: number;
}

/**
 * Adds each claim to `stock_reservations` and re-reads the total: when it is more than the catalog stock
 * (another order took units since the cart was priced), throws 409 `OUT_OF_STOCK` with `details.sku`, and
 * the caller's transaction rolls every claim back. On PostgreSQL the upsert takes the reservation row's lock,
 * so concurrent orders for the same sku check one after the other.
 */
export async function reserveStock(trx: Transaction<Database>, claims: StockClaim[]): Promise<void> {
  // In sku order, so two orders sharing skus lock their reservation rows in the same order (no deadlock).
  const sorted = [...claims].sort((a, b) => byCodeUnit(a.sku, b.sku));
  for (const claim of sorted) {
    await trx
      .insertInto('stock_reservations')
      .values({ sku: claim.sku, reserved: claim.qty })
      .onConflict((oc) =>
        oc.column('sku').doUpdateSet((eb) => ({
          reserved: eb('stock_reservations.reserved', '+', claim.qty),
        })),
      )
      .execute();
    const row = await trx
      .selectFrom('stock_reservations')
      .select('reserved')
      .where('sku', '=', claim.sku)
      .executeTakeFirstOrThrow();
    if (Number(row.reserved) > claim.stock) {
      throw new HttpError(
        409,
        'OUT_OF_STOCK',
        `Another order took the last units of ${claim.sku}: review the cart and try again.`,
        { sku: claim.sku },
      );
    }
  }
}

/** Return policies of the given brands as the catalog holds them now. */
async function policiesOf(
  trx: Transaction<Database>,
  brandIds: string[],
): Promise<Record<string, ReturnPolicy>> {
  const policies: Record<string, ReturnPolicy> = {};
  if (brandIds.length === 0) return policies;
  const rows = await trx
    .selectFrom('brands')
    .select(['id', 'document'])
    .where('id', 'in', brandIds)
    .execute();
  for (const row of rows) {
    policies[row.id] = (JSON.parse(row.document) as { returnPolicy: ReturnPolicy }).returnPolicy;
  }
  return policies;
}

/** One total per currency, in the order the currencies first appear. */
export function totalsOf(lines: readonly { lineTotal: Money }[]): Money[] {
  const totals = new Map<string, number>();
  for (const { lineTotal } of lines) {
    totals.set(lineTotal.currency, (totals.get(lineTotal.currency) ?? 0) + lineTotal.amount);
  }
  return [...totals].map(([currency, amount]) => ({ amount, currency }));
}

/**
 * A placement time after every earlier order of the cart, so "newest first" is a strict order even for two
 * orders within one millisecond.
 */
async function placementTime(trx: Transaction<Database>, cartId: string, now: Date): Promise<string> {
  const last = await trx
    .selectFrom('orders')
    .select((eb) => eb.fn.max('created_at').as('created_at'))
    .where('cart_id', '=', cartId)
    .executeTakeFirst();
  return timeAfter(last?.created_at, now);
}

/**
 * Places an order for the cart as the server holds it, once per `idempotencyKey` (the route has checked the
 * token and validated `request`). In one transaction: locks the cart row, answers the key's earlier order if
 * there is one (422 `IDEMPOTENCY_KEY_REUSED` when it was used for another cart or another request), reprices
 * the cart and refuses with 409 `CART_EMPTY`, `CART_CHANGED` (version ≠ `expectedVersion`) or
 * `CART_HAS_WARNINGS` (any warning, an unavailable line too), reserves stock (409 `OUT_OF_STOCK`), stores the
 * order with the hash of the request and each line's return policy, deletes the cart lines, bumps the cart
 * version and records it as the version the cart was emptied at. Any refusal changes nothing.
 */
export async function placeOrder(
  db: Kysely<Database>,
  cartId: string,
  idempotencyKey: string,
  request: PlaceOrderRequest,
  now: Date = new Date(),
): Promise<PlacedOrder> {
  const hash = placeOrderHash(cartId, request);
  try {
    return await db.transaction().execute(async (trx) => {
      // Takes the cart row's lock on PostgreSQL: placements and pushes on one cart run one after the other.
      await lockCart(trx, cartId);

      const earlier = await findByKey(trx, idempotencyKey);
      if (earlier !== undefined) return replay(trx, earlier, cartId, hash);

      const cart = await priceCart(trx, cartId);
      if (cart.lines.length === 0) throw new HttpError(409, 'CART_EMPTY', 'The cart is empty.');
      if (cart.version !== request.expectedVersion) {
        throw new HttpError(
          409,
          'CART_CHANGED',
          `The cart changed since you reviewed it (version ${request.expectedVersion}, now ${cart.version}): review it again.`,
        );
      }
      if (cart.warnings.length > 0) {
        throw new HttpError(
          409,
          'CART_HAS_WARNINGS',
          'Prices or stock changed since you added these items: review the cart before ordering.',
        );
      }

      const catalog = await findVariants(
        trx,
        cart.lines.map((l) => l.sku),
      );
      const policies = await policiesOf(trx, [
        ...new Set([...catalog.values()].map((v) => v.product.brandId)),
      ]);
      const lines: OrderLine[] = [];
      const claims: StockClaim[] = [];
      for (const line of cart.lines) {
        const item = catalog.get(line.sku);
        if (item === undefined) throw new Error(`Priced cart line ${line.sku} is not in the catalog`);
        const { product, variant } = item;
        const returnPolicy = policies[product.brandId];
        if (returnPolicy === undefined) throw new Error(`Brand ${product.brandId} is not in the catalog`);
        lines.push({
          sku: line.sku,
          productId: product.id,
          brandId: product.brandId,
          productName: product.name,
          variantName: variant.name,
          qty: line.qty,
          unitPrice: { amount: line.unitPrice.amount, currency: line.unitPrice.currency },
          lineTotal: { amount: line.unitPrice.amount * line.qty, currency: line.unitPrice.currency },
          returnPolicy,
        });
        claims.push({ sku: line.sku, qty: line.qty, stock: variant.stock });
      }
      await reserveStock(trx, claims);

      const createdAt = await placementTime(trx, cartId, now);
      const stored: StoredOrder = {
        id: newOrderId(),
        cartId,
        details: request.details,
        payment: request.payment,
        lines,
        totals: totalsOf(lines),
      };
      const row: OrderRow = {
        id: stored.id,
        cart_id: cartId,
        status: 'placed',
        created_at: createdAt,
        document: JSON.stringify(stored),
        request_hash: hash,
      };
      await trx
        .insertInto('orders')
        .values({ ...row, idempotency_key: idempotencyKey })
        .execute();
      await emptyCartForOrder(trx, cartId);
      return { order: toOrder(row, []), replayed: false };
    });
  } catch (error) {
    if (error instanceof HttpError) throw error;
    // A concurrent placement with the same key (on another cart) won the unique index: answer as if it had
    // come first. Anything else is a real failure.
    const winner = await findByKey(db, idempotencyKey);
    if (winner !== undefined) return replay(db, winner, cartId, hash);
    throw error;
  }
}
