/**
 * VR teleport math: the ballistic arc a pointing controller or hand throws to the floor, where it lands, and
 * whether a shopper may stand there (inside the walls, outside every fixture's keep-out circle, the body's
 * radius added as in walk.ts). Pure numbers in metres on the world axes (+y up, floor at y = 0); functions
 * write into given points instead of allocating, so a frame loop can call them every frame.
 */
import { BODY_RADIUS, type FloorVec, type Obstacle, type RoomBounds } from './walk';

/** A point or direction in metres. */
export interface Vec3 {
  x: number;
  y: number;
  z: number;
}

/** Launch speed of the arc in metres per second: with TELEPORT_GRAVITY it reaches about 7.5 m from the hand. */
export const TELEPORT_SPEED = 8;
/** Downward acceleration of the arc in metres per second squared. */
export const TELEPORT_GRAVITY = 9.8;

/**
 * Time at which the arc thrown from `origin` along the unit direction `dir` (at TELEPORT_SPEED, falling with
 * TELEPORT_GRAVITY) reaches the floor, and that floor point in `out`. An origin at or below the floor lands
 * where it is (time 0).
 */
export function arcLanding(origin: Vec3, dir: Vec3, out: FloorVec): number {
  const vy = dir.y * TELEPORT_SPEED;
  const t =
    origin.y <= 0 ? 0 : (vy + Math.sqrt(vy * vy + 2 * TELEPORT_GRAVITY * origin.y)) / TELEPORT_GRAVITY;
  out.x = origin.x + dir.x * TELEPORT_SPEED * t;
  out.z = origin.z + dir.z * TELEPORT_SPEED * t;
  return t;
}

/** The point of the arc (see arcLanding) at time `t`, written to `out`. */
export function arcPoint(origin: Vec3, dir: Vec3, t: number, out: Vec3): Vec3 {
  out.x = origin.x + dir.x * TELEPORT_SPEED * t;
  out.y = origin.y + dir.y * TELEPORT_SPEED * t - 0.5 * TELEPORT_GRAVITY * t * t;
  out.z = origin.z + dir.z * TELEPORT_SPEED * t;
  return out;
}

/**
 * Whether a shopper may stand at floor point `p`: at least `body` inside every wall and at least `body`
 * outside every fixture's keep-out circle (the places walk.ts `constrain` leaves unchanged).
 */
export function isWalkable(
  p: FloorVec,
  room: RoomBounds,
  obstacles: readonly Obstacle[],
  body: number = BODY_RADIUS,
): boolean {
  if (Math.abs(p.x) > room.halfWidth - body || Math.abs(p.z) > room.halfDepth - body) return false;
  for (const o of obstacles) {
    if (Math.hypot(p.x - o.x, p.z - o.z) < o.radius + body) return false;
  }
  return true;
}
