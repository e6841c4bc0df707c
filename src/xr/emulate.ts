/**
 * WebXR emulation switch for development: with `?xr-emulate=quest3` in the address, a dev build loads IWER
 * (quest3-emulator.ts) on demand and installs an emulated Quest 3 before the app asks whether VR is supported.
 * In production builds `import.meta.env.DEV` is false, so the import below is dead code: the emulator is not
 * in the bundle at all (test/integration/xr-build-output.test.ts checks the built app). Production-build e2e
 * tests inject the same module themselves (test/e2e/xr-emulator.ts).
 */

/** The `xr-emulate` value that installs an emulated Meta Quest 3. */
export const QUEST3 = 'quest3';

let pending: Promise<void> | undefined;

/**
 * Resolves once WebXR emulation is in place when the address asks for it in a dev build, at once otherwise.
 * Await it before `navigator.xr.isSessionSupported` so the answer comes from the emulated headset.
 */
export function ensureXREmulation(): Promise<void> {
  if (!import.meta.env.DEV) return Promise.resolve();
  if (pending) return pending;
  if (new URLSearchParams(window.location.search).get('xr-emulate') !== QUEST3) return Promise.resolve();
  pending = import('./quest3-emulator').then(({ installQuest3Emulator }) => {
    installQuest3Emulator();
  });
  return pending;
}
