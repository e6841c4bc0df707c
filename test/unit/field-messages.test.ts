// Schema issues as one message per field: the helper checkout and orders share.
import { expect, test } from 'vitest';
import { fieldMessages } from '../../src/core/field-messages';
import { ReturnRequest } from '../../src/protocol/cart';

test('the first issue of each dotted path wins', () => {
  expect(
    fieldMessages([
      { path: ['address', 'city'], message: 'Enter the town or city.' },
      { path: ['address', 'city'], message: 'second' },
      { path: ['email'], message: 'Enter an email address like name@example.com.' },
      { path: [], message: 'whole' },
    ]),
  ).toEqual({
    'address.city': 'Enter the town or city.',
    email: 'Enter an email address like name@example.com.',
    '': 'whole',
  });
});

test('zod issues of a return request become field messages', () => {
  const parsed = ReturnRequest.safeParse({
    sku: 'A',
    qty: 1,
    kind: 'return',
    reason: 'other',
    comment: 'x'.repeat(1001),
  });
  expect(parsed.success).toBe(false);
  if (!parsed.success)
    expect(fieldMessages(parsed.error.issues)).toEqual({ comment: 'At most 1000 characters.' });
});
