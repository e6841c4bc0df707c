import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, canonicalJson, hashEvent, sealTrail, verifyTrail } from '../../src/core/provenance';
import { ProvenanceEvent } from '../../src/protocol/catalog';

/** The element at `index`, failing the test if there is none. */
function nth<T>(list: readonly T[], index: number): T {
  const item = list[index];
  if (item === undefined) throw new Error(`no element ${index}`);
  return item;
}

const unsealed: Omit<ProvenanceEvent, 'hash'>[] = [
  {
    eventTime: '2025-01-14T08:00:00Z',
    bizStep: 'harvesting',
    location: { name: 'Forest of Tronçais', country: 'FR' },
    actor: 'ONF Allier',
    description: 'Oak felled from a managed stand.',
  },
  {
    eventTime: '2025-02-03T10:30:00Z',
    bizStep: 'receiving',
    location: { name: 'Sawmill, Moulins', country: 'FR' },
    actor: 'Scierie Bourbonnaise',
    description: 'Logs received and sawn.',
  },
  {
    eventTime: '2025-04-22T14:00:00Z',
    bizStep: 'assembling',
    location: { name: 'Workshop, Utrecht', country: 'NL' },
    actor: 'Linde Atelier',
    description: 'Chair assembled and oiled.',
  },
  {
    eventTime: '2025-04-25T09:15:00Z',
    bizStep: 'shipping',
    location: { name: 'Workshop, Utrecht', country: 'NL' },
    actor: 'Linde Atelier',
    description: 'Shipped to the shopper.',
  },
];

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x y' } })).toBe(
      '{"a":{"c":"x y","d":[3,{"y":null,"z":true}]},"b":1}',
    );
  });

  it('gives the same text whatever the key order', () => {
    expect(canonicalJson({ x: 1, y: [1, 2] })).toBe(canonicalJson({ y: [1, 2], x: 1 }));
  });

  it('drops undefined properties and escapes strings like JSON', () => {
    expect(canonicalJson({ a: undefined, b: 'quote " and \n' })).toBe('{"b":"quote \\" and \\n"}');
  });

  it('refuses values JSON cannot carry', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson(10n)).toThrow(TypeError);
  });
});

describe('hashEvent', () => {
  it('is the hex SHA-256 of the previous hash followed by the canonical JSON', async () => {
    const event = nth(unsealed, 0);
    const expected = createHash('sha256')
      .update(GENESIS_HASH + canonicalJson(event))
      .digest('hex');
    expect(await hashEvent(GENESIS_HASH, event)).toBe(expected);
    expect(GENESIS_HASH).toBe('0'.repeat(64));
  });

  it('ignores a hash field already on the event', async () => {
    const withHash = { ...nth(unsealed, 1), hash: 'f'.repeat(64) };
    expect(await hashEvent(GENESIS_HASH, withHash)).toBe(await hashEvent(GENESIS_HASH, nth(unsealed, 1)));
  });

  it('depends on the previous hash', async () => {
    expect(await hashEvent(GENESIS_HASH, nth(unsealed, 0))).not.toBe(
      await hashEvent('1'.repeat(64), nth(unsealed, 0)),
    );
  });
});

describe('sealTrail and verifyTrail', () => {
  it('seals a chain that parses as protocol events and verifies', async () => {
    const trail = await sealTrail(unsealed);
    expect(trail).toHaveLength(4);
    for (const event of trail) expect(ProvenanceEvent.parse(event)).toEqual(event);
    expect(nth(trail, 0).hash).toBe(await hashEvent(GENESIS_HASH, nth(unsealed, 0)));
    expect(nth(trail, 1).hash).toBe(await hashEvent(nth(trail, 0).hash, nth(unsealed, 1)));
    expect(await verifyTrail(trail)).toEqual({ ok: true });
    expect(await verifyTrail([])).toEqual({ ok: true });
  });

  it('detects an edited field at the edited event', async () => {
    const trail = await sealTrail(unsealed);
    const tampered = trail.map((event) => ({ ...event }));
    tampered[2] = { ...nth(trail, 2), actor: 'Somebody else' };
    expect(await verifyTrail(tampered)).toEqual({ ok: false, brokenAt: 2 });

    const nested = trail.map((event) => ({ ...event }));
    nested[1] = { ...nth(trail, 1), location: { ...nth(trail, 1).location, country: 'DE' } };
    expect(await verifyTrail(nested)).toEqual({ ok: false, brokenAt: 1 });
  });

  it('detects an edited event even when its own hash was recomputed', async () => {
    const trail = await sealTrail(unsealed);
    const forged = { ...nth(trail, 1), eventTime: '2025-01-01T00:00:00Z' };
    forged.hash = await hashEvent(nth(trail, 0).hash, forged);
    expect(await verifyTrail([nth(trail, 0), forged, nth(trail, 2), nth(trail, 3)])).toEqual({
      ok: false,
      brokenAt: 2,
    });
  });

  it('detects reordered events', async () => {
    const trail = await sealTrail(unsealed);
    expect(await verifyTrail([nth(trail, 0), nth(trail, 2), nth(trail, 1), nth(trail, 3)])).toEqual({
      ok: false,
      brokenAt: 1,
    });
    expect(await verifyTrail([nth(trail, 1), nth(trail, 0), nth(trail, 2), nth(trail, 3)])).toEqual({
      ok: false,
      brokenAt: 0,
    });
  });

  it('detects removed events', async () => {
    const trail = await sealTrail(unsealed);
    expect(await verifyTrail([nth(trail, 0), nth(trail, 2), nth(trail, 3)])).toEqual({
      ok: false,
      brokenAt: 1,
    });
    expect(await verifyTrail(trail.slice(1))).toEqual({ ok: false, brokenAt: 0 });
  });

  it('detects a corrupted hash', async () => {
    const trail = await sealTrail(unsealed);
    const broken = trail.map((event) => ({ ...event }));
    broken[3] = { ...nth(trail, 3), hash: '0'.repeat(64) };
    expect(await verifyTrail(broken)).toEqual({ ok: false, brokenAt: 3 });
  });
});
