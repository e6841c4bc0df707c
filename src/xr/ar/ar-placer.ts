/**
 * AR placement on a running `immersive-ar` session: hit testing, the reticle, placing the product on select,
 * dragging it along surfaces, turning it, anchoring it, and reporting what happens. The math is
 * core/ar-placement.ts; this class owns the WebXR objects (hit-test sources, anchors, session event listeners)
 * and the three.js objects it adds to the scene (reticle, product holder, contact shadow).
 *
 * Aiming: a tracked controller's ray when there is one (Quest), else the centre of the screen (phones). Select
 * (trigger, or a tap) places the product where the reticle is ready; once placed, holding select drags it along
 * surfaces under the same ray (a finger on a phone: transient-input hit tests), releasing leaves it there.
 * Two or more fingers on the screen are a twist (the overlay turns the product), never a drag: the placer counts
 * the screen inputs that are down and neither starts nor continues a drag while two are.
 * A press another part claims ({@link ARPlacer.claimSelectsWhere}: the in-headset panel under the ray when the
 * press starts) is not the placer's: until its selectend it neither places, drags nor re-anchors the product.
 * It stays put with an XRAnchor where the session has anchors (made from the hit-test result that placed or
 * released it, so it is tied to the tracked surface; a failed anchor is retried), else at its reference-space pose.
 *
 * Per frame nothing is allocated here beyond what the WebXR calls return: hit poses, the placement and the
 * bounding box go into scratch objects, and the report is published only when it changes (continuous values
 * at most {@link PUBLISH_INTERVAL_S} apart).
 */
import { Group, Quaternion, Vector3 } from 'three';
import {
  FloorEstimate,
  checkTrueScale,
  classifySurface,
  createPlacementOut,
  placeProductInto,
  type HitPose,
  type ModelBox,
  type PlaceOptions,
  type TrueScaleCheck,
  type Vec3,
} from '../../core/ar-placement';
import type { Dimensions, Placement } from '../../protocol/catalog';
import type { ModelInstance } from '../../scene/gltf-cache';
import { RETICLE_READY, RETICLE_REFUSED, createContactShadow, createReticle, disposeMesh } from './ar-meshes';
import { PlacedBox } from './placed-box';

/** Whether the aim is on a surface that takes the product. */
export type ReticleState = 'searching' | 'ready' | 'refused';

/** What the AR view shows and tests read (the overlay turns it into text and data-* attributes). */
export interface ARPlacerReport {
  reticle: ReticleState;
  /** The reticle's hit point while it is on a surface. */
  hit: Vec3 | null;
  /** Why the surface is refused ("Point at the floor"), or null. */
  refusal: string | null;
  placed: boolean;
  dragging: boolean;
  /** Whether an XRAnchor holds the placed product. */
  anchored: boolean;
  /** The placed product's world axis-aligned bounding box, [min, max] in metres. */
  bbox: [Vec3, Vec3] | null;
  /** The product's spin in degrees (yaw for floor and table products, roll about the wall normal on a wall). */
  turnDeg: number;
}

/** Radians per second the thumbstick turns a placed product (a quarter turn). */
const STICK_TURN_SPEED = Math.PI / 2;

/** Shortest time (seconds) between two reports whose only changes are moving values (hit, box, turn). */
export const PUBLISH_INTERVAL_S = 0.1;

/** Seconds before a failed anchor is asked for again, doubling per failure up to {@link ANCHOR_RETRY_MAX_S}. */
const ANCHOR_RETRY_S = 1;
const ANCHOR_RETRY_MAX_S = 8;

/** How far (metres) a hit may be from the product's pose for an anchor made from it to hold the product there. */
const ANCHOR_HIT_TOLERANCE = 0.01;

const round = (n: number): number => Math.round(n * 10000) / 10000;

/** A hit pose whose tuples are written in place. */
interface ScratchHit extends HitPose {
  position: [number, number, number];
  orientation: [number, number, number, number];
}

const scratchHit = (): ScratchHit => ({ position: [0, 0, 0], orientation: [0, 0, 0, 1] });

function copyPose(pose: XRPose, out: ScratchHit): void {
  const p = pose.transform.position;
  const q = pose.transform.orientation;
  out.position[0] = p.x;
  out.position[1] = p.y;
  out.position[2] = p.z;
  out.orientation[0] = q.x;
  out.orientation[1] = q.y;
  out.orientation[2] = q.z;
  out.orientation[3] = q.w;
}

function copyHit(from: HitPose, out: ScratchHit): void {
  out.position[0] = from.position[0];
  out.position[1] = from.position[1];
  out.position[2] = from.position[2];
  out.orientation[0] = from.orientation[0];
  out.orientation[1] = from.orientation[1];
  out.orientation[2] = from.orientation[2];
  out.orientation[3] = from.orientation[3];
}

const distance = (a: Vec3, b: Vec3): number => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/** Places one product in AR. Create it per session and model; call {@link update} every XR frame. */
export class ARPlacer {
  /** Add to the scene (world = the session's reference space). */
  readonly root = new Group();
  private readonly reticle = createReticle();
  private readonly holder = new Group();
  private readonly shadow = createContactShadow();
  private model: ModelInstance | null = null;
  private modelBox: ModelBox = { min: [0, 0, 0], max: [0, 0, 0] };
  private readonly placedBox = new PlacedBox();

  private session: XRSession | null = null;
  private viewerSource: XRHitTestSource | null = null;
  private transientSource: XRTransientInputHitTestSource | null = null;
  private readonly inputSources = new Map<XRInputSource, XRHitTestSource | 'pending'>();
  /** The controller the shopper used last (its ray aims); null: the first one, or the screen centre. */
  private activeInput: XRInputSource | null = null;
  /** The controller that aims now (see {@link pickAimingInput}), kept up to date on input changes. */
  private aiming: XRInputSource | null = null;
  private dragInput: XRInputSource | null = null;
  /** Screen inputs (fingers) that are down: two or more are a twist, not a drag. */
  private readonly screenDown = new Set<XRInputSource>();
  private readonly floor = new FloorEstimate();
  /** Whether a press is another part's, asked when it starts (see {@link claimSelectsWhere}). */
  private claims: ((event: XRInputSourceEvent) => boolean) | null = null;
  /** Inputs whose press is under way, and whether it was claimed (true: the placer ignores it). */
  private readonly presses = new Map<XRInputSource, boolean>();

  /** A select asked to place the product: done in the next frame, at that frame's hit (its anchor comes from it). */
  private placeRequested = false;
  /** The last ready reticle pose (what a select places if the next frame has no hit). */
  private readonly readyHit = scratchHit();
  private hasReadyHit = false;
  /** The pose the placed product stands on (its anchor's pose once anchored), and its spin. */
  private readonly surfaceHit = scratchHit();
  private placed = false;
  private turn = 0;
  private anchor: XRAnchor | null = null;
  private anchorWanted = false;
  /** Seconds until a failed anchor is asked for again (0: not waiting), and the wait after the next failure. */
  private anchorRetryIn = 0;
  private anchorRetryWait = ANCHOR_RETRY_S;
  /** Bumped on every move, so an anchor that resolves after a newer move is dropped. */
  private generation = 0;
  private stopped = false;

  /** The report last handed out, the one being built, and whether moving values changed since. */
  private report: ARPlacerReport = {
    reticle: 'searching',
    hit: null,
    refusal: null,
    placed: false,
    dragging: false,
    anchored: false,
    bbox: null,
    turnDeg: 0,
  };
  private reticleState: ReticleState = 'searching';
  private refusal: string | null = null;
  private readonly hitPoint: [number, number, number] = [0, 0, 0];
  private hasHitPoint = false;
  private anchored = false;
  private readonly bboxMin: [number, number, number] = [0, 0, 0];
  private readonly bboxMax: [number, number, number] = [0, 0, 0];
  private hasBbox = false;
  private turnDeg = 0;
  /** Whether a moving value (hit point, box, turn) changed since the last report, and seconds since it. */
  private dirty = false;
  private sincePublish = Infinity;

  /** Scratch of the per-frame math. */
  private readonly candidate = scratchHit();
  private readonly placement = createPlacementOut();
  private readonly placeOptions: PlaceOptions = {
    viewer: [0, 1.6, 0],
    model: this.modelBox,
    floorY: undefined,
    turn: undefined,
  };
  private readonly viewer: [number, number, number] = [0, 1.6, 0];
  /** The hit-test result of this frame that {@link evaluate} accepted (null: none). */
  private frameResult: XRHitTestResult | null = null;
  private readonly normal: [number, number, number] = [0, 1, 0];
  private readonly tmpQ = new Quaternion();
  private readonly tmpV = new Vector3();
  private stickDelta = 0;

  /**
   * @param placementKind the catalog's placement of the product
   * @param onReport called with a new report whenever something the shopper sees changes
   */
  constructor(
    private readonly placementKind: Placement,
    private readonly onReport: (report: ARPlacerReport) => void,
  ) {
    this.placeOptions.viewer = this.viewer;
    this.holder.visible = false;
    this.holder.add(this.shadow);
    this.root.add(this.reticle, this.holder);
  }

  /**
   * Shows this model instance (scale 1, never resized); returns how its size, measured vertex by vertex, compares
   * with the catalog's.
   */
  setModel(instance: ModelInstance, dimensions: Dimensions): TrueScaleCheck {
    this.model?.scene.removeFromParent();
    this.model = instance;
    instance.scene.removeFromParent();
    instance.scene.scale.setScalar(1);
    this.modelBox = this.placedBox.measure(instance.scene);
    this.placeOptions.model = this.modelBox;
    this.holder.add(instance.scene);
    this.layOutShadow();
    return checkTrueScale(this.modelBox, dimensions);
  }

  /** Sizes the contact shadow to the model's footprint, under it (floor, table) or behind it (wall). */
  private layOutShadow(): void {
    const { min, max } = this.modelBox;
    const cx = (min[0] + max[0]) / 2;
    if (this.placementKind === 'wall') {
      this.shadow.rotation.set(0, 0, 0);
      this.shadow.scale.set((max[0] - min[0]) * 1.15, (max[1] - min[1]) * 1.15, 1);
      this.shadow.position.set(cx, (min[1] + max[1]) / 2 - 0.02, min[2] + 0.002);
    } else {
      this.shadow.rotation.set(-Math.PI / 2, 0, 0);
      this.shadow.scale.set((max[0] - min[0]) * 1.3, (max[2] - min[2]) * 1.3, 1);
      this.shadow.position.set(cx, min[1] + 0.002, (min[2] + max[2]) / 2);
    }
  }

  /** Starts hit testing and listening to the session's input. Rejects when the session refuses hit testing. */
  async start(session: XRSession): Promise<void> {
    this.session = session;
    session.addEventListener('selectstart', this.onSelectStart);
    session.addEventListener('select', this.onSelect);
    session.addEventListener('selectend', this.onSelectEnd);
    session.addEventListener('inputsourceschange', this.onInputSourcesChange);
    this.watchInputSources(null);
    const viewerSpace = await session.requestReferenceSpace('viewer');
    const viewerSource = await session.requestHitTestSource?.({ space: viewerSpace });
    if (this.stopped) viewerSource?.cancel();
    else this.viewerSource = viewerSource ?? null;
    // Fingers on a phone's screen (not every runtime has transient-input hit tests).
    try {
      const transient = await session.requestHitTestSourceForTransientInput?.({
        profile: 'generic-touchscreen',
      });
      if (this.stopped) transient?.cancel();
      else this.transientSource = transient ?? null;
    } catch {
      this.transientSource = null;
    }
  }

  private readonly onInputSourcesChange = (event: XRInputSourcesChangeEvent): void =>
    this.watchInputSources(event.removed);

  /**
   * Requests a hit-test source along each tracked controller's ray, drops those of controllers gone, and forgets
   * fingers lifted without a selectend (`removed`).
   */
  private watchInputSources(removed: readonly XRInputSource[] | null): void {
    const session = this.session;
    if (!session) return;
    if (removed) {
      for (const input of removed) {
        this.screenDown.delete(input);
        this.presses.delete(input);
        if (input === this.dragInput) this.endDrag();
      }
    }
    const current = new Set<XRInputSource>();
    for (const input of session.inputSources) {
      if (input.targetRayMode !== 'tracked-pointer') continue;
      current.add(input);
      if (this.inputSources.has(input)) continue;
      this.inputSources.set(input, 'pending');
      session.requestHitTestSource?.({ space: input.targetRaySpace })?.then(
        (source) => {
          if (this.stopped || this.inputSources.get(input) !== 'pending') source.cancel();
          else this.inputSources.set(input, source);
        },
        () => this.inputSources.delete(input),
      );
    }
    for (const [input, source] of this.inputSources) {
      if (current.has(input)) continue;
      if (source !== 'pending') source.cancel();
      this.inputSources.delete(input);
      if (this.activeInput === input) this.activeInput = null;
      if (this.dragInput === input) this.endDrag();
    }
    this.aiming = this.pickAimingInput();
  }

  /** The controller whose ray aims: the one used last, else the right one, else any. */
  private pickAimingInput(): XRInputSource | null {
    if (this.activeInput && this.inputSources.has(this.activeInput)) return this.activeInput;
    let any: XRInputSource | null = null;
    for (const input of this.inputSources.keys()) {
      if (input.handedness === 'right') return input;
      any ??= input;
    }
    return any;
  }

  /**
   * Hands presses for which `claims` is true when they start (at selectstart, or at select where the runtime
   * sends that first, as IWER does) to another part: the placer ignores them until their selectend.
   */
  claimSelectsWhere(claims: ((event: XRInputSourceEvent) => boolean) | null): void {
    this.claims = claims;
  }

  /** Whether `event`'s press is claimed by another part (decided on the first event of the press). */
  private isClaimed(event: XRInputSourceEvent): boolean {
    const input = event.inputSource;
    let claimed = this.presses.get(input);
    if (claimed === undefined) {
      claimed = this.claims?.(event) ?? false;
      this.presses.set(input, claimed);
    }
    return claimed;
  }

  private readonly onSelectStart = (event: XRInputSourceEvent): void => {
    if (this.isClaimed(event)) return;
    const input = event.inputSource;
    if (input.targetRayMode === 'tracked-pointer') {
      this.activeInput = input;
      this.aiming = this.pickAimingInput();
    }
    if (input.targetRayMode === 'screen') this.screenDown.add(input);
    // A second finger makes it a twist: whatever drag the first one started stops where it is.
    if (this.screenDown.size >= 2) {
      if (this.dragInput) this.endDrag();
      return;
    }
    if (this.placed && !this.dragInput) {
      this.dragInput = input;
      this.generation++;
      this.dropAnchor();
      this.anchored = false;
      this.flush();
    }
  };

  private readonly onSelect = (event: XRInputSourceEvent): void => {
    if (this.isClaimed(event)) return;
    if (this.placed || !this.hasReadyHit || !this.model) return;
    const input = event.inputSource;
    // A controller places where its own ray points; a tap places at the screen-centre reticle.
    if (input.targetRayMode === 'tracked-pointer' && input !== this.aiming) return;
    this.placeRequested = true;
  };

  private readonly onSelectEnd = (event: XRInputSourceEvent): void => {
    const input = event.inputSource;
    this.presses.delete(input);
    this.screenDown.delete(input);
    if (input === this.dragInput) this.endDrag();
  };

  /** Ends a drag where the product is; it is anchored there in a following frame. */
  private endDrag(): void {
    this.dragInput = null;
    this.anchorWanted = true;
    this.flush();
  }

  /** Stops a drag without a release (e.g. a second finger starts a twist). */
  cancelDrag(): void {
    if (this.dragInput) this.endDrag();
  }

  /** Turns the placed product by `radians` (about +Y, or about the wall normal on a wall). */
  rotateBy(radians: number): void {
    if (!this.placed) return;
    this.turn = Math.atan2(Math.sin(this.turn + radians), Math.cos(this.turn + radians));
  }

  /** Takes the product away so that the shopper can place it again. */
  replace(): void {
    this.generation++;
    this.dropAnchor();
    this.placed = false;
    this.placeRequested = false;
    this.dragInput = null;
    this.anchorWanted = false;
    this.anchorRetryIn = 0;
    this.holder.visible = false;
    this.hasBbox = false;
    this.anchored = false;
    this.flush();
  }

  private dropAnchor(): void {
    this.anchor?.delete();
    this.anchor = null;
  }

  /**
   * The first hit-test result of `results` on a surface that takes the product: its pose goes into `out`, the
   * placement into {@link placement}, the result into {@link frameResult}. Returns false when there is no hit.
   */
  private evaluate(
    results: readonly XRHitTestResult[],
    space: XRReferenceSpace,
    turn: number | undefined,
    out: ScratchHit,
  ): boolean {
    this.frameResult = null;
    // Only the nearest surface counts: what is behind it is out of sight.
    for (let i = 0; i < results.length; i++) {
      const r = results[i];
      const pose = r?.getPose(space);
      if (!r || !pose) continue;
      copyPose(pose, out);
      // The hit's +Y is the surface normal.
      const q = out.orientation;
      this.tmpV.set(0, 1, 0).applyQuaternion(this.tmpQ.set(q[0], q[1], q[2], q[3]));
      this.normal[0] = this.tmpV.x;
      this.normal[1] = this.tmpV.y;
      this.normal[2] = this.tmpV.z;
      if (classifySurface(this.normal) === 'horizontal') this.floor.see(out.position[1]);
      this.placeOptions.floorY = this.floor.floorY;
      this.placeOptions.turn = turn;
      if (placeProductInto(this.placementKind, out, this.placeOptions, this.placement)) this.frameResult = r;
      return true;
    }
    return false;
  }

  /** One XR frame: hit tests, drag, anchors, the product's transform and the report. */
  update(frame: XRFrame, space: XRReferenceSpace, delta: number): void {
    if (this.stopped) return;
    const viewerPose = frame.getViewerPose(space);
    if (viewerPose) {
      const p = viewerPose.transform.position;
      this.viewer[0] = p.x;
      this.viewer[1] = p.y;
      this.viewer[2] = p.z;
    }

    if (this.placed) this.updatePlaced(frame, space, delta);
    else this.updateReticle(frame, space);
    this.sincePublish += delta;
    this.flush();
  }

  private resultsFor(frame: XRFrame, input: XRInputSource | null): readonly XRHitTestResult[] {
    if (input && input.targetRayMode === 'tracked-pointer') {
      const source = this.inputSources.get(input);
      return source && source !== 'pending' ? frame.getHitTestResults(source) : [];
    }
    if (input && input.targetRayMode === 'screen' && this.transientSource) {
      const all = frame.getHitTestResultsForTransientInput(this.transientSource);
      for (let i = 0; i < all.length; i++) if (all[i]?.inputSource === input) return all[i]?.results ?? [];
      return [];
    }
    return this.viewerSource ? frame.getHitTestResults(this.viewerSource) : [];
  }

  private updateReticle(frame: XRFrame, space: XRReferenceSpace): void {
    const hit = this.candidate;
    if (!this.evaluate(this.resultsFor(frame, this.aiming), space, undefined, hit)) {
      this.hasReadyHit = false;
      this.reticle.visible = false;
      if (this.placeRequested) this.placeAt(this.readyHit, null, frame, space);
      else this.setReticle('searching', null, false);
      return;
    }
    this.reticle.visible = true;
    this.reticle.matrix.compose(
      this.tmpV.set(hit.position[0], hit.position[1], hit.position[2]),
      this.tmpQ.set(hit.orientation[0], hit.orientation[1], hit.orientation[2], hit.orientation[3]),
      this.holder.scale,
    );
    if (this.placement.ok) {
      copyHit(hit, this.readyHit);
      this.hasReadyHit = true;
      this.reticle.material.color.setHex(RETICLE_READY);
      if (this.placeRequested) {
        this.placeAt(hit, this.frameResult, frame, space);
        return;
      }
      this.setReticle('ready', null, true);
    } else {
      this.hasReadyHit = false;
      this.reticle.material.color.setHex(RETICLE_REFUSED);
      if (this.placeRequested) this.placeAt(this.readyHit, null, frame, space);
      else this.setReticle('refused', this.placement.reason, true);
    }
  }

  /** Places the product on `hit`, anchored to `result` (this frame's) or to the pose itself. */
  private placeAt(
    hit: HitPose,
    result: XRHitTestResult | null,
    frame: XRFrame,
    space: XRReferenceSpace,
  ): void {
    this.placeRequested = false;
    copyHit(hit, this.surfaceHit);
    this.placed = true;
    this.turn = this.placement.ok && hit === this.candidate ? this.placement.turn : this.turnFacing(hit);
    this.generation++;
    this.reticle.visible = false;
    this.holder.visible = true;
    this.anchorRetryWait = ANCHOR_RETRY_S;
    this.requestAnchor(frame, space, result);
    this.setReticle('searching', null, false);
    this.updatePlaced(frame, space, 0);
  }

  /** The turn a placement on `hit` without a given turn would have (facing the viewer, or upright on a wall). */
  private turnFacing(hit: HitPose): number {
    this.placeOptions.turn = undefined;
    return placeProductInto(this.placementKind, hit, this.placeOptions, this.placement)
      ? this.placement.turn
      : 0;
  }

  private updatePlaced(frame: XRFrame, space: XRReferenceSpace, delta: number): void {
    let result: XRHitTestResult | null = null;
    if (this.dragInput) {
      const hit = this.candidate;
      if (this.evaluate(this.resultsFor(frame, this.dragInput), space, this.turn, hit) && this.placement.ok) {
        copyHit(hit, this.surfaceHit);
      }
    } else if (this.anchor) {
      if (frame.trackedAnchors && !frame.trackedAnchors.has(this.anchor)) {
        // The runtime stopped tracking it: the product stays at its last pose and is anchored again.
        this.anchor = null;
        this.anchored = false;
        this.scheduleAnchorRetry();
      } else {
        const pose = frame.getPose(this.anchor.anchorSpace, space);
        if (pose) copyPose(pose, this.surfaceHit);
      }
    } else if (this.anchorWanted) {
      // Just released: this frame's hit along the same aim, if it is where the product is, gives a tracked anchor.
      const hit = this.candidate;
      if (
        this.evaluate(this.resultsFor(frame, this.aiming), space, this.turn, hit) &&
        this.placement.ok &&
        distance(hit.position, this.surfaceHit.position) <= ANCHOR_HIT_TOLERANCE
      )
        result = this.frameResult;
    }
    if (!this.dragInput && !this.anchor) {
      if (this.anchorWanted) this.requestAnchor(frame, space, result);
      else if (this.anchorRetryIn > 0) {
        this.anchorRetryIn -= delta;
        if (this.anchorRetryIn <= 0) this.requestAnchor(frame, space, null);
      }
    }
    this.turnWithStick(delta);

    this.placeOptions.floorY = undefined;
    this.placeOptions.turn = this.turn;
    if (!placeProductInto(this.placementKind, this.surfaceHit, this.placeOptions, this.placement)) return;
    const { position, quaternion } = this.placement;
    this.holder.position.set(position[0], position[1], position[2]);
    this.holder.quaternion.set(quaternion[0], quaternion[1], quaternion[2], quaternion[3]);
    this.holder.updateMatrixWorld(true);
    if (this.model && this.placedBox.update(this.holder.matrixWorld)) {
      const { min, max } = this.placedBox.world;
      this.setBbox(min, max);
    }
    const turnDeg = Math.round(((this.turn * 180) / Math.PI) * 100) / 100;
    if (turnDeg !== this.turnDeg) {
      this.turnDeg = turnDeg;
      this.dirty = true;
    }
  }

  /** Turns the placed product with a controller's thumbstick (left/right). */
  private turnWithStick(delta: number): void {
    this.stickDelta = delta;
    this.inputSources.forEach(this.turnWithInput);
  }

  private readonly turnWithInput = (_source: unknown, input: XRInputSource): void => {
    const x = input.gamepad?.axes[2] ?? 0;
    if (Math.abs(x) > 0.5) this.rotateBy(-x * STICK_TURN_SPEED * this.stickDelta);
  };

  /**
   * Anchors the product where it stands: from this frame's hit-test `result` when there is one (an anchor tied
   * to the tracked surface), else at its pose in the reference space. A failure is retried after a delay; with
   * no anchors at all, the reference-space pose holds it.
   */
  private requestAnchor(frame: XRFrame, space: XRReferenceSpace, result: XRHitTestResult | null): void {
    this.anchorWanted = false;
    this.anchorRetryIn = 0;
    const session = this.session;
    if (!this.placed || !session) return;
    if (session.enabledFeatures && !session.enabledFeatures.includes('anchors')) return;
    const generation = this.generation;
    let pending: Promise<XRAnchor> | undefined;
    try {
      if (result && typeof result.createAnchor === 'function') pending = result.createAnchor();
      else if (typeof frame.createAnchor === 'function' && typeof XRRigidTransform !== 'undefined') {
        const [x, y, z] = this.surfaceHit.position;
        const [qx, qy, qz, qw] = this.surfaceHit.orientation;
        pending = frame.createAnchor(
          new XRRigidTransform({ x, y, z }, { x: qx, y: qy, z: qz, w: qw }),
          space,
        );
      }
    } catch {
      pending = undefined;
      this.scheduleAnchorRetry();
      return;
    }
    pending?.then(
      (anchor) => {
        if (this.stopped || !this.placed || generation !== this.generation || this.dragInput) {
          anchor.delete();
          return;
        }
        this.dropAnchor();
        this.anchor = anchor;
        this.anchorRetryWait = ANCHOR_RETRY_S;
        this.anchored = true;
        this.flush();
      },
      // Tracking lost, or the runtime refused: the reference-space pose holds it until a retry succeeds.
      () => {
        if (!this.stopped && this.placed && generation === this.generation) this.scheduleAnchorRetry();
      },
    );
  }

  private scheduleAnchorRetry(): void {
    this.anchorRetryIn = this.anchorRetryWait;
    this.anchorRetryWait = Math.min(this.anchorRetryWait * 2, ANCHOR_RETRY_MAX_S);
  }

  private setReticle(state: ReticleState, refusal: string | null, hasHit: boolean): void {
    this.reticleState = state;
    this.refusal = refusal;
    this.hasHitPoint = hasHit;
    if (!hasHit) return;
    const h = this.candidate.position;
    const x = round(h[0]);
    const y = round(h[1]);
    const z = round(h[2]);
    if (x === this.hitPoint[0] && y === this.hitPoint[1] && z === this.hitPoint[2]) return;
    this.hitPoint[0] = x;
    this.hitPoint[1] = y;
    this.hitPoint[2] = z;
    this.dirty = true;
  }

  private setBbox(min: Vector3, max: Vector3): void {
    const a = this.bboxMin;
    const b = this.bboxMax;
    const x0 = round(min.x);
    const y0 = round(min.y);
    const z0 = round(min.z);
    const x1 = round(max.x);
    const y1 = round(max.y);
    const z1 = round(max.z);
    if (
      this.hasBbox &&
      a[0] === x0 &&
      a[1] === y0 &&
      a[2] === z0 &&
      b[0] === x1 &&
      b[1] === y1 &&
      b[2] === z1
    )
      return;
    a[0] = x0;
    a[1] = y0;
    a[2] = z0;
    b[0] = x1;
    b[1] = y1;
    b[2] = z1;
    this.hasBbox = true;
    this.dirty = true;
  }

  /**
   * Hands out a new report when something changed: at once when a state the shopper acts on changed (reticle,
   * refusal, placed, dragging, anchored, a hit or box appearing or going), else when moving values (hit point,
   * box, turn) changed and {@link PUBLISH_INTERVAL_S} has passed since the last report.
   */
  private flush(): void {
    const last = this.report;
    const dragging = this.dragInput !== null;
    const showsHit = this.hasHitPoint && !this.placed;
    const showsBox = this.placed && this.hasBbox;
    const stateChanged =
      last.reticle !== this.reticleState ||
      last.refusal !== this.refusal ||
      last.placed !== this.placed ||
      last.dragging !== dragging ||
      last.anchored !== this.anchored ||
      (last.hit !== null) !== showsHit ||
      (last.bbox !== null) !== showsBox;
    if (!stateChanged && (!this.dirty || this.sincePublish < PUBLISH_INTERVAL_S)) return;
    const report: ARPlacerReport = {
      reticle: this.reticleState,
      hit: showsHit ? [this.hitPoint[0], this.hitPoint[1], this.hitPoint[2]] : null,
      refusal: this.refusal,
      placed: this.placed,
      dragging,
      anchored: this.anchored,
      bbox: showsBox
        ? [
            [this.bboxMin[0], this.bboxMin[1], this.bboxMin[2]],
            [this.bboxMax[0], this.bboxMax[1], this.bboxMax[2]],
          ]
        : null,
      turnDeg: this.turnDeg,
    };
    this.dirty = false;
    this.sincePublish = 0;
    this.report = report;
    this.onReport(report);
  }

  /** Stops listening, cancels hit-test sources and anchors, and frees the meshes (not the model instance). */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    const session = this.session;
    if (session) {
      session.removeEventListener('selectstart', this.onSelectStart);
      session.removeEventListener('select', this.onSelect);
      session.removeEventListener('selectend', this.onSelectEnd);
      session.removeEventListener('inputsourceschange', this.onInputSourcesChange);
    }
    this.viewerSource?.cancel();
    this.transientSource?.cancel();
    for (const source of this.inputSources.values()) if (source !== 'pending') source.cancel();
    this.inputSources.clear();
    this.screenDown.clear();
    this.presses.clear();
    this.claims = null;
    this.dropAnchor();
    this.model?.scene.removeFromParent();
    this.root.removeFromParent();
    disposeMesh(this.reticle);
    disposeMesh(this.shadow);
  }
}
