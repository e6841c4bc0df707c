/**
 * "View in your space" on the product page, for every product. Where the browser has WebXR `immersive-ar`
 * (Android Chrome, Meta Quest), it starts AR try-on (src/xr/ar/, a chunk loaded on demand and prefetched once AR
 * is known to be supported); where it has AR Quick Look (iPhone, iPad), it opens the product's USDZ there
 * (./quick-look); elsewhere the button says why AR is not available and the 3D viewer above stays the way to
 * look at the product. A model too heavy for a phone (core/model-budget) asks before AR starts.
 *
 * The `immersive-ar` session is requested inside the tap itself (phones refuse one requested later, without user
 * activation): the small module that requests it is loaded with the AR chunk's prefetch, and the granted session
 * is handed to the AR view once that has loaded. An AR view that fails (its download, WebGL, a render error)
 * ends AR with a sentence and leaves the rest of the page as it was.
 *
 * Side effect owned here: the module-level reference to the prefetched session-request module.
 */
import { lazy, Suspense, useEffect, useId, useRef, useState } from 'react';
import { modelBudget } from '../../core/model-budget';
import type { Product, Variant } from '../../protocol/catalog';
import { ARErrorBoundary } from '../../xr/ar/ARErrorBoundary';
import { ensureXREmulation } from '../../xr/emulate';
import { openQuickLook, quickLookSupported } from './quick-look';

const loadARSession = () => import('../../xr/ar/ARSession');
const ARSession = lazy(loadARSession);
const loadSessionRequest = () => import('../../xr/ar/ar-session-request');
/** The session-request module once prefetched: the tap then requests the session synchronously. */
let sessionRequest: Awaited<ReturnType<typeof loadSessionRequest>> | null = null;

/** Requests the AR session now (in the tap) when the module is here, else as soon as it has loaded. */
function requestSession(): Promise<XRSession> {
  const session = sessionRequest
    ? sessionRequest.requestARSession()
    : loadSessionRequest().then((module) => {
        sessionRequest = module;
        return module.requestARSession();
      });
  // The AR view handles a refusal; until it has loaded, this keeps the refusal from going unhandled.
  session.catch(() => undefined);
  return session;
}

/** Ends `session` once granted (a refused or already ended one needs nothing). */
function endSession(session: Promise<XRSession>): void {
  session.then(
    (granted) => {
      try {
        return granted.end().catch(() => undefined);
      } catch {
        // Already ended.
        return undefined;
      }
    },
    () => undefined,
  );
}

/** Which AR this device offers: WebXR AR, AR Quick Look, none, or not known yet. */
type ARSupport = 'checking' | 'webxr' | 'quick-look' | 'none';

/** What the control shows now. */
type Phase =
  | { name: 'idle' }
  | { name: 'confirm'; reason: string }
  | { name: 'ar'; session: Promise<XRSession>; running: boolean }
  | { name: 'opening' };

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
  const buttonRef = useRef<HTMLButtonElement>(null);
  const continueRef = useRef<HTMLButtonElement>(null);
  /** Whether focus goes back to the button once it is enabled again (after the dialog or AR). */
  const returnFocus = useRef(false);
  const ids = useId();
  const checkingId = `${ids}-checking`;
  const reasonId = `${ids}-reason`;

  // Fetch the AR chunk and the session request ahead of the tap where they will be used (a failed prefetch is
  // retried on the tap).
  useEffect(() => {
    if (support !== 'webxr') return;
    loadARSession().catch(() => undefined);
    loadSessionRequest().then(
      (module) => {
        sessionRequest = module;
      },
      () => undefined,
    );
  }, [support]);

  // The dialog takes focus when it opens; the button gets it back when the dialog or AR is done.
  useEffect(() => {
    if (phase.name === 'confirm') continueRef.current?.focus();
    if (phase.name === 'idle' && returnFocus.current) {
      returnFocus.current = false;
      buttonRef.current?.focus();
    }
  }, [phase.name]);

  const endAR = (session: Promise<XRSession>, reason: string | null): void => {
    endSession(session);
    returnFocus.current = true;
    setPhase({ name: 'idle' });
    if (reason !== null) setError(reason);
  };

  const start = (): void => {
    setError(null);
    if (support === 'webxr') {
      // In the tap: the browser grants an immersive session only with the user's activation.
      setPhase({ name: 'ar', session: requestSession(), running: false });
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
        ref={buttonRef}
        type="button"
        onClick={onPress}
        disabled={busy}
        aria-expanded={support === 'none' ? explained : undefined}
        aria-describedby={support === 'checking' ? checkingId : undefined}
        data-ar-support={support}
      >
        View in your space
      </button>
      {support === 'checking' && (
        <p id={checkingId} className="notice" role="status">
          Checking whether this device can show AR…
        </p>
      )}
      {support === 'none' && explained && (
        <p className="notice" role="status">
          {NO_AR_TEXT}
        </p>
      )}
      {phase.name === 'confirm' && (
        <div className="notice" role="alertdialog" aria-label="Large model" aria-describedby={reasonId}>
          <p id={reasonId}>{phase.reason}</p>
          <button ref={continueRef} type="button" onClick={start}>
            Continue
          </button>{' '}
          <button
            type="button"
            onClick={() => {
              returnFocus.current = true;
              setPhase({ name: 'idle' });
            }}
          >
            Cancel
          </button>
        </div>
      )}
      {phase.name === 'opening' && <p role="status">Opening AR Quick Look…</p>}
      {phase.name === 'ar' && !phase.running && <p role="status">Starting AR…</p>}
      {phase.name === 'ar' && (
        <ARErrorBoundary
          onError={() =>
            endAR(
              phase.session,
              'AR stopped because of an error on this device. The 3D view above still works.',
            )
          }
        >
          <Suspense fallback={null}>
            <ARSession
              product={product}
              session={phase.session}
              sku={variant.sku}
              onSelectSku={onSelectSku}
              onRunning={() => setPhase((p) => (p.name === 'ar' ? { ...p, running: true } : p))}
              onEnd={(reason) => endAR(phase.session, reason)}
            />
          </Suspense>
        </ARErrorBoundary>
      )}
      {error !== null && (
        <p className="notice notice-error" role="alert">
          Could not show it in your space: {error}
        </p>
      )}
    </div>
  );
}
