import { useLiveQuery } from 'dexie-react-hooks';
import { Link } from 'wouter';
import { summarizeCart } from '../../core/cart-math';
import { formatMoney } from '../../core/money';
import { db } from '../../db/db';
import CartLineItem from './CartLineItem';
import './cart.css';

/** The cart: one line per variant with quantity, remove and prices, then the total per currency. */
export default function CartPage() {
  const summary = useLiveQuery(async () => {
    const lines = await db.cartLines.orderBy('addedAt').toArray();
    const products = await db.products.bulkGet([...new Set(lines.map((l) => l.productId))]);
    return summarizeCart(
      lines,
      products.filter((p) => p !== undefined),
    );
  }, []);

  if (summary === undefined) return null;

  return (
    <div className="cart-page">
      <title>Cart · Vitrine</title>
      <h1>Cart</h1>
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
            {summary.lines.map((priced) => (
              <li key={priced.line.sku} className="cart-line">
                <CartLineItem priced={priced} />
              </li>
            ))}
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
        </>
      )}
    </div>
  );
}
