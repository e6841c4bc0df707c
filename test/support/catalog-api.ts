/**
 * Reads the catalog the way a device does (`GET /api/v1/catalog`, parsed with the wire schema), so tests
 * and benchmarks follow whatever demo brand the server published instead of hard-coding product names.
 */
import { CatalogSnapshot } from '../../src/protocol/catalog';

/** Fetches and parses `GET /api/v1/catalog` from `baseUrl`. */
export async function fetchCatalog(baseUrl: string): Promise<CatalogSnapshot> {
  const res = await fetch(`${baseUrl}/api/v1/catalog`);
  if (res.status !== 200) throw new Error(`GET ${baseUrl}/api/v1/catalog answered ${res.status}`);
  return CatalogSnapshot.parse(await res.json());
}
