// The checkout form's data: CheckoutDetails issues and the server's details.fields become one message per field.
import { describe, expect, test } from 'vitest';
import {
  checkoutInput,
  emptyCheckoutForm,
  fieldErrorsFromIssues,
  fieldErrorsFromServer,
  validateCheckout,
  type CheckoutFormValues,
} from '../../src/features/checkout/checkout-form';

const filled: CheckoutFormValues = {
  ...emptyCheckoutForm(),
  name: ' Ana Lima ',
  email: 'ana@example.com',
  'address.line1': 'Rua das Flores 12',
  'address.city': 'Porto',
  'address.postalCode': '4050-262',
  'address.country': 'PT',
};

describe('validateCheckout', () => {
  test('a filled form gives trimmed details, leaving blank optional fields out', () => {
    const result = validateCheckout(filled);
    expect(result).toEqual({
      ok: true,
      details: {
        name: 'Ana Lima',
        email: 'ana@example.com',
        address: { line1: 'Rua das Flores 12', city: 'Porto', postalCode: '4050-262', country: 'PT' },
      },
    });
  });

  test('an empty form names every required field with the protocol messages', () => {
    const result = validateCheckout(emptyCheckoutForm());
    expect(result).toEqual({
      ok: false,
      errors: {
        name: 'Enter your full name.',
        email: 'Enter an email address like name@example.com.',
        'address.line1': 'Enter the street and number.',
        'address.city': 'Enter the town or city.',
        'address.postalCode': 'Enter the postal code, letters, digits and dashes.',
        'address.country': 'Choose a country.',
      },
    });
  });

  test('optional fields are checked when filled', () => {
    const result = validateCheckout({ ...filled, phone: 'call me', 'address.line2': 'x'.repeat(201) });
    expect(result).toEqual({
      ok: false,
      errors: {
        phone: 'Enter a phone number of digits, like +351 21 123 4567.',
        'address.line2': 'At most 200 characters.',
      },
    });
    expect(validateCheckout({ ...filled, phone: '+351 21 123 4567', 'address.line2': '3º Esq' }).ok).toBe(
      true,
    );
  });

  test('checkoutInput nests the address and drops blank optional text', () => {
    expect(checkoutInput({ ...filled, phone: '   ' })).toMatchObject({
      phone: undefined,
      address: { line2: undefined },
    });
  });
});

describe('field error mapping', () => {
  test('the first issue of a field wins; paths that are not fields are left out', () => {
    expect(
      fieldErrorsFromIssues([
        { path: ['address', 'city'], message: 'first' },
        { path: ['address', 'city'], message: 'second' },
        { path: ['expectedVersion'], message: 'not a field' },
        { path: [], message: 'whole body' },
      ]),
    ).toEqual({ 'address.city': 'first' });
  });

  test("the server's details.fields keep the form's keys and text values only", () => {
    expect(
      fieldErrorsFromServer({
        'address.city': 'Enter the town or city.',
        email: 'Enter an email address like name@example.com.',
        payment: 'Invalid option',
        name: 42,
        phone: '',
      }),
    ).toEqual({
      'address.city': 'Enter the town or city.',
      email: 'Enter an email address like name@example.com.',
    });
    expect(fieldErrorsFromServer(undefined)).toEqual({});
    expect(fieldErrorsFromServer('fields')).toEqual({});
  });
});
