/**
 * Return and exchange requests: checks a request against the return policy its order was placed under
 * (window, quantity, exchange variant) and stores it, in one transaction that holds the order's row lock so
 * two requests for the same line cannot both take the last returnable units.
 */
import type { Kysely } from 'kysely';
import type { Order, ReturnRequest, ReturnRequestRecord } from '../../protocol/cart';
import { returnDeadline, returnFee, returnRefusal } from '../../core/return-window';
import type { ReturnRefusal } from '../../core/return-window';
import { findVariants } from '../carts/cart-store';
import { HttpError } from '../http-errors';
import type { Database } from '../storage/schema';
import { getOrder, newOrderId, storedOrderOf } from './order-store';

/** 404 ORDER_NOT_FOUND. */
export const orderNotFound = (): HttpError => new HttpError(404, 'ORDER_NOT_FOUND', 'No such order');

/** What the shopper reads for each refusal of the policy. */
const REFUSALS: Record<ReturnRefusal, string> = {
  RETURNS_NOT_ACCEPTED: 'The brand does not accept returns of this item.',
  RETURN_WINDOW_CLOSED: 'The return window of this item has closed.',
  RETURN_QTY_EXCEEDED: 'That is more units than were bought and not yet asked back.',
};

/**
 * Asks to return or exchange `request.qty` units of one line of order `orderId` (the route has checked the
 * token of the order's cart and the request's shape) and answers with the whole order. Refusals change
 * nothing: 404 ORDER_NOT_FOUND; 422 SKU_NOT_IN_ORDER; 409 RETURNS_NOT_ACCEPTED, RETURN_WINDOW_CLOSED,
 * RETURN_QTY_EXCEEDED (units bought minus those of earlier requests not rejected); 422 EXCHANGE_SKU_INVALID
 * (an exchange without `exchangeSku`, or one that is not a variant of the same product in the catalog);
 * 400 BAD_REQUEST (`exchangeSku` on a plain return).
 */
export async function requestReturn(
  db: Kysely<Database>,
  orderId: string,
  request: ReturnRequest,
  now: Date = new Date(),
): Promise<Order> {
  return db.transaction().execute(async (trx) => {
    // A no-op update takes the order row's lock on PostgreSQL: requests for one order run one at a time.
    const locked = await trx
      .updateTable('orders')
      .set((eb) => ({ status: eb.ref('status') }))
      .where('id', '=', orderId)
      .executeTakeFirst();
    if (Number(locked.numUpdatedRows) === 0) throw orderNotFound();
    const row = await trx
      .selectFrom('orders')
      .select(['created_at', 'document'])
      .where('id', '=', orderId)
      .executeTakeFirstOrThrow();
    const stored = storedOrderOf(row);

    const line = stored.lines.find((l) => l.sku === request.sku);
    if (line === undefined) {
      throw new HttpError(422, 'SKU_NOT_IN_ORDER', `The order has no line with sku "${request.sku}".`, {
        sku: request.sku,
      });
    }
    const policy = stored.policies[line.brandId];
    const deadline =
      policy === undefined ? undefined : returnDeadline(policy, stored.deliveredAt ?? row.created_at);
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
    if (policy === undefined) throw orderNotFound(); // unreachable: no policy means no deadline

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
    const lastMs = last?.created_at ? Date.parse(last.created_at) : Number.NEGATIVE_INFINITY;
    const createdAt = new Date(Math.max(now.getTime(), lastMs + 1)).toISOString();
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
        sku: record.sku,
        qty: record.qty,
        status: record.status,
        created_at: createdAt,
        document: JSON.stringify(record),
      })
      .execute();
    const order = await getOrder(trx, orderId);
    if (order === undefined) throw orderNotFound();
    return order;
  });
}
