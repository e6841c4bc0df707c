/**
 * Fetching and parsing glTF/GLB files for the 3D views. Owns the one GLTFLoader of the app and loads the
 * decoders a file needs only when it needs them: Draco from /decoders/draco/ on our own origin (never a CDN)
 * and the meshopt decoder as a lazily imported module, so plain files cost no decoder bytes.
 */
import { GLTFLoader, type GLTF } from 'three/examples/jsm/loaders/GLTFLoader.js';

/** Where the Draco decoder files are served (copied there from three by the build; see vite.config.ts). */
export const DRACO_DECODER_PATH = '/decoders/draco/';

const GLB_MAGIC = 0x46546c67; // 'glTF'
const JSON_CHUNK = 0x4e4f534a; // 'JSON'

/** The `extensionsUsed` list of a .glb or .gltf file, read without parsing its buffers. */
export function gltfExtensionsUsed(data: ArrayBuffer): string[] {
  const view = new DataView(data);
  let text: string;
  if (data.byteLength >= 20 && view.getUint32(0, true) === GLB_MAGIC) {
    const length = view.getUint32(12, true);
    if (view.getUint32(16, true) !== JSON_CHUNK) return [];
    text = new TextDecoder().decode(new Uint8Array(data, 20, length));
  } else {
    text = new TextDecoder().decode(data);
  }
  try {
    const json: unknown = JSON.parse(text);
    const used = (json as { extensionsUsed?: unknown }).extensionsUsed;
    return Array.isArray(used) ? used.filter((e): e is string => typeof e === 'string') : [];
  } catch {
    return [];
  }
}

let sharedLoader: GLTFLoader | null = null;
let dracoSetup: Promise<void> | null = null;
let meshoptSetup: Promise<void> | null = null;

/** The app's one GLTFLoader (decoders are attached on demand by `parseGltf`). */
export function gltfLoader(): GLTFLoader {
  sharedLoader ??= new GLTFLoader();
  return sharedLoader;
}

async function ensureDecoders(loader: GLTFLoader, extensions: readonly string[]): Promise<void> {
  const waits: Promise<void>[] = [];
  if (extensions.includes('KHR_draco_mesh_compression')) {
    dracoSetup ??= import('three/examples/jsm/loaders/DRACOLoader.js').then(({ DRACOLoader }) => {
      loader.setDRACOLoader(new DRACOLoader().setDecoderPath(DRACO_DECODER_PATH));
    });
    waits.push(dracoSetup);
  }
  if (extensions.includes('EXT_meshopt_compression')) {
    meshoptSetup ??= import('three/examples/jsm/libs/meshopt_decoder.module.js').then(
      ({ MeshoptDecoder }) => {
        loader.setMeshoptDecoder(MeshoptDecoder);
      },
    );
    waits.push(meshoptSetup);
  }
  await Promise.all(waits);
}

/** Parses glTF/GLB bytes; `baseUrl` resolves any external buffers or images the file refers to. */
export async function parseGltf(data: ArrayBuffer, baseUrl = ''): Promise<GLTF> {
  const loader = gltfLoader();
  await ensureDecoders(loader, gltfExtensionsUsed(data));
  return loader.parseAsync(data, baseUrl);
}

/** Fetches and parses a model. Rejects with a readable message on HTTP errors. */
export async function fetchGltf(url: string, signal?: AbortSignal): Promise<GLTF> {
  const response = await fetch(url, { signal });
  if (!response.ok) throw new Error(`Model ${url} could not be loaded: HTTP ${response.status}`);
  const data = await response.arrayBuffer();
  return parseGltf(data, url.slice(0, url.lastIndexOf('/') + 1));
}
