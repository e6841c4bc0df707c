/**
 * The WebXR emulator of the e2e tests: src/xr/quest3-emulator.ts (IWER emulating a Meta Quest 3) bundled from
 * node_modules with esbuild (shipped with tsx) into one classic script, for `context.addInitScript`. The
 * production build under test contains no emulator (the app loads it only in dev builds), so tests bring their
 * own, installed before any app code runs; the page then exposes the device as `window.vitrineXRDevice`.
 */
import { build } from 'esbuild';
import { repoRoot } from '../support/server';

let script: Promise<string> | undefined;

/** Source of a script that installs the emulated Quest 3 in the page (built once per test process). */
export function quest3EmulatorScript(): Promise<string> {
  script ??= build({
    stdin: {
      contents:
        "import { installQuest3Emulator } from './src/xr/quest3-emulator';\ninstallQuest3Emulator();\n",
      resolveDir: repoRoot,
      sourcefile: 'xr-emulator-init.ts',
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  }).then((result) => {
    const file = result.outputFiles[0];
    if (!file) throw new Error('esbuild produced no emulator script');
    return file.text;
  });
  return script;
}
