/**
 * The checkout form as plain data: its fields, how their text becomes the protocol's `CheckoutDetails`, and how
 * the schema's issues (checked on the device) or the server's `details.fields` become one message per field.
 */
import { fieldMessages, type FieldIssue } from '../../core/field-messages';
import { CheckoutDetails } from '../../protocol/cart';

/** Keys of the form's fields, named by their path in `CheckoutDetails` (the server's `details.fields` keys). */
export const CHECKOUT_FIELDS = [
  'name',
  'email',
  'phone',
  'address.line1',
  'address.line2',
  'address.city',
  'address.postalCode',
  'address.country',
] as const;
export type CheckoutField = (typeof CHECKOUT_FIELDS)[number];

/** What the shopper typed, field by field. */
export type CheckoutFormValues = Record<CheckoutField, string>;

/** One message per field that needs fixing. */
export type FieldErrors = Partial<Record<CheckoutField, string>>;

/** Labels of the fields, as the page shows them. */
export const FIELD_LABELS: Record<CheckoutField, string> = {
  name: 'Full name',
  email: 'Email',
  phone: 'Phone (optional)',
  'address.line1': 'Street and number',
  'address.line2': 'Apartment, floor (optional)',
  'address.city': 'Town or city',
  'address.postalCode': 'Postal code',
  'address.country': 'Country',
};

/** The country select has a "Choose…" entry; the schema's own message for it is meant for developers. */
export const COUNTRY_MESSAGE = 'Choose a country.';

/** An empty form. */
export function emptyCheckoutForm(): CheckoutFormValues {
  return {
    name: '',
    email: '',
    phone: '',
    'address.line1': '',
    'address.line2': '',
    'address.city': '',
    'address.postalCode': '',
    'address.country': '',
  };
}

/** The form as the shape `CheckoutDetails` parses; optional fields left blank are left out. */
export function checkoutInput(values: CheckoutFormValues): unknown {
  const optional = (text: string) => (text.trim() === '' ? undefined : text);
  return {
    name: values.name,
    email: values.email,
    phone: optional(values.phone),
    address: {
      line1: values['address.line1'],
      line2: optional(values['address.line2']),
      city: values['address.city'],
      postalCode: values['address.postalCode'],
      country: values['address.country'],
    },
  };
}

function isField(key: string): key is CheckoutField {
  return (CHECKOUT_FIELDS as readonly string[]).includes(key);
}

/**
 * One message per field from schema issues (the first issue of a field wins, as the shopper fixes one thing at
 * a time). Issues on paths that are not fields of the form are left out.
 */
export function fieldErrorsFromIssues(issues: readonly FieldIssue[]): FieldErrors {
  return fieldErrorsFromServer(fieldMessages(issues));
}

/**
 * The server's `details.fields` of a 400 answer (`{ "address.city": "Enter the town or city." }`) as field
 * errors; keys the form does not have and values that are not text are left out.
 */
export function fieldErrorsFromServer(fields: unknown): FieldErrors {
  const errors: FieldErrors = {};
  if (typeof fields !== 'object' || fields === null) return errors;
  for (const [key, message] of Object.entries(fields)) {
    if (isField(key) && typeof message === 'string' && message !== '')
      errors[key] = key === 'address.country' ? COUNTRY_MESSAGE : message;
  }
  return errors;
}

/** Checks the form on the device: the details to send, or the message of each field to fix. */
export function validateCheckout(
  values: CheckoutFormValues,
): { ok: true; details: CheckoutDetails } | { ok: false; errors: FieldErrors } {
  const parsed = CheckoutDetails.safeParse(checkoutInput(values));
  if (parsed.success) return { ok: true, details: parsed.data };
  return { ok: false, errors: fieldErrorsFromIssues(parsed.error.issues) };
}
