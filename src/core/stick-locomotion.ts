/**
 * VR thumbstick locomotion math: which way a stick is pushed (with hysteresis, so a stick resting near a
 * threshold does not flicker), the head-relative floor motion a pushed stick asks for, snap turns about the
 * head, and the yaw of the XR origin as whole degrees. Pure numbers on the floor plane (x right, z towards
 * the viewer; yaw in radians, 0 looking towards -z, positive turning left as in three.js and walk.ts).
 */
import type { FloorVec } from './walk';

/** Which way a thumbstick is pushed: its dominant axis beyond the press threshold. */
export type StickZone = 'none' | 'forward' | 'back' | 'left' | 'right';

/** Deflection (0..1) at which a stick counts as pushed. */
export const STICK_PRESS = 0.6;
/** Deflection below which a pushed stick counts as released again. */
export const STICK_RELEASE = 0.3;
/** Deflection below which smooth locomotion ignores a stick (resting sticks drift a little). */
export const STICK_DEAD_ZONE = 0.15;
/** Smooth locomotion speed in metres per second at full deflection. */
export const SMOOTH_SPEED = 1.6;
/** One snap turn in radians (45°). */
export const SNAP_TURN = Math.PI / 4;

/**
 * The zone of a stick at axes (x right, y down as the Gamepad API reports: pushing forward gives y < 0),
 * given the zone it was in: a pushed stick stays in its zone until it comes back under STICK_RELEASE.
 */
export function stickZone(x: number, y: number, previous: StickZone): StickZone {
  const m = Math.hypot(x, y);
  if (previous !== 'none' && m >= STICK_RELEASE) return previous;
  if (m < STICK_PRESS) return 'none';
  if (Math.abs(x) > Math.abs(y)) return x > 0 ? 'right' : 'left';
  return y < 0 ? 'forward' : 'back';
}

/**
 * The floor displacement of smooth locomotion for stick axes (x, y) over `seconds`, relative to where the
 * head looks (`headYaw`): forward moves where the head faces, sideways strafes. Speed grows with deflection
 * from the dead zone up to SMOOTH_SPEED. Returns false (and a zero `out`) inside the dead zone.
 */
export function stickMotion(x: number, y: number, headYaw: number, seconds: number, out: FloorVec): boolean {
  const m = Math.hypot(x, y);
  if (m < STICK_DEAD_ZONE) {
    out.x = 0;
    out.z = 0;
    return false;
  }
  const strength = Math.min(1, (m - STICK_DEAD_ZONE) / (1 - STICK_DEAD_ZONE));
  const scale = (SMOOTH_SPEED * seconds * strength) / m;
  const ahead = -y;
  const side = x;
  const s = Math.sin(headYaw);
  const c = Math.cos(headYaw);
  // forward = (-sin, -cos), right = (cos, -sin), as in walk.ts keyMotion
  out.x = (-s * ahead + c * side) * scale;
  out.z = (-c * ahead - s * side) * scale;
  return true;
}

/**
 * Turns floor point `p` about `centre` by `angle` radians (positive turns left, like a yaw), writing to `out`
 * (which may be `p`). Turning the XR origin about the head this way keeps the head where it is.
 */
export function rotateAbout(p: FloorVec, centre: FloorVec, angle: number, out: FloorVec): FloorVec {
  const dx = p.x - centre.x;
  const dz = p.z - centre.z;
  const s = Math.sin(angle);
  const c = Math.cos(angle);
  // Rotation about +y: x' = x cos + z sin, z' = -x sin + z cos.
  out.x = centre.x + dx * c + dz * s;
  out.z = centre.z - dx * s + dz * c;
  return out;
}

/** The yaw (radians) of a view looking along the floor direction (fx, fz); 0 looks towards -z. */
export function yawOfDirection(fx: number, fz: number): number {
  return Math.atan2(-fx, -fz);
}

/** A yaw in radians as whole degrees in (-180, 180] (the `data-xr-rotation` text). */
export function yawDegrees(yaw: number): number {
  let deg = Math.round((yaw * 180) / Math.PI) % 360;
  if (deg > 180) deg -= 360;
  if (deg <= -180) deg += 360;
  return deg === 0 ? 0 : deg;
}
