import { lazy, Suspense, useState } from 'react';
import { ensureServerCart } from '../../sync/cart-sync';
import { cartJoinUrl } from '../../protocol/cart-link';

const HandOffPanel = lazy(() => import('./HandOffPanel'));

interface HandOffProps {
  online: boolean;
}

/**
 * "Continue on another device": makes sure the cart exists on the server (that needs a connection, so the
 * button is disabled offline and says why), then shows the cart link, its QR code and "Copy link".
 */
export default function HandOff({ online }: HandOffProps) {
  const [url, setUrl] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState('');

  const reveal = async () => {
    setBusy(true);
    setFailure('');
    try {
      const { cartId, token } = await ensureServerCart();
      setUrl(cartJoinUrl(window.location.origin, cartId, token));
    } catch (err) {
      setFailure(`Could not make a link to this cart: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="cart-handoff" aria-labelledby="handoff-title">
      <h2 id="handoff-title" className="visually-hidden">
        Another device
      </h2>
      <button
        type="button"
        onClick={() => void reveal()}
        disabled={!online || busy}
        aria-expanded={url !== undefined}
        aria-controls={url ? 'handoff-panel' : undefined}
        aria-describedby={online ? undefined : 'handoff-offline'}
      >
        Continue on another device
      </button>
      {!online && (
        <p id="handoff-offline" className="cart-handoff-reason">
          Needs a connection: the link is made on the server.
        </p>
      )}
      {failure && <p role="alert">{failure}</p>}
      {url && (
        <Suspense fallback={<p role="status">Making the link…</p>}>
          <HandOffPanel url={url} />
        </Suspense>
      )}
    </section>
  );
}
