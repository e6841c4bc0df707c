/**
 * Poster render page, driven by src/publish/posters/poster-renderer.ts: loads the GLB named by `?model=`
 * (meshopt-compressed, WebP textures and all, as published), lights it with a soft
 * three-point rig plus a RoomEnvironment PMREM, frames its bounds from a 3/4 view slightly above and renders
 * one frame with its default (first variant) materials. Sets `document.body.dataset.state` to `done` or
 * `error` (with the message in `data-error`) when finished.
 */
import {
  NeutralToneMapping,
  Box3,
  Color,
  DirectionalLight,
  HemisphereLight,
  Mesh,
  PCFSoftShadowMap,
  PerspectiveCamera,
  PlaneGeometry,
  PMREMGenerator,
  Scene,
  ShadowMaterial,
  SRGBColorSpace,
  Vector3,
  WebGLRenderer,
} from 'three';
import { GLTFLoader } from 'three/addons/loaders/GLTFLoader.js';
import { MeshoptDecoder } from 'three/addons/libs/meshopt_decoder.module.js';
import { RoomEnvironment } from 'three/addons/environments/RoomEnvironment.js';

const BACKGROUND = '#f3efe9';
const MARGIN = 0.86; // share of the frame the model may fill, in normalised device coordinates

async function render(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const modelUrl = params.get('model');
  if (!modelUrl) throw new Error('missing ?model=');
  const placement = params.get('placement') ?? 'floor';

  const canvas = document.getElementById('poster') as HTMLCanvasElement;
  const renderer = new WebGLRenderer({ canvas, antialias: true, preserveDrawingBuffer: true });
  renderer.setPixelRatio(1);
  renderer.setSize(canvas.width, canvas.height, false);
  renderer.outputColorSpace = SRGBColorSpace;
  renderer.toneMapping = NeutralToneMapping;
  renderer.toneMappingExposure = 0.9;
  renderer.shadowMap.enabled = true;
  renderer.shadowMap.type = PCFSoftShadowMap;

  const scene = new Scene();
  scene.background = new Color(BACKGROUND);
  const pmrem = new PMREMGenerator(renderer);
  scene.environment = pmrem.fromScene(new RoomEnvironment(), 0.04).texture;
  scene.environmentIntensity = 0.45;

  const gltf = await new GLTFLoader().setMeshoptDecoder(MeshoptDecoder).loadAsync(modelUrl);
  const model = gltf.scene;
  model.traverse((object) => {
    if (object instanceof Mesh) {
      object.castShadow = true;
      object.receiveShadow = true;
    }
  });
  scene.add(model);

  const bounds = new Box3().setFromObject(model);
  const size = bounds.getSize(new Vector3());
  const centre = bounds.getCenter(new Vector3());
  const radius = size.length() / 2;

  // Soft three-point lighting: warm key from the front left, cool fill from the right, rim from behind.
  const key = new DirectionalLight('#fff1e0', 2);
  key.position
    .set(-1, 3.2, 1.5)
    .multiplyScalar(radius * 2)
    .add(centre);
  key.target.position.copy(centre);
  key.castShadow = placement !== 'wall';
  key.shadow.mapSize.set(2048, 2048);
  key.shadow.radius = 6;
  key.shadow.bias = -0.0004;
  key.shadow.normalBias = 0.01;
  const extent = radius * 3;
  Object.assign(key.shadow.camera, {
    left: -extent,
    right: extent,
    top: extent,
    bottom: -extent,
    near: 0.01,
  });
  key.shadow.camera.far = radius * 12;
  const fill = new DirectionalLight('#e8eefc', 0.7);
  fill.position
    .set(2, 1, 1.2)
    .multiplyScalar(radius * 2)
    .add(centre);
  const rim = new DirectionalLight('#ffffff', 1.1);
  rim.position
    .set(0.4, 1.6, -2)
    .multiplyScalar(radius * 2)
    .add(centre);
  const sky = new HemisphereLight('#fffaf2', '#d8cfc4', 0.35);
  scene.add(key, key.target, fill, rim, sky);

  if (placement !== 'wall') {
    const ground = new Mesh(
      new PlaneGeometry(radius * 12, radius * 12),
      new ShadowMaterial({ opacity: 0.13 }),
    );
    ground.rotation.x = -Math.PI / 2;
    ground.receiveShadow = true;
    scene.add(ground);
  }

  // A 3/4 view slightly above; flat things (rugs) are seen from higher, wall things more from the front.
  const flat = size.y < 0.15 * Math.max(size.x, size.z);
  const azimuth = ((placement === 'wall' ? 24 : 35) * Math.PI) / 180;
  const elevation = ((flat ? 42 : placement === 'wall' ? 10 : 20) * Math.PI) / 180;
  const direction = new Vector3(
    Math.sin(azimuth) * Math.cos(elevation),
    Math.sin(elevation),
    Math.cos(azimuth) * Math.cos(elevation),
  );
  const camera = new PerspectiveCamera(30, canvas.width / canvas.height, radius / 100, radius * 100);
  frame(camera, bounds, centre.clone(), direction);

  renderer.render(scene, camera);
  pmrem.dispose();
}

/** Places the camera along `direction` from the target so the box fills the frame, centred on screen. */
function frame(camera: PerspectiveCamera, bounds: Box3, target: Vector3, direction: Vector3): void {
  const corners = [0, 1, 2, 3, 4, 5, 6, 7].map(
    (i) =>
      new Vector3(
        i & 1 ? bounds.max.x : bounds.min.x,
        i & 2 ? bounds.max.y : bounds.min.y,
        i & 4 ? bounds.max.z : bounds.min.z,
      ),
  );
  const ndc = new Vector3();
  const outside = bounds.getSize(new Vector3()).length();
  const measure = (distance: number) => {
    camera.position.copy(target).addScaledVector(direction, distance);
    camera.lookAt(target);
    camera.updateMatrixWorld();
    let [minX, maxX, minY, maxY] = [Infinity, -Infinity, Infinity, -Infinity];
    for (const corner of corners) {
      ndc.copy(corner).project(camera);
      minX = Math.min(minX, ndc.x);
      maxX = Math.max(maxX, ndc.x);
      minY = Math.min(minY, ndc.y);
      maxY = Math.max(maxY, ndc.y);
    }
    return { minX, maxX, minY, maxY };
  };
  // The closest distance at which the box still fits the frame, by bisection (fitting is monotonic).
  const fitDistance = () => {
    let near = outside; // never inside the box: corners behind the camera would project wrongly
    let far = outside * 100;
    for (let i = 0; i < 60; i += 1) {
      const mid = (near + far) / 2;
      const { minX, maxX, minY, maxY } = measure(mid);
      if (Math.max(maxX - minX, maxY - minY) / 2 <= MARGIN) far = mid;
      else near = mid;
    }
    return far;
  };
  const right = new Vector3();
  const up = new Vector3();
  for (let pass = 0; pass < 3; pass += 1) {
    // Pan so the projected box is centred (perspective moves it off-centre), then fit again.
    const distance = fitDistance();
    const { minX, maxX, minY, maxY } = measure(distance);
    const halfHeight = distance * Math.tan((camera.fov * Math.PI) / 360);
    right.setFromMatrixColumn(camera.matrixWorld, 0);
    up.setFromMatrixColumn(camera.matrixWorld, 1);
    target.addScaledVector(right, ((minX + maxX) / 2) * halfHeight * camera.aspect);
    target.addScaledVector(up, ((minY + maxY) / 2) * halfHeight);
  }
  measure(fitDistance());
}

render().then(
  () => {
    document.body.dataset.state = 'done';
  },
  (error: unknown) => {
    document.body.dataset.error = error instanceof Error ? error.message : String(error);
    document.body.dataset.state = 'error';
  },
);
