/**
 * How deeply a parsed JSON value nests, measured without recursion: JSON.parse accepts nesting far deeper than
 * the recursive code that reads a value afterwards (canonical JSON, JSON.stringify, the validator) can walk, so
 * a request body is checked with this before any of that runs.
 */

/** Most levels of arrays and objects a request body may nest (a brand folder needs fewer than 10). */
export const MAX_JSON_DEPTH = 128;

/** Whether `value` nests arrays and objects more than `max` levels deep (a scalar is depth 0). */
export function jsonDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [node, depth] = item;
    if (node === null || typeof node !== 'object') continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}
