/**
 * The query layer of carts: creating a cart, checking its token, applying pushed ops exactly once (the
 * Replicache push rule) and reading the cart priced from the current catalog. Every write of the cart tables
 * (carts, cart_lines, cart_clients, cart_ops) goes through here; orders use the exported transaction helpers.
 * Queries use Kysely's builder only, so SQLite and PostgreSQL share them.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Money, Product, Variant } from '../../protocol/catalog';
import type {
  CartOp,
  CartResponse,
  CartWarning,
  NewCart,
  PushRequest,
  ServerCart,
  ServerCartLine,
} from '../../protocol/cart';
import { HttpError } from '../http-errors';
import type { Database } from '../storage/schema';
import { hashToken, newCartId, newCartToken, tokenMatches } from './cart-tokens';

/** A database handle or an open transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;

/** How many values one `in (…)` list holds (well under every dialect's parameter limit). */
const IN_CHUNK = 200;

/** What a catalog sku is: its product and variant as the catalog holds them now. */
export interface CatalogVariant {
  product: Product;
  variant: Variant;
}

/** Spelling of every sku the catalog can hold (protocol `Variant.sku`): anything else is unknown at once. */
const CATALOG_SKU = /^[A-Z0-9][A-Z0-9-]{1,39}$/;

/** 404 CART_NOT_FOUND. */
export const cartNotFound = (): HttpError => new HttpError(404, 'CART_NOT_FOUND', 'No such cart');

/** 403 CART_FORBIDDEN. */
export const cartForbidden = (): HttpError =>
  new HttpError(403, 'CART_FORBIDDEN', 'The cart token is missing or wrong');

/** Splits `values` into slices of at most `size`. */
function chunks<T>(values: readonly T[], size = IN_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

/** Creates an empty cart (version 0) and returns its id and the only copy of its token. */
export async function createCart(db: Executor): Promise<NewCart> {
  const cartId = newCartId();
  const token = newCartToken();
  const now = new Date().toISOString();
  await db
    .insertInto('carts')
    .values({ id: cartId, token_hash: hashToken(token), version: 0, created_at: now, updated_at: now })
    .execute();
  return { cartId, token };
}

/**
 * Checks that cart `cartId` exists and that `token` opens it. Throws 404 CART_NOT_FOUND (also for an id that
 * cannot be a cart id) or 403 CART_FORBIDDEN (missing or wrong token).
 */
export async function authorizeCart(db: Executor, cartId: string, token: string | undefined): Promise<void> {
  const row = await db.selectFrom('carts').select('token_hash').where('id', '=', cartId).executeTakeFirst();
  if (row === undefined) throw cartNotFound();
  if (token === undefined || !tokenMatches(token, row.token_hash)) throw cartForbidden();
}

/**
 * Takes the cart's row lock for the rest of transaction `trx` (an `UPDATE`, so concurrent pushes and orders
 * on one cart run one after the other on PostgreSQL; SQLite serializes writers anyway). Throws 404 when there
 * is no such cart.
 */
export async function lockCart(trx: Transaction<Database>, cartId: string): Promise<void> {
  const result = await trx
    .updateTable('carts')
    .set({ updated_at: new Date().toISOString() })
    .where('id', '=', cartId)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw cartNotFound();
}

/** Adds `by` (default 1) to the cart's version and returns the new version. */
export async function bumpVersion(trx: Transaction<Database>, cartId: string, by = 1): Promise<number> {
  await trx
    .updateTable('carts')
    .set((eb) => ({ version: eb('version', '+', by) }))
    .where('id', '=', cartId)
    .execute();
  const row = await trx.selectFrom('carts').select('version').where('id', '=', cartId).executeTakeFirst();
  if (row === undefined) throw cartNotFound();
  return Number(row.version);
}

/** Deletes every line of the cart (after an order took them). Ops and client sequences stay. */
export async function clearCartLines(trx: Transaction<Database>, cartId: string): Promise<void> {
  await trx.deleteFrom('cart_lines').where('cart_id', '=', cartId).execute();
}

/**
 * The catalog's product and variant of each of `skus` that the catalog holds now (others are missing from the
 * map). Reads only the products whose document names one of the skus.
 */
export async function findVariants(
  db: Executor,
  skus: Iterable<string>,
): Promise<Map<string, CatalogVariant>> {
  const wanted = new Set([...skus].filter((sku) => CATALOG_SKU.test(sku)));
  const found = new Map<string, CatalogVariant>();
  for (const slice of chunks([...wanted])) {
    // The sku spelling holds no LIKE wildcard, quote or backslash, so the pattern matches the JSON text
    // exactly (SQLite's LIKE also ignores case: the documents are checked below).
    const rows = await db
      .selectFrom('products')
      .select('document')
      .where((eb) => eb.or(slice.map((sku) => eb('document', 'like', `%"sku":"${sku}"%`))))
      .execute();
    for (const row of rows) addVariants(found, JSON.parse(row.document) as Product, wanted);
  }
  return found;
}

/** Adds the variants of `product` whose sku is `wanted` to `into`. */
function addVariants(into: Map<string, CatalogVariant>, product: Product, wanted: Set<string>): void {
  for (const variant of product.variants) {
    if (wanted.has(variant.sku)) into.set(variant.sku, { product, variant });
  }
}

/** Units of each of `skus` that placed orders hold (0 when none). */
export async function reservedStock(db: Executor, skus: readonly string[]): Promise<Map<string, number>> {
  const reserved = new Map<string, number>();
  for (const slice of chunks(skus)) {
    const rows = await db
      .selectFrom('stock_reservations')
      .select(['sku', 'reserved'])
      .where('sku', 'in', slice)
      .execute();
    for (const row of rows) reserved.set(row.sku, Number(row.reserved));
  }
  return reserved;
}

const sameMoney = (a: Money, b: Money): boolean => a.amount === b.amount && a.currency === b.currency;

/**
 * The cart as it stands now, priced from the current catalog: unit prices, quantities limited by unreserved
 * stock, and the warnings the shopper must see. Lines whose sku left the catalog are left out. Runs on any
 * executor, so it reads consistently inside the caller's transaction (an order's, a push's). Throws 404 when
 * there is no such cart.
 */
export async function priceCart(db: Executor, cartId: string): Promise<ServerCart> {
  const cart = await db.selectFrom('carts').select('version').where('id', '=', cartId).executeTakeFirst();
  if (cart === undefined) throw cartNotFound();
  const rows = await db
    .selectFrom('cart_lines')
    .selectAll()
    .where('cart_id', '=', cartId)
    .orderBy('added_at')
    .orderBy('sku')
    .execute();
  const skus = rows.map((r) => r.sku);
  const catalog = await findVariants(db, skus);
  const reserved = await reservedStock(db, skus);

  const lines: ServerCartLine[] = [];
  const warnings: CartWarning[] = [];
  for (const row of rows) {
    const item = catalog.get(row.sku);
    if (item === undefined) continue;
    const requested = Number(row.requested_qty);
    const available = Math.max(0, item.variant.stock - (reserved.get(row.sku) ?? 0));
    const unitPrice = item.variant.price;
    const priceSeen = { amount: Number(row.price_seen_amount), currency: row.price_seen_currency };
    lines.push({
      sku: row.sku,
      productId: item.product.id,
      qty: Math.min(requested, available),
      requestedQty: requested,
      unitPrice,
      priceSeen,
      addedAt: row.added_at,
    });
    if (!sameMoney(priceSeen, unitPrice)) {
      warnings.push({ code: 'PRICE_CHANGED', sku: row.sku, old: priceSeen, new: unitPrice });
    }
    if (available === 0) warnings.push({ code: 'OUT_OF_STOCK', sku: row.sku });
    else if (available < requested) {
      warnings.push({ code: 'QTY_CLAMPED', sku: row.sku, requested, available });
    }
  }
  return { id: cartId, version: Number(cart.version), lines, warnings };
}

/** `priceCart` in a transaction of its own (or the given one), so lines, stock and prices agree. */
export async function readCart(db: Executor, cartId: string): Promise<ServerCart> {
  if (db.isTransaction) return priceCart(db, cartId);
  return db.transaction().execute((trx) => priceCart(trx, cartId));
}

/** An op of a push that is new: to apply, with the catalog variant its sku names. */
interface NewOp {
  op: CartOp;
  item: CatalogVariant;
}

/**
 * Sorts the ops of a push into replays (checked against the op stored under their seq) and new ops (which must
 * continue the client's sequence without a gap). Throws 409 OP_CONFLICT or SEQ_GAP.
 */
async function newOpsOf(
  trx: Transaction<Database>,
  cartId: string,
  clientId: string,
  lastSeq: number,
  ops: readonly CartOp[],
): Promise<CartOp[]> {
  const replayed = ops.filter((op) => op.seq <= lastSeq);
  const stored = new Map<number, string>();
  if (replayed.length > 0) {
    const lowest = Math.min(...replayed.map((op) => op.seq));
    const rows = await trx
      .selectFrom('cart_ops')
      .select(['seq', 'op_id'])
      .where('cart_id', '=', cartId)
      .where('client_id', '=', clientId)
      .where('seq', '>=', lowest)
      .where('seq', '<=', lastSeq)
      .execute();
    for (const row of rows) stored.set(Number(row.seq), row.op_id);
  }
  const fresh: CartOp[] = [];
  let next = lastSeq + 1;
  for (const op of ops) {
    if (op.seq < next) {
      // Seen before: in an earlier push (stored) or earlier in this one.
      const seenId = op.seq <= lastSeq ? stored.get(op.seq) : fresh[op.seq - lastSeq - 1]?.opId;
      if (seenId !== op.opId) {
        throw new HttpError(409, 'OP_CONFLICT', `Op ${op.seq} of this client was applied with another opId`, {
          seq: op.seq,
        });
      }
    } else if (op.seq === next) {
      fresh.push(op);
      next += 1;
    } else {
      throw new HttpError(
        409,
        'SEQ_GAP',
        `Op ${op.seq} does not follow this client's last op: expected ${lastSeq + 1}`,
        { expectedSeq: lastSeq + 1 },
      );
    }
  }
  return fresh;
}

/** An ISO time after `after` (by at least 1 ms) and not before now, so lines keep the order they came in. */
function addedAtAfter(after: string | undefined): string {
  const now = Date.now();
  const floor = after === undefined ? now : Date.parse(after) + 1;
  return new Date(Math.max(now, floor)).toISOString();
}

/** Applies checked new ops in order: upserts or deletes lines, logs each op, moves the client's `last_seq`. */
async function applyOps(
  trx: Transaction<Database>,
  cartId: string,
  clientId: string,
  lastSeq: number,
  ops: readonly NewOp[],
): Promise<void> {
  const now = new Date().toISOString();
  const existing = await trx
    .selectFrom('cart_lines')
    .select(['sku', 'added_at'])
    .where('cart_id', '=', cartId)
    .execute();
  const lines = new Set(existing.map((l) => l.sku));
  let lastAdded = existing.reduce<string | undefined>(
    (max, l) => (max === undefined || l.added_at > max ? l.added_at : max),
    undefined,
  );
  for (const { op, item } of ops) {
    if (op.qty === 0) {
      await trx.deleteFrom('cart_lines').where('cart_id', '=', cartId).where('sku', '=', op.sku).execute();
      lines.delete(op.sku);
    } else {
      const values = {
        product_id: item.product.id,
        requested_qty: op.qty,
        price_seen_amount: op.observedPrice.amount,
        price_seen_currency: op.observedPrice.currency,
      };
      if (lines.has(op.sku)) {
        await trx
          .updateTable('cart_lines')
          .set(values)
          .where('cart_id', '=', cartId)
          .where('sku', '=', op.sku)
          .execute();
      } else {
        lastAdded = addedAtAfter(lastAdded);
        await trx
          .insertInto('cart_lines')
          .values({ cart_id: cartId, sku: op.sku, added_at: lastAdded, ...values })
          .execute();
        lines.add(op.sku);
      }
    }
    await trx
      .insertInto('cart_ops')
      .values({
        cart_id: cartId,
        client_id: clientId,
        seq: op.seq,
        op_id: op.opId,
        sku: op.sku,
        qty: op.qty,
        applied_at: now,
      })
      .execute();
  }
  const last = ops.at(-1);
  if (last === undefined) return;
  if (lastSeq === 0) {
    await trx
      .insertInto('cart_clients')
      .values({ cart_id: cartId, client_id: clientId, last_seq: last.op.seq })
      .execute();
  } else {
    await trx
      .updateTable('cart_clients')
      .set({ last_seq: last.op.seq })
      .where('cart_id', '=', cartId)
      .where('client_id', '=', clientId)
      .execute();
  }
}

/**
 * Applies a client's push to cart `cartId` in one transaction and answers with the priced cart and the
 * client's highest applied seq. Ops already applied are acknowledged again without being re-applied; new ops
 * must continue the client's sequence; each applied op bumps the version by one. Any refusal applies nothing:
 * 404 CART_NOT_FOUND, 409 OP_CONFLICT `{ seq }`, 409 SEQ_GAP `{ expectedSeq }`, 422 UNKNOWN_SKU `{ seq, sku }`.
 * The caller checks the token (`authorizeCart`) and the request's shape (`PushRequest`).
 */
export async function pushOps(
  db: Kysely<Database>,
  cartId: string,
  request: PushRequest,
): Promise<CartResponse> {
  return db.transaction().execute(async (trx) => {
    await lockCart(trx, cartId);
    const client = await trx
      .selectFrom('cart_clients')
      .select('last_seq')
      .where('cart_id', '=', cartId)
      .where('client_id', '=', request.clientId)
      .executeTakeFirst();
    const lastSeq = client === undefined ? 0 : Number(client.last_seq);

    const fresh = await newOpsOf(trx, cartId, request.clientId, lastSeq, request.ops);
    const catalog = await findVariants(
      trx,
      fresh.map((op) => op.sku),
    );
    const checked: NewOp[] = fresh.map((op) => {
      const item = catalog.get(op.sku);
      if (item === undefined) {
        throw new HttpError(422, 'UNKNOWN_SKU', `Op ${op.seq} names sku "${op.sku}", not in the catalog`, {
          seq: op.seq,
          sku: op.sku,
        });
      }
      return { op, item };
    });

    await applyOps(trx, cartId, request.clientId, lastSeq, checked);
    if (checked.length > 0) await bumpVersion(trx, cartId, checked.length);
    const ackedSeq = checked.at(-1)?.op.seq ?? lastSeq;
    return { cart: await priceCart(trx, cartId), ackedSeq };
  });
}
