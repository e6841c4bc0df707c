/**
 * Turns zod issues of a brand folder file into problems a brand can act on: the field as a readable path,
 * the line and column where it is in the file, a stable code, and a fix-it hint for the usual mistakes.
 * Also finds fields the schema does not know (zod drops them silently; a typo in an optional field would
 * otherwise be lost without a word).
 */
import type { z } from 'zod/mini';
import { locate, type JsonSource } from './json-source';
import type { ProblemList } from './problem';

type Issue = z.core.$ZodIssue;

/** `[3, 'variants', 1, 'sku']` → `[3].variants[1].sku`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((token, i) =>
      typeof token === 'number' ? `[${token}]` : i === 0 ? String(token) : `.${String(token)}`,
    )
    .join('');
}

/** The value at `path` inside `value`, or undefined. */
export function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const token of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    if (!Object.hasOwn(current, token)) return undefined;
    current = (current as Record<PropertyKey, unknown>)[token];
  }
  return current;
}

/** A short rendering of a value for a message (`"oak-1"`, `12.5`, `an object`). */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object' && value !== null) return 'an object';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** Lower-case, dashes for anything else: what a slug-shaped value probably meant. */
function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

const SLUG_FIELDS = new Set(['id', 'category', 'productId', 'brandId']);
const DATE_FIELDS = new Set(['eventTime', 'validFrom', 'validUntil']);
const COLOR_FIELDS = new Set(['color', 'floorColor', 'wallColor']);
const DIMENSION_FIELDS = new Set(['width', 'height', 'depth']);

/** A code and hint for one issue, from the field it is about and what zod says is wrong. */
function classify(
  issue: Issue,
  key: string,
  parentKey: string,
  value: unknown,
  missing: boolean,
): { code: string; hint?: string } {
  if (value === undefined && missing) {
    const expected =
      issue.code === 'invalid_type'
        ? issue.expected
        : issue.code === 'invalid_value'
          ? `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`
          : 'a value';
    return { code: 'FIELD_MISSING', hint: `Add "${key}" (${expected}).` };
  }
  if (key === 'sku') {
    const suggestion = typeof value === 'string' ? value.toUpperCase().replace(/[^A-Z0-9-]+/g, '-') : '';
    return {
      code: 'SKU_FORMAT',
      hint:
        'A SKU is 2 to 40 upper-case letters, digits and dashes, e.g. OAK-NATURAL' +
        (/^[A-Z0-9][A-Z0-9-]{1,39}$/.test(suggestion) ? ` (here perhaps "${suggestion}").` : '.'),
    };
  }
  if (SLUG_FIELDS.has(key) && issue.code !== 'invalid_type') {
    const suggestion = typeof value === 'string' ? slugify(value) : '';
    return {
      code: 'ID_FORMAT',
      hint:
        'Ids are lower-case letters, digits and single dashes, e.g. oak-lounge-chair' +
        (suggestion ? ` (here perhaps "${suggestion}").` : '.'),
    };
  }
  if (key === 'amount' && parentKey !== '') {
    return {
      code: 'PRICE_FORMAT',
      hint: 'Prices are whole numbers of minor units (cents), never decimals: 349.00 EUR is written 34900.',
    };
  }
  if (key === 'currency') return { code: 'FIELD_FORMAT', hint: 'An ISO 4217 code in capitals, e.g. EUR.' };
  if (key === 'countryOfOrigin' || key === 'country') {
    return {
      code: 'FIELD_FORMAT',
      hint: 'An ISO 3166-1 alpha-2 code in capitals, e.g. PT (ZZ when unknown).',
    };
  }
  if (key === 'gtin') return { code: 'FIELD_FORMAT', hint: 'A GTIN is 8, 12, 13 or 14 digits, no spaces.' };
  if (key === 'email')
    return { code: 'FIELD_FORMAT', hint: 'An e-mail address such as hello@brand.example.' };
  if (DATE_FIELDS.has(key)) return { code: 'FIELD_FORMAT', hint: 'An ISO 8601 date such as 2024-05-01.' };
  if (COLOR_FIELDS.has(key)) return { code: 'FIELD_FORMAT', hint: 'A colour as #rrggbb, e.g. #f4efe6.' };
  if (key === 'hash') {
    return {
      code: 'FIELD_FORMAT',
      hint: 'The hex SHA-256 sealing the trail; reseal the whole trail after editing it (core/provenance.ts).',
    };
  }
  if (DIMENSION_FIELDS.has(key) && parentKey === 'dimensions') {
    return { code: 'FIELD_RANGE', hint: 'Dimensions are in metres: 46 cm is 0.46 (at most 20).' };
  }
  switch (issue.code) {
    case 'invalid_value':
      return {
        code: 'FIELD_VALUE',
        hint: `Use one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}.`,
      };
    case 'invalid_union': {
      const options = (issue as { options?: unknown[] }).options;
      return {
        code: 'FIELD_VALUE',
        ...(Array.isArray(options)
          ? { hint: `Use one of: ${options.map((v) => JSON.stringify(v)).join(', ')}.` }
          : {}),
      };
    }
    case 'invalid_type':
      return {
        code: 'FIELD_TYPE',
        hint: `Write ${issue.expected === 'int' ? 'a whole number' : `a ${issue.expected}`} here.`,
      };
    case 'too_small':
    case 'too_big':
      return { code: 'FIELD_RANGE' };
    case 'invalid_format':
      return { code: 'FIELD_FORMAT' };
    default:
      return { code: 'SCHEMA_INVALID' };
  }
}

/** What to call element `index` of a file's top-level list: its id when it has one. */
function elementLabel(root: unknown, path: readonly PropertyKey[]): string {
  const first = path[0];
  if (typeof first !== 'number') return fieldPath(path);
  const id = valueAt(root, [first, 'id']);
  const rest = fieldPath(path.slice(1));
  if (typeof id === 'string' && id !== '') return rest ? `${id}: ${rest}` : `${id}`;
  return fieldPath(path);
}

/** Reports each zod issue of `file` with its line, column, code and hint. */
export function reportSchemaIssues(
  file: string,
  source: JsonSource,
  issues: readonly Issue[],
  problems: ProblemList,
): void {
  for (const issue of issues) {
    const path = issue.path;
    const key = String(path.findLast((t) => typeof t === 'string') ?? '');
    const parentKey = String(path.slice(0, -1).findLast((t) => typeof t === 'string') ?? '');
    const value = valueAt(source.value, path);
    const parent = valueAt(source.value, path.slice(0, -1));
    const last = path.at(-1);
    const missing =
      last !== undefined && typeof parent === 'object' && parent !== null && !Object.hasOwn(parent, last);
    const { code, hint } = classify(issue, key, parentKey, value, missing);
    const label = path.length === 0 ? 'the file' : elementLabel(source.value, path);
    const message =
      code === 'FIELD_MISSING'
        ? `${label} is missing`
        : `${label} ${show(value)}: ${issue.message.replace(/^Invalid input: /, '')}`;
    problems.error(file, code, message, { ...locate(source, path), ...(hint ? { hint } : {}) });
  }
}

/**
 * Warns about every field of `input` that the parse dropped from `output` (unknown to the schema), comparing
 * the two trees in step.
 */
export function reportUnknownFields(
  file: string,
  source: JsonSource,
  output: unknown,
  problems: ProblemList,
): void {
  const visit = (input: unknown, parsed: unknown, path: PropertyKey[]): void => {
    if (Array.isArray(input) && Array.isArray(parsed)) {
      input.forEach((item, i) => visit(item, parsed[i], [...path, i]));
      return;
    }
    if (typeof input !== 'object' || input === null || typeof parsed !== 'object' || parsed === null) return;
    for (const key of Object.keys(input)) {
      const next = [...path, key];
      if (!Object.hasOwn(parsed, key)) {
        problems.warning(
          file,
          'UNKNOWN_FIELD',
          `${elementLabel(source.value, next)} is not a known field: it is ignored`,
          {
            ...locate(source, next),
            hint: 'Check its spelling against the brand folder format in the README.',
          },
        );
      } else {
        visit((input as Record<string, unknown>)[key], (parsed as Record<string, unknown>)[key], next);
      }
    }
  };
  visit(source.value, output, []);
}
