/**
 * Emulated Meta Quest 3 (IWER) for development and tests only: installs IWER's WebXR runtime over the
 * browser's own `navigator.xr` and publishes the device as `window.vitrineXRDevice`, so a developer or a test
 * can drive the headset and controllers through IWER's device API (position, quaternion,
 * `controllers.right.updateButtonValue('trigger', 1)`, `activeSession.end()`). Side effects owned here: replaces
 * `navigator.xr`, `navigator.userAgent`, the WebXR globals and `makeXRCompatible` on WebGL contexts.
 * Never imported by production code: dev loads it through emulate.ts, e2e tests inject a bundle of it.
 */
import { XRDevice, metaQuest3 } from 'iwer';

declare global {
  interface Window {
    /** The emulated headset, when IWER emulation is installed (dev `?xr-emulate=quest3`, or tests). */
    vitrineXRDevice?: XRDevice;
  }
}

/**
 * Installs an emulated Quest 3 once per page and returns it (the same device on later calls).
 * `forceInstall`: Chromium has its own `navigator.xr`, which IWER otherwise leaves alone.
 */
export function installQuest3Emulator(): XRDevice {
  const existing = window.vitrineXRDevice;
  if (existing) return existing;
  const device = new XRDevice(metaQuest3);
  device.installRuntime({ forceInstall: true });
  window.vitrineXRDevice = device;
  return device;
}
