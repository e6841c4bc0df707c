/**
 * One first-person walker in a showroom: where the eyes are on the floor, where they look, which keys are
 * held and where a click asked to go. Input handlers call its methods; the frame loop calls `step`, which
 * moves with core/walk.ts math and allocates nothing.
 */
import { degToRad } from '../../core/layout';
import {
  WALK_SPEED,
  clampPitch,
  clampTarget,
  constrain,
  keyMotion,
  stepToward,
  type FloorVec,
  type Obstacle,
  type RoomBounds,
  type WalkKeys,
} from '../../core/walk';

/** Key (KeyboardEvent.code) → movement it holds; undefined for other keys. */
export function keyToMotion(code: string): keyof WalkKeys | undefined {
  switch (code) {
    case 'KeyW':
    case 'ArrowUp':
      return 'forward';
    case 'KeyS':
    case 'ArrowDown':
      return 'back';
    case 'KeyA':
    case 'ArrowLeft':
      return 'left';
    case 'KeyD':
    case 'ArrowRight':
      return 'right';
    default:
      return undefined;
  }
}

/** Frames without progress after which a click-to-move gives up (blocked by a fixture). */
const STALL_FRAMES = 8;

/** A walker in a room with obstacles. */
export class Walker {
  /** Eye position on the floor. */
  readonly position: FloorVec;
  /** Radians, 0 looking towards -z. */
  yaw: number;
  /** Radians, positive looking up. */
  pitch = 0;
  private readonly keys: WalkKeys = { forward: false, back: false, left: false, right: false };
  private readonly target: FloorVec = { x: 0, z: 0 };
  private hasTarget = false;
  private stalled = 0;
  private readonly motion: FloorVec = { x: 0, z: 0 };
  private bounds: RoomBounds;
  private obstacles: readonly Obstacle[];

  constructor(
    spawn: { position: readonly [number, number]; rotationY: number },
    bounds: RoomBounds,
    obstacles: readonly Obstacle[],
  ) {
    this.bounds = bounds;
    this.obstacles = obstacles;
    this.position = { x: spawn.position[0], z: spawn.position[1] };
    this.yaw = degToRad(spawn.rotationY);
    constrain(this.position, bounds, obstacles);
  }

  /**
   * Moves the walker into a new layout of the same showroom (e.g. after a catalog pull changed the room or
   * its fixtures): keeps where it stands and looks, only pushing it into the new bounds and out of the new
   * obstacles. A pending click-to-move destination is re-clamped the same way.
   */
  setLayout(bounds: RoomBounds, obstacles: readonly Obstacle[]): void {
    this.bounds = bounds;
    this.obstacles = obstacles;
    constrain(this.position, bounds, obstacles);
    if (this.hasTarget) {
      clampTarget(this.target, this.position, bounds, obstacles);
      this.stalled = 0;
    }
  }

  /** Holds or releases a movement; holding one cancels a click-to-move. */
  press(motion: keyof WalkKeys, down: boolean): void {
    this.keys[motion] = down;
    if (down) this.hasTarget = false;
  }

  /** Releases every key (e.g. when the view loses focus). */
  releaseAll(): void {
    this.keys.forward = this.keys.back = this.keys.left = this.keys.right = false;
  }

  /** Turns the view by radians (positive yaw turns left, positive pitch looks up). */
  look(yaw: number, pitch: number): void {
    this.yaw += yaw;
    this.pitch = clampPitch(this.pitch + pitch);
  }

  /** Sets a click-to-move destination, clamped to a reachable place. */
  walkTo(x: number, z: number): void {
    this.target.x = x;
    this.target.z = z;
    clampTarget(this.target, this.position, this.bounds, this.obstacles);
    this.hasTarget = true;
    this.stalled = 0;
  }

  /** Whether a key is held or a destination is pending. */
  get active(): boolean {
    const k = this.keys;
    return k.forward || k.back || k.left || k.right || this.hasTarget;
  }

  /** Advances `seconds`; returns true while the walker is moving. */
  step(seconds: number): boolean {
    const p = this.position;
    if (keyMotion(this.keys, this.yaw, WALK_SPEED * seconds, this.motion)) {
      p.x += this.motion.x;
      p.z += this.motion.z;
      constrain(p, this.bounds, this.obstacles);
      return true;
    }
    if (!this.hasTarget) return false;
    const x = p.x;
    const z = p.z;
    const arrived = stepToward(p, this.target, WALK_SPEED * seconds);
    constrain(p, this.bounds, this.obstacles);
    const progress = Math.hypot(p.x - x, p.z - z);
    this.stalled = progress < WALK_SPEED * seconds * 0.05 ? this.stalled + 1 : 0;
    if (arrived || this.stalled > STALL_FRAMES) this.hasTarget = false;
    return this.hasTarget;
  }
}
