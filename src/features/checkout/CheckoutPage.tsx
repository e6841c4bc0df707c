import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo, useRef, useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { summarizeCart } from '../../core/cart-math';
import { db } from '../../db/db';
import { OrderError, placeOrder, type ReviewedCart } from '../../sync/orders';
import { useCartSyncStatus } from '../../sync/use-cart-sync-status';
import CheckoutField from './CheckoutField';
import OrderSummary from './OrderSummary';
import {
  CHECKOUT_FIELDS,
  FIELD_LABELS,
  emptyCheckoutForm,
  fieldErrorsFromServer,
  validateCheckout,
  type CheckoutField as Field,
  type CheckoutFormValues,
  type FieldErrors,
} from './checkout-form';
import { countryOptions } from './countries';
import './checkout.css';

/** Element id of a field's control ("address.city" → "checkout-address-city"). */
const idOf = (field: Field) => `checkout-${field.replace('.', '-')}`;

const AUTOCOMPLETE: Record<Field, string> = {
  name: 'name',
  email: 'email',
  phone: 'tel',
  'address.line1': 'address-line1',
  'address.line2': 'address-line2',
  'address.city': 'address-level2',
  'address.postalCode': 'postal-code',
  'address.country': 'country',
};

const INPUT_TYPE: Partial<Record<Field, string>> = { email: 'email', phone: 'tel' };

/**
 * Checkout: contact and address (checked on the device with the same messages the server uses, then by the
 * server), "Pay on delivery", the order summary and "Place order". Placing needs a connection; success opens
 * the order's page.
 */
export default function CheckoutPage() {
  const [, navigate] = useLocation();
  const sync = useCartSyncStatus();
  const [values, setValues] = useState<CheckoutFormValues>(emptyCheckoutForm);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [placing, setPlacing] = useState(false);
  const [failure, setFailure] = useState('');
  const formRef = useRef<HTMLFormElement>(null);
  const countries = useMemo(() => countryOptions(), []);
  // The summary and what it shows (every line and the server version), read together: placing an order checks
  // that the server's cart is still what the shopper reviewed here.
  const live = useLiveQuery(
    () =>
      db.transaction('r', db.cartLines, db.products, db.cartSync, async () => {
        const lines = await db.cartLines.orderBy('addedAt').toArray();
        const products = await db.products.bulkGet([...new Set(lines.map((l) => l.productId))]);
        const review: ReviewedCart = {
          version: (await db.cartSync.get('cart'))?.serverVersion ?? 0,
          lines: lines.map((l) => ({ sku: l.sku, qty: l.requestedQty ?? l.qty })),
        };
        const summary = summarizeCart(
          lines.filter((l) => l.qty > 0),
          products.filter((p) => p !== undefined),
        );
        return { summary, review };
      }),
    [],
  );
  // While placing, the summary stays as the shopper reviewed it (placing empties the cart before the page moves on).
  const [reviewed, setReviewed] = useState<typeof live>();
  const summary = (placing ? reviewed : live)?.summary;

  const focusFirstInvalid = (fieldErrors: FieldErrors) => {
    const first = CHECKOUT_FIELDS.find((f) => fieldErrors[f] !== undefined);
    if (first) formRef.current?.querySelector<HTMLElement>(`#${idOf(first)}`)?.focus();
  };

  const change = (field: Field, value: string) => {
    const next = { ...values, [field]: value };
    setValues(next);
    // A field already marked wrong is checked again as the shopper fixes it.
    if (errors[field] !== undefined) {
      const result = validateCheckout(next);
      setErrors({ ...errors, [field]: result.ok ? undefined : result.errors[field] });
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (placing) return;
    setFailure('');
    const checked = validateCheckout(values);
    if (!checked.ok) {
      setErrors(checked.errors);
      setFailure('Some details need fixing.');
      focusFirstInvalid(checked.errors);
      return;
    }
    if (!live) return;
    setErrors({});
    setReviewed(live);
    setPlacing(true);
    try {
      const order = await placeOrder(checked.details, 'pay-on-delivery', live.review);
      navigate(`/orders/${encodeURIComponent(order.id)}`, { state: { placed: true } });
    } catch (err) {
      if (err instanceof OrderError) {
        const fieldErrors = fieldErrorsFromServer(err.fields);
        setErrors(fieldErrors);
        setFailure(err.message);
        focusFirstInvalid(fieldErrors);
      } else {
        setFailure(`The order could not be placed: ${err instanceof Error ? err.message : String(err)}`);
      }
      setPlacing(false);
    }
  };

  if (summary === undefined) return null;

  const input = (field: Field) => (
    <CheckoutField key={field} id={idOf(field)} label={FIELD_LABELS[field]} error={errors[field]}>
      {(control) =>
        field === 'address.country' ? (
          <select
            {...control}
            name={field}
            autoComplete={AUTOCOMPLETE[field]}
            value={values[field]}
            onChange={(e) => change(field, e.target.value)}
          >
            <option value="">Choose a country</option>
            {countries.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </select>
        ) : (
          <input
            {...control}
            name={field}
            type={INPUT_TYPE[field] ?? 'text'}
            autoComplete={AUTOCOMPLETE[field]}
            value={values[field]}
            onChange={(e) => change(field, e.target.value)}
          />
        )
      }
    </CheckoutField>
  );

  return (
    <div className="checkout-page">
      <title>Checkout · Vitrine</title>
      <h1>Checkout</h1>
      {summary.lines.length === 0 ? (
        <div className="checkout-empty">
          <p>Your cart is empty</p>
          <p>
            <Link to="/">Browse the catalog</Link>
          </p>
        </div>
      ) : (
        <div className="checkout-layout">
          <form ref={formRef} className="checkout-form" noValidate onSubmit={(e) => void submit(e)}>
            {!sync.online && (
              <p className="notice checkout-offline" id="checkout-offline" role="status">
                Checkout needs a connection. Your cart is kept on this device; place the order when you are
                back online.
              </p>
            )}
            {sync.warnings.some((w) => w.code !== 'STALE_CHANGE') && (
              <p className="notice checkout-warnings">
                Prices or stock changed since these items were added.{' '}
                <Link to="/cart">Review the changes in your cart</Link> before placing the order.
              </p>
            )}
            <fieldset>
              <legend>Contact</legend>
              {input('name')}
              {input('email')}
              {input('phone')}
            </fieldset>
            <fieldset>
              <legend>Delivery address</legend>
              {input('address.line1')}
              {input('address.line2')}
              {input('address.city')}
              {input('address.postalCode')}
              {input('address.country')}
            </fieldset>
            <fieldset>
              <legend>Payment</legend>
              <div className="checkout-payment">
                <input
                  type="radio"
                  id="checkout-payment-delivery"
                  name="payment"
                  value="pay-on-delivery"
                  checked
                  readOnly
                  aria-describedby="checkout-payment-explained"
                />
                <label htmlFor="checkout-payment-delivery">Pay on delivery</label>
              </div>
              <p id="checkout-payment-explained" className="checkout-payment-explained">
                You pay the courier when your order arrives. No card details are asked for.
              </p>
            </fieldset>
            {failure && (
              <p className="notice notice-error checkout-failure" role="alert">
                {failure}
              </p>
            )}
            <button
              type="submit"
              className="button-primary"
              disabled={placing || !sync.online}
              aria-describedby={sync.online ? undefined : 'checkout-offline'}
            >
              Place order
            </button>
            {placing && <p role="status">Placing your order…</p>}
          </form>
          <OrderSummary summary={summary} />
        </div>
      )}
    </div>
  );
}
