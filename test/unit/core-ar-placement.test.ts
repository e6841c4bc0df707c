import { describe, expect, test } from 'vitest';
import {
  FloorEstimate,
  POINT_AT,
  checkTrueScale,
  classifySurface,
  createPlacementOut,
  multiply,
  placeProduct,
  placeProductInto,
  rotate,
  surfaceNormal,
  yawTowards,
  type HitPose,
  type ModelBox,
  type Quat,
  type Vec3,
} from '../../src/core/ar-placement';
import type { Placement } from '../../src/protocol/catalog';

const deg = (d: number): number => (d * Math.PI) / 180;

/** The quaternion rotating +Y onto the unit vector `n` (what a hit pose's orientation does). */
function normalToQuat(n: Vec3): Quat {
  const [x, y, z] = n;
  // axis = (0,1,0) × n = (z, 0, -x), angle = acos(y)
  const dot = y;
  if (dot > 0.999999) return [0, 0, 0, 1];
  if (dot < -0.999999) return [1, 0, 0, 0];
  const ax = z;
  const az = -x;
  const len = Math.hypot(ax, az);
  const half = Math.acos(dot) / 2;
  const s = Math.sin(half) / len;
  return [ax * s, 0, az * s, Math.cos(half)];
}

function hitAt(position: Vec3, normal: Vec3, spin = 0): HitPose {
  // A hit pose may be spun about its normal any way; the result must not depend on it.
  const spinQ: Quat = [0, Math.sin(spin / 2), 0, Math.cos(spin / 2)];
  return { position, orientation: multiply(normalToQuat(normal), spinQ) };
}

/** A 0.5 × 0.8 × 0.4 m model, origin at its bottom centre. */
const chair: ModelBox = { min: [-0.25, 0, -0.2], max: [0.25, 0.8, 0.2] };

function expectVec(actual: Vec3, expected: Vec3, digits = 6): void {
  actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i] ?? NaN, digits));
}

/** World position of a model-space point under a transform. */
function world(t: { position: Vec3; quaternion: Quat }, p: Vec3): Vec3 {
  const r = rotate(t.quaternion, p);
  return [t.position[0] + r[0], t.position[1] + r[1], t.position[2] + r[2]];
}

describe('surfaces', () => {
  test('the hit pose +Y is the normal; classification within 20 degrees', () => {
    expectVec(surfaceNormal(normalToQuat([0, 0, 1])), [0, 0, 1]);
    expect(classifySurface([0, 1, 0])).toBe('horizontal');
    expect(classifySurface([Math.sin(deg(19)), Math.cos(deg(19)), 0])).toBe('horizontal');
    expect(classifySurface([Math.sin(deg(21)), Math.cos(deg(21)), 0])).toBe('other');
    expect(classifySurface([1, 0, 0])).toBe('vertical');
    expect(classifySurface([Math.cos(deg(15)), Math.sin(deg(15)), 0])).toBe('vertical');
    expect(classifySurface([0, -1, 0])).toBe('other'); // a ceiling
  });
});

describe('floor placement', () => {
  test('stands upright on the hit point, facing the viewer', () => {
    const hit = hitAt([1, 0.05, -2], [0, 1, 0], deg(70));
    const viewer: Vec3 = [1, 1.6, 0];
    const result = placeProduct('floor', hit, { viewer, model: chair });
    if (!result.ok) throw new Error(result.reason);
    expectVec(result.transform.position, [1, 0.05, -2]);
    // Its front (+Z) points at the viewer on the horizontal plane; its up is the world's up.
    const front = rotate(result.transform.quaternion, [0, 0, 1]);
    expectVec(front, [0, 0, 1]);
    expectVec(rotate(result.transform.quaternion, [0, 1, 0]), [0, 1, 0]);
    // Bottom on the surface.
    expect(world(result.transform, [0, chair.min[1], 0])[1]).toBeCloseTo(0.05, 9);
  });

  test('yaw towards a viewer off to the side', () => {
    const hit = hitAt([0, 0, 0], [0, 1, 0]);
    const viewer: Vec3 = [-1, 1.6, 1];
    const result = placeProduct('floor', hit, { viewer, model: chair });
    if (!result.ok) throw new Error(result.reason);
    expect(result.transform.turn).toBeCloseTo(deg(-45), 9);
    expectVec(rotate(result.transform.quaternion, [0, 0, 1]), [-Math.SQRT1_2, 0, Math.SQRT1_2]);
    expect(yawTowards([0, 0, 0], [0, 5, -1])).toBeCloseTo(Math.PI, 9);
  });

  test('a slightly tilted floor still gets an upright product; a given turn overrides facing', () => {
    const tilt: Vec3 = [Math.sin(deg(10)), Math.cos(deg(10)), 0];
    const result = placeProduct('floor', hitAt([0, 0, 0], tilt), {
      viewer: [0, 1.6, 2],
      model: chair,
      turn: deg(30),
    });
    if (!result.ok) throw new Error(result.reason);
    expectVec(rotate(result.transform.quaternion, [0, 1, 0]), [0, 1, 0]);
    expect(result.transform.turn).toBeCloseTo(deg(30), 12);
  });

  test('a model whose lowest point is below its origin is lifted onto the surface, never scaled', () => {
    const sunk: ModelBox = { min: [-0.2, -0.03, -0.2], max: [0.2, 0.4, 0.2] };
    const result = placeProduct('floor', hitAt([0, 0.1, 0], [0, 1, 0]), { viewer: [0, 1, 1], model: sunk });
    if (!result.ok) throw new Error(result.reason);
    expect(result.transform.position[1]).toBeCloseTo(0.13, 9);
    expect(Math.hypot(...result.transform.quaternion)).toBeCloseTo(1, 12);
  });

  test('refuses walls, ceilings, steep slopes and (once the floor is known) a table', () => {
    const opts = { viewer: [0, 1.6, 0] as Vec3, model: chair };
    for (const normal of [
      [0, 0, 1],
      [0, -1, 0],
      [Math.sin(deg(30)), Math.cos(deg(30)), 0],
    ] as Vec3[]) {
      const result = placeProduct('floor', hitAt([0, 1, -1], normal), opts);
      expect(result).toMatchObject({ ok: false, reason: 'Point at the floor' });
    }
    expect(placeProduct('floor', hitAt([0, 0.75, -1], [0, 1, 0]), { ...opts, floorY: 0 })).toMatchObject({
      ok: false,
      reason: POINT_AT.floor,
    });
    expect(placeProduct('floor', hitAt([0, 0.02, -1], [0, 1, 0]), { ...opts, floorY: 0 }).ok).toBe(true);
  });
});

describe('tabletop placement', () => {
  const lamp: ModelBox = { min: [-0.14, 0, -0.14], max: [0.14, 0.46, 0.14] };
  test('stands on a raised surface and refuses the floor once the floor is known', () => {
    const opts = { viewer: [0, 1.6, 0] as Vec3, model: lamp, floorY: 0 };
    const table = placeProduct('tabletop', hitAt([0.2, 0.74, -0.8], [0, 1, 0]), opts);
    if (!table.ok) throw new Error(table.reason);
    expectVec(table.transform.position, [0.2, 0.74, -0.8]);
    expect(table.transform.turn).toBeCloseTo(yawTowards([0.2, 0, -0.8], [0, 0, 0]), 12);
    expect(placeProduct('tabletop', hitAt([0.2, 0.01, -0.8], [0, 1, 0]), opts)).toMatchObject({
      ok: false,
      reason: 'Point at a table',
    });
    expect(placeProduct('tabletop', hitAt([0, 1, -1], [0, 0, 1]), opts)).toMatchObject({
      ok: false,
      reason: 'Point at a table',
    });
    // Floor unknown: any horizontal surface will do.
    expect(placeProduct('tabletop', hitAt([0, 0.01, -1], [0, 1, 0]), { ...opts, floorY: undefined }).ok).toBe(
      true,
    );
  });

  test('the floor estimate needs two levels', () => {
    const floor = new FloorEstimate();
    floor.see(0.74);
    expect(floor.floorY).toBeUndefined();
    floor.see(0.7);
    expect(floor.floorY).toBeUndefined();
    floor.see(0.02);
    expect(floor.floorY).toBeCloseTo(0.02, 12);
  });
});

describe('wall placement', () => {
  const mirror: ModelBox = { min: [-0.35, 0, -0.02], max: [0.35, 0.7, 0.02] };
  test('back against the wall, +Z along the normal, centred on the hit point', () => {
    // A wall facing -X (the viewer stands on the -X side).
    const hit = hitAt([2, 1.5, 0.3], [-1, 0, 0], deg(33));
    const result = placeProduct('wall', hit, { viewer: [0, 1.6, 0], model: mirror });
    if (!result.ok) throw new Error(result.reason);
    const t = result.transform;
    expectVec(rotate(t.quaternion, [0, 0, 1]), [-1, 0, 0]);
    expectVec(rotate(t.quaternion, [0, 1, 0]), [0, 1, 0]);
    // The middle of the back is on the hit point; the front is 4 cm off the wall; the centre at hit height.
    expectVec(world(t, [0, 0.35, -0.02]), [2, 1.5, 0.3]);
    expectVec(world(t, [0, 0.35, 0.02]), [1.96, 1.5, 0.3]);
    expect(world(t, [0, 0, 0])[1]).toBeCloseTo(1.15, 9);
  });

  test('a turn spins it about the wall normal around the hit point', () => {
    const hit = hitAt([0, 1.2, -1.5], [0, 0, 1]);
    const result = placeProduct('wall', hit, { viewer: [0, 1.6, 0], model: mirror, turn: deg(90) });
    if (!result.ok) throw new Error(result.reason);
    expectVec(rotate(result.transform.quaternion, [0, 0, 1]), [0, 0, 1]);
    expectVec(rotate(result.transform.quaternion, [0, 1, 0]), [-1, 0, 0]);
    expectVec(world(result.transform, [0, 0.35, -0.02]), [0, 1.2, -1.5]);
  });

  test('refuses floors, tables and ceilings', () => {
    for (const normal of [
      [0, 1, 0],
      [0, -1, 0],
      [0, Math.cos(deg(45)), Math.sin(deg(45))],
    ] as Vec3[]) {
      expect(
        placeProduct('wall', hitAt([0, 0, -1], normal), { viewer: [0, 1, 0], model: mirror }),
      ).toMatchObject({ ok: false, reason: 'Point at a wall' });
    }
  });
});

describe('true-scale check', () => {
  const catalog = { width: 0.5, height: 0.8, depth: 0.4 };
  test('matches within 1 cm or 2 %, whichever is larger', () => {
    expect(checkTrueScale(chair, catalog).matches).toBe(true);
    const within: ModelBox = { min: [-0.255, 0, -0.2], max: [0.254, 0.815, 0.2] }; // +9 mm, +15 mm (1.9 %)
    expect(checkTrueScale(within, catalog).matches).toBe(true);
    const wide: ModelBox = { min: [-0.26, 0, -0.2], max: [0.26, 0.8, 0.2] }; // +2 cm on 50 cm (4 %)
    const check = checkTrueScale(wide, catalog);
    expect(check.matches).toBe(false);
    expect(check.difference.width).toBeCloseTo(0.02, 9);
    expect(check.measured).toEqual({ width: 0.52, height: 0.8, depth: 0.4 });
  });

  test('a model in centimetres (100x) or a small model 1.5 cm off is not true size', () => {
    const cm: ModelBox = { min: [-25, 0, -20], max: [25, 80, 20] };
    expect(checkTrueScale(cm, catalog).matches).toBe(false);
    const bowl = { width: 0.3, height: 0.1, depth: 0.3 };
    expect(checkTrueScale({ min: [-0.15, 0, -0.15], max: [0.15, 0.115, 0.15] }, bowl).matches).toBe(false);
    expect(checkTrueScale({ min: [-0.15, 0, -0.15], max: [0.15, 0.109, 0.15] }, bowl).matches).toBe(true);
  });
});

describe('in-place placement (per frame, no allocation)', () => {
  test('gives placeProduct’s answer in a reused object for every placement, surface and turn', () => {
    const out = createPlacementOut();
    const { position, quaternion } = out;
    const viewer: Vec3 = [0.3, 1.6, 0.8];
    const cases: [Placement, HitPose, number | undefined, number | undefined][] = [
      ['floor', hitAt([1, 0.05, -2], [0, 1, 0], deg(70)), undefined, undefined],
      ['floor', hitAt([1, 0.05, -2], [0, 1, 0]), deg(-120), 0],
      ['floor', hitAt([0, 0.75, -1], [0, 1, 0]), undefined, 0],
      ['tabletop', hitAt([0.2, 0.74, -0.8], [0, 1, 0]), undefined, 0],
      ['wall', hitAt([2, 1.5, 0.3], [-1, 0, 0], deg(33)), undefined, undefined],
      ['wall', hitAt([0, 1.2, -1.5], [0, 0, 1]), deg(90), undefined],
      ['wall', hitAt([0, 0, -1], [0, 1, 0]), undefined, undefined],
    ];
    for (const [placement, hit, turn, floorY] of cases) {
      const options = { viewer, model: chair, turn, floorY };
      const pure = placeProduct(placement, hit, options);
      expect(placeProductInto(placement, hit, options, out)).toBe(pure.ok);
      expect(out.position).toBe(position);
      expect(out.quaternion).toBe(quaternion);
      expect(out.surface).toBe(pure.surface);
      if (pure.ok) {
        expectVec(out.position, pure.transform.position, 12);
        out.quaternion.forEach((v, i) => expect(v).toBeCloseTo(pure.transform.quaternion[i] ?? NaN, 12));
        expect(out.turn).toBeCloseTo(pure.transform.turn, 12);
        expect(out.reason).toBeNull();
      } else {
        expect(out.reason).toBe(pure.reason);
      }
    }
  });
});
