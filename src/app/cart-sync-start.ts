/**
 * Starts the cart sync only once this device has something to sync with the server: ops in the outbox, a
 * server cart (which it then keeps current), or the first cart write of this tab. A first visit that only
 * browses loads none of the sync code. Side effect owned here: one `window` listener until the sync starts.
 */
import { CART_WRITTEN_EVENT } from '../db/cart-events';
import { db } from '../db/db';

/** Loads and starts the cart sync when the device needs it (see the module comment). */
export function startCartSyncWhenNeeded(): void {
  let started = false;
  const start = (): void => {
    if (started) return;
    started = true;
    window.removeEventListener(CART_WRITTEN_EVENT, start);
    void import('../sync/cart-sync').then(({ startCartSync }) => startCartSync());
  };
  window.addEventListener(CART_WRITTEN_EVENT, start);
  Promise.all([db.outbox.count(), db.cartSync.get('cart')]).then(
    ([pending, state]) => {
      if (pending > 0 || (state?.cartId ?? null) !== null) start();
    },
    // The database could not be read (another tab's upgrade, storage off): let the sync find out and say so.
    start,
  );
}
