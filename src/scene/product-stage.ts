/**
 * The product viewer's 3D stage: a plain three.js renderer, camera, orbit controls, room environment lighting,
 * a soft contact shadow and dimension lines around one model. It renders only when something changed (a
 * control moved, a variant switched, the size changed) and reports each frame's triangle count. Nothing is
 * drawn before the environment is in place (the canvas stays transparent over the page's poster), so the first
 * frame with a model already has its final look.
 * Plain three.js rather than React Three Fiber: the product page must stay smaller than model-viewer, and
 * R3F pulls in every three.js class; the showroom, which composes many parts, uses R3F.
 */
import {
  BufferGeometry,
  CanvasTexture,
  DirectionalLight,
  Float32BufferAttribute,
  LineBasicMaterial,
  LineSegments,
  Mesh,
  MeshBasicMaterial,
  NeutralToneMapping,
  PerspectiveCamera,
  PlaneGeometry,
  Scene,
  Sphere,
  SRGBColorSpace,
  Vector3,
  WebGLRenderer,
  type Texture,
} from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import type { ModelInstance } from './gltf-cache';
import { loadRoomEnvironment, roomEnvironmentTexture } from './room-environment';

/** HTML elements the stage keeps positioned over the width, height and depth lines. */
export interface DimensionLabels {
  width: HTMLElement;
  height: HTMLElement;
  depth: HTMLElement;
}

/**
 * What the stage reports after each rendered frame. The stage reuses one object: read it in the callback, do
 * not keep it.
 */
export interface FrameReport {
  /** Triangles drawn in the frame (renderer.info.render.triangles). */
  triangles: number;
  /** Whether a model was in the frame. */
  hasModel: boolean;
  /** Material variant shown, '' for the file's defaults. */
  variant: string;
}

const FOV = 35;
/** Front three-quarter view, a little from above: how products are photographed. */
const VIEW_DIRECTION = new Vector3(0.55, 0.38, 1).normalize();
const KEY_ORBIT_STEP = Math.PI / 24;
const KEY_ZOOM_STEP = 0.9;

/** Directional lights of the stage: colour, intensity, and the direction they come from. */
const STAGE_LIGHTS: readonly (readonly [string, number, number, number, number])[] = [
  ['#fff1e0', 2, -1, 3.2, 1.5],
  ['#e8eefc', 0.7, 2, 1, 1.2],
  ['#ffffff', 1.1, 0.4, 1.6, -2],
];

/**
 * The stage's backdrop, a soft radial gradient. The page paints it behind the canvas (CSS) until the first
 * frame; from then on the stage draws it itself, so that transmissive materials (glass) refract a real
 * backdrop: on a transparent canvas three.js would refract a flat half-transparent white instead.
 */
export const BACKDROP = { inner: '#ffffff', outer: '#eceae6', centerX: 0.5, centerY: 0.4 } as const;
/** The same backdrop as a CSS background, for the page behind the canvas. */
export const BACKDROP_CSS = `radial-gradient(circle at ${BACKDROP.centerX * 100}% ${BACKDROP.centerY * 100}%, ${BACKDROP.inner}, ${BACKDROP.outer})`;

/** The backdrop as a texture for a 4:3 stage (CSS `circle` gradients reach the farthest corner). */
function makeBackdropTexture(): Texture {
  const width = 256;
  const height = 192;
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (ctx) {
    const cx = width * BACKDROP.centerX;
    const cy = height * BACKDROP.centerY;
    const g = ctx.createRadialGradient(
      cx,
      cy,
      0,
      cx,
      cy,
      Math.hypot(Math.max(cx, width - cx), Math.max(cy, height - cy)),
    );
    g.addColorStop(0, BACKDROP.inner);
    g.addColorStop(1, BACKDROP.outer);
    ctx.fillStyle = g;
    ctx.fillRect(0, 0, width, height);
  }
  const texture = new CanvasTexture(canvas);
  texture.colorSpace = SRGBColorSpace;
  return texture;
}

function makeShadowTexture(): Texture {
  const size = 128;
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d');
  if (ctx) {
    const g = ctx.createRadialGradient(size / 2, size / 2, 0, size / 2, size / 2, size / 2);
    g.addColorStop(0, 'rgba(0,0,0,0.55)');
    g.addColorStop(0.45, 'rgba(0,0,0,0.3)');
    g.addColorStop(1, 'rgba(0,0,0,0)');
    ctx.fillStyle = g;
    ctx.fillRect(0, 0, size, size);
  }
  const texture = new CanvasTexture(canvas);
  texture.colorSpace = SRGBColorSpace;
  return texture;
}

/** One product viewer's renderer and scene. Create once per canvas; call `dispose` when the canvas goes. */
export class ProductStage {
  private readonly renderer: WebGLRenderer;
  private readonly scene = new Scene();
  private readonly camera = new PerspectiveCamera(FOV, 1, 0.01, 100);
  private readonly controls: OrbitControls;
  /** The image-based lighting, null until it has loaded (no frame is drawn before). */
  private environment: Texture | null = null;
  /** Resolves once the environment is in place; rejects when it could not be made at all. */
  readonly environmentReady: Promise<void>;
  private readonly shadowTexture: Texture;
  private readonly backdropTexture = makeBackdropTexture();
  private readonly shadow: Mesh<PlaneGeometry, MeshBasicMaterial>;
  private readonly dimensionLines: LineSegments<BufferGeometry, LineBasicMaterial>;
  private readonly resizeObserver: ResizeObserver | null;
  private readonly homePosition = new Vector3(0, 1, 3);
  private readonly homeTarget = new Vector3(0, 0.5, 0);
  private readonly labelAnchors = [new Vector3(), new Vector3(), new Vector3()];
  private readonly projected = new Vector3();
  /** Filled in and handed to `onFrame` after every frame (one object, so a frame allocates nothing). */
  private readonly report: FrameReport = { triangles: 0, hasModel: false, variant: '' };
  private model: ModelInstance | null = null;
  private frame = 0;
  private disposed = false;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly labels: DimensionLabels,
    private readonly onFrame: (report: FrameReport) => void,
  ) {
    // Start the environment download before the WebGL context, which takes a while to create.
    const download = loadRoomEnvironment();
    download.catch(() => undefined); // handled by roomEnvironmentTexture
    this.renderer = new WebGLRenderer({ canvas, antialias: true, alpha: true });
    this.renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, 2));
    this.renderer.toneMapping = NeutralToneMapping;
    this.renderer.outputColorSpace = SRGBColorSpace;
    this.renderer.setClearColor(0x000000, 0);

    this.environmentReady = roomEnvironmentTexture(this.renderer, download).then((texture) => {
      if (this.disposed) {
        texture.dispose();
        return;
      }
      this.environment = texture;
      this.scene.environment = texture;
      this.requestRender();
    });

    this.scene.background = this.backdropTexture;
    // The posters' lighting (assets/scripts/poster/main.ts), so the model replaces its poster without a jump:
    // a dimmed room environment plus a warm key from the front left, a cool fill from the right and a rim
    // from behind. The environment alone lights evenly and flattens pale products into their backdrop.
    this.scene.environmentIntensity = 0.45;
    this.renderer.toneMappingExposure = 0.9;
    for (const [color, intensity, x, y, z] of STAGE_LIGHTS) {
      const light = new DirectionalLight(color, intensity);
      light.position.set(x, y, z);
      this.scene.add(light);
    }
    this.shadowTexture = makeShadowTexture();
    this.shadow = new Mesh(
      new PlaneGeometry(1, 1),
      new MeshBasicMaterial({
        map: this.shadowTexture,
        transparent: true,
        depthWrite: false,
        toneMapped: false,
      }),
    );
    this.shadow.rotation.x = -Math.PI / 2;
    this.shadow.visible = false;
    this.scene.add(this.shadow);

    this.dimensionLines = new LineSegments(
      new BufferGeometry(),
      new LineBasicMaterial({ color: 0x1f2937, depthTest: false, transparent: true, toneMapped: false }),
    );
    this.dimensionLines.renderOrder = 10;
    this.dimensionLines.visible = false;
    this.scene.add(this.dimensionLines);

    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.enableDamping = true;
    this.controls.dampingFactor = 0.12;
    this.controls.enablePan = false;
    this.controls.maxPolarAngle = Math.PI / 2 - 0.02;
    this.controls.addEventListener('change', this.requestRender);

    this.resizeObserver = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(this.resize);
    this.resizeObserver?.observe(canvas);
    this.resize();
  }

  /** Schedules one frame (several requests before it coalesce). */
  readonly requestRender = (): void => {
    if (this.frame !== 0 || this.disposed) return;
    this.frame = requestAnimationFrame(this.renderFrame);
  };

  private readonly renderFrame = (): void => {
    this.frame = 0;
    if (this.disposed || !this.environment) return;
    // With damping, update() keeps moving after a drag and fires 'change', which asks for the next frame.
    this.controls.update();
    this.renderer.render(this.scene, this.camera);
    if (this.dimensionLines.visible) this.placeLabels();
    const report = this.report;
    report.triangles = this.renderer.info.render.triangles;
    report.hasModel = this.model !== null;
    report.variant = this.model?.variant ?? '';
    this.onFrame(report);
  };

  private readonly resize = (): void => {
    const width = this.canvas.clientWidth || 300;
    const height = this.canvas.clientHeight || 300;
    this.renderer.setSize(width, height, false);
    this.camera.aspect = width / height;
    if (this.model) this.fit(false);
    this.camera.updateProjectionMatrix();
    this.requestRender();
  };

  /** Shows a model (replacing and disposing any previous one) and frames the camera around it. */
  setModel(model: ModelInstance): void {
    this.model?.dispose();
    this.model = model;
    this.scene.add(model.scene);
    const b = model.bounds;
    const size = b.getSize(new Vector3());
    this.shadow.position.set((b.min.x + b.max.x) / 2, b.min.y + 0.001, (b.min.z + b.max.z) / 2);
    this.shadow.scale.set(Math.max(size.x, 0.01) * 1.5, Math.max(size.z, 0.01) * 1.5, 1);
    this.shadow.visible = true;
    this.buildDimensionLines();
    this.fit(true);
    this.requestRender();
  }

  /** Switches the model's material variant; returns false when the model has no variant of that name. */
  setVariant(name: string): boolean {
    if (!this.model) return false;
    const found = this.model.setVariant(name);
    this.requestRender();
    return found;
  }

  /** Shows or hides the width/height/depth lines (the labels' visibility is the caller's). */
  setDimensionsVisible(visible: boolean): void {
    this.dimensionLines.visible = visible && this.model !== null;
    this.requestRender();
  }

  /** Puts the camera back where it was when the model appeared. */
  resetView(): void {
    this.camera.position.copy(this.homePosition);
    this.controls.target.copy(this.homeTarget);
    this.controls.update();
    this.requestRender();
  }

  /** Turns the camera around the model by key steps (positive = left / up). */
  orbitSteps(left: number, up: number): void {
    if (left !== 0) this.controls.rotateLeft(left * KEY_ORBIT_STEP);
    if (up !== 0) this.controls.rotateUp(up * KEY_ORBIT_STEP);
    this.requestRender();
  }

  /** Zooms by key steps (positive = closer), within the controls' distance limits. */
  zoomSteps(steps: number): void {
    // OrbitControls: dollyIn(s < 1) moves closer, dollyOut(s < 1) moves away.
    if (steps > 0) this.controls.dollyIn(KEY_ZOOM_STEP ** steps);
    else if (steps < 0) this.controls.dollyOut(KEY_ZOOM_STEP ** -steps);
    this.requestRender();
  }

  private fit(moveCamera: boolean): void {
    if (!this.model) return;
    const sphere = this.model.bounds.getBoundingSphere(new Sphere());
    const radius = Math.max(sphere.radius, 0.01);
    const vFov = (FOV * Math.PI) / 180;
    const hFov = 2 * Math.atan(Math.tan(vFov / 2) * this.camera.aspect);
    const distance = (radius / Math.sin(Math.min(vFov, hFov) / 2)) * 1.08;
    this.homeTarget.copy(sphere.center);
    this.homePosition.copy(sphere.center).addScaledVector(VIEW_DIRECTION, distance);
    this.camera.near = distance / 100;
    this.camera.far = distance * 100;
    this.camera.updateProjectionMatrix();
    this.controls.minDistance = radius * 1.05;
    this.controls.maxDistance = distance * 2.5;
    if (moveCamera) this.resetView();
  }

  private buildDimensionLines(): void {
    if (!this.model) return;
    const { min, max } = this.model.bounds;
    const gap = Math.max(max.x - min.x, max.y - min.y, max.z - min.z) * 0.06;
    const tick = gap * 0.5;
    const fz = max.z + gap; // width line runs along the front, just before the model
    const rx = max.x + gap; // height and depth lines run on the right
    // prettier-ignore
    const points = [
      // width, with end ticks
      min.x, min.y, fz, max.x, min.y, fz,
      min.x, min.y, fz - tick, min.x, min.y, fz + tick,
      max.x, min.y, fz - tick, max.x, min.y, fz + tick,
      // height, at the front right corner
      rx, min.y, max.z, rx, max.y, max.z,
      rx - tick, min.y, max.z, rx + tick, min.y, max.z,
      rx - tick, max.y, max.z, rx + tick, max.y, max.z,
      // depth, on the right side
      rx, min.y, min.z, rx, min.y, max.z,
      rx - tick, min.y, min.z, rx + tick, min.y, min.z,
    ];
    this.dimensionLines.geometry.dispose();
    const geometry = new BufferGeometry();
    geometry.setAttribute('position', new Float32BufferAttribute(points, 3));
    this.dimensionLines.geometry = geometry;
    this.labelAnchors[0]?.set((min.x + max.x) / 2, min.y, fz + gap);
    this.labelAnchors[1]?.set(rx + gap, (min.y + max.y) / 2, max.z);
    this.labelAnchors[2]?.set(rx + gap, min.y, (min.z + max.z) / 2);
  }

  private placeLabels(): void {
    const width = this.canvas.clientWidth;
    const height = this.canvas.clientHeight;
    const elements = [this.labels.width, this.labels.height, this.labels.depth];
    for (let i = 0; i < elements.length; i++) {
      const anchor = this.labelAnchors[i];
      const element = elements[i];
      if (!anchor || !element) continue;
      this.projected.copy(anchor).project(this.camera);
      const x = ((this.projected.x + 1) / 2) * width;
      const y = ((1 - this.projected.y) / 2) * height;
      element.style.transform = `translate(${x.toFixed(1)}px, ${y.toFixed(1)}px) translate(-50%, -50%)`;
    }
  }

  /** Stops rendering and frees the renderer, the controls, the helpers and the model clone. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.frame !== 0) cancelAnimationFrame(this.frame);
    this.resizeObserver?.disconnect();
    this.controls.removeEventListener('change', this.requestRender);
    this.controls.dispose();
    this.model?.dispose();
    this.model = null;
    this.shadow.geometry.dispose();
    this.shadow.material.dispose();
    this.shadowTexture.dispose();
    this.backdropTexture.dispose();
    this.dimensionLines.geometry.dispose();
    this.dimensionLines.material.dispose();
    this.environment?.dispose();
    this.environment = null;
    this.renderer.dispose();
    this.renderer.forceContextLoss();
  }
}
