/**
 * Development entry (`npm run dev`): runs the API on PORT+1 (no built app) and a Vite dev server on PORT that
 * serves the app with hot reload and proxies `/api` and `/assets` to the API, so the browser sees one origin.
 * Closes both on SIGINT or SIGTERM.
 *
 * Environment: PORT (default 8080), HOST (default localhost), VITRINE_DATA (data folder, default ./data),
 * DATABASE_URL (PostgreSQL instead of SQLite, as in main.ts).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';
import { buildServer } from './app';

const root = fileURLToPath(new URL('../../', import.meta.url));
const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? 'localhost';
const dataDir = process.env.VITRINE_DATA ?? './data';
const apiPort = port + 1;

if (!Number.isInteger(port) || port < 1 || port > 65534) {
  console.error(`PORT must be a port number below 65535, not "${process.env.PORT}"`);
  process.exit(1);
}

const api = await buildServer({ dataDir, databaseUrl: process.env.DATABASE_URL, appDir: null, logger: true });
await api.listen({ port: apiPort, host });
const apiUrl = `http://${host}:${apiPort}`;

const vite = await createServer({
  root,
  configFile: path.join(root, 'vite.config.ts'),
  server: {
    port,
    host,
    strictPort: true,
    proxy: {
      '/api/': { target: apiUrl },
      '/assets/': { target: apiUrl },
    },
  },
});
await vite.listen();

console.log(`Vitrine API  ${apiUrl}/api/v1/health`);
console.log(`Vitrine app  http://${host}:${port}/  (Vite dev server; /api and /assets go to the API)`);

let closing = false;
const shutdown = (): void => {
  if (closing) return;
  closing = true;
  Promise.all([vite.close(), api.close()]).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
