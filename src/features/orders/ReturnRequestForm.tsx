import { useId, useRef, useState, type FormEvent } from 'react';
import { formatMoney } from '../../core/money';
import { returnPolicySentences } from '../../core/return-policy';
import { returnFee } from '../../core/return-window';
import type { Order, OrderLine, ReturnReason } from '../../protocol/cart';
import type { Variant } from '../../protocol/catalog';
import { OrderError, requestReturn } from '../../sync/orders';
import { useOnline } from '../../sync/use-online';
import { formatDay, REASON_LABELS } from './order-text';

interface ReturnRequestFormProps {
  order: Order;
  line: OrderLine;
  /** Units that may still be asked back. */
  remaining: number;
  /** Last day to ask (`YYYY-MM-DD`), `null` when there is no limit. */
  lastDay: string | null;
  /** The product's other variants, to exchange for. */
  otherVariants: readonly Variant[];
  /** Called with the order the server answers once the request is recorded. */
  onDone: (order: Order) => void;
  onCancel: () => void;
}

/**
 * Asks to return or exchange units of one order line: kind, variant to exchange for, quantity, reason and an
 * optional comment, with the policy the line was bought under in words (fee, refund, last day) above "Request
 * return". Sending needs a connection: offline the button is disabled and says why. A field to fix gets focus.
 */
export default function ReturnRequestForm({
  order,
  line,
  remaining,
  lastDay,
  otherVariants,
  onDone,
  onCancel,
}: ReturnRequestFormProps) {
  const id = useId();
  const [kind, setKind] = useState<'return' | 'exchange'>('return');
  const [exchangeSku, setExchangeSku] = useState(otherVariants[0]?.sku ?? '');
  const [qty, setQty] = useState('1');
  const [reason, setReason] = useState<ReturnReason | ''>('');
  const [comment, setComment] = useState('');
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState('');
  const [reasonError, setReasonError] = useState('');
  const [qtyError, setQtyError] = useState('');
  const online = useOnline();
  const qtyRef = useRef<HTMLInputElement>(null);
  const reasonRef = useRef<HTMLSelectElement>(null);
  const policy = line.returnPolicy;
  const fee = returnFee(policy, line.unitPrice.currency);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (sending) return;
    const units = Number.parseInt(qty, 10);
    const badQty = Number.isNaN(units) || units < 1 || units > remaining;
    setQtyError(badQty ? `Enter a number from 1 to ${remaining}.` : '');
    setReasonError(reason === '' ? 'Choose a reason.' : '');
    if (badQty) qtyRef.current?.focus();
    else if (reason === '') reasonRef.current?.focus();
    if (badQty || reason === '' || !online) return;
    setSending(true);
    setFailure('');
    try {
      const updated = await requestReturn(order.id, {
        sku: line.sku,
        qty: units,
        kind,
        reason,
        ...(comment.trim() !== '' ? { comment } : {}),
        ...(kind === 'exchange' ? { exchangeSku } : {}),
      });
      onDone(updated);
    } catch (err) {
      setFailure(err instanceof OrderError ? err.message : `The request could not be sent: ${String(err)}`);
      setSending(false);
    }
  };

  return (
    <form className="return-form" data-sku={line.sku} noValidate onSubmit={(e) => void submit(e)}>
      <div className="return-policy">
        <p>{returnPolicySentences(policy).join(' ')}</p>
        <p>
          Fee for this request: {fee.amount === 0 ? 'none' : formatMoney(fee)}
          {policy.returnFees === 'ReturnFeesCustomerResponsibility' &&
            ' (you arrange and pay the shipping yourself)'}
          .
        </p>
        <p>
          {lastDay === null ? 'There is no time limit to ask.' : `Last day to ask: ${formatDay(lastDay)}.`}
        </p>
      </div>
      <fieldset className="return-kind">
        <legend>Kind</legend>
        <label>
          <input
            type="radio"
            name={`${id}-kind`}
            value="return"
            checked={kind === 'return'}
            onChange={() => setKind('return')}
          />{' '}
          Return
        </label>
        <label>
          <input
            type="radio"
            name={`${id}-kind`}
            value="exchange"
            checked={kind === 'exchange'}
            disabled={otherVariants.length === 0}
            onChange={() => setKind('exchange')}
          />{' '}
          Exchange
        </label>
        {otherVariants.length === 0 && <p className="return-hint">This product has no other variant.</p>}
      </fieldset>
      {kind === 'exchange' && (
        <div className="return-field">
          <label htmlFor={`${id}-exchange`}>Exchange for</label>
          <select id={`${id}-exchange`} value={exchangeSku} onChange={(e) => setExchangeSku(e.target.value)}>
            {otherVariants.map((v) => (
              <option key={v.sku} value={v.sku}>
                {v.name}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="return-field">
        <label htmlFor={`${id}-qty`}>Quantity</label>
        <input
          ref={qtyRef}
          id={`${id}-qty`}
          type="number"
          inputMode="numeric"
          min={1}
          max={remaining}
          step={1}
          value={qty}
          onChange={(e) => setQty(e.target.value)}
          aria-invalid={qtyError !== ''}
          aria-describedby={qtyError ? `${id}-qty-error` : undefined}
        />
        {qtyError && (
          <p id={`${id}-qty-error`} className="return-error">
            {qtyError}
          </p>
        )}
      </div>
      <div className="return-field">
        <label htmlFor={`${id}-reason`}>Reason</label>
        <select
          ref={reasonRef}
          id={`${id}-reason`}
          value={reason}
          onChange={(e) => setReason(e.target.value as ReturnReason | '')}
          aria-invalid={reasonError !== ''}
          aria-describedby={reasonError ? `${id}-reason-error` : undefined}
        >
          <option value="">Choose a reason</option>
          {Object.entries(REASON_LABELS).map(([value, text]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
        </select>
        {reasonError && (
          <p id={`${id}-reason-error`} className="return-error">
            {reasonError}
          </p>
        )}
      </div>
      <div className="return-field">
        <label htmlFor={`${id}-comment`}>Comment (optional)</label>
        <textarea
          id={`${id}-comment`}
          rows={3}
          maxLength={1000}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
        />
      </div>
      {failure && (
        <p className="notice notice-error" role="alert">
          {failure}
        </p>
      )}
      {!online && (
        <p className="notice return-offline" id={`${id}-offline`} role="status">
          Sending a return request needs a connection. Try again when you are back online.
        </p>
      )}
      <div className="return-actions">
        <button
          type="submit"
          className="button-primary"
          disabled={sending || !online}
          aria-describedby={online ? undefined : `${id}-offline`}
        >
          Request return
        </button>
        <button type="button" className="button-quiet" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
