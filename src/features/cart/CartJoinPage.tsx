import { useCallback, useEffect, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { joinCart } from '../../sync/cart-sync';
import { useOnline } from '../../sync/use-cart-sync-status';
import { parseJoinFragment } from './cart-link';
import './cart.css';

type JoinState = { state: 'joining' } | { state: 'invalid' } | { state: 'error'; message: string };

/** One join per link and page load: React's double effects in development must not join twice. */
const joins = new Map<string, Promise<void>>();

function joinOnce(cartId: string, token: string): Promise<void> {
  const key = `${cartId}.${token}`;
  let join = joins.get(key);
  if (!join) {
    join = joinCart(cartId, token).then(
      () => undefined,
      (err: unknown) => {
        joins.delete(key); // A failed join may be tried again.
        throw err;
      },
    );
    joins.set(key, join);
  }
  return join;
}

/**
 * `/cart/join#<cartId>.<token>`: opens the cart shared from another device on this one, then replaces the
 * address with `/cart` (so the secret leaves the address bar and history) and shows the cart. Offline it waits
 * for the connection; a failed join keeps the link so "Try again" (or a reload) works.
 */
export default function CartJoinPage() {
  const [, navigate] = useLocation();
  const online = useOnline();
  const [link] = useState(() => parseJoinFragment(window.location.hash));
  const [status, setStatus] = useState<JoinState>(link ? { state: 'joining' } : { state: 'invalid' });

  const join = useCallback(() => {
    if (!link) return;
    joinOnce(link.cartId, link.token).then(
      () => navigate('/cart', { replace: true }),
      (err: unknown) =>
        setStatus({ state: 'error', message: err instanceof Error ? err.message : String(err) }),
    );
  }, [link, navigate]);

  useEffect(() => {
    if (online) join();
  }, [online, join]);

  return (
    <div className="cart-page">
      <title>Open a cart · Vitrine</title>
      <h1>Open a shared cart</h1>
      {status.state === 'invalid' ? (
        <p className="notice notice-error" role="alert">
          This cart link is not complete. Copy the whole link from the other device and open it again.
        </p>
      ) : !online ? (
        <p className="notice" role="status">
          Opening a shared cart needs a connection. It opens as soon as the connection is back.
        </p>
      ) : status.state === 'joining' ? (
        <p role="status">Opening the cart…</p>
      ) : (
        <div className="notice notice-error" role="alert">
          <p>Could not open the cart: {status.message}</p>
          <button
            type="button"
            onClick={() => {
              setStatus({ state: 'joining' });
              join();
            }}
          >
            Try again
          </button>
        </div>
      )}
      <p>
        <Link to="/cart">Go to the cart on this device</Link>
      </p>
    </div>
  );
}
