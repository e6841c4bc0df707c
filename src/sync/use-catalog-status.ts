/**
 * React view of the catalog on this device: whether a copy has ever been stored, and the state of the pull.
 */
import { useSyncExternalStore } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { db } from '../db/db';
import { getPullStatus, subscribePullStatus, type PullStatus } from './pull-status';

export interface CatalogStatus {
  /** Whether a catalog has been stored on this device; `undefined` while the database is being read. */
  hasCatalog: boolean | undefined;
  pull: PullStatus;
}

/** Pull status from the catalog pull's store. */
export function usePullStatus(): PullStatus {
  return useSyncExternalStore(subscribePullStatus, getPullStatus, getPullStatus);
}

/** Whether the catalog is on this device and how its pull is going. */
export function useCatalogStatus(): CatalogStatus {
  const pull = usePullStatus();
  const hasCatalog = useLiveQuery(
    async () => (await db.meta.get('catalogPulledAt')) !== undefined,
    [],
    undefined,
  );
  return { hasCatalog, pull };
}
