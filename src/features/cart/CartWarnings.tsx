import { useState } from 'react';
import { acceptPriceChanges } from '../../db/cart-writes';
import type { CartWarning } from '../../protocol/cart';
import { warningText, type LineNamer } from './warning-text';

interface CartWarningsProps {
  warnings: readonly CartWarning[];
  nameOf: LineNamer;
}

/**
 * What changed in the cart since the shopper last looked, as the server reported it (prices, stock, variants no
 * longer sold, changes made before an order that were not applied), above the
 * lines, with "Accept new prices" when a price changed. Renders nothing when there is no warning.
 */
export default function CartWarnings({ warnings, nameOf }: CartWarningsProps) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState('');
  if (warnings.length === 0) return null;
  const priceChanged = warnings.some((w) => w.code === 'PRICE_CHANGED');

  const accept = async () => {
    setBusy(true);
    setFailure('');
    try {
      await acceptPriceChanges();
    } catch (err) {
      setFailure(`Could not accept the new prices: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="cart-warnings notice" aria-label="Cart changes">
      <h2 className="cart-warnings-title">Changes to your cart</h2>
      <ul>
        {warnings.map((w) => (
          <li key={`${w.code}:${w.sku}`} data-warning={w.code} data-sku={w.sku}>
            {warningText(w, nameOf)}
          </li>
        ))}
      </ul>
      {priceChanged && (
        <button type="button" onClick={() => void accept()} disabled={busy}>
          Accept new prices
        </button>
      )}
      {failure && <p role="alert">{failure}</p>}
    </section>
  );
}
