/**
 * The app's one XR store (@react-three/xr `createXRStore`), created when this module is first imported (with the
 * showroom's 3D view, never with the catalog page). Side effects owned here: the store appends its DOM-overlay
 * root `<div>` to `document.body`, and it loads controller and hand models during a session, always from
 * this origin (/xr/input-profiles/, served from node_modules by vite.config.ts), never from the CDN that
 * @react-three/xr defaults to. Its built-in emulator is off: emulation is src/xr/emulate.ts's job (dev only).
 */
import { useSyncExternalStore } from 'react';
import { createXRStore } from '@react-three/xr';
import { DEFAULT_CONTROLLER_PROFILE, DEFAULT_HAND_PROFILE, INPUT_PROFILES_PATH } from './input-profile-files';

export { INPUT_PROFILES_PATH };

/**
 * The XR store: pass it to `<XR store={xrStore}>` inside a Canvas, call `xrStore.enterVR()` from a user
 * gesture, read `xrStore.getState().session` / `.mode`, end with `xrStore.getState().session?.end()`.
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
