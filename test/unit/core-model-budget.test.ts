import { describe, expect, it } from 'vitest';
import { formatTriangles, modelBudget, PHONE_LIMITS, type DeviceLimits } from '../../src/core/model-budget';

describe('modelBudget', () => {
  it('lets a model within both phone limits through', () => {
    expect(modelBudget({ triangles: 47_000, bytes: 2_800_000 })).toEqual({ ok: true });
    // The limits themselves are still fine.
    expect(modelBudget({ triangles: 100_000, bytes: 15_000_000 })).toEqual({ ok: true });
  });

  it('warns over the triangle limit, naming both sizes in a question for the shopper', () => {
    expect(modelBudget({ triangles: 312_400, bytes: 22_000_000 })).toEqual({
      ok: false,
      reason:
        'This model is large (312k triangles, 22.0 MB) and may be slow or crash on this device. Continue?',
      over: ['triangles', 'bytes'],
    });
    const result = modelBudget({ triangles: 100_001, bytes: 1_200_000 });
    expect(result).toEqual({
      ok: false,
      reason:
        'This model is large (100,001 triangles, 1.2 MB) and may be slow or crash on this device. Continue?',
      over: ['triangles'],
    });
    // Just over the limit never reads as the limit itself; further over, the short form is clear.
    const near = modelBudget({ triangles: 100_499, bytes: 1_000 });
    expect(near.ok === false && near.reason).toContain('(100,499 triangles,');
    const clear = modelBudget({ triangles: 100_501, bytes: 1_000 });
    expect(clear.ok === false && clear.reason).toContain('(101k triangles,');
  });

  it('warns over the byte limit alone', () => {
    const result = modelBudget({ triangles: 20_000, bytes: 15_000_001 });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.over).toEqual(['bytes']);
      expect(result.reason).toBe(
        'This model is large (20k triangles, 15.0 MB) and may be slow or crash on this device. Continue?',
      );
    }
  });

  it('takes another device’s limits and name', () => {
    const tablet: DeviceLimits = { maxTriangles: 500_000, maxBytes: 50_000_000, name: 'this tablet' };
    expect(modelBudget({ triangles: 312_000, bytes: 22_000_000 }, tablet)).toEqual({ ok: true });
    const result = modelBudget({ triangles: 1_250_000, bytes: 22_000_000 }, tablet);
    expect(result).toMatchObject({ ok: false, over: ['triangles'] });
    if (!result.ok)
      expect(result.reason).toContain('(1.3M triangles, 22.0 MB) and may be slow or crash on this tablet.');
  });

  it('has the documented phone limits: 100k triangles (Khronos 3D Commerce), 15 MB', () => {
    expect(PHONE_LIMITS).toEqual({ maxTriangles: 100_000, maxBytes: 15_000_000, name: 'this device' });
  });
});

describe('formatTriangles', () => {
  it('writes counts for people', () => {
    expect(formatTriangles(0)).toBe('0');
    expect(formatTriangles(850)).toBe('850');
    expect(formatTriangles(1_000)).toBe('1k');
    expect(formatTriangles(47_499)).toBe('47k');
    expect(formatTriangles(312_400)).toBe('312k');
    expect(formatTriangles(999_499)).toBe('999k');
    expect(formatTriangles(999_500)).toBe('1.0M');
    expect(formatTriangles(1_250_000)).toBe('1.3M');
  });
});
