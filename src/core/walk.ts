/**
 * First-person walking on a showroom floor: keyboard motion, click-to-move targets and collision with the
 * room's walls and fixtures. Pure math on the floor plane (x right, z towards the viewer); every function
 * writes into an `out`/given point instead of allocating, so a render loop can call it every frame.
 */

/** A point on the floor in metres. */
export interface FloorVec {
  x: number;
  z: number;
}

/** The walkable room: centred on 0,0, `halfWidth` along x and `halfDepth` along z. */
export interface RoomBounds {
  halfWidth: number;
  halfDepth: number;
}

/** A circle on the floor a walker may not enter (the walker's own radius is added on top). */
export interface Obstacle {
  x: number;
  z: number;
  radius: number;
}

/** Which movement keys are held. */
export interface WalkKeys {
  forward: boolean;
  back: boolean;
  left: boolean;
  right: boolean;
}

/** Height of the eyes above the floor. */
export const EYE_HEIGHT = 1.6;
/** Radius of the walker's body: how close the eyes may come to a wall or a fixture's circle. */
export const BODY_RADIUS = 0.3;
/** Walking speed in metres per second. */
export const WALK_SPEED = 1.6;
/** Within this distance of a click target the walker slows down, so that arriving looks smooth. */
export const ARRIVE_SLOWDOWN = 0.6;
/** Lowest speed while slowing down, as a fraction of the walking speed. */
const MIN_SPEED_FRACTION = 0.15;
/** Looking up or down is limited to this angle (radians) so that the view never flips. */
export const MAX_PITCH = 1.2;

/**
 * The floor direction a yaw looks at (radians, 0 looks towards -z, positive turns left as in three.js).
 */
export function forwardOf(yaw: number, out: FloorVec): FloorVec {
  out.x = -Math.sin(yaw);
  out.z = -Math.cos(yaw);
  return out;
}

/**
 * The displacement the held keys ask for over `distance` metres, relative to the yaw. Diagonals are not
 * faster than straight lines. Returns false (and a zero `out`) when no movement is asked for.
 */
export function keyMotion(keys: WalkKeys, yaw: number, distance: number, out: FloorVec): boolean {
  const ahead = (keys.forward ? 1 : 0) - (keys.back ? 1 : 0);
  const side = (keys.right ? 1 : 0) - (keys.left ? 1 : 0);
  if (ahead === 0 && side === 0) {
    out.x = 0;
    out.z = 0;
    return false;
  }
  const scale = distance / Math.hypot(ahead, side);
  const s = Math.sin(yaw);
  const c = Math.cos(yaw);
  // forward = (-sin, -cos), right = (cos, -sin)
  out.x = (-s * ahead + c * side) * scale;
  out.z = (-c * ahead - s * side) * scale;
  return true;
}

function clampToRoom(p: FloorVec, room: RoomBounds, body: number): void {
  const maxX = Math.max(0, room.halfWidth - body);
  const maxZ = Math.max(0, room.halfDepth - body);
  p.x = Math.min(maxX, Math.max(-maxX, p.x));
  p.z = Math.min(maxZ, Math.max(-maxZ, p.z));
}

/**
 * Moves `p` to the nearest allowed place: inside the walls (at least `body` from each) and outside every
 * obstacle circle grown by `body`. Pushing out along the line from the obstacle's centre makes walking into
 * a fixture slide around it rather than stop dead.
 */
export function constrain(
  p: FloorVec,
  room: RoomBounds,
  obstacles: readonly Obstacle[],
  body: number = BODY_RADIUS,
): FloorVec {
  for (let pass = 0; pass < 3; pass++) {
    clampToRoom(p, room, body);
    let pushed = false;
    for (const o of obstacles) {
      const min = o.radius + body;
      const dx = p.x - o.x;
      const dz = p.z - o.z;
      const d = Math.hypot(dx, dz);
      if (d >= min) continue;
      pushed = true;
      if (d < 1e-9) {
        p.z = o.z + min;
      } else {
        p.x = o.x + (dx / d) * min;
        p.z = o.z + (dz / d) * min;
      }
    }
    if (!pushed) break;
  }
  clampToRoom(p, room, body);
  return p;
}

/**
 * Turns a clicked floor point into a reachable target: inside the walls, and when it lies inside a fixture's
 * circle, on that circle's edge on the side facing the walker (`from`), so the walker stops in front of it.
 */
export function clampTarget(
  target: FloorVec,
  from: FloorVec,
  room: RoomBounds,
  obstacles: readonly Obstacle[],
  body: number = BODY_RADIUS,
): FloorVec {
  clampToRoom(target, room, body);
  for (const o of obstacles) {
    const min = o.radius + body;
    if (Math.hypot(target.x - o.x, target.z - o.z) >= min) continue;
    const dx = from.x - o.x;
    const dz = from.z - o.z;
    const d = Math.hypot(dx, dz);
    if (d < 1e-9) {
      target.x = from.x;
      target.z = from.z;
    } else {
      target.x = o.x + (dx / d) * min;
      target.z = o.z + (dz / d) * min;
    }
  }
  return constrain(target, room, obstacles, body);
}

/**
 * Moves `p` towards `target` by at most `maxStep` metres, slowing down over the last ARRIVE_SLOWDOWN metres.
 * Returns true when `p` has arrived (and then equals the target).
 */
export function stepToward(p: FloorVec, target: FloorVec, maxStep: number): boolean {
  const dx = target.x - p.x;
  const dz = target.z - p.z;
  const d = Math.hypot(dx, dz);
  const step = maxStep * Math.max(MIN_SPEED_FRACTION, Math.min(1, d / ARRIVE_SLOWDOWN));
  if (d <= step || d < 1e-4) {
    p.x = target.x;
    p.z = target.z;
    return true;
  }
  p.x += (dx / d) * step;
  p.z += (dz / d) * step;
  return false;
}

/** Keeps a look-up/down angle within ±MAX_PITCH. */
export function clampPitch(pitch: number): number {
  return Math.min(MAX_PITCH, Math.max(-MAX_PITCH, pitch));
}

/** The `data-position` text of a floor point: "x,z" with 2 decimals ("1.50,-2.00"). */
export function formatFloorPosition(x: number, z: number): string {
  // Avoid "-0.00" for tiny negative numbers.
  const fx = Math.abs(x) < 0.005 ? 0 : x;
  const fz = Math.abs(z) < 0.005 ? 0 : z;
  return `${fx.toFixed(2)},${fz.toFixed(2)}`;
}
