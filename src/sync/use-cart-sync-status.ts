/**
 * React view of the cart sync, read from the database (so every tab agrees): which lines still have changes
 * waiting to be sent, the server's warnings, the last refusal, when the cart was last in step with the
 * server, and whether the browser reports a network.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { pendingSkus as skusOf } from '../core/cart-rebase';
import { db, type CartSyncState } from '../db/db';
import type { CartWarning } from '../protocol/cart';
import { useOnline } from './use-online';

/** Re-exported for the pages that imported it from here; the hook lives in ./use-online. */
export { useOnline };

/** What the cart page shows about the sync. */
export interface CartSyncStatus {
  /** Skus with ops still in the outbox ("Not yet sent"). */
  pendingSkus: Set<string>;
  /** Ops still in the outbox ("N changes not yet sent"). */
  pendingCount: number;
  /** Warnings of the server cart last received. */
  warnings: CartWarning[];
  /** Why the last push was refused, until it is resolved (see cartSync.error). */
  error: CartSyncState['error'];
  /** Last time the device and the server agreed on the cart (ms since epoch); undefined before the first time. */
  syncedAt: number | undefined;
  /** Whether the browser reports a network (`navigator.onLine`). */
  online: boolean;
}

const NO_WARNINGS: CartWarning[] = [];
const EMPTY: { pendingSkus: Set<string>; pendingCount: number; state: CartSyncState | undefined } = {
  pendingSkus: new Set(),
  pendingCount: 0,
  state: undefined,
};

/** The cart's sync status: pending changes, warnings, error, last agreement and connectivity. */
export function useCartSyncStatus(): CartSyncStatus {
  const online = useOnline();
  const read = useLiveQuery(
    () =>
      db.transaction('r', db.outbox, db.cartSync, async () => {
        const ops = await db.outbox.toArray();
        return { pendingSkus: skusOf(ops), pendingCount: ops.length, state: await db.cartSync.get('cart') };
      }),
    [],
    EMPTY,
  );
  return {
    pendingSkus: read.pendingSkus,
    pendingCount: read.pendingCount,
    warnings: read.state?.warnings ?? NO_WARNINGS,
    error: read.state?.error,
    syncedAt: read.state?.syncedAt,
    online,
  };
}
