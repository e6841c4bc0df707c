/**
 * Production entry (`npm run serve`): builds the server from the environment and listens until SIGINT or
 * SIGTERM, then closes it cleanly (in-flight requests finish, the database closes).
 *
 * Environment: PORT (default 8080), HOST (default localhost), VITRINE_DATA (data folder, default ./data),
 * VITRINE_BRANDS (brand folders seeded on first start, separated by `path.delimiter`; default every folder in
 * assets/brands), DATABASE_URL (a `postgres://` URL: use PostgreSQL instead of the SQLite file in the data
 * folder, which then holds only the asset store).
 */
import path from 'node:path';
import { buildServer } from './app';

const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? 'localhost';
const dataDir = process.env.VITRINE_DATA ?? './data';
const databaseUrl = process.env.DATABASE_URL;
/** Brand folders from VITRINE_BRANDS (empty entries ignored), or undefined for the server's default. */
const brandDirs = process.env.VITRINE_BRANDS?.split(path.delimiter)
  .filter((dir) => dir.trim() !== '')
  .map((dir) => path.resolve(dir));

if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a port number, not "${process.env.PORT}"`);
  process.exit(1);
}

let app: Awaited<ReturnType<typeof buildServer>>;
try {
  app = await buildServer({ dataDir, databaseUrl, brandDirs, logger: true });
} catch (error) {
  console.error(`Vitrine could not start: ${(error as Error).message}`);
  process.exit(1);
}

await app.listen({ port, host });
const address = app.server.address();
const actualPort = typeof address === 'object' && address !== null ? address.port : port;
const storage = databaseUrl ? 'PostgreSQL, assets' : 'data';
app.log.info(`Vitrine is open at http://${host}:${actualPort}/ (${storage} in ${dataDir})`);

let closing = false;
const shutdown = (signal: string): void => {
  if (closing) return;
  closing = true;
  app.log.info(`${signal} received, closing`);
  app.close().then(
    () => process.exit(0),
    (error: unknown) => {
      app.log.error({ err: error }, 'close failed');
      process.exit(1);
    },
  );
};
process.once('SIGINT', () => shutdown('SIGINT'));
process.once('SIGTERM', () => shutdown('SIGTERM'));
