/**
 * Vitest global setup of the unit project: starts the private PostgreSQL server of the test run (or uses
 * `DATABASE_URL`), hands its superuser URL to the tests (`inject('postgresUrl')`, read by the `postgres`
 * storage backend) and stops it afterwards. Side effects: may install PostgreSQL (as root), runs a server.
 */
import type { TestProject } from 'vitest/node';
import { startPostgres } from './postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the test run's PostgreSQL server; storage tests create their databases on it. */
    postgresUrl: string;
  }
}

/** Starts PostgreSQL once for all unit and integration test files; returns the teardown. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgres();
  project.provide('postgresUrl', server.url);
  return () => server.stop();
}
