/**
 * The event a cart write dispatches on `window` once its transaction has committed. Kept apart from
 * cart-writes.ts so the app entry can wait for the first write without loading the write code.
 */

/** Event dispatched on `window` after every committed cart write. */
export const CART_WRITTEN_EVENT = 'vitrine:cart-written';
