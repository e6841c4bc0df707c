import { useState } from 'react';
import QrCode from './QrCode';

interface HandOffPanelProps {
  /** `${origin}/cart/join#<cartId>.<token>`: the secret only in the fragment, which never reaches a server. */
  url: string;
}

/**
 * The cart link to open on another device: as text, as a QR code to scan, and a "Copy link" button. Loaded on
 * demand, so the QR encoder ships only to shoppers who ask for it.
 */
export default function HandOffPanel({ url }: HandOffPanelProps) {
  const [copyStatus, setCopyStatus] = useState('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopyStatus('Link copied');
    } catch {
      setCopyStatus('Could not copy: select the link and copy it yourself.');
    }
  };
  return (
    <div className="handoff-panel" id="handoff-panel">
      <p>
        Open this link on your other device, or scan the code with its camera. Both devices then share this
        cart. Anyone with the link can see and change the cart, so share it only with yourself.
      </p>
      <p className="handoff-link">
        <a href={url} data-testid="cart-link">
          {url}
        </a>
      </p>
      <QrCode text={url} label="QR code of the cart link" />
      <div className="handoff-copy">
        <button type="button" onClick={() => void copy()}>
          Copy link
        </button>
        <span role="status">{copyStatus}</span>
      </div>
    </div>
  );
}
