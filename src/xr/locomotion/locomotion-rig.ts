/**
 * VR locomotion of one showroom, driven once per XR frame: the left thumbstick walks where the head looks
 * (with the comfort vignette), the right thumbstick snap-turns 45° left/right and, pushed forward, aims a
 * teleport arc that lands on release; a hand aims the arc by holding a pinch. It moves the XR origin (the
 * `<XROrigin>` group, so the shopper's real floor stays `local-floor`) and keeps the head on walkable floor
 * with core/walk.ts and core/teleport.ts. Owns the arc and vignette meshes; allocates nothing per frame.
 */
import { Matrix4, Quaternion, Vector3, type Camera, type Object3D } from 'three';
import {
  SNAP_TURN,
  rotateAbout,
  stickMotion,
  stickZone,
  yawOfDirection,
  type StickZone,
} from '../../core/stick-locomotion';
import { arcLanding, isWalkable } from '../../core/teleport';
import { constrain, type FloorVec, type Obstacle, type RoomBounds } from '../../core/walk';
import { ComfortVignetteMesh } from './comfort-vignette-mesh';
import { TeleportArcMesh } from './teleport-arc-mesh';

/** Longest frame step used for smooth motion, so a stalled frame does not jump through a fixture. */
const MAX_STEP_SECONDS = 0.2;
/** A pinch held this long starts aiming (shorter pinches are selections, e.g. of a product). */
const HAND_AIM_DELAY_MS = 300;
/** Vignette fade per second (in strength units): quick in, a little slower out. */
const VIGNETTE_IN = 8;
const VIGNETTE_OUT = 4;

/** What a frame changed, for the component to report. */
export interface LocomotionChange {
  /** The origin turned (snap turn). */
  turned: boolean;
  /** The origin moved (teleport or smooth motion). */
  moved: boolean;
}

/** Thumbstick axes of a gamepad: axes 2/3 on the xr-standard mapping, else the first pair. */
function stickAxis(gamepad: Gamepad, axis: 0 | 1): number {
  const base = gamepad.mapping === 'xr-standard' || gamepad.axes.length >= 4 ? 2 : 0;
  return gamepad.axes[base + axis] ?? 0;
}

/** Locomotion state and meshes for one XR origin. */
export class LocomotionRig {
  /** The arc and marker (add to the scene). */
  readonly arc = new TeleportArcMesh();
  /** The comfort vignette (add to the scene). */
  readonly vignette = new ComfortVignetteMesh();
  private bounds: RoomBounds;
  private obstacles: readonly Obstacle[];
  private turnZone: StickZone = 'none';
  /** The input source aiming the arc, or null. */
  private aiming: XRInputSource | null = null;
  private targetValid = false;
  private readonly target: FloorVec = { x: 0, z: 0 };
  private readonly head: FloorVec = { x: 0, z: 0 };
  private readonly step: FloorVec = { x: 0, z: 0 };
  private readonly turned: FloorVec = { x: 0, z: 0 };
  /** Hand input sources holding a pinch, with when it started. */
  private readonly pinches = new Map<XRInputSource, number>();
  private readonly saved = { x: 0, z: 0, yaw: 0, active: false };
  private readonly aimPos = new Vector3();
  private readonly aimDir = new Vector3();
  private readonly aimQuat = new Quaternion();
  private readonly local = new Matrix4();
  private readonly change: LocomotionChange = { turned: false, moved: false };

  constructor(bounds: RoomBounds, obstacles: readonly Obstacle[]) {
    this.bounds = bounds;
    this.obstacles = obstacles;
  }

  /** Uses a new layout of the same room (a catalog pull changed it). */
  setLayout(bounds: RoomBounds, obstacles: readonly Obstacle[]): void {
    this.bounds = bounds;
    this.obstacles = obstacles;
  }

  /** A session started: remembers the origin's place, to put it back when the session ends. */
  begin(origin: Object3D): void {
    this.saved.x = origin.position.x;
    this.saved.z = origin.position.z;
    this.saved.yaw = origin.rotation.y;
    this.saved.active = true;
    this.reset();
  }

  /** The session ended: the origin goes back where the page had it, aiming and vignette stop. */
  end(origin: Object3D): void {
    if (this.saved.active) {
      origin.position.x = this.saved.x;
      origin.position.z = this.saved.z;
      origin.rotation.y = this.saved.yaw;
      this.saved.active = false;
    }
    this.reset();
  }

  /** A hand began or ended a pinch (the session's selectstart/selectend). */
  pinch(source: XRInputSource, held: boolean, now: number): void {
    if (!source.hand) return;
    if (held) this.pinches.set(source, now);
    else this.pinches.delete(source);
  }

  /** Frees the meshes' GPU resources. */
  dispose(): void {
    this.arc.dispose();
    this.vignette.dispose();
  }

  /**
   * One XR frame: reads the sticks and pinches of `frame`'s input sources, moves/turns `origin`, draws the arc.
   * `camera` is the viewer camera (its world matrix is the head pose of the last frame rendered).
   */
  update(
    frame: XRFrame,
    space: XRReferenceSpace,
    origin: Object3D,
    camera: Camera,
    delta: number,
    now: number,
  ): LocomotionChange {
    const change = this.change;
    change.turned = change.moved = false;
    const m = camera.matrixWorld.elements;
    this.head.x = m[12] ?? 0;
    this.head.z = m[14] ?? 0;
    const headYaw = yawOfDirection(-(m[8] ?? 0), -(m[10] ?? 0));
    let moving = false;
    let aimSource: XRInputSource | null = null;

    for (const source of frame.session.inputSources) {
      const gamepad = source.gamepad;
      if (source.hand) {
        const since = this.pinches.get(source);
        if (since !== undefined && now - since >= HAND_AIM_DELAY_MS && aimSource === null) aimSource = source;
        continue;
      }
      if (!gamepad) continue;
      const x = stickAxis(gamepad, 0);
      const y = stickAxis(gamepad, 1);
      if (source.handedness === 'left') {
        moving = this.walk(origin, x, y, headYaw, delta) || moving;
      } else if (source.handedness === 'right') {
        const before = this.turnZone;
        this.turnZone = stickZone(x, y, before);
        if (before === 'none' && (this.turnZone === 'left' || this.turnZone === 'right')) {
          this.turn(origin, this.turnZone === 'left' ? SNAP_TURN : -SNAP_TURN);
          change.turned = true;
        }
        if (this.turnZone === 'forward') aimSource = source;
      }
    }
    if (moving) change.moved = true;

    if (aimSource !== null) {
      if (!this.aim(frame, space, origin, aimSource)) this.arc.hide();
      this.aiming = aimSource;
    } else if (this.aiming !== null) {
      // Released: land if the last aim was on walkable floor.
      if (this.targetValid) {
        origin.position.x += this.target.x - this.head.x;
        origin.position.z += this.target.z - this.head.z;
        change.moved = true;
      }
      this.aiming = null;
      this.targetValid = false;
      this.arc.hide();
    }

    const v = this.vignette.strength;
    this.vignette.strength = moving
      ? Math.min(1, v + VIGNETTE_IN * delta)
      : Math.max(0, v - VIGNETTE_OUT * delta);
    return change;
  }

  private reset(): void {
    this.turnZone = 'none';
    this.aiming = null;
    this.targetValid = false;
    this.pinches.clear();
    this.arc.hide();
    this.vignette.strength = 0;
  }

  /** Smooth motion of the head by the left stick, kept on walkable floor; true when it moved. */
  private walk(origin: Object3D, x: number, y: number, headYaw: number, delta: number): boolean {
    const seconds = Math.min(delta, MAX_STEP_SECONDS);
    if (!stickMotion(x, y, headYaw, seconds, this.step)) return false;
    const hx = this.head.x;
    const hz = this.head.z;
    this.head.x += this.step.x;
    this.head.z += this.step.z;
    constrain(this.head, this.bounds, this.obstacles);
    origin.position.x += this.head.x - hx;
    origin.position.z += this.head.z - hz;
    return true;
  }

  /** Turns the origin by `angle` about the head, which stays where it is. */
  private turn(origin: Object3D, angle: number): void {
    this.turned.x = origin.position.x;
    this.turned.z = origin.position.z;
    rotateAbout(this.turned, this.head, angle, this.turned);
    origin.position.x = this.turned.x;
    origin.position.z = this.turned.z;
    origin.rotation.y += angle;
  }

  /** Throws the arc from `source`'s target ray; false when its pose is unknown this frame. */
  private aim(frame: XRFrame, space: XRReferenceSpace, origin: Object3D, source: XRInputSource): boolean {
    const pose = frame.getPose(source.targetRaySpace, space);
    if (!pose) return false;
    origin.updateMatrixWorld();
    this.local.fromArray(pose.transform.matrix);
    this.local.premultiply(origin.matrixWorld);
    this.aimPos.setFromMatrixPosition(this.local);
    this.aimQuat.setFromRotationMatrix(this.local);
    this.aimDir.set(0, 0, -1).applyQuaternion(this.aimQuat).normalize();
    const t = arcLanding(this.aimPos, this.aimDir, this.target);
    this.targetValid = isWalkable(this.target, this.bounds, this.obstacles);
    this.arc.show(this.aimPos, this.aimDir, t, this.targetValid);
    return true;
  }
}
