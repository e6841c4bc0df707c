import { access, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  HOSTED_INPUT_PROFILES,
  INPUT_PROFILES_PATH,
  inputProfileFiles,
} from '../../src/xr/input-profile-files';
import { INPUT_PROFILE_PATH } from '../../src/pwa/asset-caches';

// The package vite.config.ts serves /xr/input-profiles/ from, with profilesList.json cut down to the hosted
// profiles as the plugin does.
const PROFILES_DIR = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@webxr-input-profiles/assets/package.json')),
  'dist/profiles',
);
const diskPath = (urlPath: string): string =>
  path.join(PROFILES_DIR, urlPath.slice(INPUT_PROFILES_PATH.length));
async function servedJson(urlPath: string): Promise<unknown> {
  const json = JSON.parse(await readFile(diskPath(urlPath), 'utf8')) as Record<string, unknown>;
  if (!urlPath.endsWith('/profilesList.json')) return json;
  return Object.fromEntries(Object.entries(json).filter(([id]) => HOSTED_INPUT_PROFILES.includes(id)));
}

describe('the input profile files a VR session may ask for', () => {
  it('lists every hosted profile with its models, and the hand models', async () => {
    const files = await inputProfileFiles(servedJson);
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
    // Only hosted profiles: a file of any other would be a 404 for the save.
    for (const file of files) {
      const folder = file.slice(INPUT_PROFILES_PATH.length).split('/')[0] ?? '';
      if (folder !== 'profilesList.json') expect(HOSTED_INPUT_PROFILES, file).toContain(folder);
      await access(diskPath(file));
      expect(INPUT_PROFILE_PATH.test(file), file).toBe(true);
    }
    expect(new Set(files).size).toBe(files.length);
  });

  it('refuses a list or profile it cannot read', async () => {
    await expect(inputProfileFiles(async () => 'nope')).rejects.toThrow(/not a profiles list/);
    await expect(
      inputProfileFiles(async (p) =>
        p.endsWith('profilesList.json') ? { x: { path: 'x/profile.json' } } : {},
      ),
    ).rejects.toThrow(/has no layouts/);
  });
});
