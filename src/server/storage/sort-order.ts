/**
 * Orderings the stores share: text compared by code unit (as SQLite does, whatever a PostgreSQL database's
 * locale), and timestamps that keep rows in the order they were written even within one millisecond.
 */

/**
 * Text order by code unit (SQLite's default collation): `ORDER BY` on text follows the database's locale on
 * PostgreSQL, which may ignore dashes or case, so code that needs one order on both backends sorts with this.
 */
export const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * An ISO date-time not before `now` and at least 1 ms after `latest` (the newest timestamp of the rows it must
 * follow; `null` or `undefined` when there are none), so ordering by it keeps the order rows were written in.
 */
export function timeAfter(latest: string | null | undefined, now: Date = new Date()): string {
  const floor = latest ? Date.parse(latest) + 1 : Number.NEGATIVE_INFINITY;
  return new Date(Math.max(now.getTime(), floor)).toISOString();
}
