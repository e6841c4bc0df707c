import { access, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  INPUT_PROFILES_PATH,
  controllerProfilesForUserAgent,
  inputProfileFiles,
} from '../../src/xr/input-profile-files';
import { INPUT_PROFILE_PATH } from '../../src/pwa/asset-caches';

// The files the app serves under /xr/input-profiles/ (vite.config.ts maps them to this package's dist/profiles).
const PROFILES_DIR = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@webxr-input-profiles/assets/package.json')),
  'dist/profiles',
);
const diskPath = (urlPath: string): string =>
  path.join(PROFILES_DIR, urlPath.slice(INPUT_PROFILES_PATH.length));
const fetchJson = async (urlPath: string): Promise<unknown> =>
  JSON.parse(await readFile(diskPath(urlPath), 'utf8')) as unknown;

describe('the input profile files a VR session needs', () => {
  it('resolves a Quest 3 to its controller models, plus the default controller and the hand models', async () => {
    const files = await inputProfileFiles(
      [['meta-quest-touch-plus', 'oculus-touch-v3', 'generic-trigger-squeeze-thumbstick']],
      fetchJson,
    );
    expect(files).toEqual(
      expect.arrayContaining([
        '/xr/input-profiles/profilesList.json',
        '/xr/input-profiles/meta-quest-touch-plus/profile.json',
        '/xr/input-profiles/meta-quest-touch-plus/left.glb',
        '/xr/input-profiles/meta-quest-touch-plus/right.glb',
        '/xr/input-profiles/generic-trigger/profile.json',
        '/xr/input-profiles/generic-hand/left.glb',
        '/xr/input-profiles/generic-hand/right.glb',
      ]),
    );
    expect(
      files.some((f) => f.includes('oculus-touch-v3')),
      'only the first known profile is used',
    ).toBe(false);
    // Every file exists in the package and is one the service worker's input profile route caches.
    for (const file of files) {
      await access(diskPath(file));
      expect(INPUT_PROFILE_PATH.test(file), file).toBe(true);
    }
    expect(new Set(files).size).toBe(files.length);
  });

  it('falls back to the default controller for unknown profile ids', async () => {
    const files = await inputProfileFiles([['acme-wand-9000']], fetchJson);
    expect(files.filter((f) => f.endsWith('profile.json'))).toEqual([
      '/xr/input-profiles/generic-trigger/profile.json',
    ]);
  });

  it('guesses Quest controllers from the user agent and nothing elsewhere', () => {
    const quest = (model: string) =>
      `Mozilla/5.0 (X11; Linux x86_64; ${model}) AppleWebKit/537.36 (KHTML, like Gecko) OculusBrowser/33.0.0 Chrome/126.0 VR Safari/537.36`;
    expect(controllerProfilesForUserAgent(quest('Quest 3'))).toEqual(['meta-quest-touch-plus']);
    expect(controllerProfilesForUserAgent(quest('Quest Pro'))).toEqual(['meta-quest-touch-pro']);
    expect(controllerProfilesForUserAgent(quest('Quest 2'))).toEqual(['oculus-touch-v3']);
    expect(
      controllerProfilesForUserAgent('Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0 Safari/537.36'),
    ).toEqual([]);
  });
});
