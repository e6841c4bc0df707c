/**
 * Field messages: schema issues (zod's `{ path, message }`) as one message per field, keyed by the dotted path
 * ("address.city"), the same keys the server's `details.fields` use. Pure: no zod import, no I/O.
 */

/** A schema issue as zod reports it. */
export interface FieldIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/**
 * One message per field, the first issue of a field winning (the shopper fixes one thing at a time). Issues
 * with an empty path (about the whole value) are keyed "".
 */
export function fieldMessages(issues: readonly FieldIssue[]): Record<string, string> {
  const messages: Record<string, string> = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join('.');
    if (!(key in messages)) messages[key] = issue.message;
  }
  return messages;
}
