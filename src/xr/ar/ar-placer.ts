/**
 * AR placement on a running `immersive-ar` session: hit testing, the reticle, placing the product on select,
 * dragging it along surfaces, turning it, anchoring it, and reporting what happens. The math is
 * core/ar-placement.ts; this class owns the WebXR objects (hit-test sources, anchors, session event listeners)
 * and the three.js objects it adds to the scene (reticle, product holder, contact shadow).
 *
 * Aiming: a tracked controller's ray when there is one (Quest), else the centre of the screen (phones). Select
 * (trigger, or a tap) places the product where the reticle is ready; once placed, holding select drags it along
 * surfaces under the same ray (a finger on a phone: transient-input hit tests), releasing leaves it there.
 * It stays put with an XRAnchor where the session has anchors, else at its reference-space pose.
 */
import { Box3, Group, Quaternion, Vector3 } from 'three';
import {
  FloorEstimate,
  checkTrueScale,
  classifySurface,
  placeProduct,
  surfaceNormal,
  type HitPose,
  type ModelBox,
  type PlacementResult,
  type Quat,
  type TrueScaleCheck,
  type Vec3,
} from '../../core/ar-placement';
import type { Dimensions, Placement } from '../../protocol/catalog';
import type { ModelInstance } from '../../scene/gltf-cache';
import { RETICLE_READY, RETICLE_REFUSED, createContactShadow, createReticle, disposeMesh } from './ar-meshes';

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

/** Degrees per second the thumbstick turns a placed product. */
const STICK_TURN_SPEED = Math.PI / 2;

const round = (n: number): number => Math.round(n * 10000) / 10000;

const toVec3 = (p: DOMPointReadOnly): Vec3 => [p.x, p.y, p.z];
const toQuat = (q: DOMPointReadOnly): Quat => [q.x, q.y, q.z, q.w];

/** Places one product in AR. Create it per session and model; call {@link update} every XR frame. */
export class ARPlacer {
  /** Add to the scene (world = the session's reference space). */
  readonly root = new Group();
  private readonly reticle = createReticle();
  private readonly holder = new Group();
  private readonly shadow = createContactShadow();
  private model: ModelInstance | null = null;
  private modelBox: ModelBox = { min: [0, 0, 0], max: [0, 0, 0] };

  private session: XRSession | null = null;
  private viewerSource: XRHitTestSource | null = null;
  private transientSource: XRTransientInputHitTestSource | null = null;
  private readonly inputSources = new Map<XRInputSource, XRHitTestSource | 'pending'>();
  /** The controller the shopper used last (its ray aims); null: the first one, or the screen centre. */
  private activeInput: XRInputSource | null = null;
  private dragInput: XRInputSource | null = null;
  private readonly floor = new FloorEstimate();

  /** The last ready reticle pose and the transform it gives (what a select places). */
  private readyHit: HitPose | null = null;
  private readyTurn = 0;
  /** The pose the placed product stands on (its anchor's pose once anchored), and its spin. */
  private surfaceHit: HitPose | null = null;
  private turn = 0;
  private anchor: XRAnchor | null = null;
  private anchorWanted = false;
  /** Bumped on every move, so an anchor that resolves after a newer move is dropped. */
  private generation = 0;
  private stopped = false;

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

  private readonly box = new Box3();
  private readonly viewer: [number, number, number] = [0, 1.6, 0];
  private readonly tmpQ = new Quaternion();
  private readonly tmpV = new Vector3();

  /**
   * @param placement the catalog's placement of the product
   * @param onReport called with a new report whenever something the shopper sees changes
   */
  constructor(
    private readonly placement: Placement,
    private readonly onReport: (report: ARPlacerReport) => void,
  ) {
    this.holder.visible = false;
    this.holder.add(this.shadow);
    this.root.add(this.reticle, this.holder);
  }

  /** Shows this model instance (scale 1, never resized); returns how its size compares with the catalog's. */
  setModel(instance: ModelInstance, dimensions: Dimensions): TrueScaleCheck {
    this.model?.scene.removeFromParent();
    this.model = instance;
    const b = instance.bounds;
    this.modelBox = { min: [b.min.x, b.min.y, b.min.z], max: [b.max.x, b.max.y, b.max.z] };
    instance.scene.scale.setScalar(1);
    this.holder.add(instance.scene);
    this.layOutShadow();
    return checkTrueScale(this.modelBox, dimensions);
  }

  /** Sizes the contact shadow to the model's footprint, under it (floor, table) or behind it (wall). */
  private layOutShadow(): void {
    const { min, max } = this.modelBox;
    const cx = (min[0] + max[0]) / 2;
    if (this.placement === 'wall') {
      this.shadow.rotation.set(0, 0, 0);
      this.shadow.scale.set((max[0] - min[0]) * 1.15, (max[1] - min[1]) * 1.15, 1);
      this.shadow.position.set(cx, (min[1] + max[1]) / 2 - 0.02, min[2] + 0.002);
    } else {
      this.shadow.rotation.set(-Math.PI / 2, 0, 0);
      this.shadow.scale.set((max[0] - min[0]) * 1.3, (max[2] - min[2]) * 1.3, 1);
      this.shadow.position.set(cx, min[1] + 0.002, (min[2] + max[2]) / 2);
    }
  }

  /** Starts hit testing and listening to the session's input. */
  async start(session: XRSession): Promise<void> {
    this.session = session;
    session.addEventListener('selectstart', this.onSelectStart);
    session.addEventListener('select', this.onSelect);
    session.addEventListener('selectend', this.onSelectEnd);
    session.addEventListener('inputsourceschange', this.onInputSourcesChange);
    this.watchInputSources();
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

  private readonly onInputSourcesChange = (): void => this.watchInputSources();

  /** Requests a hit-test source along each tracked controller's ray, and drops those of controllers gone. */
  private watchInputSources(): void {
    const session = this.session;
    if (!session) return;
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
      if (this.dragInput === input) this.dragInput = null;
    }
  }

  /** The controller whose ray aims: the one used last, else the right one, else any. */
  private aimingInput(): XRInputSource | null {
    if (this.activeInput && this.inputSources.has(this.activeInput)) return this.activeInput;
    let any: XRInputSource | null = null;
    for (const input of this.inputSources.keys()) {
      if (input.handedness === 'right') return input;
      any ??= input;
    }
    return any;
  }

  private readonly onSelectStart = (event: XRInputSourceEvent): void => {
    const input = event.inputSource;
    if (input.targetRayMode === 'tracked-pointer') this.activeInput = input;
    if (this.surfaceHit) {
      this.dragInput = input;
      this.generation++;
      this.dropAnchor();
      this.publish({ dragging: true, anchored: false });
    }
  };

  private readonly onSelect = (event: XRInputSourceEvent): void => {
    if (this.surfaceHit || !this.readyHit || !this.model) return;
    const input = event.inputSource;
    // A controller places where its own ray points; a tap places at the screen-centre reticle.
    if (input.targetRayMode === 'tracked-pointer' && input !== this.aimingInput()) return;
    this.surfaceHit = this.readyHit;
    this.turn = this.readyTurn;
    this.anchorWanted = true;
    this.generation++;
    this.reticle.visible = false;
    this.holder.visible = true;
  };

  private readonly onSelectEnd = (event: XRInputSourceEvent): void => {
    if (event.inputSource !== this.dragInput) return;
    this.dragInput = null;
    this.anchorWanted = true;
    this.publish({ dragging: false });
  };

  /** Stops a drag without a release (e.g. a second finger starts a twist). */
  cancelDrag(): void {
    if (!this.dragInput) return;
    this.dragInput = null;
    this.anchorWanted = true;
    this.publish({ dragging: false });
  }

  /** Turns the placed product by `radians` (about +Y, or about the wall normal on a wall). */
  rotateBy(radians: number): void {
    if (!this.surfaceHit) return;
    this.turn = Math.atan2(Math.sin(this.turn + radians), Math.cos(this.turn + radians));
  }

  /** Takes the product away so that the shopper can place it again. */
  replace(): void {
    this.generation++;
    this.dropAnchor();
    this.surfaceHit = null;
    this.dragInput = null;
    this.anchorWanted = false;
    this.holder.visible = false;
    this.publish({ placed: false, dragging: false, anchored: false, bbox: null });
  }

  private dropAnchor(): void {
    this.anchor?.delete();
    this.anchor = null;
  }

  /** The first hit-test result of `results` on a surface that takes the product. */
  private evaluate(
    results: readonly XRHitTestResult[],
    space: XRReferenceSpace,
    turn: number | undefined,
  ): { hit: HitPose | null; result: PlacementResult | null } {
    let first: { hit: HitPose; result: PlacementResult } | null = null;
    for (const r of results) {
      const pose = r.getPose(space);
      if (!pose) continue;
      const hit: HitPose = {
        position: toVec3(pose.transform.position),
        orientation: toQuat(pose.transform.orientation),
      };
      if (classifySurface(surfaceNormal(hit.orientation)) === 'horizontal') this.floor.see(hit.position[1]);
      const result = placeProduct(this.placement, hit, {
        viewer: this.viewer,
        model: this.modelBox,
        floorY: this.floor.floorY,
        turn,
      });
      if (result.ok) return { hit, result };
      // Only the nearest surface counts for the reticle: what is behind it is out of sight.
      first ??= { hit, result };
      break;
    }
    return first ?? { hit: null, result: null };
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

    if (this.surfaceHit) this.updatePlaced(frame, space, delta);
    else this.updateReticle(frame, space);
  }

  private resultsFor(frame: XRFrame, input: XRInputSource | null): readonly XRHitTestResult[] {
    if (input && input.targetRayMode === 'tracked-pointer') {
      const source = this.inputSources.get(input);
      return source && source !== 'pending' ? frame.getHitTestResults(source) : [];
    }
    if (input && input.targetRayMode === 'screen' && this.transientSource) {
      for (const t of frame.getHitTestResultsForTransientInput(this.transientSource)) {
        if (t.inputSource === input) return t.results;
      }
      return [];
    }
    return this.viewerSource ? frame.getHitTestResults(this.viewerSource) : [];
  }

  private updateReticle(frame: XRFrame, space: XRReferenceSpace): void {
    const { hit, result } = this.evaluate(this.resultsFor(frame, this.aimingInput()), space, undefined);
    if (!hit || !result) {
      this.readyHit = null;
      this.reticle.visible = false;
      this.publish({ reticle: 'searching', hit: null, refusal: null });
      return;
    }
    this.reticle.visible = true;
    this.reticle.matrix.compose(
      this.tmpV.set(hit.position[0], hit.position[1], hit.position[2]),
      this.tmpQ.set(hit.orientation[0], hit.orientation[1], hit.orientation[2], hit.orientation[3]),
      this.holder.scale,
    );
    const hitPoint: Vec3 = [round(hit.position[0]), round(hit.position[1]), round(hit.position[2])];
    if (result.ok) {
      this.readyHit = hit;
      this.readyTurn = result.transform.turn;
      this.reticle.material.color.setHex(RETICLE_READY);
      this.publish({ reticle: 'ready', hit: hitPoint, refusal: null });
    } else {
      this.readyHit = null;
      this.reticle.material.color.setHex(RETICLE_REFUSED);
      this.publish({ reticle: 'refused', hit: hitPoint, refusal: result.reason });
    }
  }

  private updatePlaced(frame: XRFrame, space: XRReferenceSpace, delta: number): void {
    if (this.dragInput) {
      const { hit, result } = this.evaluate(this.resultsFor(frame, this.dragInput), space, this.turn);
      if (hit && result?.ok) this.surfaceHit = hit;
    } else if (this.anchor) {
      const pose = frame.getPose(this.anchor.anchorSpace, space);
      if (pose) {
        this.surfaceHit = {
          position: toVec3(pose.transform.position),
          orientation: toQuat(pose.transform.orientation),
        };
      }
    }
    if (!this.dragInput && this.anchorWanted) this.requestAnchor(frame, space);
    this.turnWithStick(delta);

    const surface = this.surfaceHit;
    if (!surface) return;
    const placed = placeProduct(this.placement, surface, {
      viewer: this.viewer,
      model: this.modelBox,
      turn: this.turn,
    });
    if (!placed.ok) return;
    const { position, quaternion } = placed.transform;
    this.holder.position.set(position[0], position[1], position[2]);
    this.holder.quaternion.set(quaternion[0], quaternion[1], quaternion[2], quaternion[3]);
    this.holder.updateMatrixWorld(true);
    let bbox: [Vec3, Vec3] | null = null;
    if (this.model) {
      this.box.setFromObject(this.model.scene, true);
      const { min, max } = this.box;
      bbox = [
        [round(min.x), round(min.y), round(min.z)],
        [round(max.x), round(max.y), round(max.z)],
      ];
    }
    this.publish({
      placed: true,
      reticle: 'searching',
      hit: null,
      refusal: null,
      bbox,
      turnDeg: Math.round(((this.turn * 180) / Math.PI) * 100) / 100,
    });
  }

  /** Turns the placed product with a controller's thumbstick (left/right). */
  private turnWithStick(delta: number): void {
    for (const input of this.inputSources.keys()) {
      const x = input.gamepad?.axes[2] ?? 0;
      if (Math.abs(x) > 0.5) this.rotateBy(-x * STICK_TURN_SPEED * delta);
    }
  }

  /** Anchors the product where it stands (the session's anchors), or leaves it at its reference-space pose. */
  private requestAnchor(frame: XRFrame, space: XRReferenceSpace): void {
    this.anchorWanted = false;
    const surface = this.surfaceHit;
    if (!surface || typeof frame.createAnchor !== 'function' || typeof XRRigidTransform === 'undefined')
      return;
    const generation = this.generation;
    const [x, y, z] = surface.position;
    const [qx, qy, qz, qw] = surface.orientation;
    frame.createAnchor(new XRRigidTransform({ x, y, z }, { x: qx, y: qy, z: qz, w: qw }), space)?.then(
      (anchor) => {
        if (this.stopped || generation !== this.generation || this.dragInput) {
          anchor.delete();
          return;
        }
        this.dropAnchor();
        this.anchor = anchor;
        this.publish({ anchored: true });
      },
      // No anchor (tracking lost, or the runtime refuses): the reference-space pose holds it.
      () => undefined,
    );
  }

  private publish(change: Partial<ARPlacerReport>): void {
    let changed = false;
    for (const key of Object.keys(change) as (keyof ARPlacerReport)[]) {
      if (JSON.stringify(this.report[key]) !== JSON.stringify(change[key])) {
        changed = true;
        break;
      }
    }
    if (!changed) return;
    this.report = { ...this.report, ...change };
    this.onReport(this.report);
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
    this.dropAnchor();
    this.model?.scene.removeFromParent();
    this.root.removeFromParent();
    disposeMesh(this.reticle);
    disposeMesh(this.shadow);
  }
}
