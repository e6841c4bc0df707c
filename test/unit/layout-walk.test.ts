import { describe, expect, it } from 'vitest';
import {
  BODY_RADIUS,
  MAX_PITCH,
  clampPitch,
  clampTarget,
  constrain,
  forwardOf,
  formatFloorPosition,
  keyMotion,
  stepToward,
  type FloorVec,
  type WalkKeys,
} from '../../src/core/walk';
import { Walker } from '../../src/features/showroom/walker';

const room = { halfWidth: 4, halfDepth: 3 };
const none: WalkKeys = { forward: false, back: false, left: false, right: false };
const keys = (k: Partial<WalkKeys>): WalkKeys => ({ ...none, ...k });
const p = (x: number, z: number): FloorVec => ({ x, z });

describe('keyboard motion', () => {
  it('moves forward along the view direction: yaw 0 looks towards -z', () => {
    const out = p(0, 0);
    expect(keyMotion(keys({ forward: true }), 0, 1, out)).toBe(true);
    expect(out.x).toBeCloseTo(0, 10);
    expect(out.z).toBeCloseTo(-1, 10);
    keyMotion(keys({ forward: true }), Math.PI / 2, 1, out); // turned left: -x
    expect(out.x).toBeCloseTo(-1, 10);
    expect(out.z).toBeCloseTo(0, 10);
    const f = forwardOf(Math.PI / 2, p(0, 0));
    expect(f.x).toBeCloseTo(-1, 10);
  });

  it('strafes right and backs off, and diagonals are no faster', () => {
    const out = p(0, 0);
    keyMotion(keys({ right: true }), 0, 2, out);
    expect(out.x).toBeCloseTo(2, 10);
    keyMotion(keys({ back: true }), 0, 2, out);
    expect(out.z).toBeCloseTo(2, 10);
    keyMotion(keys({ forward: true, left: true }), 0, 1, out);
    expect(Math.hypot(out.x, out.z)).toBeCloseTo(1, 10);
    expect(keyMotion(keys({ forward: true, back: true }), 0, 1, out)).toBe(false);
    expect(out).toEqual({ x: 0, z: 0 });
  });
});

describe('collision', () => {
  it('keeps the walker 0.3 m inside the walls', () => {
    expect(constrain(p(10, -10), room, [])).toEqual({ x: 4 - BODY_RADIUS, z: -(3 - BODY_RADIUS) });
    expect(constrain(p(1, 1), room, [])).toEqual({ x: 1, z: 1 });
  });

  it('pushes the walker out of a fixture circle, sliding along it', () => {
    const fixture = { x: 0, z: -2, radius: 0.5 };
    const q = constrain(p(0.1, -1.5), room, [fixture]);
    expect(Math.hypot(q.x - fixture.x, q.z - fixture.z)).toBeCloseTo(0.5 + BODY_RADIUS, 10);
    expect(q.x).toBeGreaterThan(0); // pushed out on the side it came from
    const centre = constrain(p(0, -2), room, [fixture]);
    expect(Math.hypot(centre.x, centre.z + 2)).toBeCloseTo(0.8, 10);
  });

  it('never leaves the room even when a fixture stands near a wall', () => {
    const q = constrain(p(3.9, 0), room, [{ x: 3.5, z: 0, radius: 0.4 }]);
    expect(q.x).toBeLessThanOrEqual(4 - BODY_RADIUS + 1e-9);
  });
});

describe('click to move', () => {
  it('clamps a target on the far side of a wall to inside the room', () => {
    expect(clampTarget(p(9, 1), p(0, 0), room, [])).toEqual({ x: 3.7, z: 1 });
  });

  it('stops in front of a fixture that was clicked into, on the walker side', () => {
    const fixture = { x: 0, z: -2, radius: 0.5 };
    const t = clampTarget(p(0, -2.1), p(0, 1), room, [fixture]);
    expect(t.x).toBeCloseTo(0, 10);
    expect(t.z).toBeCloseTo(-2 + 0.8, 10);
  });

  it('glides towards the target, slowing down, and arrives exactly', () => {
    const at = p(0, 0);
    const target = p(0, -2);
    expect(stepToward(at, target, 0.1)).toBe(false);
    expect(at.z).toBeCloseTo(-0.1, 10);
    let steps = 0;
    while (!stepToward(at, target, 0.1) && steps < 1000) steps++;
    expect(at).toEqual(target);
    expect(steps).toBeGreaterThan(18); // the last 0.6 m are slower than full speed
    expect(steps).toBeLessThan(100);
  });
});

describe('view helpers', () => {
  it('limits pitch and formats the floor position', () => {
    expect(clampPitch(3)).toBe(MAX_PITCH);
    expect(clampPitch(-3)).toBe(-MAX_PITCH);
    expect(formatFloorPosition(1.234, -0.001)).toBe('1.23,0.00');
    expect(formatFloorPosition(-2, 3.456)).toBe('-2.00,3.46');
  });
});

describe('Walker', () => {
  const obstacles = [{ x: 0, z: -3, radius: 0.5 }];
  const bounds = { halfWidth: 4, halfDepth: 5 };

  it('walks 1 m forward from the spawn in 1/1.6 s with W held, then stops when released', () => {
    const w = new Walker({ position: [0, 2], rotationY: 0 }, bounds, obstacles);
    w.press('forward', true);
    for (let i = 0; i < 50; i++) w.step(1 / 80);
    expect(w.position.z).toBeCloseTo(2 - (50 / 80) * 1.6, 6);
    w.press('forward', false);
    expect(w.step(1 / 60)).toBe(false);
    expect(w.active).toBe(false);
  });

  it('cannot walk through a fixture and gives up a click-to-move that is blocked', () => {
    const w = new Walker({ position: [0, 0], rotationY: 0 }, bounds, obstacles);
    w.press('forward', true);
    for (let i = 0; i < 600; i++) w.step(1 / 60);
    expect(w.position.z).toBeCloseTo(-3 + 0.8, 6);
    w.press('forward', false);
    w.walkTo(0, -4.5); // behind the fixture
    let frames = 0;
    while (w.step(1 / 60) && frames < 2000) frames++;
    expect(frames).toBeLessThan(2000);
    expect(Math.hypot(w.position.x, w.position.z + 3)).toBeGreaterThanOrEqual(0.8 - 1e-9);
  });

  it('turns with look() and clamps looking up', () => {
    const w = new Walker({ position: [0, 0], rotationY: 90 }, bounds, []);
    expect(w.yaw).toBeCloseTo(Math.PI / 2, 10);
    w.look(0.5, 5);
    expect(w.yaw).toBeCloseTo(Math.PI / 2 + 0.5, 10);
    expect(w.pitch).toBe(MAX_PITCH);
  });

  it('setLayout keeps the position and view when the new layout still allows them', () => {
    const w = new Walker({ position: [0, 2], rotationY: 0 }, bounds, obstacles);
    w.press('left', true);
    for (let i = 0; i < 30; i++) w.step(1 / 60);
    w.press('left', false);
    w.look(0.4, 0.1);
    const { x, z } = w.position;
    expect(x).toBeCloseTo(-0.8, 6);
    w.setLayout({ halfWidth: 4, halfDepth: 5 }, [{ x: 2, z: -3, radius: 0.5 }]);
    expect(w.position).toEqual({ x, z });
    expect(w.yaw).toBeCloseTo(0.4, 10);
    expect(w.pitch).toBeCloseTo(0.1, 10);
  });

  it('setLayout clamps the position into smaller bounds and out of a new fixture', () => {
    const w = new Walker({ position: [3.5, 4.5], rotationY: 0 }, bounds, []);
    expect(w.position).toEqual({ x: 3.5, z: 4.5 });
    w.setLayout({ halfWidth: 2, halfDepth: 3 }, []);
    expect(w.position.x).toBeCloseTo(2 - BODY_RADIUS, 10);
    expect(w.position.z).toBeCloseTo(3 - BODY_RADIUS, 10);
    const fixture = { x: 1, z: 2.7, radius: 0.3 };
    w.setLayout({ halfWidth: 2, halfDepth: 3 }, [fixture]);
    expect(Math.hypot(w.position.x - fixture.x, w.position.z - fixture.z)).toBeGreaterThanOrEqual(
      fixture.radius + BODY_RADIUS - 1e-9,
    );
    expect(w.position.z).toBeCloseTo(3 - BODY_RADIUS, 10);
    // Walking on uses the new layout: the old, larger room is no longer reachable.
    w.press('back', true);
    for (let i = 0; i < 120; i++) w.step(1 / 60);
    expect(w.position.z).toBeLessThanOrEqual(3 - BODY_RADIUS + 1e-9);
  });
});
