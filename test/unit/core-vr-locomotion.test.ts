import { describe, expect, it } from 'vitest';
import {
  SMOOTH_SPEED,
  SNAP_TURN,
  rotateAbout,
  stickMotion,
  stickZone,
  yawDegrees,
  yawOfDirection,
  type StickZone,
} from '../../src/core/stick-locomotion';
import {
  TELEPORT_GRAVITY,
  TELEPORT_SPEED,
  arcLanding,
  arcPoint,
  isWalkable,
  type Vec3,
} from '../../src/core/teleport';
import { BODY_RADIUS, forwardOf, type FloorVec } from '../../src/core/walk';

const room = { halfWidth: 5, halfDepth: 4 };
const p = (x: number, z: number): FloorVec => ({ x, z });
const v = (x: number, y: number, z: number): Vec3 => ({ x, y, z });
const unit = (x: number, y: number, z: number): Vec3 => {
  const n = Math.hypot(x, y, z);
  return v(x / n, y / n, z / n);
};

describe('teleport arc', () => {
  it('lands straight below a hand pointing down', () => {
    const out = p(9, 9);
    const t = arcLanding(v(1, 1.2, -2), v(0, -1, 0), out);
    expect(out.x).toBeCloseTo(1, 10);
    expect(out.z).toBeCloseTo(-2, 10);
    // 1.2 = 8 t + 4.9 t²
    expect(TELEPORT_SPEED * t + 0.5 * TELEPORT_GRAVITY * t * t).toBeCloseTo(1.2, 10);
  });

  it('throws a level shot as far as the fall time allows, along the pointing direction', () => {
    const out = p(0, 0);
    const t = arcLanding(v(0, 1.225, 0), v(0, 0, -1), out);
    expect(t).toBeCloseTo(0.5, 10); // 1.225 = 4.9 × 0.5²
    expect(out.x).toBeCloseTo(0, 10);
    expect(out.z).toBeCloseTo(-4, 10); // 8 m/s × 0.5 s
  });

  it('reaches about 7.5 m at 45° from hand height, and the arc ends on the floor at the landing', () => {
    const origin = v(0, 1.2, 0);
    const dir = unit(1, 1, 0);
    const out = p(0, 0);
    const t = arcLanding(origin, dir, out);
    expect(out.x).toBeGreaterThan(7.3);
    expect(out.x).toBeLessThan(7.8);
    const end = arcPoint(origin, dir, t, v(0, 0, 0));
    expect(end.y).toBeCloseTo(0, 9);
    expect(end.x).toBeCloseTo(out.x, 9);
    const top = arcPoint(origin, dir, t / 2, v(0, 0, 0));
    expect(top.y).toBeGreaterThan(origin.y);
  });

  it('lands farther the higher the hand aims, up to 45°', () => {
    const out = p(0, 0);
    let last = 0;
    for (const deg of [-60, -30, 0, 20, 40]) {
      const r = (deg * Math.PI) / 180;
      arcLanding(v(0, 1.2, 0), v(0, Math.sin(r), -Math.cos(r)), out);
      expect(-out.z).toBeGreaterThan(last);
      last = -out.z;
    }
  });

  it('lands where it is from at or below the floor', () => {
    const out = p(0, 0);
    expect(arcLanding(v(2, -0.1, 3), v(0, 0, -1), out)).toBe(0);
    expect(out).toEqual({ x: 2, z: 3 });
  });
});

describe('walkable floor', () => {
  const obstacles = [{ x: 0, z: 0, radius: 0.7 }];
  it('accepts open floor and refuses walls and fixture footprints (body radius added)', () => {
    expect(isWalkable(p(2, 2), room, obstacles)).toBe(true);
    expect(isWalkable(p(0, 0), room, obstacles)).toBe(false);
    expect(isWalkable(p(0, 0.7 + BODY_RADIUS - 0.01), room, obstacles)).toBe(false);
    expect(isWalkable(p(0, 0.7 + BODY_RADIUS + 0.01), room, obstacles)).toBe(true);
    expect(isWalkable(p(5 - BODY_RADIUS + 0.01, 0), room, [])).toBe(false);
    expect(isWalkable(p(5 - BODY_RADIUS - 0.01, 0), room, [])).toBe(true);
    expect(isWalkable(p(6.5, 3), room, [])).toBe(false);
    expect(isWalkable(p(0, -4.5), room, [])).toBe(false);
  });
});

describe('thumbstick zones', () => {
  const run = (axes: [number, number][]): StickZone[] => {
    let zone: StickZone = 'none';
    return axes.map(([x, y]) => (zone = stickZone(x, y, zone)));
  };

  it('picks the dominant axis once pushed past the press threshold (forward is y < 0)', () => {
    expect(run([[0, -1]])).toEqual(['forward']);
    expect(run([[0, 0.9]])).toEqual(['back']);
    expect(run([[0.8, 0.2]])).toEqual(['right']);
    expect(run([[-0.7, 0]])).toEqual(['left']);
    expect(run([[0.4, 0.3]])).toEqual(['none']);
  });

  it('holds a zone until the stick comes back under the release threshold', () => {
    expect(
      run([
        [0, -1],
        [0.35, -0.35],
        [0, -0.4],
        [0, -0.2],
        [0, -0.5],
        [1, 0],
      ]),
    ).toEqual(['forward', 'forward', 'forward', 'none', 'none', 'right']);
  });
});

describe('smooth locomotion', () => {
  it('moves where the head looks at full speed, sideways to its right', () => {
    const out = p(0, 0);
    expect(stickMotion(0, -1, 0, 1, out)).toBe(true);
    expect(out.x).toBeCloseTo(0, 10);
    expect(out.z).toBeCloseTo(-SMOOTH_SPEED, 10);
    stickMotion(0, -1, Math.PI / 2, 0.5, out); // head turned left: forward is -x
    expect(out.x).toBeCloseTo(-SMOOTH_SPEED / 2, 10);
    expect(out.z).toBeCloseTo(0, 10);
    stickMotion(1, 0, 0, 1, out);
    expect(out.x).toBeCloseTo(SMOOTH_SPEED, 10);
    expect(out.z).toBeCloseTo(0, 10);
  });

  it('ignores a resting stick and slows down with a small deflection', () => {
    const out = p(5, 5);
    expect(stickMotion(0.05, -0.1, 0, 1, out)).toBe(false);
    expect(out).toEqual({ x: 0, z: 0 });
    stickMotion(0, -0.5, 0, 1, out);
    expect(-out.z).toBeGreaterThan(0);
    expect(-out.z).toBeLessThan(SMOOTH_SPEED / 2);
    stickMotion(0.8, -0.8, 0, 1, out); // diagonal past full deflection: not faster
    expect(Math.hypot(out.x, out.z)).toBeCloseTo(SMOOTH_SPEED, 10);
  });
});

describe('snap turn', () => {
  it('turns the origin about the head, so the head stays put and the view turns 45°', () => {
    const head = p(1, 2);
    // Origin 0.5 m behind the head's right; turning it about the head keeps their distance.
    const origin = rotateAbout(p(1.5, 2.5), head, SNAP_TURN, p(0, 0));
    expect(Math.hypot(origin.x - head.x, origin.z - head.z)).toBeCloseTo(Math.hypot(0.5, 0.5), 10);
    // A point straight ahead of the head ends up ahead of a head turned left by 45°.
    const ahead = rotateAbout(p(1, 1), head, SNAP_TURN, p(0, 0));
    const f = forwardOf(SNAP_TURN, p(0, 0));
    expect(ahead.x - head.x).toBeCloseTo(f.x, 10);
    expect(ahead.z - head.z).toBeCloseTo(f.z, 10);
  });

  it('reports yaws as whole degrees in (-180, 180]', () => {
    expect(yawDegrees(0)).toBe(0);
    expect(yawDegrees(-SNAP_TURN)).toBe(-45);
    expect(yawDegrees(Math.PI)).toBe(180);
    expect(yawDegrees(-Math.PI)).toBe(180);
    expect(yawDegrees(5 * SNAP_TURN)).toBe(-135);
    expect(yawDegrees(-9 * SNAP_TURN)).toBe(-45);
    expect(yawDegrees(-0.001)).toBe(0);
  });

  it('finds the yaw of a floor direction (inverse of forwardOf)', () => {
    for (const yaw of [0, 0.5, -2, 3]) {
      const f = forwardOf(yaw, p(0, 0));
      expect(yawOfDirection(f.x, f.z)).toBeCloseTo(yaw, 10);
    }
  });
});
