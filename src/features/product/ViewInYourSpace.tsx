/**
 * "View in your space" on the product page, for every product. Where the browser has WebXR `immersive-ar`
 * (Android Chrome, Meta Quest), it starts AR try-on (src/xr/ar/, a chunk loaded on demand and prefetched once AR
 * is known to be supported); where it has AR Quick Look (iPhone, iPad), it opens the product's USDZ there
 * (./quick-look); elsewhere the button says why AR is not available and the 3D viewer above stays the way to
 * look at the product. A model too heavy for a phone (core/model-budget) asks before AR starts.
 */
import { lazy, Suspense, useEffect, useState } from 'react';
import { modelBudget } from '../../core/model-budget';
import type { Product, Variant } from '../../protocol/catalog';
import { ensureXREmulation } from '../../xr/emulate';
import { openQuickLook, quickLookSupported } from './quick-look';

const loadARSession = () => import('../../xr/ar/ARSession');
const ARSession = lazy(loadARSession);

/** Which AR this device offers: WebXR AR, AR Quick Look, none, or not known yet. */
type ARSupport = 'checking' | 'webxr' | 'quick-look' | 'none';

/** What the control shows now. */
type Phase = { name: 'idle' } | { name: 'confirm'; reason: string } | { name: 'ar' } | { name: 'opening' };

/** The sentence shown where neither WebXR AR nor Quick Look is available. */
export const NO_AR_TEXT =
  'AR is not available on this device: viewing a product in your space needs a phone or headset with ' +
  'augmented reality in the browser (Chrome on Android, Meta Quest) or AR Quick Look (Safari on iPhone and ' +
  'iPad). The 3D view above shows it at its real dimensions.';

/** Asks the browser (after dev-only emulation is in place) which AR it offers; re-asks when the XR device changes. */
function useARSupport(): ARSupport {
  const [support, setSupport] = useState<ARSupport>('checking');
  useEffect(() => {
    let live = true;
    let system: XRSystem | undefined;
    const fallback = (): ARSupport => (quickLookSupported() ? 'quick-look' : 'none');
    const check = (): void => {
      const xr = system;
      if (!xr) return;
      xr.isSessionSupported('immersive-ar').then(
        (yes) => {
          if (live) setSupport(yes ? 'webxr' : fallback());
        },
        () => {
          if (live) setSupport(fallback());
        },
      );
    };
    void ensureXREmulation().then(() => {
      if (!live) return;
      system = navigator.xr;
      if (!system) {
        setSupport(fallback());
        return;
      }
      system.addEventListener('devicechange', check);
      check();
    });
    return () => {
      live = false;
      system?.removeEventListener('devicechange', check);
    };
  }, []);
  return support;
}

/** Props of the "View in your space" control. */
export interface ViewInYourSpaceProps {
  product: Product;
  /** The variant selected on the page: AR and Quick Look show it. */
  variant: Variant;
  /** The shopper switched the variant inside AR: the page selects it too. */
  onSelectSku?: (sku: string) => void;
}

/** The "View in your space" button and what it opens. */
export default function ViewInYourSpace({ product, variant, onSelectSku }: ViewInYourSpaceProps) {
  const support = useARSupport();
  const [phase, setPhase] = useState<Phase>({ name: 'idle' });
  const [error, setError] = useState<string | null>(null);
  const [explained, setExplained] = useState(false);

  // Fetch the AR chunk ahead of the tap where it will be used (a failed prefetch is retried on the tap).
  useEffect(() => {
    if (support === 'webxr') loadARSession().catch(() => undefined);
  }, [support]);

  const start = (): void => {
    setError(null);
    if (support === 'webxr') {
      setPhase({ name: 'ar' });
      return;
    }
    setPhase({ name: 'opening' });
    openQuickLook(product, variant).then(
      () => setPhase({ name: 'idle' }),
      (reason: unknown) => {
        setError(reason instanceof Error ? reason.message : String(reason));
        setPhase({ name: 'idle' });
      },
    );
  };

  const onPress = (): void => {
    if (support === 'none') {
      setExplained((v) => !v);
      return;
    }
    const budget = modelBudget(product.model);
    if (!budget.ok) setPhase({ name: 'confirm', reason: budget.reason });
    else start();
  };

  const busy = support === 'checking' || phase.name === 'ar' || phase.name === 'opening';
  return (
    <div className="view-in-your-space">
      <button
        type="button"
        onClick={onPress}
        disabled={busy}
        aria-expanded={support === 'none' ? explained : undefined}
        data-ar-support={support}
      >
        View in your space
      </button>
      {support === 'none' && explained && (
        <p className="notice" role="status">
          {NO_AR_TEXT}
        </p>
      )}
      {phase.name === 'confirm' && (
        <div className="notice" role="alertdialog" aria-label="Large model">
          <p>{phase.reason}</p>
          <button type="button" onClick={start}>
            Continue
          </button>{' '}
          <button type="button" onClick={() => setPhase({ name: 'idle' })}>
            Cancel
          </button>
        </div>
      )}
      {phase.name === 'opening' && <p role="status">Opening AR Quick Look…</p>}
      {phase.name === 'ar' && (
        <Suspense fallback={<p role="status">Starting AR…</p>}>
          <ARSession
            product={product}
            sku={variant.sku}
            onSelectSku={onSelectSku}
            onEnd={(reason) => {
              setPhase({ name: 'idle' });
              if (reason !== null) setError(reason);
            }}
          />
        </Suspense>
      )}
      {error !== null && (
        <p className="notice notice-error" role="alert">
          Could not show it in your space: {error}
        </p>
      )}
    </div>
  );
}
