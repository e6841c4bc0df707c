import { useLiveQuery } from 'dexie-react-hooks';
import NavLink from './NavLink';
import { db } from '../db/db';

/** Header link to the cart, named "Cart, N items" ("Cart, 1 item") with N the total quantity in the cart. */
export default function CartLink() {
  const count = useLiveQuery(
    async () => (await db.cartLines.toArray()).reduce((sum, line) => sum + line.qty, 0),
    [],
    0,
  );
  return (
    <NavLink
      className="site-nav-link cart-link"
      to="/cart"
      aria-label={`Cart, ${count} ${count === 1 ? 'item' : 'items'}`}
    >
      Cart{' '}
      <span className="cart-badge" aria-hidden="true">
        {count}
      </span>
    </NavLink>
  );
}
