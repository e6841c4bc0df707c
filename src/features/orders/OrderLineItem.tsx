import { useEffect, useRef, useState } from 'react';
import { formatMoney } from '../../core/money';
import type { Order, OrderLine } from '../../protocol/cart';
import type { Variant } from '../../protocol/catalog';
import ReturnRequestForm from './ReturnRequestForm';
import { lineReturnState, REASON_LABELS, RETURN_STATUS_LABELS } from './order-text';

interface OrderLineItemProps {
  order: Order;
  line: OrderLine;
  otherVariants: readonly Variant[];
  /** ISO date-time the return window is judged at. */
  now: string;
}

/**
 * One line of an order: what was bought and for how much, its return requests with their status, and
 * "Return or exchange" (or the reason it is no longer possible).
 */
export default function OrderLineItem({ order, line, otherVariants, now }: OrderLineItemProps) {
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState('');
  const doneRef = useRef<HTMLParagraphElement>(null);
  // The form that had focus is gone once the request is sent: focus moves to the sentence saying so.
  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);
  const state = lineReturnState(order, line, now);
  const returns = order.returns.filter((r) => r.sku === line.sku);
  const label = `${line.productName} (${line.variantName})`;
  const nameId = `order-line-${line.sku}`;
  const variantName = (sku: string | undefined) =>
    otherVariants.find((v) => v.sku === sku)?.name ?? sku ?? '';

  return (
    <>
      <div className="order-line-what">
        <span className="order-line-name" id={nameId}>
          {label}
        </span>
        <span className="order-line-qty">
          {line.qty} × {formatMoney(line.unitPrice)}
        </span>
      </div>
      <p className="order-line-total">{formatMoney(line.lineTotal)}</p>
      {returns.length > 0 && (
        <ul className="order-line-returns" aria-label={`Returns of ${label}`}>
          {returns.map((r) => (
            <li key={r.id} data-return-status={r.status}>
              {r.kind === 'exchange' ? `Exchange for ${variantName(r.exchangeSku)}` : 'Return'} of {r.qty}
              {' · '}
              {REASON_LABELS[r.reason]}
              {' · '}
              <span className="order-return-status">{RETURN_STATUS_LABELS[r.status]}</span>
            </li>
          ))}
        </ul>
      )}
      <div className="order-line-return">
        {done && (
          <p role="status" ref={doneRef} tabIndex={-1} className="order-line-return-done">
            {done}
          </p>
        )}
        {!state.open ? (
          <p className="order-line-no-return" data-return-closed="true">
            {state.reason}
          </p>
        ) : open ? (
          <ReturnRequestForm
            order={order}
            line={line}
            remaining={state.remaining}
            lastDay={state.lastDay}
            otherVariants={otherVariants}
            onDone={() => {
              setOpen(false);
              setDone('Request sent. The brand will tell you what happens next.');
            }}
            onCancel={() => setOpen(false)}
          />
        ) : (
          <button
            type="button"
            aria-describedby={nameId}
            onClick={() => {
              setDone('');
              setOpen(true);
            }}
          >
            Return or exchange
          </button>
        )}
      </div>
    </>
  );
}
