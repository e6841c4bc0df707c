/**
 * The cart hand-off link, `${origin}/cart/join#<cartId>.<token>`: the cart's secret rides only in the fragment,
 * which browsers never send to a server, so it stays out of every request line and server log.
 */
import { CartId, CartToken } from './cart';

/** Path of the page that joins a cart from a link. */
export const JOIN_PATH = '/cart/join';

/** The link that opens a cart on another device. */
export function cartJoinUrl(origin: string, cartId: string, token: string): string {
  return `${origin}${JOIN_PATH}#${cartId}.${token}`;
}

/** The cart id and token of a join link's fragment (`#<cartId>.<token>`, the `#` optional); `undefined` when malformed. */
export function parseJoinFragment(hash: string): { cartId: string; token: string } | undefined {
  const fragment = hash.startsWith('#') ? hash.slice(1) : hash;
  const dot = fragment.indexOf('.');
  if (dot < 0) return undefined;
  const cartId = fragment.slice(0, dot);
  const token = fragment.slice(dot + 1);
  if (!CartId.safeParse(cartId).success || !CartToken.safeParse(token).success) return undefined;
  return { cartId, token };
}
