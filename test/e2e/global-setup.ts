/**
 * Vitest global setup of the e2e project: checks Chromium and the production build, starts the real server
 * on a free loopback port with a fresh data directory, hands its URL to the tests (`inject('baseUrl')`),
 * and stops it afterwards. Side effects: may install Chromium (as root), spawns the server, writes its log.
 */
import type { TestProject } from 'vitest/node';
import { ensureChromium } from '../support/chromium';
import { assertAppBuilt, startServer } from '../support/server';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Origin of the server under test, e.g. `http://127.0.0.1:41234`. */
    baseUrl: string;
    /** Path of the server's log file. */
    serverLog: string;
    /** The server's VITRINE_DATA folder (its SQLite file can be opened alongside it: WAL mode). */
    dataDir: string;
  }
}

/** Starts the server once for all e2e test files; returns the teardown. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  ensureChromium();
  assertAppBuilt();
  const server = await startServer({ label: 'vitrine-e2e' });
  console.log(`[e2e] server ${server.baseUrl} (pid ${server.pid}), log ${server.logPath}`);
  project.provide('baseUrl', server.baseUrl);
  project.provide('serverLog', server.logPath);
  project.provide('dataDir', server.dataDir);

  return async () => {
    const files = project.vitest.state.getFiles();
    const anyFailed = files.length === 0 || files.some((f) => f.result?.state !== 'pass');
    if (anyFailed) {
      console.log(
        `[e2e] some tests failed; last lines of the server log (${server.logPath}):\n${server.logTail(60)}`,
      );
    }
    await server.stop();
  };
}
