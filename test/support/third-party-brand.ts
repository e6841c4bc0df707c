/**
 * Builds, at test time, a brand folder holding real third-party product models (from shared/models, see its
 * README for the licences), so tests can check that the server and the viewers handle models we did not make.
 * Side effects owned here: a temporary folder (removed by `remove()`), and while posters render, a loopback
 * HTTP server and a headless Chromium (both closed before `buildThirdPartyBrand` returns).
 *
 * The folder is never shipped: the models keep their licences (CC BY 4.0 needs the attribution, which each
 * product description and the brand story carry) and live only in temporary folders of test runs.
 */
import { createServer, type Server } from 'node:http';
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NodeIO, Primitive, type Document, type Node as GltfNode } from '@gltf-transform/core';
import { ALL_EXTENSIONS } from '@gltf-transform/extensions';
import { getBounds } from '@gltf-transform/functions';
import sharp from 'sharp';
import { sealTrail } from '../../src/core/provenance';
import { BRAND_FILES, BrandFolderData, modelPath, posterPath } from '../../src/protocol/brand-folder';
import type {
  Brand,
  Category,
  Dimensions,
  Placement,
  ProductSource,
  ProvenanceEvent,
  Showroom,
  Stand,
} from '../../src/protocol/catalog';
import { launchChromium } from './chromium';
import { repoRoot } from './server';

/**
 * The folder of the shared third-party models: `VITRINE_SHARED_MODELS`, else `../shared/models` beside the
 * repository (CI clones the repository with a copy of shared/ next to it).
 */
export function sharedModelsDir(): string {
  return path.resolve(process.env.VITRINE_SHARED_MODELS ?? path.join(repoRoot, '..', 'shared', 'models'));
}

/** One third-party model as a product of the test brand. */
interface ModelSpec {
  id: string;
  name: string;
  /** Path inside the shared models folder. */
  source: string;
  category: string;
  placement: Placement;
  stand: Stand;
  position: [number, number];
  rotationY: number;
  materials: string[];
  /** Who made the model, under which licence: goes into the description and the provenance. */
  credit: string;
  /** Where the model was published (provenance location) and in which year (the README gives no date). */
  publishedBy: string;
  publishedAt: { name: string; country: string };
  publishedYear: number;
  what: string;
}

const MODELS: readonly ModelSpec[] = [
  {
    id: 'kitchen-stand-mixer',
    name: 'Kitchen Stand Mixer',
    source: 'Mixer.glb',
    category: 'kitchen',
    placement: 'tabletop',
    stand: 'table',
    position: [-1.8, -1.6],
    rotationY: 20,
    materials: ['Enamelled metal', 'Stainless steel'],
    credit: 'Model © 2020 Shopify, Inc., CC BY 4.0 (Khronos 3DC-Certification models).',
    publishedBy: 'Shopify, Inc.',
    publishedAt: { name: 'Khronos 3DC-Certification models repository', country: 'US' },
    publishedYear: 2020,
    what: 'One mesh of about 47k triangles with 2048 px textures and no extensions.',
  },
  {
    id: 'hanging-wicker-chair',
    name: 'Hanging Wicker Chair',
    source: 'WickerChair.glb',
    category: 'seating',
    placement: 'floor',
    stand: 'floor',
    position: [0, -1.2],
    rotationY: 0,
    materials: ['Wicker', 'Steel'],
    credit:
      'Model © 2020 Wayfair LLC, model and textures by Eric Chadwick, CC BY 4.0 (Khronos 3DC-Certification models).',
    publishedBy: 'Wayfair LLC',
    publishedAt: { name: 'Khronos 3DC-Certification models repository', country: 'US' },
    publishedYear: 2020,
    what: 'An alpha-blended material and an occlusion-roughness-metalness texture.',
  },
  {
    id: 'glass-vases-with-flowers',
    name: 'Glass Vases with Flowers',
    source: 'GlassVaseFlowers.glb',
    category: 'decor',
    placement: 'tabletop',
    stand: 'plinth',
    position: [1.8, -1.6],
    rotationY: -20,
    materials: ['Glass', 'Flowers'],
    credit: 'CC0 1.0: glass vase by Eric Chadwick, flowers by Rico Cilliers (Khronos glTF sample assets).',
    publishedBy: 'Eric Chadwick and Rico Cilliers',
    publishedAt: { name: 'Khronos glTF sample assets repository', country: 'US' },
    publishedYear: 2022,
    what: 'KHR_materials_transmission and KHR_materials_volume glass, alpha-blended and alpha-masked parts.',
  },
  {
    id: 'coffee-mug',
    name: 'Coffee Mug',
    source: 'mug/model.gltf',
    category: 'kitchen',
    placement: 'floor',
    stand: 'floor',
    position: [2.5, 0.2],
    rotationY: -30,
    materials: ['Ceramic'],
    credit: 'CC0, by saravieira (pmndrs market assets).',
    publishedBy: 'saravieira',
    // The README names no place for the pmndrs market; ZZ is the ISO 3166 user-assigned "unknown region".
    publishedAt: { name: 'pmndrs market', country: 'ZZ' },
    publishedYear: 2021,
    what:
      'Converted from a .gltf with embedded buffers to GLB keeping its required KHR_draco_mesh_compression. ' +
      'Its file is not modelled at real size (its bounds are about 1.8 m wide), so these dimensions are the ' +
      "model's, not a real mug's.",
  },
];

/** Ids of the four products, in showroom order. */
export const THIRD_PARTY_PRODUCT_IDS: readonly string[] = MODELS.map((m) => m.id);

/** Material variant name given to every product: none of the models has KHR_materials_variants. */
export const MISSING_MATERIAL_VARIANT = 'as-modelled';

/** What the builder measured of one product's model (the GLB in the brand folder), in Node. */
export interface ThirdPartyProduct {
  id: string;
  name: string;
  /** The shared model it came from (absolute path). */
  source: string;
  /** The GLB in the brand folder (absolute path). */
  glb: string;
  /** Size of the GLB file in bytes. */
  bytes: number;
  /** Triangles the default scene draws (each mesh counted once per node showing it). */
  triangles: number;
  /**
   * Of those, the triangles three.js draws as opaque (material neither alpha-blended nor transmissive): when a
   * scene holds a transmissive material, three.js draws these a second time into its transmission buffer.
   */
  opaqueTriangles: number;
  /** Axis-aligned bounds of the default scene in metres. */
  bounds: { min: [number, number, number]; max: [number, number, number] };
  /** Declared dimensions: the bounds' size, rounded to the millimetre. */
  dimensions: Dimensions;
  /** Extensions the GLB uses and requires. */
  extensionsUsed: string[];
  extensionsRequired: string[];
}

/** A built brand folder. */
export interface ThirdPartyBrand {
  /** The brand folder (pass it to the server as `brandDirs` or `VITRINE_BRANDS`). */
  dir: string;
  brandId: string;
  showroomId: string;
  showroomName: string;
  products: ThirdPartyProduct[];
  /** How the posters were made. */
  posters: PosterMode;
  /** Removes the temporary folder. */
  remove(): Promise<void>;
}

/**
 * `rendered`: a still of each model rendered in headless Chromium (three.js, the same framing idea as the demo
 * brand's posters). `placeholder`: a plain grey JPEG that shows nothing of the model, for tests that only need
 * the file to exist (seeding checks that a poster is a JPEG, nothing more).
 */
export type PosterMode = 'rendered' | 'placeholder';

interface DracoModule {
  createDecoderModule(): Promise<unknown>;
  createEncoderModule(): Promise<unknown>;
}

let ioPromise: Promise<NodeIO> | undefined;

/** A NodeIO reading and writing every extension, Draco included (draco3dgltf, a dev dependency). */
function gltfIO(): Promise<NodeIO> {
  ioPromise ??= (async () => {
    // A variable module name: draco3dgltf ships no type declarations.
    const name = 'draco3dgltf';
    const draco = ((await import(name)) as { default: DracoModule }).default;
    return new NodeIO().registerExtensions(ALL_EXTENSIONS).registerDependencies({
      'draco3d.decoder': await draco.createDecoderModule(),
      'draco3d.encoder': await draco.createEncoderModule(),
    });
  })();
  return ioPromise;
}

/** Triangles one primitive draws: indices (or vertices) by topology; points and lines draw none. */
function trianglesOf(primitive: Primitive): number {
  const count = primitive.getIndices()?.getCount() ?? primitive.getAttribute('POSITION')?.getCount() ?? 0;
  const mode = primitive.getMode();
  if (mode === Primitive.Mode.TRIANGLES) return Math.floor(count / 3);
  if (mode === Primitive.Mode.TRIANGLE_STRIP || mode === Primitive.Mode.TRIANGLE_FAN)
    return Math.max(0, count - 2);
  return 0;
}

/**
 * Triangles the default scene of a document draws, counted over its node tree; `only` keeps the primitives
 * to count (all by default).
 */
export function countDrawnTriangles(
  doc: Document,
  only: (primitive: Primitive) => boolean = () => true,
): number {
  const root = doc.getRoot();
  const scene = root.getDefaultScene() ?? root.listScenes()[0];
  if (!scene) throw new Error('the model has no scene');
  let total = 0;
  const visit = (node: GltfNode): void => {
    for (const primitive of node.getMesh()?.listPrimitives() ?? []) {
      if (only(primitive)) total += trianglesOf(primitive);
    }
    for (const child of node.listChildren()) visit(child);
  };
  for (const node of scene.listChildren()) visit(node);
  return total;
}

/** Reads a GLB and measures it: triangles, bounds, extensions. */
export async function measureGlb(file: string): Promise<Omit<ThirdPartyProduct, 'id' | 'name' | 'source'>> {
  const io = await gltfIO();
  const bytes = await readFile(file);
  const doc = await io.readBinary(new Uint8Array(bytes));
  const root = doc.getRoot();
  const scene = root.getDefaultScene() ?? root.listScenes()[0];
  if (!scene) throw new Error(`${file} has no scene`);
  const { min, max } = getBounds(scene);
  const mm = (metres: number): number => Math.round(metres * 1000) / 1000;
  return {
    glb: file,
    bytes: bytes.byteLength,
    triangles: countDrawnTriangles(doc),
    opaqueTriangles: countDrawnTriangles(doc, (primitive) => {
      const material = primitive.getMaterial();
      if (!material) return true;
      return (
        material.getAlphaMode() !== 'BLEND' && material.getExtension('KHR_materials_transmission') === null
      );
    }),
    bounds: { min: [min[0], min[1], min[2]], max: [max[0], max[1], max[2]] },
    dimensions: { width: mm(max[0] - min[0]), height: mm(max[1] - min[1]), depth: mm(max[2] - min[2]) },
    extensionsUsed: root.listExtensionsUsed().map((e) => e.extensionName),
    extensionsRequired: root.listExtensionsRequired().map((e) => e.extensionName),
  };
}

/** Writes a model into the brand folder as GLB: .glb files are copied as they are, .gltf files converted. */
async function writeModel(source: string, target: string): Promise<void> {
  if (source.endsWith('.glb')) {
    await copyFile(source, target);
    return;
  }
  // glTF-Transform decodes Draco on read and, since the document keeps KHR_draco_mesh_compression, encodes
  // the meshes again on write: the GLB stays Draco-compressed.
  const io = await gltfIO();
  const doc = await io.read(source);
  await writeFile(target, await io.writeBinary(doc));
}

const BRAND: Brand = {
  id: 'third-party-models',
  name: 'Third-party Models (test brand)',
  story:
    'A brand that exists only in test runs: its products are real 3D models made by others, to check that ' +
    'Vitrine handles files it did not generate. Mixer: © 2020 Shopify, Inc., CC BY 4.0. Wicker chair: © 2020 ' +
    'Wayfair LLC, model and textures by Eric Chadwick, CC BY 4.0 (both from the Khronos 3DC-Certification ' +
    'models). Glass vases with flowers: CC0 1.0, vase by Eric Chadwick, flowers by Rico Cilliers (Khronos ' +
    'glTF sample assets). Coffee mug: CC0, by saravieira (pmndrs market). CC BY 4.0: ' +
    'https://creativecommons.org/licenses/by/4.0/. Prices and stock are made up for the test.',
  contact: { email: 'tests@vitrine.example' },
  returnPolicy: {
    returnPolicyCategory: 'MerchantReturnFiniteReturnWindow',
    merchantReturnDays: 14,
    returnFees: 'FreeReturn',
    refundType: 'FullRefund',
    returnMethod: 'ReturnByMail',
    conditions: 'A test brand: nothing is sold. The policy is here because every brand must state one.',
  },
};

const CATEGORIES: Category[] = [
  { id: 'kitchen', name: 'Kitchen' },
  { id: 'seating', name: 'Seating' },
  { id: 'decor', name: 'Decor' },
];

async function provenanceOf(spec: ModelSpec, builtAt: string): Promise<ProvenanceEvent[]> {
  return sealTrail([
    {
      eventTime: `${spec.publishedYear}-01-01`,
      bizStep: 'commissioning' as const,
      location: spec.publishedAt,
      actor: spec.publishedBy,
      description: `3D model published (${spec.credit}) The year is known, not the day.`,
    },
    {
      eventTime: builtAt,
      bizStep: 'receiving' as const,
      location: { name: 'Vitrine test run (temporary folder)', country: 'ZZ' },
      actor: 'Vitrine test suite',
      description: `Model file taken from shared/models/${spec.source} into this test brand.`,
    },
  ]);
}

function productSource(
  spec: ModelSpec,
  measured: ThirdPartyProduct,
  provenance: ProvenanceEvent[],
  index: number,
): ProductSource {
  const { width, height, depth } = measured.dimensions;
  return {
    id: spec.id,
    name: spec.name,
    description:
      `${spec.what} ${spec.credit} Dimensions are measured from the model's bounds: ` +
      `${width} × ${height} × ${depth} m.`,
    category: spec.category,
    materials: spec.materials,
    countryOfOrigin: 'ZZ',
    dimensions: measured.dimensions,
    placement: spec.placement,
    variants: [
      {
        sku: `TP-${spec.id.toUpperCase()}`.slice(0, 40),
        name: 'As modelled',
        options: { finish: 'As modelled' },
        price: { amount: 1000 * (index + 1), currency: 'EUR' },
        stock: 5,
        materialVariant: MISSING_MATERIAL_VARIANT,
      },
    ],
    certifications: [],
    provenance,
  };
}

const SHOWROOM_ID = 'third-party-models-room';
const SHOWROOM_NAME = 'Third-party Models Room';

function showroom(): Showroom {
  return {
    id: SHOWROOM_ID,
    brandId: BRAND.id,
    name: SHOWROOM_NAME,
    description: 'All four third-party models in one room.',
    room: { width: 8, depth: 8, height: 3, floorColor: '#d9d2c5', wallColor: '#f1ede6' },
    lighting: {
      ambient: { color: '#ffffff', intensity: 0.5 },
      environmentIntensity: 0.8,
      lights: [{ type: 'directional', position: [2, 4, 3], color: '#fff4e5', intensity: 1.6 }],
    },
    spawn: { position: [0, 3.2], rotationY: 0 },
    fixtures: MODELS.map((m) => ({
      id: m.id,
      productId: m.id,
      position: m.position,
      rotationY: m.rotationY,
      stand: m.stand,
    })),
  };
}

/** Options of {@link buildThirdPartyBrand}. */
export interface BuildOptions {
  /** How to make the posters; default `rendered`. */
  posters?: PosterMode;
}

/**
 * Builds the third-party brand in a new temporary folder: the four shared models as GLB products with their
 * measured dimensions, one variant each, posters, sealed provenance trails and one showroom placing all four.
 * Validates the folder data against the brand folder schema before returning.
 */
export async function buildThirdPartyBrand(options: BuildOptions = {}): Promise<ThirdPartyBrand> {
  const posters = options.posters ?? 'rendered';
  const modelsDir = sharedModelsDir();
  const workDir = await mkdtemp(path.join(tmpdir(), 'vitrine-third-party-'));
  const dir = path.join(workDir, BRAND.id);
  const remove = (): Promise<void> => rm(workDir, { recursive: true, force: true });
  try {
    await mkdir(path.join(dir, 'models'), { recursive: true });
    await mkdir(path.join(dir, 'posters'), { recursive: true });
    const builtAt = new Date().toISOString();
    const products: ThirdPartyProduct[] = [];
    const sources: ProductSource[] = [];
    for (const [index, spec] of MODELS.entries()) {
      const source = path.join(modelsDir, spec.source);
      try {
        await stat(source);
      } catch {
        throw new Error(
          `${source} is missing: the third-party models live in shared/models beside the repository ` +
            '(or set VITRINE_SHARED_MODELS to that folder)',
        );
      }
      const glb = path.join(dir, modelPath(spec.id));
      await writeModel(source, glb);
      const measured: ThirdPartyProduct = {
        id: spec.id,
        name: spec.name,
        source,
        ...(await measureGlb(glb)),
      };
      products.push(measured);
      sources.push(productSource(spec, measured, await provenanceOf(spec, builtAt), index));
    }

    const data = BrandFolderData.parse({
      brand: BRAND,
      categories: CATEGORIES,
      products: sources,
      showrooms: [showroom()],
    });
    const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
    await writeFile(path.join(dir, BRAND_FILES.brand), json(data.brand));
    await writeFile(path.join(dir, BRAND_FILES.categories), json(data.categories));
    await writeFile(path.join(dir, BRAND_FILES.products), json(data.products));
    await writeFile(path.join(dir, BRAND_FILES.showrooms), json(data.showrooms));

    if (posters === 'rendered') {
      await renderPosters(products.map((p) => ({ glb: p.glb, poster: path.join(dir, posterPath(p.id)) })));
    } else {
      for (const p of products) await writePlaceholderPoster(path.join(dir, posterPath(p.id)));
    }
    return {
      dir,
      brandId: BRAND.id,
      showroomId: SHOWROOM_ID,
      showroomName: SHOWROOM_NAME,
      products,
      posters,
      remove,
    };
  } catch (error) {
    await remove();
    throw error;
  }
}

/** PLACEHOLDER poster: a plain grey JPEG that does not show the model (only for tests that ignore posters). */
async function writePlaceholderPoster(file: string): Promise<void> {
  const jpeg = await sharp({
    create: { width: 64, height: 64, channels: 3, background: { r: 200, g: 200, b: 200 } },
  })
    .jpeg({ quality: 80 })
    .toBuffer();
  await writeFile(file, jpeg);
}

const POSTER_SIZE = 512;
const THREE_DIR = path.join(repoRoot, 'node_modules', 'three');

/**
 * The poster page's script: sets up one renderer with room lighting, then `window.renderPoster(url)` loads a
 * model, frames it from a 3/4 view above, renders one frame and removes it again.
 */
const POSTER_SCRIPT = `
import * as THREE from 'three';
import { GLTFLoader } from 'three/addons/loaders/GLTFLoader.js';
import { DRACOLoader } from 'three/addons/loaders/DRACOLoader.js';
import { RoomEnvironment } from 'three/addons/environments/RoomEnvironment.js';
const canvas = document.getElementById('poster');
const renderer = new THREE.WebGLRenderer({ canvas, antialias: true, preserveDrawingBuffer: true });
renderer.setPixelRatio(1);
renderer.setSize(canvas.width, canvas.height, false);
renderer.toneMapping = THREE.NeutralToneMapping;
const scene = new THREE.Scene();
scene.background = new THREE.Color('#f3efe9');
scene.environment = new THREE.PMREMGenerator(renderer).fromScene(new RoomEnvironment(), 0.04).texture;
const loader = new GLTFLoader();
loader.setDRACOLoader(new DRACOLoader().setDecoderPath('/three/examples/jsm/libs/draco/gltf/'));
window.renderPoster = async (url) => {
  const gltf = await loader.loadAsync(url);
  scene.add(gltf.scene);
  const sphere = new THREE.Box3().setFromObject(gltf.scene).getBoundingSphere(new THREE.Sphere());
  const camera = new THREE.PerspectiveCamera(30, 1, sphere.radius / 100, sphere.radius * 100);
  const direction = new THREE.Vector3(0.55, 0.38, 1).normalize();
  const distance = (sphere.radius / Math.sin((15 * Math.PI) / 180)) * 1.02;
  camera.position.copy(sphere.center).addScaledVector(direction, distance);
  camera.lookAt(sphere.center);
  renderer.render(scene, camera);
  scene.remove(gltf.scene);
};
document.body.dataset.ready = 'true';
`;

const POSTER_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>poster</title><link rel="icon" href="data:,">
<script type="importmap">{"imports":{"three":"/three/build/three.module.js","three/addons/":"/three/examples/jsm/"}}</script>
<style>html,body{margin:0;background:#f3efe9}canvas{display:block}</style></head>
<body><canvas id="poster" width="${POSTER_SIZE}" height="${POSTER_SIZE}"></canvas>
<script type="module">${POSTER_SCRIPT}</script></body></html>`;

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.glb': 'model/gltf-binary',
};

/** Serves the poster page, three.js from node_modules (under /three/) and the given models (/model/<i>.glb). */
function posterServer(models: readonly string[]): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (file: string): void => {
      readFile(file).then(
        (body) => {
          res.setHeader('Content-Type', CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream');
          res.end(body);
        },
        () => {
          res.statusCode = 404;
          res.end();
        },
      );
    };
    if (url.pathname === '/') {
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(POSTER_PAGE);
      return;
    }
    const model = /^\/model\/(\d+)\.glb$/.exec(url.pathname)?.[1];
    const file = model === undefined ? undefined : models[Number(model)];
    if (file !== undefined) return send(file);
    if (url.pathname.startsWith('/three/')) {
      const target = path.join(THREE_DIR, path.normalize(decodeURIComponent(url.pathname.slice(7))));
      if (target.startsWith(THREE_DIR + path.sep)) return send(target);
    }
    res.statusCode = 404;
    res.end();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/** Renders each GLB to a JPEG poster in headless Chromium. Throws with the page's error when one fails. */
async function renderPosters(jobs: readonly { glb: string; poster: string }[]): Promise<void> {
  const server = await posterServer(jobs.map((j) => j.glb));
  const { port } = server.address() as AddressInfo;
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({
      viewport: { width: POSTER_SIZE, height: POSTER_SIZE },
      deviceScaleFactor: 1,
    });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
    });
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => document.body.dataset.ready === 'true', undefined, { timeout: 60_000 });
    for (const [index, job] of jobs.entries()) {
      const failure = await page.evaluate(async (url) => {
        try {
          await (window as unknown as { renderPoster(url: string): Promise<void> }).renderPoster(url);
          return '';
        } catch (error) {
          return error instanceof Error ? error.message : String(error);
        }
      }, `/model/${index}.glb`);
      if (failure !== '' || problems.length > 0) {
        throw new Error(`the poster of ${job.glb} did not render: ${[failure, ...problems].join('; ')}`);
      }
      const jpeg = await page.locator('#poster').screenshot({ type: 'jpeg', quality: 82 });
      await writeFile(job.poster, jpeg);
    }
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
