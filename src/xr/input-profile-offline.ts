/**
 * Keeping the headset's controller and hand models for offline VR. Side effect owned here: the input profile
 * cache (INPUT_PROFILE_CACHE), which the service worker serves from cache first. Without these files a VR session
 * offline would have no controllers (@react-three/xr makes no input source state for a controller whose layout it
 * cannot load), so "Save for offline" on a headset saves every served profile (input-profile-files.ts).
 */
import { INPUT_PROFILE_CACHE } from '../pwa/asset-caches';
import { INPUT_PROFILES_PATH, inputProfileFiles } from './input-profile-files';

/** The served profile files, read through the cache when they are in it (else from the network). */
async function listFiles(cache: Cache): Promise<string[]> {
  return inputProfileFiles(async (path) => {
    const response = (await cache.match(path)) ?? (await fetch(path));
    if (response.status !== 200) throw new Error(`${path}: HTTP ${response.status}`);
    return response.json();
  });
}

/** Whether every controller and hand model a VR session may ask for is in the cache. */
export async function inputProfilesSaved(): Promise<boolean> {
  const cache = await caches.open(INPUT_PROFILE_CACHE);
  if (!(await cache.match(`${INPUT_PROFILES_PATH}profilesList.json`))) return false;
  try {
    const files = await listFiles(cache);
    for (const path of files) if (!(await cache.match(path))) return false;
    return true;
  } catch {
    return false;
  }
}

/**
 * Puts every served controller and hand model into the input profile cache; files already there are not fetched
 * again. Resolves to the number of files fetched now.
 */
export async function saveInputProfilesForOffline(): Promise<number> {
  const cache = await caches.open(INPUT_PROFILE_CACHE);
  let fetched = 0;
  const files = await listFiles(cache);
  for (const path of files) {
    if (await cache.match(path)) continue;
    const response = await fetch(path);
    if (response.status !== 200) throw new Error(`${path}: HTTP ${response.status}`);
    await cache.put(path, response);
    fetched++;
  }
  return fetched;
}
