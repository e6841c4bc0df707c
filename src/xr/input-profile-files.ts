/**
 * The WebXR input profiles the app serves from its own origin (/xr/input-profiles/, from
 * @webxr-input-profiles/assets; vite.config.ts serves exactly these) and the list of their files, so that "Save
 * for offline" on a headset can keep every file a VR session may ask for. @react-three/xr picks the first of an
 * input source's profile ids that the served `profilesList.json` knows, else the default controller; with every
 * hosted profile saved, any controller finds its files offline. Pure apart from the `fetchJson` it is given.
 */

/** Folder of the self-hosted WebXR input profiles, relative to the origin. */
export const INPUT_PROFILES_PATH = '/xr/input-profiles/';
/** The controller profile used when none of an input source's profile ids is served (the XR store's default). */
export const DEFAULT_CONTROLLER_PROFILE = 'generic-trigger';
/** The hand profile every tracked hand uses (the XR store's default). */
export const DEFAULT_HAND_PROFILE = 'generic-hand';
/**
 * The profiles served: Meta Quest Touch Plus (Quest 3), the default controller and the hands. The package holds
 * about 60 MB of profiles; these three are about 4.5 MB.
 */
export const HOSTED_INPUT_PROFILES: readonly string[] = [
  'meta-quest-touch-plus',
  DEFAULT_CONTROLLER_PROFILE,
  DEFAULT_HAND_PROFILE,
];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * Paths (from the origin) of every file of the served input profiles: `profilesList.json`, each listed
 * profile's `profile.json` and its layouts' models, and the hand models (which @react-three/xr asks for by name,
 * `<hand profile>/<handedness>.glb`, without a profile.json). Sorted, each once.
 */
export async function inputProfileFiles(fetchJson: (path: string) => Promise<unknown>): Promise<string[]> {
  const listPath = `${INPUT_PROFILES_PATH}profilesList.json`;
  const list = await fetchJson(listPath);
  if (!isRecord(list)) throw new Error(`${listPath} is not a profiles list`);
  const files = new Set<string>([listPath]);
  for (const [id, entry] of Object.entries(list)) {
    if (!isRecord(entry) || typeof entry.path !== 'string') throw new Error(`${listPath}: bad entry ${id}`);
    const profilePath = new URL(entry.path, `https://x${INPUT_PROFILES_PATH}`).pathname;
    files.add(profilePath);
    const profile = await fetchJson(profilePath);
    if (!isRecord(profile) || !isRecord(profile.layouts)) throw new Error(`${profilePath} has no layouts`);
    for (const layout of Object.values(profile.layouts)) {
      if (isRecord(layout) && typeof layout.assetPath === 'string')
        files.add(new URL(layout.assetPath, `https://x${profilePath}`).pathname);
    }
  }
  for (const hand of ['left', 'right'])
    files.add(`${INPUT_PROFILES_PATH}${DEFAULT_HAND_PROFILE}/${hand}.glb`);
  return [...files].sort();
}
