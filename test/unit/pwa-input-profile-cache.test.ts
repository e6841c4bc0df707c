import { describe, expect, it } from 'vitest';
import { INPUT_PROFILE_CACHE, INPUT_PROFILE_PATH, cacheFor } from '../../src/pwa/asset-caches';

/** Where src/xr/xr-store.ts points @react-three/xr for controller and hand models. */
const INPUT_PROFILES_PATH = '/xr/input-profiles/';

describe('the runtime cache of WebXR input profiles', () => {
  it('takes the profile list, profile descriptions and models served under the XR store base path', () => {
    for (const file of [
      'profilesList.json',
      'meta-quest-touch-plus/profile.json',
      'meta-quest-touch-plus/left.glb',
      'generic-hand/right.glb',
      'generic-trigger/none.glb',
    ]) {
      expect(INPUT_PROFILE_PATH.test(`${INPUT_PROFILES_PATH}${file}`), file).toBe(true);
    }
  });

  it('leaves everything else to other routes, and is not a budgeted model cache', () => {
    for (const path of [
      '/xr/input-profiles/',
      '/xr/input-profiles/a/b/c.glb',
      '/xr/input-profiles/../index.html',
      '/xr/input-profiles/generic-hand/left.png',
      '/assets/xr/input-profiles/profilesList.json',
      '/xr/other/profilesList.json',
    ]) {
      expect(INPUT_PROFILE_PATH.test(path), path).toBe(false);
    }
    expect(cacheFor('/xr/input-profiles/generic-hand/left.glb')).toBeUndefined();
    expect(INPUT_PROFILE_CACHE).not.toMatch(/models|posters/);
  });
});
