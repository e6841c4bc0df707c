/**
 * Keeping a headset's controller and hand models for offline VR. Side effects owned here: the
 * `xrInputProfiles` row of `db.meta` (the profile id lists this device's input sources have reported in VR,
 * JSON) and the input profile cache (INPUT_PROFILE_CACHE), which the service worker serves from cache first.
 * Without these files a VR session offline would have no controllers (the XR library makes no input source
 * state for a controller whose layout it cannot load).
 */
import { db } from '../db/db';
import { INPUT_PROFILE_CACHE } from '../pwa/asset-caches';
import { controllerProfilesForUserAgent, inputProfileFiles } from './input-profile-files';

const META_KEY = 'xrInputProfiles';

async function rememberedProfiles(): Promise<string[][]> {
  const row = await db.meta.get(META_KEY);
  if (typeof row?.value !== 'string') return [];
  try {
    const parsed: unknown = JSON.parse(row.value);
    return Array.isArray(parsed)
      ? parsed.filter(
          (ids): ids is string[] => Array.isArray(ids) && ids.every((id) => typeof id === 'string'),
        )
      : [];
  } catch {
    return [];
  }
}

/** Records the profile ids of a session's input sources (once per distinct list). */
export async function rememberInputProfiles(sources: Iterable<XRInputSource>): Promise<void> {
  const known = await rememberedProfiles();
  const seen = new Set(known.map((ids) => ids.join(' ')));
  let changed = false;
  for (const source of sources) {
    if (source.hand || source.profiles.length === 0) continue;
    const key = source.profiles.join(' ');
    if (seen.has(key)) continue;
    seen.add(key);
    known.push([...source.profiles]);
    changed = true;
  }
  if (changed) await db.meta.put({ key: META_KEY, value: JSON.stringify(known) });
}

/**
 * Puts every controller and hand model this device's VR sessions will ask for into the input profile cache:
 * the profiles seen in earlier sessions, the ones the user agent suggests, the default controller and the hand
 * models. Files already cached are not fetched again. Resolves to the number of files fetched now.
 */
export async function saveInputProfilesForOffline(): Promise<number> {
  const cache = await caches.open(INPUT_PROFILE_CACHE);
  let fetched = 0;
  const get = async (path: string): Promise<Response> => {
    const hit = await cache.match(path);
    if (hit) return hit;
    const response = await fetch(path);
    if (response.status !== 200) throw new Error(`${path}: HTTP ${response.status}`);
    await cache.put(path, response.clone());
    fetched++;
    return response;
  };
  const lists = [...(await rememberedProfiles()), controllerProfilesForUserAgent(navigator.userAgent)];
  const files = await inputProfileFiles(lists, async (path) => (await get(path)).json());
  for (const path of files) await get(path);
  return fetched;
}
