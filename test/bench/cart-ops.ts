/**
 * Cart push bench: ops applied per second by the server's cart store (`pushOps`: lock the cart, check each
 * op's seq and sku, upsert or delete the line, log the op, bump the version, price the whole cart for the
 * answer) against raw inserts of the same `cart_ops` rows through the same Kysely handle, in transactions of
 * the same size, on SQLite and on PostgreSQL in the same run. The demo brand is the catalog.
 * Side effects owned here: temporary data folders, a private PostgreSQL server (test/support/postgres.ts) and
 * the databases it makes; all removed before returning.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { CartOp, PushRequest } from '../../src/protocol/cart';
import { DEFAULT_BRANDS_ROOT } from '../../src/server/app';
import { assetsDirOf } from '../../src/server/asset-store';
import { createCart, pushOps } from '../../src/server/carts/cart-store';
import { readCatalogSnapshot } from '../../src/server/storage/catalog-store';
import { openDatabase } from '../../src/server/storage/connection';
import type { Database } from '../../src/server/storage/schema';
import { listBrandDirs, seedIfEmpty } from '../../src/server/seed';
import { databaseUrlOf, runAdminStatement, startPostgres } from '../support/postgres';

/** Carts per run, pushes per cart and ops per push: 4,000 ops a run. */
export const CART_BENCH_SHAPE = { carts: 40, pushesPerCart: 5, opsPerPush: 20 } as const;
const RUNS = 3;

/** Timing of one side. */
export interface OpsSide {
  medianMs: number;
  runsMs: number[];
  opsPerSecond: number;
}

/** One backend's result. */
export interface OpsComparison {
  backend: 'sqlite' | 'postgres';
  ops: number;
  app: OpsSide;
  raw: OpsSide;
  /** app median / raw median: how many times longer applying an op takes than inserting its row. */
  ratio: number;
}

/** `items[index]`, which must exist. */
function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new RangeError(`no item ${index} of ${items.length}`);
  return item;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return at(sorted, Math.floor(sorted.length / 2));
};

/** The pushes of one run: per cart one client, its ops numbered from 1, on random demo skus. */
function makePushes(
  skus: readonly { sku: string; price: CartOp['observedPrice'] }[],
  seed: number,
): { clientId: string; pushes: PushRequest[] }[] {
  let state = seed;
  const random = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const { carts, pushesPerCart, opsPerPush } = CART_BENCH_SHAPE;
  return Array.from({ length: carts }, (_, c) => {
    const clientId = `bench-client-${seed}-${c}`.padEnd(16, '0');
    let seq = 0;
    const pushes = Array.from({ length: pushesPerCart }, () => ({
      clientId,
      ops: Array.from({ length: opsPerPush }, (): CartOp => {
        const { sku, price } = at(skus, Math.floor(random() * skus.length));
        seq += 1;
        return { opId: randomUUID(), seq, sku, qty: Math.floor(random() * 4), observedPrice: price };
      }),
    }));
    return { clientId, pushes };
  });
}

/** Applies every push through the cart store; returns ms. */
async function runApp(db: Kysely<Database>, work: ReturnType<typeof makePushes>): Promise<number> {
  const carts = await Promise.all(work.map(() => createCart(db)));
  const started = performance.now();
  for (let p = 0; p < CART_BENCH_SHAPE.pushesPerCart; p += 1) {
    for (let c = 0; c < work.length; c += 1) {
      await pushOps(db, at(carts, c).cartId, at(at(work, c).pushes, p));
    }
  }
  return performance.now() - started;
}

/** Inserts the same op rows, one transaction per push; returns ms. */
async function runRaw(db: Kysely<Database>, work: ReturnType<typeof makePushes>): Promise<number> {
  const carts = await Promise.all(work.map(() => createCart(db)));
  const started = performance.now();
  for (let p = 0; p < CART_BENCH_SHAPE.pushesPerCart; p += 1) {
    for (let c = 0; c < work.length; c += 1) {
      const push = at(at(work, c).pushes, p);
      const cartId = at(carts, c).cartId;
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('cart_ops')
          .values(
            push.ops.map((op) => ({
              cart_id: cartId,
              client_id: push.clientId,
              seq: op.seq,
              op_id: op.opId,
              sku: op.sku,
              qty: op.qty,
              applied_at: new Date().toISOString(),
            })),
          )
          .execute();
      });
    }
  }
  return performance.now() - started;
}

async function compare(
  backend: OpsComparison['backend'],
  db: Kysely<Database>,
  log: (line: string) => void,
): Promise<OpsComparison> {
  const snapshot = await readCatalogSnapshot(db);
  const skus = snapshot.products.flatMap((p) => p.variants.map((v) => ({ sku: v.sku, price: v.price })));
  const { carts, pushesPerCart, opsPerPush } = CART_BENCH_SHAPE;
  const ops = carts * pushesPerCart * opsPerPush;
  // Warm-up: one run of each, not timed.
  await runApp(db, makePushes(skus, 1));
  await runRaw(db, makePushes(skus, 2));
  const app: number[] = [];
  const raw: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const work = makePushes(skus, 100 + run);
    // Alternate which side goes first, so a busy moment on the machine hits both alike.
    if (run % 2 === 0) {
      app.push(await runApp(db, work));
      raw.push(await runRaw(db, work));
    } else {
      raw.push(await runRaw(db, work));
      app.push(await runApp(db, work));
    }
    log(
      `${backend} run ${run + 1}: app ${at(app, run).toFixed(0)} ms, raw ${at(raw, run).toFixed(0)} ms (${ops} ops)`,
    );
  }
  const side = (runs: number[]): OpsSide => ({
    medianMs: Math.round(median(runs)),
    runsMs: runs.map((ms) => Math.round(ms)),
    opsPerSecond: Math.round(ops / (median(runs) / 1000)),
  });
  const result = { backend, ops, app: side(app), raw: side(raw), ratio: 0 };
  result.ratio = Math.round((median(app) / median(raw)) * 100) / 100;
  return result;
}

/** Seeds a fresh database with the demo brand at `databaseUrl` (or SQLite in a temp folder) and compares. */
async function onBackend(
  backend: OpsComparison['backend'],
  databaseUrl: string | undefined,
  log: (line: string) => void,
): Promise<OpsComparison> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'vitrine-bench-cart-'));
  const db = await openDatabase(dataDir, { databaseUrl });
  try {
    await seedIfEmpty(db, {
      brandDirs: await listBrandDirs(DEFAULT_BRANDS_ROOT),
      assetsDir: assetsDirOf(dataDir),
    });
    return await compare(backend, db, log);
  } finally {
    await db.destroy();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Runs the comparison on SQLite, then on a private PostgreSQL (or the one `DATABASE_URL` names). */
export async function benchCartOps(log: (line: string) => void): Promise<OpsComparison[]> {
  const results = [await onBackend('sqlite', undefined, log)];
  const postgres = await startPostgres();
  const name = `vitrine_bench_${Date.now()}`;
  try {
    await runAdminStatement(postgres.url, `CREATE DATABASE ${name}`);
    results.push(await onBackend('postgres', databaseUrlOf(postgres.url, name), log));
  } finally {
    await runAdminStatement(postgres.url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(
      () => undefined,
    );
    await postgres.stop();
  }
  return results;
}
