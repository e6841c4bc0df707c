/**
 * Finds (and, as root, installs) Debian's Chromium, and launches it the way every browser test and benchmark
 * does: headless, software WebGL through SwiftShader, and nothing that phones home.
 * Side effects owned here: may run apt-get; starts browser processes (callers close them).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
// The flags and the path lookup are the project's one copy, shared with the CLI's poster rendering.
import { chromiumArgs, chromiumPath } from '../../src/publish/posters/chromium';

export { chromiumArgs, chromiumPath };

/**
 * Makes sure Chromium exists. When it is missing and this process runs as root, installs Debian's package
 * (printing the commands); otherwise throws an error saying what to run.
 */
export function ensureChromium(): string {
  const path = chromiumPath();
  if (existsSync(path)) return path;
  const command = 'apt-get update && apt-get install -y chromium';
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || process.env.CHROMIUM_PATH !== undefined) {
    throw new Error(
      `Chromium not found at ${path}. Install it with: sudo sh -c '${command}' ` +
        '(or set CHROMIUM_PATH to a Chromium binary).',
    );
  }
  console.log(`[e2e] Chromium not found at ${path}; running: ${command}`);
  execFileSync('sh', ['-c', command], { stdio: 'inherit' });
  if (!existsSync(path)) {
    throw new Error(
      `"${command}" ran but ${path} still does not exist; install Chromium and set CHROMIUM_PATH.`,
    );
  }
  console.log(`[e2e] installed Chromium at ${path}`);
  return path;
}

/** Launches headless Chromium with {@link chromiumArgs}. The caller closes it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: [...chromiumArgs] });
}
