// Words the cart page shows for server warnings, and the hand-off link's fragment.
import { describe, expect, test } from 'vitest';
import { cartJoinUrl, parseJoinFragment } from '../../src/protocol/cart-link';
import { joinedText } from '../../src/features/cart/join-text';
import { warningText } from '../../src/features/cart/warning-text';

const nameOf = (sku: string) => (sku === 'OAK' ? 'Cube stool (Oak)' : sku);

describe('warningText', () => {
  test('each warning is one sentence naming the line', () => {
    expect(
      warningText(
        {
          code: 'PRICE_CHANGED',
          sku: 'OAK',
          old: { amount: 12900, currency: 'EUR' },
          new: { amount: 13900, currency: 'EUR' },
        },
        nameOf,
      ),
    ).toBe('Price of Cube stool (Oak) changed from €129.00 to €139.00');
    expect(warningText({ code: 'OUT_OF_STOCK', sku: 'OAK' }, nameOf)).toBe(
      'Cube stool (Oak) is out of stock',
    );
    expect(warningText({ code: 'QTY_CLAMPED', sku: 'OAK', requested: 5, available: 2 }, nameOf)).toBe(
      'Only 2 of Cube stool (Oak) are available',
    );
    expect(warningText({ code: 'UNAVAILABLE', sku: 'OAK' }, nameOf)).toBe(
      'Cube stool (Oak) is no longer sold',
    );
    expect(warningText({ code: 'STALE_CHANGE', sku: 'OAK' }, nameOf)).toBe(
      'Your change to Cube stool (Oak) was made before your order and was not applied',
    );
  });
});

describe('cart join link', () => {
  const cartId = 'AbCdEfGhIjKlMnOpQrSt_-';
  const token = 'a'.repeat(40) + '_-Z';

  test('the secret rides in the fragment and parses back', () => {
    const url = cartJoinUrl('https://shop.example', cartId, token);
    expect(url).toBe(`https://shop.example/cart/join#${cartId}.${token}`);
    expect(new URL(url).pathname).toBe('/cart/join');
    expect(parseJoinFragment(new URL(url).hash)).toEqual({ cartId, token });
    expect(parseJoinFragment(`${cartId}.${token}`)).toEqual({ cartId, token });
  });

  test('malformed fragments are refused', () => {
    expect(parseJoinFragment('')).toBeUndefined();
    expect(parseJoinFragment(`#${cartId}`)).toBeUndefined();
    expect(parseJoinFragment(`#${cartId}.${token.slice(1)}`)).toBeUndefined();
    expect(parseJoinFragment(`#${cartId}x.${token}`)).toBeUndefined();
    expect(parseJoinFragment(`#${cartId}.${token}.extra`)).toBeUndefined();
  });
});

test('after joining a shared cart the page says how many items from this device were added', () => {
  expect(joinedText(0)).toBe('Shared cart opened.');
  expect(joinedText(1)).toBe('Shared cart opened. 1 item from this device was added.');
  expect(joinedText(3)).toBe('Shared cart opened. 3 items from this device were added.');
});
