import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'wouter';
import { useHistoryState } from 'wouter/use-browser-location';
import { formatMoney } from '../../core/money';
import { db } from '../../db/db';
import { refreshOrder } from '../../sync/orders';
import OrderLineItem from './OrderLineItem';
import { formatDay, ORDER_STATUS_LABELS, shortOrderId } from './order-text';
import './orders.css';

/** Name of a country code in English ("PT" → "Portugal"). */
function countryName(code: string): string {
  return new Intl.DisplayNames(['en'], { type: 'region' }).of(code) ?? code;
}

/**
 * One order, readable offline: "Order placed" right after checkout (else "Order <short id>"), its lines with
 * their returns and "Return or exchange", the total, the delivery address and "Pay on delivery". Online, the
 * order is refreshed from the server when the page opens.
 */
export default function OrderPage() {
  const { id = '' } = useParams<{ id: string }>();
  const placed = (useHistoryState<{ placed?: boolean } | null>() ?? {}).placed === true;
  const [now] = useState(() => new Date().toISOString());
  const order = useLiveQuery(async () => (await db.orders.get(id)) ?? null, [id]);
  // The products give the variants to exchange for; the return policy comes with each order line (the one at
  // placement), never from the brand's current policy.
  const catalog = useLiveQuery(async () => {
    const o = await db.orders.get(id);
    if (!o) return { products: [] };
    const products = await db.products.bulkGet([...new Set(o.lines.map((l) => l.productId))]);
    return { products: products.filter((p) => p !== undefined) };
  }, [id]);

  useEffect(() => {
    if (navigator.onLine) refreshOrder(id).catch(() => undefined); // Offline or not this device's: show what is stored.
  }, [id]);

  if (order === undefined || catalog === undefined) return null;
  if (order === null) {
    return (
      <div className="order-page">
        <title>Order not found · Vitrine</title>
        <h1>Order not found</h1>
        <p>This device has no order with that number.</p>
        <p>
          <Link to="/orders">Back to the order list</Link>
        </p>
      </div>
    );
  }

  const heading = placed ? 'Order placed' : `Order ${shortOrderId(order.id)}`;
  const address = order.details.address;
  return (
    <div className="order-page" data-order-id={order.id} data-order-status={order.status}>
      <title>{`${heading} · Vitrine`}</title>
      <h1>{heading}</h1>
      <p className="order-meta">
        Order {shortOrderId(order.id)} · placed on {formatDay(order.createdAt)} ·{' '}
        <span className="order-status">{ORDER_STATUS_LABELS[order.status]}</span>
      </p>
      {placed && (
        <p className="notice" role="status">
          Thank you, {order.details.name}. Your order is confirmed.
        </p>
      )}
      <ul className="order-lines" aria-label="Order lines">
        {order.lines.map((line) => {
          const product = catalog.products.find((p) => p.id === line.productId);
          return (
            <li key={line.sku} className="order-line" data-sku={line.sku}>
              <OrderLineItem
                order={order}
                line={line}
                otherVariants={product?.variants.filter((v) => v.sku !== line.sku) ?? []}
                now={now}
              />
            </li>
          );
        })}
      </ul>
      <p className="order-total">
        <span>Total</span>
        <span className="order-total-amounts">
          {order.totals.map((t) => (
            <span key={t.currency}>{formatMoney(t)}</span>
          ))}
        </span>
      </p>
      <div className="order-facts">
        <section aria-labelledby="order-address-title">
          <h2 id="order-address-title">Delivery address</h2>
          <address>
            {order.details.name}
            <br />
            {address.line1}
            {address.line2 && (
              <>
                <br />
                {address.line2}
              </>
            )}
            <br />
            {address.postalCode} {address.city}
            <br />
            {countryName(address.country)}
          </address>
        </section>
        <section aria-labelledby="order-payment-title">
          <h2 id="order-payment-title">Payment</h2>
          <p>Pay on delivery</p>
          <p className="order-hint">You pay the courier when your order arrives.</p>
        </section>
      </div>
      <p>
        <Link to="/orders">Back to the order list</Link>
      </p>
    </div>
  );
}
