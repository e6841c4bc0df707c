/**
 * "Enter VR" button: shown only when the browser supports immersive VR; starts a session on the app's XR
 * store (the page's `<XR store={xrStore}>` canvas then renders in the headset). While a VR session runs it
 * reads "Exit VR" and ends it. A failure to start is reported in a role=alert text next to it.
 */
import { useState } from 'react';
import { useSessionSupported } from './use-session-supported';
import { useXRPresence, xrStore } from './xr-store';

/** Props of the Enter VR button. */
export interface EnterVRButtonProps {
  className?: string;
  /**
   * Runs in the click, just before the session is requested: a page with more than one `<XR>` canvas connects
   * the store to the one that should show the session (`xrStore.setWebXRManager(gl.xr)`).
   */
  beforeEnter?: () => void;
  /** False until the page's `<XR>` canvas exists (the button stays disabled): a session needs one to show in. */
  ready?: boolean;
}

/** Button that enters (and leaves) immersive VR; renders nothing where VR is not supported. */
export function EnterVRButton({ className, beforeEnter, ready = true }: EnterVRButtonProps) {
  const supported = useSessionSupported('immersive-vr');
  const presence = useXRPresence();
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!supported) return null;

  const enter = (): void => {
    setError(null);
    setStarting(true);
    beforeEnter?.();
    xrStore
      .enterVR()
      .catch((reason: unknown) => {
        setError(reason instanceof Error ? reason.message : String(reason));
      })
      .finally(() => setStarting(false));
  };
  const exit = (): void => {
    void xrStore.getState().session?.end();
  };

  return (
    <div className={className}>
      {presence === 'vr' ? (
        <button type="button" onClick={exit}>
          Exit VR
        </button>
      ) : (
        <button type="button" onClick={enter} disabled={!ready || starting || presence !== 'none'}>
          Enter VR
        </button>
      )}
      {error !== null && <p role="alert">Could not enter VR: {error}</p>}
    </div>
  );
}
