/**
 * Turning zod's issues into the API's 400 answers: every wrong field named in `details.fields` (first message
 * per field), so clients can show each message next to its field.
 */
import { HttpError } from './http-errors';

/** What the routes need of a zod issue. */
export interface SchemaIssue {
  path: PropertyKey[];
  message: string;
  code?: string;
}

/** What the routes need of a zod schema. */
export interface BodySchema<T> {
  safeParse(
    value: unknown,
  ): { success: true; data: T } | { success: false; error: { issues: SchemaIssue[] } };
}

/**
 * Field name → first message of that field's issues. `fieldOf` names a field from an issue's path (default:
 * the path joined with dots), `messageOf` words an issue (default: zod's message); the whole body is `"body"`.
 */
export function fieldsOf(
  issues: readonly SchemaIssue[],
  fieldOf: (path: string[]) => string = (path) => path.join('.'),
  messageOf: (issue: SchemaIssue, field: string) => string = (issue) => issue.message,
): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const field = fieldOf(issue.path.map(String)) || 'body';
    fields[field] ??= messageOf(issue, field);
  }
  return fields;
}

/**
 * Parses `body` with `schema`, or throws 400 BAD_REQUEST naming the first wrong field in the message and every
 * wrong field in `details.fields` (`{ "ops.0.qty": "at most 99" }`).
 */
export function parseBody<T>(schema: BodySchema<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const fields = fieldsOf(result.error.issues);
  const [field, message] = Object.entries(fields)[0] ?? ['body', 'not understood'];
  throw new HttpError(400, 'BAD_REQUEST', `Invalid ${field}: ${message}`, { fields });
}
