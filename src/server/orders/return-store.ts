/**
 * Return and exchange requests: checks a request against the return policy its order was placed under
 * (window, quantity, exchange variant) and stores it once per Idempotency-Key, in one transaction that holds
 * the order's row lock so two requests for the same line cannot both take the last returnable units.
 */
import type { Kysely } from 'kysely';
import type { Order, ReturnRequest, ReturnRequestRecord } from '../../protocol/cart';
import { returnDeadline, returnFee, returnRefusal } from '../../core/return-window';
import type { ReturnRefusal } from '../../core/return-window';
import { findVariants } from '../carts/cart-store';
import { HttpError } from '../http-errors';
import { requestHash } from '../idempotency';
import type { Database, Executor } from '../storage/schema';
import { timeAfter } from '../storage/sort-order';
import { getOrder, newOrderId, storedOrderOf } from './order-store';

/** 404 ORDER_NOT_FOUND. */
export const orderNotFound = (): HttpError => new HttpError(404, 'ORDER_NOT_FOUND', 'No such order');

/** What the shopper reads for each refusal of the policy. */
const REFUSALS: Record<ReturnRefusal, string> = {
  RETURNS_NOT_ACCEPTED: 'The brand does not accept returns of this item.',
  RETURN_WINDOW_CLOSED: 'The return window of this item has closed.',
  RETURN_QTY_EXCEEDED: 'That is more units than were bought and not yet asked back.',
};

/** What `requestReturn` answers: the order, and whether the key had already filed this request. */
export interface FiledReturn {
  order: Order;
  /** True when the idempotency key had already filed this request (the route answers 200, not 201). */
  replayed: boolean;
}

/** What a return request is remembered by: the hash of its order id and the parsed request. */
export const returnRequestHash = (orderId: string, request: ReturnRequest): string =>
  requestHash({ orderId, request });

/**
 * The answer for a key that already filed a request: the order again when it was this request (`hash`) on
 * this order, 422 IDEMPOTENCY_KEY_REUSED otherwise. Undefined when the key filed nothing yet.
 */
async function replayOf(
  db: Executor,
  key: string,
  orderId: string,
  hash: string,
): Promise<FiledReturn | undefined> {
  const earlier = await db
    .selectFrom('return_requests')
    .select(['order_id', 'request_hash'])
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
  if (earlier === undefined) return undefined;
  if (earlier.order_id !== orderId || earlier.request_hash !== hash) {
    throw new HttpError(
      422,
      'IDEMPOTENCY_KEY_REUSED',
      'This Idempotency-Key was already used for a different return request; use a new key for each request.',
    );
  }
  const order = await getOrder(db, orderId);
  if (order === undefined) throw orderNotFound();
  return { order, replayed: true };
}

/**
 * Asks to return or exchange `request.qty` units of one line of order `orderId`, once per `idempotencyKey`
 * (the route has checked the token of the order's cart and the request's shape), and answers with the whole
 * order. The same key with the same request answers the order again and files nothing; with another request
 * (or order) it is refused with 422 IDEMPOTENCY_KEY_REUSED. Refusals change nothing: 404 ORDER_NOT_FOUND;
 * 409 ORDER_CANCELLED; 422 SKU_NOT_IN_ORDER; 409 RETURNS_NOT_ACCEPTED, RETURN_WINDOW_CLOSED,
 * RETURN_QTY_EXCEEDED (units bought minus those of earlier requests not rejected); 422 EXCHANGE_SKU_INVALID
 * (an exchange without `exchangeSku`, or one that is not a variant of the same product in the catalog);
 * 400 BAD_REQUEST (`exchangeSku` on a plain return). The line's return policy is the one it was ordered under.
 */
export async function requestReturn(
  db: Kysely<Database>,
  orderId: string,
  idempotencyKey: string,
  request: ReturnRequest,
  now: Date = new Date(),
): Promise<FiledReturn> {
  const hash = returnRequestHash(orderId, request);
  try {
    return await fileReturn(db, orderId, idempotencyKey, hash, request, now);
  } catch (error) {
    if (error instanceof HttpError) throw error;
    // A concurrent request with the same key (on another order) won the unique index: answer as if it had
    // come first. Anything else is a real failure.
    const winner = await replayOf(db, idempotencyKey, orderId, hash);
    if (winner !== undefined) return winner;
    throw error;
  }
}

/** `requestReturn`'s transaction. */
async function fileReturn(
  db: Kysely<Database>,
  orderId: string,
  idempotencyKey: string,
  hash: string,
  request: ReturnRequest,
  now: Date,
): Promise<FiledReturn> {
  return db.transaction().execute(async (trx) => {
    // A no-op update takes the order row's lock on PostgreSQL: requests for one order run one at a time.
    const locked = await trx
      .updateTable('orders')
      .set((eb) => ({ status: eb.ref('status') }))
      .where('id', '=', orderId)
      .executeTakeFirst();
    if (Number(locked.numUpdatedRows) === 0) throw orderNotFound();
    const replayed = await replayOf(trx, idempotencyKey, orderId, hash);
    if (replayed !== undefined) return replayed;

    const row = await trx
      .selectFrom('orders')
      .select(['created_at', 'status', 'document'])
      .where('id', '=', orderId)
      .executeTakeFirstOrThrow();
    if (row.status === 'cancelled') {
      throw new HttpError(409, 'ORDER_CANCELLED', 'This order was cancelled: there is nothing to return.');
    }
    const stored = storedOrderOf(row);

    const line = stored.lines.find((l) => l.sku === request.sku);
    if (line === undefined) {
      throw new HttpError(422, 'SKU_NOT_IN_ORDER', `The order has no line with sku "${request.sku}".`, {
        sku: request.sku,
      });
    }
    const policy = line.returnPolicy;
    const deadline = returnDeadline(policy, stored.deliveredAt ?? row.created_at);
    const earlier = await trx
      .selectFrom('return_requests')
      .select((eb) => eb.fn.sum<number | string | null>('qty').as('qty'))
      .where('order_id', '=', orderId)
      .where('sku', '=', request.sku)
      .where('status', '<>', 'rejected')
      .executeTakeFirst();
    const alreadyRequested = Number(earlier?.qty ?? 0);
    const refusal = returnRefusal({
      deadline,
      now: now.toISOString(),
      bought: line.qty,
      alreadyRequested,
      qty: request.qty,
    });
    if (refusal !== undefined) {
      throw new HttpError(409, refusal, REFUSALS[refusal], {
        sku: request.sku,
        ...(refusal === 'RETURN_QTY_EXCEEDED'
          ? { returnable: Math.max(0, line.qty - alreadyRequested) }
          : {}),
      });
    }

    if (request.kind === 'exchange') {
      const wanted = request.exchangeSku;
      const variant = wanted === undefined ? undefined : (await findVariants(trx, [wanted])).get(wanted);
      if (variant === undefined || variant.product.id !== line.productId || wanted === request.sku) {
        throw new HttpError(
          422,
          'EXCHANGE_SKU_INVALID',
          'An exchange must name another variant of the same product.',
          { sku: request.sku, ...(wanted === undefined ? {} : { exchangeSku: wanted }) },
        );
      }
    } else if (request.exchangeSku !== undefined) {
      throw new HttpError(400, 'BAD_REQUEST', 'Only an exchange names a variant to exchange for.', {
        fields: { exchangeSku: 'Only an exchange names a variant to exchange for.' },
      });
    }

    // After every earlier request of the order, so requests keep the order they were made in.
    const last = await trx
      .selectFrom('return_requests')
      .select((eb) => eb.fn.max('created_at').as('created_at'))
      .where('order_id', '=', orderId)
      .executeTakeFirst();
    const createdAt = timeAfter(last?.created_at, now);
    const comment = request.comment?.trim();
    const record: ReturnRequestRecord = {
      id: newOrderId(),
      sku: request.sku,
      qty: request.qty,
      kind: request.kind,
      reason: request.reason,
      ...(comment ? { comment } : {}),
      ...(request.kind === 'exchange' && request.exchangeSku !== undefined
        ? { exchangeSku: request.exchangeSku }
        : {}),
      status: 'requested',
      fee: returnFee(policy, line.unitPrice.currency),
      refundType: policy.refundType,
      createdAt,
    };
    await trx
      .insertInto('return_requests')
      .values({
        id: record.id,
        order_id: orderId,
        idempotency_key: idempotencyKey,
        request_hash: hash,
        sku: record.sku,
        qty: record.qty,
        status: record.status,
        created_at: createdAt,
        document: JSON.stringify(record),
      })
      .execute();
    const order = await getOrder(trx, orderId);
    if (order === undefined) throw orderNotFound();
    return { order, replayed: false };
  });
}
