/**
 * The visible teleport aim: a flat ribbon along the arc from the hand to the floor and a ring marker where it
 * lands, green on walkable floor and red elsewhere. Three.js objects built once; `show` rewrites the ribbon's
 * vertices in place (no allocation), so it can run every XR frame.
 */
import {
  BufferAttribute,
  BufferGeometry,
  DoubleSide,
  Group,
  Mesh,
  MeshBasicMaterial,
  RingGeometry,
  CircleGeometry,
} from 'three';
import { arcPoint, type Vec3 } from '../../core/teleport';

/** Points along the ribbon. */
const ARC_POINTS = 32;
/** Half the ribbon's width in metres. */
const HALF_WIDTH = 0.012;
/** Marker colour on walkable floor. */
export const VALID_COLOR = 0x34c77b;
/** Marker colour where the shopper may not stand. */
export const INVALID_COLOR = 0xe5484d;
/** The marker floats this far above the floor so it never fights with it. */
const MARKER_LIFT = 0.01;

/** Arc ribbon plus landing marker; add it to the scene (world space), hidden until `show`. */
export class TeleportArcMesh extends Group {
  private readonly positions = new Float32Array(ARC_POINTS * 2 * 3);
  private readonly ribbonGeometry = new BufferGeometry();
  private readonly ribbonMaterial = new MeshBasicMaterial({
    color: VALID_COLOR,
    transparent: true,
    opacity: 0.8,
    side: DoubleSide,
    depthWrite: false,
    // A signal colour, not a lit surface: shown as it is, whatever the scene's tone mapping.
    toneMapped: false,
  });
  private readonly markerMaterial = new MeshBasicMaterial({
    color: VALID_COLOR,
    transparent: true,
    opacity: 0.9,
    side: DoubleSide,
    depthWrite: false,
    toneMapped: false,
  });
  private readonly marker = new Group();
  private readonly point: Vec3 = { x: 0, y: 0, z: 0 };

  constructor() {
    super();
    this.name = 'teleport-arc';
    this.visible = false;
    const index: number[] = [];
    for (let i = 0; i < ARC_POINTS - 1; i++) {
      const a = i * 2;
      index.push(a, a + 1, a + 2, a + 1, a + 3, a + 2);
    }
    this.ribbonGeometry.setIndex(index);
    this.ribbonGeometry.setAttribute('position', new BufferAttribute(this.positions, 3));
    const ribbon = new Mesh(this.ribbonGeometry, this.ribbonMaterial);
    // The ribbon's vertices are world positions rewritten every frame: its bounding sphere would go stale.
    ribbon.frustumCulled = false;
    this.add(ribbon);

    const ring = new Mesh(new RingGeometry(0.22, 0.28, 40), this.markerMaterial);
    const dot = new Mesh(new CircleGeometry(0.06, 20), this.markerMaterial);
    ring.rotation.x = dot.rotation.x = -Math.PI / 2;
    this.marker.add(ring, dot);
    this.add(this.marker);
  }

  /**
   * Shows the arc thrown from `origin` along unit `dir` that reaches the floor at time `landTime` (see
   * core/teleport.ts arcLanding), and the marker at its end coloured by `valid`.
   */
  show(origin: Vec3, dir: Vec3, landTime: number, valid: boolean): void {
    // Sideways across the aim on the floor plane, so the ribbon lies flat and reads from above.
    const h = Math.hypot(dir.x, dir.z);
    const sx = h < 1e-6 ? HALF_WIDTH : (-dir.z / h) * HALF_WIDTH;
    const sz = h < 1e-6 ? 0 : (dir.x / h) * HALF_WIDTH;
    const p = this.point;
    const out = this.positions;
    for (let i = 0; i < ARC_POINTS; i++) {
      arcPoint(origin, dir, (landTime * i) / (ARC_POINTS - 1), p);
      const k = i * 6;
      out[k] = p.x - sx;
      out[k + 1] = p.y;
      out[k + 2] = p.z - sz;
      out[k + 3] = p.x + sx;
      out[k + 4] = p.y;
      out[k + 5] = p.z + sz;
    }
    const attribute = this.ribbonGeometry.getAttribute('position');
    attribute.needsUpdate = true;
    this.marker.position.set(p.x, MARKER_LIFT, p.z);
    const color = valid ? VALID_COLOR : INVALID_COLOR;
    this.ribbonMaterial.color.setHex(color);
    this.markerMaterial.color.setHex(color);
    this.visible = true;
  }

  /** Hides the arc and the marker. */
  hide(): void {
    this.visible = false;
  }

  /** Frees the GPU resources. */
  override dispose(): void {
    super.dispose();
    this.ribbonGeometry.dispose();
    this.ribbonMaterial.dispose();
    this.markerMaterial.dispose();
    this.marker.traverse((o) => {
      if (o instanceof Mesh) o.geometry.dispose();
    });
  }
}
