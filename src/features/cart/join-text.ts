/**
 * What the cart page says after a shared cart was opened on this device, and the history state that carries it
 * from the join page.
 */

/** History state the join page leaves for `/cart`. */
export interface CartPageState {
  joined?: { added: number };
}

/** "Shared cart opened. 2 items from this device were added." (or that none were). */
export function joinedText(added: number): string {
  if (added === 0) return 'Shared cart opened.';
  if (added === 1) return 'Shared cart opened. 1 item from this device was added.';
  return `Shared cart opened. ${added} items from this device were added.`;
}
