/**
 * A strict JSON (RFC 8259) parser that also remembers where each value sits in the source text, so a schema
 * problem found later can point at the line and column of the field a person has to edit. `JSON.parse` gives
 * neither positions of values nor, on Node 20, a line and column for its syntax errors.
 *
 * Object keys are defined as own data properties (never assigned), so a `"__proto__"` key in a hostile file is
 * an ordinary field, not a prototype change. Nesting is capped so a file of ten thousand `[` cannot exhaust
 * the stack.
 */

/** A 1-based line and column in a text. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** A parsed JSON text: its value and the position of every value, keyed by JSON pointer. */
export interface JsonSource {
  value: unknown;
  /** JSON pointer (RFC 6901, `""` for the root) → position of the member's key, or of the value in an array. */
  positions: ReadonlyMap<string, SourcePosition>;
  /** Keys that appear twice in the same object (the last one wins, as with `JSON.parse`). */
  duplicateKeys: readonly { pointer: string; position: SourcePosition }[];
}

/** A JSON syntax error with where it happened. */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: SourcePosition,
  ) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

/** Deepest nesting of arrays and objects accepted. */
export const MAX_JSON_DEPTH = 128;

/** Escapes one reference token of a JSON pointer. */
export function escapePointerToken(token: string | number): string {
  return String(token).replaceAll('~', '~0').replaceAll('/', '~1');
}

/** The JSON pointer of a path such as `[3, 'variants', 1, 'sku']` → `/3/variants/1/sku`. */
export function pointerOf(path: readonly PropertyKey[]): string {
  return path.map((token) => `/${escapePointerToken(String(token))}`).join('');
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// JSON forbids raw control characters in strings: the run stops at them so they can be reported.
// eslint-disable-next-line no-control-regex
const PLAIN_STRING_RUN = /[^"\\\u0000-\u001f]*/y;
const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** Parses `text` as JSON. Throws {@link JsonSyntaxError} with a line and column when it is not valid JSON. */
export function parseJsonSource(text: string): JsonSource {
  const positions = new Map<string, SourcePosition>();
  const duplicateKeys: { pointer: string; position: SourcePosition }[] = [];
  // Offsets where lines start, to turn an offset into a line and column by binary search.
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const positionAt = (offset: number): SourcePosition => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (lineStarts[low] ?? 0) + 1 };
  };

  let at = 0;
  const fail = (message: string, offset = at): never => {
    throw new JsonSyntaxError(message, positionAt(offset));
  };
  const describe = (offset: number): string =>
    offset >= text.length ? 'the end of the file' : `${JSON.stringify(text[offset])}`;
  const skipSpace = (): void => {
    while (at < text.length) {
      const c = text.charCodeAt(at);
      if (c === 32 || c === 9 || c === 10 || c === 13) at++;
      else break;
    }
  };
  const expect = (char: string, what: string): void => {
    skipSpace();
    if (text[at] !== char) fail(`expected ${what} but found ${describe(at)}`);
    at++;
  };

  const parseString = (): string => {
    const start = at;
    at++; // opening quote
    let result = '';
    for (;;) {
      PLAIN_STRING_RUN.lastIndex = at;
      PLAIN_STRING_RUN.test(text);
      result += text.slice(at, PLAIN_STRING_RUN.lastIndex);
      at = PLAIN_STRING_RUN.lastIndex;
      if (at >= text.length) fail('this string is never closed (a missing ")', start);
      const c = text[at];
      if (c === '"') {
        at++;
        return result;
      }
      if (c === '\\') {
        const e = text[at + 1];
        if (e === 'u') {
          const hex = text.slice(at + 2, at + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('\\u must be followed by four hex digits');
          result += String.fromCharCode(parseInt(hex, 16));
          at += 6;
        } else if (e !== undefined && ESCAPES[e] !== undefined) {
          result += ESCAPES[e];
          at += 2;
        } else {
          fail(`unknown escape \\${e ?? ''} in a string`);
        }
        continue;
      }
      fail('a string cannot contain a raw line break or control character: write \\n or \\t');
    }
  };

  const parseValue = (pointer: string, depth: number): unknown => {
    skipSpace();
    const c = text[at];
    if (c === '{' || c === '[') {
      if (depth >= MAX_JSON_DEPTH) fail(`nested deeper than ${MAX_JSON_DEPTH} levels`);
      return c === '{' ? parseObject(pointer, depth + 1) : parseArray(pointer, depth + 1);
    }
    if (c === '"') return parseString();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      NUMBER.lastIndex = at;
      const match = NUMBER.exec(text);
      if (!match) return fail(`${describe(at)} does not start a valid number`);
      at += match[0].length;
      return Number(match[0]);
    }
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, at)) {
        at += word.length;
        return value;
      }
    }
    if (c === "'") return fail('strings need double quotes ("), not single quotes (\')');
    if (c === '}' || c === ']') return fail(`expected a value but found ${describe(at)} (a trailing comma?)`);
    return fail(`expected a value but found ${describe(at)}`);
  };

  const parseObject = (pointer: string, depth: number): Record<string, unknown> => {
    const result: Record<string, unknown> = {};
    const seen = new Set<string>();
    at++; // {
    skipSpace();
    if (text[at] === '}') {
      at++;
      return result;
    }
    for (;;) {
      skipSpace();
      if (text[at] !== '"') {
        fail(
          text[at] === '}'
            ? 'a trailing comma before } is not allowed in JSON'
            : `expected a "quoted" field name but found ${describe(at)}`,
        );
      }
      const keyOffset = at;
      const key = parseString();
      const child = `${pointer}/${escapePointerToken(key)}`;
      const position = positionAt(keyOffset);
      if (seen.has(key)) duplicateKeys.push({ pointer: child, position });
      seen.add(key);
      positions.set(child, position);
      expect(':', `a : after "${key}"`);
      const value = parseValue(child, depth);
      Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
      skipSpace();
      if (text[at] === ',') {
        at++;
        continue;
      }
      if (text[at] === '}') {
        at++;
        return result;
      }
      fail(`expected , or } after the value of "${key}" but found ${describe(at)}`);
    }
  };

  const parseArray = (pointer: string, depth: number): unknown[] => {
    const result: unknown[] = [];
    at++; // [
    skipSpace();
    if (text[at] === ']') {
      at++;
      return result;
    }
    for (;;) {
      skipSpace();
      if (text[at] === ']') fail('a trailing comma before ] is not allowed in JSON');
      const child = `${pointer}/${result.length}`;
      positions.set(child, positionAt(at));
      result.push(parseValue(child, depth));
      skipSpace();
      if (text[at] === ',') {
        at++;
        continue;
      }
      if (text[at] === ']') {
        at++;
        return result;
      }
      fail(`expected , or ] after an array item but found ${describe(at)}`);
    }
  };

  if (text.charCodeAt(0) === 0xfeff) at = 1; // a byte order mark some editors write
  skipSpace();
  positions.set('', positionAt(at));
  const value = parseValue('', 0);
  skipSpace();
  if (at < text.length) fail(`unexpected ${describe(at)} after the end of the JSON value`);
  return { value, positions, duplicateKeys };
}

/**
 * The position of `pointer`, or of its nearest ancestor that exists in the text (a missing field is reported
 * at the object that should hold it).
 */
export function positionOf(source: JsonSource, pointer: string): SourcePosition | undefined {
  let current = pointer;
  for (;;) {
    const found = source.positions.get(current);
    if (found) return found;
    if (current === '') return undefined;
    current = current.slice(0, current.lastIndexOf('/'));
  }
}

/** Where a field is: its JSON pointer and, when the text has it (or its parent), line and column. */
export interface FieldLocation {
  pointer: string;
  line?: number;
  column?: number;
}

/** Locates the field at `path` in `source` (or its nearest existing parent, for a missing field). */
export function locate(source: JsonSource | undefined, path: readonly PropertyKey[]): FieldLocation {
  const pointer = pointerOf(path);
  const position = source ? positionOf(source, pointer) : undefined;
  return position ? { pointer, line: position.line, column: position.column } : { pointer };
}
