import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import { Link } from 'wouter';
import { formatMoney } from '../../core/money';
import { db } from '../../db/db';
import { refreshOrders } from '../../sync/orders';
import { formatDay, itemCount, ORDER_STATUS_LABELS, shortOrderId } from './order-text';
import './orders.css';

/**
 * The orders placed from this device's carts, newest first, read from the device (so they show offline);
 * online, the list is refreshed from the server when the page opens.
 */
export default function OrdersPage() {
  const orders = useLiveQuery(() => db.orders.orderBy('createdAt').reverse().toArray(), []);
  const [refreshError, setRefreshError] = useState('');

  useEffect(() => {
    if (!navigator.onLine) return;
    refreshOrders().then(
      () => setRefreshError(''),
      (err: unknown) =>
        setRefreshError(
          `The list could not be updated from the server: ${err instanceof Error ? err.message : String(err)}`,
        ),
    );
  }, []);

  if (orders === undefined) return null;
  return (
    <div className="orders-page">
      <title>Orders · Vitrine</title>
      <h1>Orders</h1>
      {refreshError && <p className="notice">{refreshError}</p>}
      {orders.length === 0 ? (
        <p>You have not placed any orders from this device yet.</p>
      ) : (
        <ul className="orders-list" aria-label="Orders">
          {orders.map((order) => (
            <li key={order.id} data-order-id={order.id}>
              <Link to={`/orders/${encodeURIComponent(order.id)}`}>Order {shortOrderId(order.id)}</Link>
              <span>{formatDay(order.createdAt)}</span>
              <span>
                {itemCount(order)} · {order.totals.map((t) => formatMoney(t)).join(' + ')}
              </span>
              <span className="order-status">{ORDER_STATUS_LABELS[order.status]}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
