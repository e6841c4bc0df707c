import { useSyncExternalStore } from 'react';
import { isClosedByUpgrade, subscribeClosedByUpgrade } from '../db/version-change';

/**
 * Banner shown when another tab upgraded the database (a newer version of Vitrine runs there): this tab has
 * let go of it and must reload to read and write again. Renders nothing otherwise.
 */
export default function ReloadForUpgradePrompt() {
  const closed = useSyncExternalStore(subscribeClosedByUpgrade, isClosedByUpgrade, isClosedByUpgrade);
  if (!closed) return null;
  return (
    <div className="update-prompt" role="alert">
      <span>Vitrine was updated in another tab. Reload this tab to keep shopping; your cart is kept.</span>
      <button type="button" className="button-primary" onClick={() => window.location.reload()}>
        Reload
      </button>
    </div>
  );
}
