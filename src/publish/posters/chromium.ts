/**
 * Where Debian's Chromium is and how every headless browser of the project starts it (poster rendering, and the
 * tests and benchmarks through test/support/chromium.ts): software WebGL through SwiftShader and nothing that
 * phones home. Constants and a path lookup only; launching is the caller's.
 */

/** Chromium flags: headless software WebGL, nothing that phones home, no host name resolves. */
export const chromiumArgs: readonly string[] = [
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // Belt and braces: no host name resolves, so nothing can reach a real server even if the page asked.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

/** Path of the Chromium binary: `CHROMIUM_PATH`, else Debian's `/usr/bin/chromium`. */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}
