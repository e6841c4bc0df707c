/**
 * Which files of the self-hosted WebXR input profiles (/xr/input-profiles/, from @webxr-input-profiles/assets)
 * a headset needs for its controllers and hands: the same resolution @react-three/xr does (the first of an input
 * source's profile ids that the profiles list knows, else the store's default), so that "Save for offline" can
 * fetch exactly what a VR session will ask for. Pure apart from the `fetchJson` it is given.
 */

/** Folder of the self-hosted WebXR input profiles, relative to the origin. */
export const INPUT_PROFILES_PATH = '/xr/input-profiles/';
/** The controller profile used when none of an input source's profile ids is known (the XR store's default). */
export const DEFAULT_CONTROLLER_PROFILE = 'generic-trigger';
/** The hand profile every tracked hand uses (the XR store's default). */
export const DEFAULT_HAND_PROFILE = 'generic-hand';

/** An entry of `profilesList.json`: where a profile's `profile.json` is, relative to the folder. */
interface ProfileListEntry {
  path: string;
}

/** The part of a `profile.json` read here: each layout's model file, relative to the profile.json. */
interface ProfileJson {
  layouts: Record<string, { assetPath?: string } | undefined>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * Controller profile ids a browser's user agent suggests, most specific first (before any VR session has
 * shown the real ones): Meta Quest models by name, nothing for other browsers.
 */
export function controllerProfilesForUserAgent(userAgent: string): string[] {
  if (!/OculusBrowser|Quest/.test(userAgent)) return [];
  if (/Quest 3/.test(userAgent)) return ['meta-quest-touch-plus'];
  if (/Quest Pro/.test(userAgent)) return ['meta-quest-touch-pro'];
  if (/Quest 2/.test(userAgent)) return ['oculus-touch-v3'];
  if (/Quest 1|Quest\)/.test(userAgent)) return ['oculus-touch-v2'];
  return ['meta-quest-touch-plus', 'oculus-touch-v3'];
}

/**
 * Paths (from the origin) of every file a VR session needs for controllers with the given profile id lists
 * (each list as an input source reports it, most specific first) and for tracked hands: `profilesList.json`,
 * each resolved profile's `profile.json` and its layouts' models, the default controller profile's, and the
 * hand models. Sorted, each once.
 */
export async function inputProfileFiles(
  profileIdLists: readonly (readonly string[])[],
  fetchJson: (path: string) => Promise<unknown>,
): Promise<string[]> {
  const listPath = `${INPUT_PROFILES_PATH}profilesList.json`;
  const list = await fetchJson(listPath);
  if (!isRecord(list)) throw new Error(`${listPath} is not a profiles list`);
  const entryOf = (id: string): ProfileListEntry | undefined => {
    const entry = list[id];
    return isRecord(entry) && typeof entry.path === 'string' ? { path: entry.path } : undefined;
  };

  const profilePaths = new Set<string>();
  for (const ids of [...profileIdLists, [DEFAULT_CONTROLLER_PROFILE]]) {
    const entry = ids.map(entryOf).find((e) => e !== undefined) ?? entryOf(DEFAULT_CONTROLLER_PROFILE);
    if (entry) profilePaths.add(new URL(entry.path, `https://x${INPUT_PROFILES_PATH}`).pathname);
  }

  const files = new Set<string>([listPath]);
  for (const profilePath of profilePaths) {
    files.add(profilePath);
    const profile = await fetchJson(profilePath);
    if (!isRecord(profile) || !isRecord(profile.layouts)) throw new Error(`${profilePath} has no layouts`);
    for (const layout of Object.values((profile as unknown as ProfileJson).layouts)) {
      if (layout?.assetPath) files.add(new URL(layout.assetPath, `https://x${profilePath}`).pathname);
    }
  }
  for (const hand of ['left', 'right'])
    files.add(`${INPUT_PROFILES_PATH}${DEFAULT_HAND_PROFILE}/${hand}.glb`);
  return [...files].sort();
}
