interface SyncStatusLineProps {
  /** Cart changes on this device the server has not acknowledged yet. */
  pendingCount: number;
  online: boolean;
}

/**
 * Whether the server has every cart change: "1 change not yet sent", "N changes not yet sent" or "All changes saved". A live region
 * named by its own text, so tests and assistive technology find it by what it says; the offline hint sits
 * outside it so the status text stays exactly one of the two sentences.
 */
export default function SyncStatusLine({ pendingCount, online }: SyncStatusLineProps) {
  const text =
    pendingCount === 0
      ? 'All changes saved'
      : `${pendingCount} ${pendingCount === 1 ? 'change' : 'changes'} not yet sent`;
  return (
    <div className="cart-sync">
      <p className="cart-sync-status" role="status" aria-label={text} data-pending-count={pendingCount}>
        {text}
      </p>
      {pendingCount > 0 && !online && (
        <p className="cart-sync-hint">They are kept on this device and sent when the connection is back.</p>
      )}
    </div>
  );
}
