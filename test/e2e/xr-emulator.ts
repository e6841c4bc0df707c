/**
 * The WebXR emulator of the e2e tests: src/xr/quest3-emulator.ts (IWER emulating a Meta Quest 3) bundled from
 * node_modules with esbuild (shipped with tsx) into one classic script, for `context.addInitScript`. The
 * production build under test contains no emulator (the app loads it only in dev builds), so tests bring their
 * own, installed before any app code runs; the page then exposes the device as `window.vitrineXRDevice`.
 * With a synthetic room (AR tests), the script also carries @iwer/sem and one room capture read from
 * node_modules/@iwer/sem/captures/: nothing is fetched (the room's JSON is inlined, the module's own loader of
 * bundled rooms is left out).
 */
import { readFileSync } from 'node:fs';
import { build, type Plugin } from 'esbuild';
import { repoRoot } from '../support/server';

/** Room captures bundled with @iwer/sem (node_modules/@iwer/sem/captures/<name>.json). */
export type SyntheticRoomName =
  'office_small' | 'meeting_room' | 'living_room' | 'music_room' | 'office_large';

const scripts = new Map<string, Promise<string>>();

/**
 * @iwer/sem's `loadDefaultEnvironment` imports its room captures (4.6 MB of JSON) dynamically; the tests load a
 * room themselves, so the bundle gets an empty registry instead.
 */
const noCaptureRegistry: Plugin = {
  name: 'no-sem-capture-registry',
  setup(b) {
    b.onResolve({ filter: /[\\/]captures[\\/]registry\.js$/ }, (args) =>
      args.importer.includes('@iwer') ? { path: 'sem-registry', namespace: 'sem-registry' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'sem-registry' }, () => ({
      contents: 'export const Environments = {};',
      loader: 'js',
    }));
  },
};

/**
 * Source of a script that installs the emulated Quest 3 in the page (built once per test process and room).
 * `room`: also install IWER's Synthetic Environment Module with that room (for `immersive-ar` hit tests).
 */
export function quest3EmulatorScript(room?: SyntheticRoomName): Promise<string> {
  const key = room ?? '';
  let script = scripts.get(key);
  if (script) return script;
  const contents = room
    ? [
        "import { SyntheticEnvironmentModule } from '@iwer/sem';",
        "import { installQuest3Emulator } from './src/xr/quest3-emulator';",
        `const environment = ${readFileSync(`${repoRoot}/node_modules/@iwer/sem/captures/${room}.json`, 'utf8')};`,
        'installQuest3Emulator({ module: SyntheticEnvironmentModule, environment });',
      ].join('\n')
    : "import { installQuest3Emulator } from './src/xr/quest3-emulator';\ninstallQuest3Emulator();\n";
  script = build({
    stdin: { contents, resolveDir: repoRoot, sourcefile: 'xr-emulator-init.ts', loader: 'ts' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    plugins: [noCaptureRegistry],
  }).then((result) => {
    const file = result.outputFiles[0];
    if (!file) throw new Error('esbuild produced no emulator script');
    return file.text;
  });
  scripts.set(key, script);
  return script;
}
