/**
 * Hash chain of provenance trails: each supply-chain event is sealed with the SHA-256 of the previous event's
 * hash followed by its own canonical JSON, so editing, reordering or removing an event breaks the chain.
 * Pure TypeScript over Web Crypto (`globalThis.crypto.subtle`), the same in browsers and Node.
 */

/**
 * The fields of an event that are hashed. Structural on purpose: core/ imports no other layer, and
 * protocol's `ProvenanceEvent` (eventTime, bizStep, location, actor, description, hash) fits these types.
 */
export type UnsealedEvent = object;

/** An event carrying its chained hash. */
export interface SealedEvent {
  /** Hex SHA-256 of the previous hash followed by the canonical JSON of the other fields. */
  hash: string;
}

/** The "previous hash" of the first event of every trail: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/** The outcome of checking a trail: `brokenAt` is the index of the first event whose hash does not match. */
export type TrailCheck = { ok: true } | { ok: false; brokenAt: number };

/**
 * JSON with object keys sorted (by UTF-16 code units) and no whitespace, so that equal values always give
 * equal text. Like `JSON.stringify`, properties whose value is `undefined` are left out.
 * @throws TypeError on values JSON cannot represent faithfully (non-finite numbers, bigint, functions).
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} is not a finite number`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record)
        .filter((key) => record[key] !== undefined)
        .sort();
      return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonicalJson: cannot encode a value of type ${typeof value}`);
  }
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** Hex SHA-256 of `prevHash` followed by the canonical JSON of the event (any `hash` field is ignored). */
export async function hashEvent(prevHash: string, event: UnsealedEvent): Promise<string> {
  const fields: Record<string, unknown> = { ...event };
  delete fields.hash;
  const bytes = new TextEncoder().encode(prevHash + canonicalJson(fields));
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes));
  let hex = '';
  for (const byte of digest) hex += HEX[byte];
  return hex;
}

/** Seals a trail in order: each event gets the hash chained from the one before it (GENESIS_HASH first). */
export async function sealTrail<E extends UnsealedEvent>(events: readonly E[]): Promise<(E & SealedEvent)[]> {
  const sealed: (E & SealedEvent)[] = [];
  let prevHash = GENESIS_HASH;
  for (const event of events) {
    const hash = await hashEvent(prevHash, event);
    sealed.push({ ...event, hash });
    prevHash = hash;
  }
  return sealed;
}

/**
 * Recomputes every link of a sealed trail. An edited event fails at its own index; a removed or moved event
 * fails at the first event whose predecessor changed. An empty trail is trivially intact.
 */
export async function verifyTrail(events: readonly SealedEvent[]): Promise<TrailCheck> {
  let prevHash = GENESIS_HASH;
  for (const [index, event] of events.entries()) {
    if ((await hashEvent(prevHash, event)) !== event.hash) return { ok: false, brokenAt: index };
    prevHash = event.hash;
  }
  return { ok: true };
}
