/**
 * The glTF-Transform NodeIO of model optimisation, and what a model measures. Owns one NodeIO, created on first
 * use with every extension registered, the meshopt encoder and decoder, and the Draco decoder when the
 * `draco3dgltf` package is installed (a dev dependency), so Draco input stays readable.
 */
import type { Document, Node as GltfNode } from '@gltf-transform/core';
import { Logger, NodeIO, Primitive } from '@gltf-transform/core';
import type { InstancedMesh } from '@gltf-transform/extensions';
import { ALL_EXTENSIONS } from '@gltf-transform/extensions';
import { MeshoptDecoder, MeshoptEncoder } from 'meshoptimizer';

/** What one binary glTF model measures, before or after optimisation. */
export interface ModelStats {
  /** GLB file size. */
  bytes: number;
  /** Triangles the default scene draws (each mesh once per node and GPU instance showing it). */
  triangles: number;
  /** Primitives of all meshes: draw calls, roughly. */
  primitives: number;
  /** Textures in the file. */
  textures: number;
}

let io: Promise<NodeIO> | undefined;

async function createIO(): Promise<NodeIO> {
  await Promise.all([MeshoptDecoder.ready, MeshoptEncoder.ready]);
  const dependencies: Record<string, unknown> = {
    'meshopt.decoder': MeshoptDecoder,
    'meshopt.encoder': MeshoptEncoder,
  };
  try {
    // A dev dependency; a variable name keeps the type checker from asking for declarations it does not ship.
    const dracoModule = 'draco3dgltf';
    const draco = (await import(dracoModule)) as { default?: { createDecoderModule(): Promise<unknown> } };
    if (draco.default !== undefined)
      dependencies['draco3d.decoder'] = await draco.default.createDecoderModule();
  } catch {
    // Without it, a Draco-compressed model fails to read with an error naming the extension.
  }
  // Errors only: the transforms' info and warning lines ("prune: Removed types…") would drown a CLI's output.
  return new NodeIO()
    .setLogger(new Logger(Logger.Verbosity.ERROR))
    .registerExtensions(ALL_EXTENSIONS)
    .registerDependencies(dependencies);
}

/** The shared NodeIO (see the module comment). */
export function modelIO(): Promise<NodeIO> {
  io ??= createIO();
  return io;
}

function primitiveTriangles(primitive: Primitive): number {
  const n = primitive.getIndices()?.getCount() ?? primitive.getAttribute('POSITION')?.getCount() ?? 0;
  switch (primitive.getMode()) {
    case Primitive.Mode.TRIANGLES:
      return Math.floor(n / 3);
    case Primitive.Mode.TRIANGLE_STRIP:
    case Primitive.Mode.TRIANGLE_FAN:
      return Math.max(0, n - 2);
    default:
      return 0;
  }
}

function instanceCount(node: GltfNode): number {
  const first = node.getExtension<InstancedMesh>('EXT_mesh_gpu_instancing')?.listAttributes()[0];
  return first === undefined ? 1 : first.getCount();
}

/** Measures a document whose GLB is `bytes` long. */
export function measureDocument(document: Document, bytes: number): ModelStats {
  const root = document.getRoot();
  const scene = root.getDefaultScene() ?? root.listScenes()[0];
  const meshes = root.listMeshes();
  let triangles = 0;
  if (scene === undefined) {
    for (const mesh of meshes) for (const p of mesh.listPrimitives()) triangles += primitiveTriangles(p);
  } else {
    scene.traverse((node) => {
      const perMesh = (node.getMesh()?.listPrimitives() ?? []).reduce((n, p) => n + primitiveTriangles(p), 0);
      triangles += perMesh * instanceCount(node);
    });
  }
  return {
    bytes,
    triangles,
    primitives: meshes.reduce((n, mesh) => n + mesh.listPrimitives().length, 0),
    textures: root.listTextures().length,
  };
}

/** Reads and measures a GLB. Throws when the bytes are not a readable binary glTF. */
export async function measureGlb(glb: Uint8Array): Promise<ModelStats> {
  return measureDocument(await (await modelIO()).readBinary(glb), glb.byteLength);
}
