/**
 * Whether the browser can start an XR session of a mode (`navigator.xr.isSessionSupported`), asked once
 * emulation (dev only, emulate.ts) is in place and again whenever the XR device changes (`devicechange`).
 */
import { useEffect, useState } from 'react';
import { ensureXREmulation } from './emulate';

/** True once `navigator.xr.isSessionSupported(mode)` has answered yes; false before and otherwise. */
export function useSessionSupported(mode: XRSessionMode): boolean {
  const [supported, setSupported] = useState(false);
  useEffect(() => {
    let live = true;
    let system: XRSystem | undefined;
    const check = (): void => {
      const xr = system;
      if (!xr) return;
      xr.isSessionSupported(mode).then(
        (yes) => {
          if (live) setSupported(yes);
        },
        () => {
          if (live) setSupported(false);
        },
      );
    };
    void ensureXREmulation().then(() => {
      if (!live) return;
      system = navigator.xr;
      system?.addEventListener('devicechange', check);
      check();
    });
    return () => {
      live = false;
      system?.removeEventListener('devicechange', check);
    };
  }, [mode]);
  return supported;
}
