/**
 * The app's one XR store (@react-three/xr `createXRStore`), created when this module is first imported (with the
 * showroom's 3D view, never with the catalog page). Side effects owned here: the store appends its DOM-overlay
 * root `<div>` to `document.body`, and it loads controller and hand models during a session, always from
 * this origin (/xr/input-profiles/, served from node_modules by vite.config.ts), never from the CDN that
 * @react-three/xr defaults to; the first VR session online caches all of them for offline sessions (see
 * input-profile-offline.ts). Its built-in emulator is off: emulation is src/xr/emulate.ts's job (dev only).
 * VR sessions use the store's own session init; AR try-on requests its session itself with {@link arSessionInit}
 * (src/xr/ar/ar-session-request.ts) and hands it to the store's renderer.
 */
import { useSyncExternalStore } from 'react';
import { createXRStore } from '@react-three/xr';
import { DEFAULT_CONTROLLER_PROFILE, DEFAULT_HAND_PROFILE, INPUT_PROFILES_PATH } from './input-profile-files';

export { INPUT_PROFILES_PATH };

/**
 * The XR store: pass it to `<XR store={xrStore}>` inside a Canvas, call `xrStore.enterVR()` from a user gesture,
 * read `xrStore.getState().session` / `.mode`, end with `xrStore.getState().session?.end()`.
 */
export const xrStore = createXRStore({
  // Absolute: the loaders resolve profile and model paths with `new URL(relative, baseAssetPath)`.
  baseAssetPath: new URL(INPUT_PROFILES_PATH, window.location.origin).href,
  defaultControllerProfileId: DEFAULT_CONTROLLER_PROFILE,
  defaultXRHandProfileId: DEFAULT_HAND_PROFILE,
  // No emulator injected by the library (it would load IWER on any localhost page): see emulate.ts.
  emulate: false,
  // Sessions start from our own "Enter VR" button; a browser-offered session would pick AR on a Quest 3.
  offerSession: false,
  enterGrantedSession: ['immersive-vr'],
});

/**
 * The session init of AR try-on: `hit-test` required (no placement without it), `anchors` (products stay put),
 * `dom-overlay` on the store's overlay root (the phone's buttons) and `light-estimation` optional. No plane or
 * mesh detection, hands or layers: AR placement does not use them.
 */
export function arSessionInit(domOverlayRoot: Element | undefined): XRSessionInit {
  const init: XRSessionInit = {
    requiredFeatures: ['local-floor', 'hit-test'],
    optionalFeatures: ['anchors', 'dom-overlay', 'light-estimation'],
  };
  if (domOverlayRoot) init.domOverlay = { root: domOverlayRoot };
  return init;
}

// A first VR session online keeps every served controller and hand model for later offline sessions (whatever
// input the headset switches to then), as "Save for offline" does on a headset; the download runs in the
// background and a failure only means the files come on demand next time.
let cachedOnce = false;
xrStore.subscribe(({ session, mode }) => {
  if (cachedOnce || session == null || mode !== 'immersive-vr' || !navigator.onLine) return;
  cachedOnce = true;
  import('./input-profile-offline')
    .then(({ saveInputProfilesForOffline }) => saveInputProfilesForOffline())
    .catch((error: unknown) => {
      cachedOnce = false;
      console.warn('Could not keep the controller models for offline VR', error);
    });
});

/** What kind of XR session is running: `none`, `vr` (immersive-vr) or `ar` (immersive-ar). */
export type XRPresence = 'none' | 'vr' | 'ar';

function presence(): XRPresence {
  const { session, mode } = xrStore.getState();
  if (session == null) return 'none';
  return mode === 'immersive-ar' ? 'ar' : 'vr';
}

/** The current XR presence, re-rendering when a session starts or ends. Usable outside the Canvas. */
export function useXRPresence(): XRPresence {
  return useSyncExternalStore(xrStore.subscribe, presence, () => 'none');
}
