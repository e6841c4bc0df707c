/**
 * Asks the browser for the `immersive-ar` session of AR try-on. Side effect owned here: the session request
 * itself. It must run inside the shopper's tap (a real phone refuses a session requested without user
 * activation, with NotAllowedError), so the product page loads this small module ahead of the tap and calls it
 * synchronously from the click handler; ARScene then hands the granted session to its canvas.
 */
import { arSessionInit, xrStore } from '../xr-store';

/**
 * Requests an `immersive-ar` session with {@link arSessionInit} (hit test required; anchors, DOM overlay on the
 * XR store's overlay root and light estimation optional). Call it from a user gesture.
 */
export function requestARSession(): Promise<XRSession> {
  const xr = typeof navigator === 'undefined' ? undefined : navigator.xr;
  if (!xr) return Promise.reject(new DOMException('WebXR is not available.', 'NotSupportedError'));
  return xr.requestSession('immersive-ar', arSessionInit(xrStore.getState().domOverlayRoot));
}
