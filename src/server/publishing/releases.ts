/**
 * The query layer of `brand_releases`: each brand's history of published states (seed, publishes,
 * rollbacks), what an Idempotency-Key was used for (its release, or `publish_keys` for a publish that changed
 * nothing), and which earlier state a rollback returns to.
 */
import type { Kysely, Transaction } from 'kysely';
import type { PublishResponse, ReleaseInfo, ReleaseReason } from '../../protocol/publish';
import { serializeCatalogWrites } from '../storage/catalog-store';
import type { BrandReleaseTable, Database, Executor } from '../storage/schema';
import type { BrandState } from './brand-state';
import { readLiveBrandState } from './brand-state';

export type ReleaseRow = BrandReleaseTable;

/** The newest catalog version (0 before the first write). */
export async function currentVersion(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('catalog_versions')
    .select((eb) => eb.fn.max('version').as('version'))
    .executeTakeFirst();
  return row?.version === null || row?.version === undefined ? 0 : Number(row.version);
}

/** The id the next release takes. Call inside a transaction that began with `serializeCatalogWrites`. */
async function nextReleaseId(trx: Transaction<Database>): Promise<number> {
  const row = await trx
    .selectFrom('brand_releases')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return row?.id === null || row?.id === undefined ? 1 : Number(row.id) + 1;
}

/** A brand's releases, newest first. */
export async function releasesOf(db: Executor, brandId: string): Promise<ReleaseRow[]> {
  const rows = await db.selectFrom('brand_releases').selectAll().where('brand_id', '=', brandId).execute();
  return rows.sort((a, b) => b.id - a.id);
}

/** What an Idempotency-Key was first used for: the brand, the request's hash and the answer it got. */
export interface KeyUse {
  brand_id: string;
  request_hash: string | null;
  /** JSON of the answer (`PublishResponse`). */
  response: string;
}

/**
 * What an Idempotency-Key was used for, if it was: the release it made, or the answer of a publish that changed
 * nothing (`publish_keys`).
 */
export async function keyUseOf(db: Executor, key: string): Promise<KeyUse | undefined> {
  const release = await db
    .selectFrom('brand_releases')
    .select(['brand_id', 'request_hash', 'response'])
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
  if (release !== undefined) return release;
  return db
    .selectFrom('publish_keys')
    .select(['brand_id', 'request_hash', 'response'])
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

/**
 * Records the key and answer of a publish that changed nothing, inside its transaction. A release's key is in
 * `brand_releases`; a key is in one table or the other, never both (each is looked up in both first).
 */
export async function recordUnchangedPublish(
  trx: Transaction<Database>,
  use: { key: string; brandId: string; requestHash: string; response: PublishResponse; createdAt: string },
): Promise<void> {
  await trx
    .insertInto('publish_keys')
    .values({
      idempotency_key: use.key,
      brand_id: use.brandId,
      request_hash: use.requestHash,
      response: JSON.stringify(use.response),
      created_at: use.createdAt,
    })
    .execute();
}

/** A release to record. */
export interface NewRelease {
  brandId: string;
  version: number;
  reason: ReleaseReason;
  restoredFrom?: number;
  state: BrandState;
  /** The answer, minus the release id this call assigns. */
  response: Omit<PublishResponse, 'release'>;
  idempotencyKey?: string;
  requestHash?: string;
  createdAt: string;
}

/** Records a release (inside the catalog write that made it live) and returns the answer with its id. */
export async function recordRelease(
  trx: Transaction<Database>,
  release: NewRelease,
): Promise<PublishResponse> {
  const id = await nextReleaseId(trx);
  const response: PublishResponse = { ...release.response, release: id };
  await trx
    .insertInto('brand_releases')
    .values({
      id,
      brand_id: release.brandId,
      version: release.version,
      reason: release.reason,
      restored_from: release.restoredFrom ?? null,
      snapshot: JSON.stringify(release.state),
      response: JSON.stringify(response),
      idempotency_key: release.idempotencyKey ?? null,
      request_hash: release.requestHash ?? null,
      created_at: release.createdAt,
    })
    .execute();
  return response;
}

/**
 * Records the brand's live state as its first release (reason `seed`, the current catalog version) when it is
 * in the catalog but has no release yet: the seeded demo brand, or a brand written before publishing existed.
 * Does nothing otherwise. Call inside a transaction that began with `serializeCatalogWrites`.
 */
export async function ensureFirstRelease(trx: Transaction<Database>, brandId: string): Promise<void> {
  const any = await trx
    .selectFrom('brand_releases')
    .select('id')
    .where('brand_id', '=', brandId)
    .limit(1)
    .executeTakeFirst();
  if (any !== undefined) return;
  const state = await readLiveBrandState(trx, brandId);
  if (state === undefined) return;
  const version = await currentVersion(trx);
  const empty = { added: [], changed: [], removed: [], unchanged: 0 };
  await recordRelease(trx, {
    brandId,
    version,
    reason: 'seed',
    state,
    response: {
      brandId,
      changed: false,
      version,
      cursor: '0',
      summary: { brandChanged: false, categories: empty, products: empty, showrooms: empty },
      warnings: [],
    },
    createdAt: new Date().toISOString(),
  });
}

/** Records the first release of every brand in the catalog that has none (run once at start). */
export async function recordFirstReleases(db: Kysely<Database>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await serializeCatalogWrites(trx);
    const brands = await trx.selectFrom('brands').select('id').execute();
    for (const { id } of brands.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
      await ensureFirstRelease(trx, id);
    }
  });
}

/**
 * The release a rollback restores: the one before the state that is live now. The live state is the newest
 * release's, or for a rollback the state of the release it restored, so rolling back again keeps going back
 * (publish 2, publish 3, rollback → 2, rollback → 1). Undefined when there is none.
 */
export function rollbackTarget(releases: readonly ReleaseRow[]): ReleaseRow | undefined {
  const [current] = releases;
  if (current === undefined) return undefined;
  const live = current.restored_from ?? current.id;
  return releases.find((r) => r.id < live);
}

/** How the releases list shows a release. */
export function releaseInfo(row: ReleaseRow, current: boolean): ReleaseInfo {
  const state = JSON.parse(row.snapshot) as BrandState;
  return {
    id: row.id,
    version: row.version,
    reason: row.reason as ReleaseReason,
    ...(row.restored_from === null ? {} : { restoredFrom: row.restored_from }),
    createdAt: row.created_at,
    products: state.products.length,
    showrooms: state.showrooms.length,
    current,
  };
}
