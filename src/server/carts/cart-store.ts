/**
 * The query layer of carts: creating a cart, checking its token, applying pushed ops exactly once (the
 * Replicache push rule) and reading the cart priced from the current catalog. Every write of the cart tables
 * (carts, cart_lines, cart_clients, cart_ops) goes through here; orders use the exported transaction helpers.
 * Queries use Kysely's builder only, so SQLite and PostgreSQL share them.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
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
import type { CartLineTable, Database, Executor } from '../storage/schema';
import { byCodeUnit, timeAfter } from '../storage/sort-order';
import { hashToken, newCartId, newCartToken, tokenMatches } from './cart-tokens';

/** How many values one `in (…)` list holds (well under every dialect's parameter limit). */
const IN_CHUNK = 200;

/**
 * What a catalog sku is: the fields of its product and variant that carts, orders and returns use, as the
 * catalog holds them now (read from `catalog_variants`, never from product documents).
 */
export interface CatalogVariant {
  product: Pick<Product, 'id' | 'brandId' | 'name'>;
  variant: Pick<Variant, 'sku' | 'name' | 'price' | 'stock'>;
}

/** A catalog variant and the units of it that placed orders hold. */
interface StockedVariant {
  item: CatalogVariant;
  reserved: number;
}

/** A row of `cart_lines`. */
type LineRow = Selectable<CartLineTable>;

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
 * Empties the cart for an order that took its lines: deletes them, bumps the version and records it as
 * `cleared_at_version`, so ops made before a device saw the empty cart are not applied. Returns the version.
 */
export async function emptyCartForOrder(trx: Transaction<Database>, cartId: string): Promise<number> {
  await clearCartLines(trx, cartId);
  const version = await bumpVersion(trx, cartId);
  await trx.updateTable('carts').set({ cleared_at_version: version }).where('id', '=', cartId).execute();
  return version;
}

/**
 * Each of `skus` that the catalog holds now, with the units placed orders hold (others are missing from the
 * map): primary-key reads of `catalog_variants`, joined to `stock_reservations`, one statement per 200 skus.
 */
async function stockedVariants(db: Executor, skus: Iterable<string>): Promise<Map<string, StockedVariant>> {
  const wanted = [...new Set([...skus].filter((sku) => CATALOG_SKU.test(sku)))];
  const found = new Map<string, StockedVariant>();
  for (const slice of chunks(wanted)) {
    const rows = await db
      .selectFrom('catalog_variants as v')
      .leftJoin('stock_reservations as r', 'r.sku', 'v.sku')
      .select([
        'v.sku',
        'v.product_id',
        'v.brand_id',
        'v.product_name',
        'v.variant_name',
        'v.price_amount',
        'v.price_currency',
        'v.stock',
        'r.reserved',
      ])
      .where('v.sku', 'in', slice)
      .execute();
    for (const row of rows) {
      found.set(row.sku, {
        item: {
          product: { id: row.product_id, brandId: row.brand_id, name: row.product_name },
          variant: {
            sku: row.sku,
            name: row.variant_name,
            price: { amount: Number(row.price_amount), currency: row.price_currency },
            stock: Number(row.stock),
          },
        },
        reserved: row.reserved === null ? 0 : Number(row.reserved),
      });
    }
  }
  return found;
}

/**
 * The catalog's product and variant of each of `skus` that the catalog holds now (others are missing from the
 * map), read by primary key from `catalog_variants`.
 */
export async function findVariants(
  db: Executor,
  skus: Iterable<string>,
): Promise<Map<string, CatalogVariant>> {
  const found = new Map<string, CatalogVariant>();
  for (const [sku, { item }] of await stockedVariants(db, skus)) found.set(sku, item);
  return found;
}

const sameMoney = (a: Money, b: Money): boolean => a.amount === b.amount && a.currency === b.currency;

/**
 * The cart as it stands now, priced from the current catalog: unit prices, quantities limited by unreserved
 * stock, and the warnings the shopper must see. A line whose sku left the catalog stays with qty 0 at the
 * price last seen and warning UNAVAILABLE, until the shopper removes it. Runs on any
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
  const catalog = await stockedVariants(
    db,
    rows.map((r) => r.sku),
  );
  return pricedCart(cartId, Number(cart.version), rows, catalog);
}

/**
 * The priced cart of lines `rows` (in the order given) at `version`, from `catalog`, which holds every line
 * sku the catalog still has with its reserved units.
 */
function pricedCart(
  cartId: string,
  version: number,
  rows: readonly LineRow[],
  catalog: Map<string, StockedVariant>,
): ServerCart {
  const lines: ServerCartLine[] = [];
  const warnings: CartWarning[] = [];
  for (const row of rows) {
    const stocked = catalog.get(row.sku);
    const requested = Number(row.requested_qty);
    const priceSeen = { amount: Number(row.price_seen_amount), currency: row.price_seen_currency };
    if (stocked === undefined) {
      lines.push({
        sku: row.sku,
        productId: row.product_id,
        qty: 0,
        requestedQty: requested,
        unitPrice: priceSeen,
        priceSeen,
        addedAt: row.added_at,
      });
      warnings.push({ code: 'UNAVAILABLE', sku: row.sku });
      continue;
    }
    const { item } = stocked;
    const available = Math.max(0, item.variant.stock - stocked.reserved);
    const unitPrice = item.variant.price;
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
  return { id: cartId, version, lines, warnings };
}

/**
 * `priceCart` in a transaction of its own (or the given one), so lines, stock and prices agree: repeatable
 * read on PostgreSQL, where read committed would let each statement see another moment; SQLite's
 * transaction already reads one snapshot.
 */
export async function readCart(db: Executor, cartId: string): Promise<ServerCart> {
  if (db.isTransaction) return priceCart(db, cartId);
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute((trx) => priceCart(trx, cartId));
}

/**
 * An op of a push that is new. `item` is the catalog variant its sku names (absent for a removal of a sku
 * that left the catalog); `stale` when it sets a quantity but was made before the device saw an order
 * empty the cart: acknowledged and recorded, not applied.
 */
interface NewOp {
  op: CartOp;
  item: CatalogVariant | undefined;
  stale: boolean;
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

/** Rows per multi-row insert or values per `in (…)` list of a push (7 values a row: under every limit). */
const WRITE_CHUNK = 200;

/** Lines in the order `priceCart` reads them: by `added_at`, then sku. */
const inCartOrder = (lines: Iterable<LineRow>): LineRow[] =>
  [...lines].sort((a, b) => byCodeUnit(a.added_at, b.added_at) || byCodeUnit(a.sku, b.sku));

/**
 * Applies checked new ops in order to the cart's lines `before` (every line of the cart, as stored): works out
 * the lines they leave in memory, then writes that outcome in a few statements (one delete of removed lines,
 * one upsert of the lines ops set, one insert of the op rows, per 200) and moves the client's `last_seq`.
 * Returns every line of the cart after the ops.
 */
async function applyOps(
  trx: Transaction<Database>,
  cartId: string,
  clientId: string,
  lastSeq: number,
  ops: readonly NewOp[],
  before: readonly LineRow[],
): Promise<LineRow[]> {
  const now = new Date().toISOString();
  const lines = new Map(before.map((l) => [l.sku, l]));
  let lastAdded = before.reduce<string | undefined>(
    (max, l) => (max === undefined || l.added_at > max ? l.added_at : max),
    undefined,
  );
  const touched = new Set<string>();
  for (const { op, item, stale } of ops) {
    if (stale) continue;
    touched.add(op.sku);
    if (op.qty === 0 || item === undefined) {
      lines.delete(op.sku);
      continue;
    }
    const values = {
      product_id: item.product.id,
      requested_qty: op.qty,
      price_seen_amount: op.observedPrice.amount,
      price_seen_currency: op.observedPrice.currency,
    };
    const current = lines.get(op.sku);
    if (current !== undefined) lines.set(op.sku, { ...current, ...values });
    else {
      // A line removed and set again within the push is a new line, as if each op were applied on its own.
      lastAdded = timeAfter(lastAdded);
      lines.set(op.sku, { cart_id: cartId, sku: op.sku, added_at: lastAdded, ...values });
    }
  }

  const stored = new Set(before.map((l) => l.sku));
  const removed = [...touched].filter((sku) => stored.has(sku) && !lines.has(sku));
  const written = [...touched].flatMap((sku) => lines.get(sku) ?? []);
  for (const slice of chunks(removed, WRITE_CHUNK)) {
    await trx.deleteFrom('cart_lines').where('cart_id', '=', cartId).where('sku', 'in', slice).execute();
  }
  for (const slice of chunks(written, WRITE_CHUNK)) {
    await trx
      .insertInto('cart_lines')
      .values(slice)
      .onConflict((oc) =>
        oc.columns(['cart_id', 'sku']).doUpdateSet((eb) => ({
          product_id: eb.ref('excluded.product_id'),
          requested_qty: eb.ref('excluded.requested_qty'),
          price_seen_amount: eb.ref('excluded.price_seen_amount'),
          price_seen_currency: eb.ref('excluded.price_seen_currency'),
          added_at: eb.ref('excluded.added_at'),
        })),
      )
      .execute();
  }
  for (const slice of chunks(ops, WRITE_CHUNK)) {
    await trx
      .insertInto('cart_ops')
      .values(
        slice.map(({ op }) => ({
          cart_id: cartId,
          client_id: clientId,
          seq: op.seq,
          op_id: op.opId,
          sku: op.sku,
          qty: op.qty,
          applied_at: now,
        })),
      )
      .execute();
  }

  const last = ops.at(-1);
  if (last !== undefined && lastSeq === 0) {
    await trx
      .insertInto('cart_clients')
      .values({ cart_id: cartId, client_id: clientId, last_seq: last.op.seq })
      .execute();
  } else if (last !== undefined) {
    await trx
      .updateTable('cart_clients')
      .set({ last_seq: last.op.seq })
      .where('cart_id', '=', cartId)
      .where('client_id', '=', clientId)
      .execute();
  }
  return [...lines.values()];
}

/**
 * `lockCart` that also answers the cart's version and `cleared_at_version` (read under the lock, so they hold
 * until the transaction ends). Throws 404 when there is no such cart.
 */
async function lockCartVersion(
  trx: Transaction<Database>,
  cartId: string,
): Promise<{ version: number; clearedAt: number | null }> {
  const row = await trx
    .updateTable('carts')
    .set({ updated_at: new Date().toISOString() })
    .where('id', '=', cartId)
    .returning(['version', 'cleared_at_version'])
    .executeTakeFirst();
  if (row === undefined) throw cartNotFound();
  const clearedAt = row.cleared_at_version;
  return { version: Number(row.version), clearedAt: clearedAt === null ? null : Number(clearedAt) };
}

/**
 * Applies a client's push to cart `cartId` in one transaction and answers with the priced cart and the
 * client's highest applied seq. Ops already applied are acknowledged again without being re-applied; new ops
 * must continue the client's sequence; each applied op bumps the version by one. A removal (qty 0) of a sku
 * that left the catalog deletes its line. An op setting a quantity with a `baseVersion` below the version an
 * order emptied the cart at is acknowledged and recorded but not applied (no version bump), and this answer
 * alone carries `STALE_CHANGE` for its sku. Any refusal applies nothing:
 * 404 CART_NOT_FOUND, 409 OP_CONFLICT `{ seq }`, 409 SEQ_GAP `{ expectedSeq }`, 422 UNKNOWN_SKU `{ seq, sku }`
 * (an op setting a quantity of a sku not in the catalog).
 * The caller checks the token (`authorizeCart`) and the request's shape (`PushRequest`).
 * A push of up to 200 ops takes at most ten statements: the cart's lines and the catalog (by sku, from
 * `catalog_variants`) are each read once for the new ops and the answer together, and writes are batched.
 */
export async function pushOps(
  db: Kysely<Database>,
  cartId: string,
  request: PushRequest,
): Promise<CartResponse> {
  return db.transaction().execute(async (trx) => {
    const { version, clearedAt } = await lockCartVersion(trx, cartId);
    const client = await trx
      .selectFrom('cart_clients')
      .select('last_seq')
      .where('cart_id', '=', cartId)
      .where('client_id', '=', request.clientId)
      .executeTakeFirst();
    const lastSeq = client === undefined ? 0 : Number(client.last_seq);

    const fresh = await newOpsOf(trx, cartId, request.clientId, lastSeq, request.ops);
    const before = await trx.selectFrom('cart_lines').selectAll().where('cart_id', '=', cartId).execute();
    // Every sku the answer may price: the new ops' and the lines already in the cart.
    const catalog = await stockedVariants(trx, [...fresh.map((op) => op.sku), ...before.map((l) => l.sku)]);
    const checked: NewOp[] = fresh.map((op) => {
      const item = catalog.get(op.sku)?.item;
      if (item === undefined && op.qty > 0) {
        throw new HttpError(422, 'UNKNOWN_SKU', `Op ${op.seq} names sku "${op.sku}", not in the catalog`, {
          seq: op.seq,
          sku: op.sku,
        });
      }
      const stale =
        op.qty > 0 && op.baseVersion !== undefined && clearedAt !== null && op.baseVersion < clearedAt;
      return { op, item, stale };
    });

    const after = await applyOps(trx, cartId, request.clientId, lastSeq, checked, before);
    const applied = checked.filter((c) => !c.stale).length;
    if (applied > 0) {
      await trx
        .updateTable('carts')
        .set((eb) => ({ version: eb('version', '+', applied) }))
        .where('id', '=', cartId)
        .execute();
    }
    const ackedSeq = checked.at(-1)?.op.seq ?? lastSeq;
    const cart = pricedCart(cartId, version + applied, inCartOrder(after), catalog);
    const staleSkus = new Set(checked.filter((c) => c.stale).map((c) => c.op.sku));
    for (const sku of staleSkus) cart.warnings.push({ code: 'STALE_CHANGE', sku });
    return { cart, ackedSeq };
  });
}
