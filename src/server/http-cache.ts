/**
 * HTTP caching helpers shared by the routes: entity-tag matching for conditional requests.
 */

/** True when an If-None-Match header lists the entity tag (strong or weak form) or `*`. */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}
