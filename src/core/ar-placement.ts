/**
 * Where a product goes in AR: from a WebXR hit pose (the pose of an XRHitTestResult, whose +Y axis is the
 * surface normal) to the product's transform, by the catalog's `placement`, and whether the loaded model is at
 * the catalog's true size. Plain tuples, no three.js: the AR layer (src/xr/ar/) feeds poses in and copies the
 * result onto its objects.
 *
 * Conventions: metres, +Y up, the product model's origin at its bottom centre with its front facing +Z.
 * - floor / tabletop: the product stands upright (its +Y is the world's +Y, whatever small tilt the hit has) on a
 *   roughly horizontal, upward-facing surface (normal within {@link SURFACE_TOLERANCE_DEG} of up), its lowest
 *   point on the surface, turned about +Y to face the viewer unless a turn is given.
 * - wall: the product hangs upright with its back against a vertical surface (normal within the tolerance of
 *   horizontal), its +Z along the wall's normal, and its centre on the hit point: the reticle marks the middle of
 *   where it will hang, as a picture is hung by its middle. A turn spins it about the wall normal.
 * Wrong surfaces are refused with the sentence the reticle shows ("Point at the floor", …).
 */
import type { Dimensions, Placement } from '../protocol/catalog';

/** A point or direction: [x, y, z] in metres. */
export type Vec3 = readonly [number, number, number];
/** A unit quaternion [x, y, z, w]. */
export type Quat = readonly [number, number, number, number];

/** A hit pose in the reference space: position and orientation (its +Y is the surface normal). */
export interface HitPose {
  position: Vec3;
  orientation: Quat;
}

/** An axis-aligned box in the model's own space (metres). */
export interface ModelBox {
  min: Vec3;
  max: Vec3;
}

/** How far (degrees) a surface normal may lean from straight up (floor, table) or from horizontal (wall). */
export const SURFACE_TOLERANCE_DEG = 20;

/**
 * A horizontal surface at least this far (metres) above the lowest one seen is a raised surface (a table), not
 * the floor.
 */
export const TABLE_MIN_HEIGHT = 0.2;

/** The kind of surface a hit is on. */
export type SurfaceKind = 'horizontal' | 'vertical' | 'other';

/** What the reticle asks for when a hit is on the wrong surface for a placement. */
export const POINT_AT: Readonly<Record<Placement, string>> = {
  floor: 'Point at the floor',
  wall: 'Point at a wall',
  tabletop: 'Point at a table',
};

/** The product's transform in the reference space. `turn` is the spin used (radians; see {@link placeProduct}). */
export interface ProductTransform {
  position: Vec3;
  quaternion: Quat;
  turn: number;
}

/** Result of {@link placeProduct}: a transform, or why the surface does not take this product. */
export type PlacementResult =
  | { ok: true; transform: ProductTransform; surface: SurfaceKind }
  | { ok: false; surface: SurfaceKind; reason: string };

/** Options of {@link placeProduct}. */
export interface PlaceOptions {
  /** Where the viewer's head is (reference space): floor and table products face it when `turn` is absent. */
  viewer: Vec3;
  /** The loaded model's bounds in its own space. */
  model: ModelBox;
  /**
   * Height of the floor when known (the lowest horizontal surface seen, once a higher one was seen too).
   * Unknown: any horizontal surface takes floor and table products alike.
   */
  floorY?: number;
  /**
   * Spin in radians: for floor and table products the yaw about +Y (0 faces +Z), for wall products the roll about
   * the wall normal (0 upright). Absent: floor and table products face the viewer, wall products hang upright.
   */
  turn?: number;
}

/** Rotates `v` by the unit quaternion `q`. */
export function rotate(q: Quat, v: Vec3): Vec3 {
  const [x, y, z, w] = q;
  // t = 2 (q.xyz × v); v' = v + w t + q.xyz × t
  const tx = 2 * (y * v[2] - z * v[1]);
  const ty = 2 * (z * v[0] - x * v[2]);
  const tz = 2 * (x * v[1] - y * v[0]);
  return [
    v[0] + w * tx + (y * tz - z * ty),
    v[1] + w * ty + (z * tx - x * tz),
    v[2] + w * tz + (x * ty - y * tx),
  ];
}

/** Product of two quaternions: the rotation `b` followed by `a`. */
export function multiply(a: Quat, b: Quat): Quat {
  const [ax, ay, az, aw] = a;
  const [bx, by, bz, bw] = b;
  return [
    aw * bx + ax * bw + ay * bz - az * by,
    aw * by - ax * bz + ay * bw + az * bx,
    aw * bz + ax * by - ay * bx + az * bw,
    aw * bw - ax * bx - ay * by - az * bz,
  ];
}

/** Rotation by `angle` radians about +Y. */
export function yawQuaternion(angle: number): Quat {
  return [0, Math.sin(angle / 2), 0, Math.cos(angle / 2)];
}

/** The surface normal of a hit pose: its +Y axis. */
export function surfaceNormal(orientation: Quat): Vec3 {
  return rotate(orientation, [0, 1, 0]);
}

/** Whether a normal is (within the tolerance) up-facing horizontal, vertical, or neither. */
export function classifySurface(normal: Vec3, toleranceDeg = SURFACE_TOLERANCE_DEG): SurfaceKind {
  const length = Math.hypot(normal[0], normal[1], normal[2]) || 1;
  const up = normal[1] / length;
  const tolerance = (toleranceDeg * Math.PI) / 180;
  if (up >= Math.cos(tolerance)) return 'horizontal';
  if (Math.abs(up) <= Math.sin(tolerance)) return 'vertical';
  return 'other';
}

/** The yaw (about +Y) that turns a product's front (+Z) at `from` towards `to` on the horizontal plane. */
export function yawTowards(from: Vec3, to: Vec3): number {
  const dx = to[0] - from[0];
  const dz = to[2] - from[2];
  if (Math.hypot(dx, dz) < 1e-6) return 0;
  return Math.atan2(dx, dz);
}

/**
 * Where {@link placeProductInto} writes its answer: reuse one per caller, so that placing every frame allocates
 * nothing. `position`, `quaternion` and `turn` are valid only when `ok`; `reason` only when not.
 */
export interface PlacementOut {
  ok: boolean;
  surface: SurfaceKind;
  /** Why the surface is refused (the reticle's sentence), or null when `ok`. */
  reason: string | null;
  position: [number, number, number];
  quaternion: [number, number, number, number];
  turn: number;
}

/** A fresh {@link PlacementOut} to reuse. */
export function createPlacementOut(): PlacementOut {
  return {
    ok: false,
    surface: 'other',
    reason: null,
    position: [0, 0, 0],
    quaternion: [0, 0, 0, 1],
    turn: 0,
  };
}

/** Scratch of {@link placeProductInto} (plain numbers: nothing here is shared across calls). */
const scratchNormal: [number, number, number] = [0, 0, 0];
const scratchOffset: [number, number, number] = [0, 0, 0];

/** Writes `q` rotating (vx, vy, vz) into `out`. */
function rotateInto(q: Quat, vx: number, vy: number, vz: number, out: [number, number, number]): void {
  const [x, y, z, w] = q;
  const tx = 2 * (y * vz - z * vy);
  const ty = 2 * (z * vx - x * vz);
  const tz = 2 * (x * vy - y * vx);
  out[0] = vx + w * tx + (y * tz - z * ty);
  out[1] = vy + w * ty + (z * tx - x * tz);
  out[2] = vz + w * tz + (x * ty - y * tx);
}

function refuseInto(out: PlacementOut, placement: Placement): false {
  out.ok = false;
  out.reason = POINT_AT[placement];
  return false;
}

/**
 * {@link placeProduct} without allocating: writes the transform (or the refusal) into `out` and returns
 * whether the surface takes the product. For per-frame use; the result equals placeProduct's.
 */
export function placeProductInto(
  placement: Placement,
  hit: HitPose,
  options: PlaceOptions,
  out: PlacementOut,
): boolean {
  rotateInto(hit.orientation, 0, 1, 0, scratchNormal);
  const surface = classifySurface(scratchNormal);
  out.surface = surface;
  const { model } = options;
  const [hx, hy, hz] = hit.position;
  const q = out.quaternion;

  if (placement === 'wall') {
    if (surface !== 'vertical') return refuseInto(out, placement);
    // The wall's outward direction on the horizontal plane is the product's +Z: yaw(facing) · roll(turn).
    const facing = Math.atan2(scratchNormal[0], scratchNormal[2]);
    const turn = options.turn ?? 0;
    const sy = Math.sin(facing / 2);
    const cy = Math.cos(facing / 2);
    const sr = Math.sin(turn / 2);
    const cr = Math.cos(turn / 2);
    q[0] = sy * sr;
    q[1] = sy * cr;
    q[2] = cy * sr;
    q[3] = cy * cr;
    // The middle of the product's back, (0, centre height, back z) in model space, goes on the hit point.
    rotateInto(q, 0, (model.min[1] + model.max[1]) / 2, model.min[2], scratchOffset);
    out.position[0] = hx - scratchOffset[0];
    out.position[1] = hy - scratchOffset[1];
    out.position[2] = hz - scratchOffset[2];
    out.turn = turn;
    out.ok = true;
    out.reason = null;
    return true;
  }

  if (surface !== 'horizontal') return refuseInto(out, placement);
  if (options.floorY !== undefined) {
    const raised = hy - options.floorY >= TABLE_MIN_HEIGHT;
    if (placement === 'floor' && raised) return refuseInto(out, placement);
    if (placement === 'tabletop' && !raised) return refuseInto(out, placement);
  }
  const turn = options.turn ?? yawTowards(hit.position, options.viewer);
  // Upright on the surface: the model's lowest point (min y, 0 for a model at the convention) on the hit point.
  q[0] = 0;
  q[1] = Math.sin(turn / 2);
  q[2] = 0;
  q[3] = Math.cos(turn / 2);
  out.position[0] = hx;
  out.position[1] = hy - model.min[1];
  out.position[2] = hz;
  out.turn = turn;
  out.ok = true;
  out.reason = null;
  return true;
}

/**
 * The product's transform for a hit, or the reason the hit's surface does not take it (see the file comment
 * for each placement). The scale is always 1: nothing here ever resizes a product.
 */
export function placeProduct(placement: Placement, hit: HitPose, options: PlaceOptions): PlacementResult {
  const out = createPlacementOut();
  if (!placeProductInto(placement, hit, options, out))
    return { ok: false, surface: out.surface, reason: out.reason ?? POINT_AT[placement] };
  return {
    ok: true,
    surface: out.surface,
    transform: { position: [...out.position], quaternion: [...out.quaternion], turn: out.turn },
  };
}

/**
 * Tracks the floor height from the horizontal surfaces hit so far: the lowest one counts as the floor once a
 * surface at least {@link TABLE_MIN_HEIGHT} above it was seen too (before that, one level only: floor or table
 * cannot be told apart).
 */
export class FloorEstimate {
  private lowest = Infinity;
  private highest = -Infinity;

  /** Records a horizontal surface at height `y`. */
  see(y: number): void {
    if (y < this.lowest) this.lowest = y;
    if (y > this.highest) this.highest = y;
  }

  /** The floor height, or undefined while only one level has been seen. */
  get floorY(): number | undefined {
    return this.highest - this.lowest >= TABLE_MIN_HEIGHT ? this.lowest : undefined;
  }
}

/** Size differences (metres, model minus catalog) and whether a model is at the catalog's true size. */
export interface TrueScaleCheck {
  /** True when every dimension is within {@link TRUE_SCALE_TOLERANCE} of the catalog. */
  matches: boolean;
  /** The model's size: x = width, y = height, z = depth. */
  measured: Dimensions;
  /** Model minus catalog per dimension, metres. */
  difference: Dimensions;
}

/** A model is "true size" when each dimension is within 1 cm or 2 % of the catalog's, whichever is larger. */
export const TRUE_SCALE_TOLERANCE = { absolute: 0.01, relative: 0.02 } as const;

/**
 * Compares a model's bounds with the catalog dimensions. It only reports: the AR view always shows the model at
 * scale 1 and says when it differs, it never rescales it to fit.
 */
export function checkTrueScale(model: ModelBox, catalog: Dimensions): TrueScaleCheck {
  const measured: Dimensions = {
    width: model.max[0] - model.min[0],
    height: model.max[1] - model.min[1],
    depth: model.max[2] - model.min[2],
  };
  const difference: Dimensions = {
    width: measured.width - catalog.width,
    height: measured.height - catalog.height,
    depth: measured.depth - catalog.depth,
  };
  const within = (key: keyof Dimensions): boolean =>
    Math.abs(difference[key]) <=
    Math.max(TRUE_SCALE_TOLERANCE.absolute, TRUE_SCALE_TOLERANCE.relative * catalog[key]) + 1e-9;
  return { matches: within('width') && within('height') && within('depth'), measured, difference };
}
