import { useLiveQuery } from 'dexie-react-hooks';
import { Link, useLocation } from 'wouter';
import { useHistoryState } from 'wouter/use-browser-location';
import { summarizeCart } from '../../core/cart-math';
import { formatMoney } from '../../core/money';
import { db } from '../../db/db';
import { useCartSyncStatus } from '../../sync/use-cart-sync-status';
import CartLineItem from './CartLineItem';
import CartWarnings from './CartWarnings';
import HandOff from './HandOff';
import SyncStatusLine from './SyncStatusLine';
import { joinedText, type CartPageState } from './join-text';
import './cart.css';

/**
 * The cart: whether the server has every change, what the server says changed (prices, stock), one line per
 * variant with quantity, remove, prices and a "Not yet sent" marker while its change waits in the outbox, the
 * total per currency, then Checkout and "Continue on another device".
 */
export default function CartPage() {
  const [, navigate] = useLocation();
  const sync = useCartSyncStatus();
  const joined = (useHistoryState<CartPageState | null>() ?? {}).joined;
  const summary = useLiveQuery(async () => {
    const lines = await db.cartLines.orderBy('addedAt').toArray();
    const products = await db.products.bulkGet([...new Set(lines.map((l) => l.productId))]);
    return summarizeCart(
      lines,
      products.filter((p) => p !== undefined),
    );
  }, []);
  // Warnings may name a sku the cart no longer holds (a change made before an order): name it from the catalog.
  const warningSkus = sync.warnings.map((w) => w.sku).join(' ');
  const otherNames = useLiveQuery(async () => {
    const skus = new Set(warningSkus.split(' ').filter((s) => s !== ''));
    for (const line of await db.cartLines.toArray()) skus.delete(line.sku);
    const found = new Map<string, string>();
    if (skus.size === 0) return found;
    await db.products.each((p) => {
      for (const v of p.variants) if (skus.has(v.sku)) found.set(v.sku, `${p.name} (${v.name})`);
    });
    return found;
  }, [warningSkus]);

  if (summary === undefined) return null;

  const names = new Map(
    summary.lines.map((l) => [
      l.line.sku,
      `${l.product?.name ?? 'Unavailable product'} (${l.variant?.name ?? l.line.sku})`,
    ]),
  );
  const nameOf = (sku: string) => names.get(sku) ?? otherNames?.get(sku) ?? sku;

  return (
    <div className="cart-page">
      <title>Cart · Vitrine</title>
      <h1>Cart</h1>
      {joined && (
        <p className="notice cart-joined" role="status">
          {joinedText(joined.added)}
        </p>
      )}
      <SyncStatusLine pendingCount={sync.pendingCount} online={sync.online} />
      {sync.error && (
        <p className="notice notice-error cart-sync-error" role="alert" data-error-code={sync.error.code}>
          {sync.error.message}
        </p>
      )}
      <CartWarnings warnings={sync.warnings} nameOf={nameOf} />
      {summary.lines.length === 0 ? (
        <div className="cart-empty">
          <p>Your cart is empty</p>
          <p>
            <Link to="/">Browse the catalog</Link>
          </p>
        </div>
      ) : (
        <>
          <ul className="cart-lines" aria-label="Cart lines">
            {summary.lines.map((priced) => {
              const pending = sync.pendingSkus.has(priced.line.sku);
              return (
                <li
                  key={priced.line.sku}
                  className="cart-line"
                  data-sku={priced.line.sku}
                  data-pending={pending ? 'true' : 'false'}
                >
                  <CartLineItem priced={priced} pending={pending} />
                </li>
              );
            })}
          </ul>
          <div className="cart-total">
            <span>Total</span>
            <span className="cart-total-amounts">
              {summary.totals.map((total) => (
                <span key={total.currency}>{formatMoney(total)}</span>
              ))}
            </span>
          </div>
          {summary.lines.some((l) => l.unavailable) && (
            <p className="notice">Items that are no longer available are not counted in the total.</p>
          )}
          <div className="cart-actions">
            <button type="button" className="button-primary" onClick={() => navigate('/checkout')}>
              Checkout
            </button>
          </div>
        </>
      )}
      <HandOff online={sync.online} />
    </div>
  );
}
