import { describe, expect, test } from 'vitest';
import { fromServerLine, pendingSkus, rebaseCart } from '../../src/core/cart-rebase';
import type { ServerCartLine } from '../../src/protocol/cart';

const eur = (amount: number) => ({ amount, currency: 'EUR' });

function serverLine(sku: string, qty: number, addedAt: string, requestedQty = qty): ServerCartLine {
  return {
    sku,
    productId: `p-${sku.toLowerCase()}`,
    qty,
    requestedQty,
    unitPrice: eur(1000),
    priceSeen: eur(1000),
    addedAt,
  };
}

const T1 = '2026-01-01T10:00:00.000Z';
const T2 = '2026-01-01T10:05:00.000Z';

describe('fromServerLine', () => {
  test('turns the ISO date into ms and keeps requestedQty only when stock held the line short', () => {
    expect(fromServerLine(serverLine('A', 2, T1))).toEqual({
      sku: 'A',
      productId: 'p-a',
      qty: 2,
      addedAt: Date.parse(T1),
    });
    expect(fromServerLine(serverLine('B', 1, T2, 4))).toEqual({
      sku: 'B',
      productId: 'p-b',
      qty: 1,
      addedAt: Date.parse(T2),
      requestedQty: 4,
    });
    expect(fromServerLine(serverLine('C', 0, T2, 3))).toMatchObject({ qty: 0, requestedQty: 3 });
  });
});

describe('rebaseCart', () => {
  test('without pending ops the cart is the server cart, in addedAt order', () => {
    const lines = rebaseCart([serverLine('B', 1, T2), serverLine('A', 2, T1)], [], []);
    expect(lines.map((l) => [l.sku, l.qty])).toEqual([
      ['A', 2],
      ['B', 1],
    ]);
  });

  test('a pending removal keeps the line removed although the server still has it', () => {
    const lines = rebaseCart(
      [serverLine('A', 2, T1), serverLine('B', 1, T2)],
      [{ seq: 4, sku: 'A', qty: 0 }],
      [{ sku: 'B', productId: 'p-b', qty: 1, addedAt: 1 }],
    );
    expect(lines.map((l) => l.sku)).toEqual(['B']);
  });

  test('pending ops apply in seq order whatever order they come in: the last one wins', () => {
    const local = [{ sku: 'A', productId: 'p-a', qty: 7, addedAt: 5 }];
    const lines = rebaseCart(
      [serverLine('A', 2, T1)],
      [
        { seq: 9, sku: 'A', qty: 7 },
        { seq: 8, sku: 'A', qty: 0 },
      ],
      local,
    );
    // Removed then added again: a new line, as the device added it.
    expect(lines).toEqual([{ sku: 'A', productId: 'p-a', qty: 7, addedAt: 5 }]);

    const removed = rebaseCart(
      [serverLine('A', 2, T1)],
      [
        { seq: 8, sku: 'A', qty: 7 },
        { seq: 9, sku: 'A', qty: 0 },
      ],
      local,
    );
    expect(removed).toEqual([]);
  });

  test('a pending quantity replaces a clamped server line and drops requestedQty', () => {
    const lines = rebaseCart([serverLine('A', 1, T1, 5)], [{ seq: 1, sku: 'A', qty: 2 }], []);
    expect(lines).toEqual([{ sku: 'A', productId: 'p-a', qty: 2, addedAt: Date.parse(T1) }]);
  });

  test('a pending add the server has not seen takes product and addedAt from the local line', () => {
    const lines = rebaseCart(
      [serverLine('A', 1, T1)],
      [{ seq: 3, sku: 'NEW', qty: 4 }],
      [
        { sku: 'A', productId: 'p-a', qty: 9, addedAt: 1 },
        { sku: 'NEW', productId: 'p-new', qty: 4, addedAt: Date.parse(T2) + 1 },
      ],
    );
    expect(lines).toEqual([
      { sku: 'A', productId: 'p-a', qty: 1, addedAt: Date.parse(T1) },
      { sku: 'NEW', productId: 'p-new', qty: 4, addedAt: Date.parse(T2) + 1 },
    ]);
  });

  test('a local line with no pending op and no server line goes (the server removed it)', () => {
    const lines = rebaseCart([], [], [{ sku: 'GONE', productId: 'p', qty: 1, addedAt: 1 }]);
    expect(lines).toEqual([]);
  });

  test('a pending op on a sku known neither to the server nor locally is left out', () => {
    expect(rebaseCart([], [{ seq: 1, sku: 'X', qty: 1 }], [])).toEqual([]);
  });

  test('does not change its inputs', () => {
    const server = [serverLine('A', 1, T1)];
    const pending = [
      { seq: 2, sku: 'A', qty: 3 },
      { seq: 1, sku: 'A', qty: 0 },
    ];
    const copy = structuredClone({ server, pending });
    rebaseCart(server, pending, []);
    expect({ server, pending }).toEqual(copy);
  });
});

describe('pendingSkus', () => {
  test('collects each sku once', () => {
    expect([...pendingSkus([{ sku: 'A' }, { sku: 'B' }, { sku: 'A' }])].sort()).toEqual(['A', 'B']);
  });
});
