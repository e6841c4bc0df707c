/**
 * The server's cart warnings in words for the shopper, naming each line as "<product> (<variant>)".
 */
import { formatMoney } from '../../core/money';
import type { CartWarning } from '../../protocol/cart';

/** How a line is named in a warning, from its sku (the local catalog knows the names). */
export type LineNamer = (sku: string) => string;

/**
 * One sentence per warning: "Price of Cube stool (Oak) changed from €89.00 to €99.00",
 * "Cube stool (Oak) is out of stock", "Only 2 of Cube stool (Oak) are available",
 * "Cube stool (Oak) is no longer sold", "Your change to Cube stool (Oak) was made before your order and was not
 * applied".
 */
export function warningText(warning: CartWarning, nameOf: LineNamer, locale?: string): string {
  const name = nameOf(warning.sku);
  switch (warning.code) {
    case 'PRICE_CHANGED':
      return `Price of ${name} changed from ${formatMoney(warning.old, locale)} to ${formatMoney(warning.new, locale)}`;
    case 'OUT_OF_STOCK':
      return `${name} is out of stock`;
    case 'QTY_CLAMPED':
      return `Only ${warning.available} of ${name} are available`;
    case 'UNAVAILABLE':
      return `${name} is no longer sold`;
    case 'STALE_CHANGE':
      return `Your change to ${name} was made before your order and was not applied`;
  }
}
