/**
 * Emulated Meta Quest 3 (IWER) for development and tests only: installs IWER's WebXR runtime over the
 * browser's own `navigator.xr` and publishes the device as `window.vitrineXRDevice`, so a developer or a test
 * can drive the headset and controllers through IWER's device API (position, quaternion,
 * `controllers.right.updateButtonValue('trigger', 1)`, `activeSession.end()`). Side effects owned here: replaces
 * `navigator.xr`, `navigator.userAgent`, the WebXR globals and `makeXRCompatible` on WebGL contexts.
 * With a synthetic room (@iwer/sem), `immersive-ar` sessions get a rendered room behind the app's canvas and
 * hit tests against the room's captured mesh; the caller passes the module class and the room's JSON (one of
 * `node_modules/@iwer/sem/captures/*.json`), so this file pulls in neither and nothing is fetched.
 * Never imported by production code: dev loads it through emulate.ts, e2e tests inject a bundle of it.
 */
import { XRDevice, metaQuest3 } from 'iwer';

declare global {
  interface Window {
    /** The emulated headset, when IWER emulation is installed (dev `?xr-emulate=quest3`, or tests). */
    vitrineXRDevice?: XRDevice;
  }
}

/** A synthetic room for `immersive-ar`: IWER's Synthetic Environment Module class and a room capture. */
export interface SyntheticRoom {
  /** `SyntheticEnvironmentModule` from `@iwer/sem`. */
  module: Parameters<XRDevice['installSEM']>[0];
  /** A room capture as JSON (e.g. `@iwer/sem/captures/office_small.json`), loaded with `loadEnvironment`. */
  environment: unknown;
}

/**
 * Installs an emulated Quest 3 once per page and returns it (the same device on later calls), with a
 * synthetic room for AR when one is given. `forceInstall`: Chromium has its own `navigator.xr`, which IWER
 * otherwise leaves alone.
 */
export function installQuest3Emulator(room?: SyntheticRoom): XRDevice {
  const existing = window.vitrineXRDevice;
  if (existing) return existing;
  const device = new XRDevice(metaQuest3);
  device.installRuntime({ forceInstall: true });
  if (room) {
    device.installSEM(room.module);
    device.sem?.loadEnvironment(room.environment);
  }
  window.vitrineXRDevice = device;
  return device;
}
