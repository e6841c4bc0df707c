import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { db } from '../../db/db';
import { joinCart } from '../../sync/cart-sync';
import { useOnline } from '../../sync/use-online';
import { parseJoinFragment } from '../../protocol/cart-link';
import type { CartPageState } from './join-text';
import './cart.css';

type JoinState =
  { state: 'confirm' } | { state: 'joining' } | { state: 'invalid' } | { state: 'error'; message: string };

/**
 * `/cart/join#<cartId>.<token>`: opens the cart shared from another device on this one, after the shopper
 * confirms ("Open cart" / "Cancel": a link from a stranger must not switch the cart silently). This device's
 * lines are added to the shared cart. Then the address becomes `/cart` (so the secret leaves the address bar and
 * history) and the cart shows, saying how many items from this device were added. A link to the cart the
 * device already holds just shows the cart. Opening needs a connection; a failed join offers "Try again".
 */
export default function CartJoinPage() {
  const [, navigate] = useLocation();
  const online = useOnline();
  const [link] = useState(() => parseJoinFragment(window.location.hash));
  const [status, setStatus] = useState<JoinState>(link ? { state: 'confirm' } : { state: 'invalid' });
  const currentCartId = useLiveQuery(async () => (await db.cartSync.get('cart'))?.cartId ?? null, []);
  const alreadyHeld = link !== undefined && currentCartId === link.cartId;

  useEffect(() => {
    if (alreadyHeld) navigate('/cart', { replace: true });
  }, [alreadyHeld, navigate]);

  const join = () => {
    if (!link) return;
    setStatus({ state: 'joining' });
    joinCart(link.cartId, link.token).then(
      (result) => {
        const state: CartPageState = { joined: { added: result.added } };
        navigate('/cart', { replace: true, state });
      },
      (err: unknown) =>
        setStatus({ state: 'error', message: err instanceof Error ? err.message : String(err) }),
    );
  };

  if (currentCartId === undefined || alreadyHeld) return null;

  return (
    <div className="cart-page">
      <title>Open a cart · Vitrine</title>
      <h1>Open a shared cart</h1>
      {status.state === 'invalid' ? (
        <p className="notice notice-error" role="alert">
          This cart link is not complete. Copy the whole link from the other device and open it again.
        </p>
      ) : status.state === 'confirm' ? (
        <section className="cart-join-confirm" aria-labelledby="cart-join-question">
          <h2 id="cart-join-question">Open this shared cart?</h2>
          <p id="cart-join-explained">
            Anyone with this link sees and changes the same cart, and the orders placed from it. Open it only
            if the link comes from you or someone you trust. The items in this device&apos;s cart are added to
            it.
          </p>
          {!online && (
            <p className="notice" id="cart-join-offline" role="status">
              Opening a shared cart needs a connection. Try again when you are back online.
            </p>
          )}
          <div className="cart-actions">
            <button
              type="button"
              className="button-primary"
              disabled={!online}
              aria-describedby={online ? 'cart-join-explained' : 'cart-join-offline'}
              onClick={join}
            >
              Open cart
            </button>
            <button
              type="button"
              className="button-quiet"
              onClick={() => navigate('/cart', { replace: true })}
            >
              Cancel
            </button>
          </div>
        </section>
      ) : status.state === 'joining' ? (
        <p role="status">Opening the cart…</p>
      ) : (
        <div className="notice notice-error" role="alert">
          <p>Could not open the cart: {status.message}</p>
          <button type="button" disabled={!online} onClick={join}>
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
