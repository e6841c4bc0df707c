/**
 * Reading binary glTF models, for the validator, the optimiser and the server alike: owns the one
 * glTF-Transform NodeIO of the process, created on first use with every extension registered, the meshopt
 * decoder and encoder and the Draco decoder (`draco3dgltf`, a runtime dependency), logging errors only. And
 * what a renderer draws of a model: its triangles.
 */
import type { Document, Node as GltfNode } from '@gltf-transform/core';
import { Logger, NodeIO, Primitive } from '@gltf-transform/core';
import type { InstancedMesh } from '@gltf-transform/extensions';
import { ALL_EXTENSIONS } from '@gltf-transform/extensions';
import { MeshoptDecoder, MeshoptEncoder } from 'meshoptimizer';

let io: Promise<NodeIO> | undefined;

async function createIO(): Promise<NodeIO> {
  await Promise.all([MeshoptDecoder.ready, MeshoptEncoder.ready]);
  // draco3dgltf ships no type declarations: a variable name keeps the type checker from asking for them.
  const dracoModule = 'draco3dgltf';
  const draco = (await import(dracoModule)) as { default: { createDecoderModule(): Promise<unknown> } };
  // Errors only: the transforms' info and warning lines ("prune: Removed types…") would drown a CLI's output.
  return new NodeIO()
    .setLogger(new Logger(Logger.Verbosity.ERROR))
    .registerExtensions(ALL_EXTENSIONS)
    .registerDependencies({
      'meshopt.decoder': MeshoptDecoder,
      'meshopt.encoder': MeshoptEncoder,
      'draco3d.decoder': await draco.default.createDecoderModule(),
    });
}

/** The shared NodeIO (see the module comment). */
export function modelIO(): Promise<NodeIO> {
  io ??= createIO().catch((error: unknown) => {
    io = undefined;
    throw error;
  });
  return io;
}

/**
 * Parses a GLB. Throws when the bytes are not a readable binary glTF. Only for bytes that passed
 * `checkGltfJson` (src/publish/validate/glb-structure.ts) or were written by this project: a hostile file can
 * make glTF-Transform allocate what it declares.
 */
export async function readGlb(bytes: Uint8Array): Promise<Document> {
  return (await modelIO()).readBinary(bytes);
}

/** Triangles one primitive draws (none for points and lines). */
export function primitiveTriangles(primitive: Primitive): number {
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

/** How many copies of its mesh a node draws (EXT_mesh_gpu_instancing repeats it). */
function instanceCount(node: GltfNode): number {
  const first = node.getExtension<InstancedMesh>('EXT_mesh_gpu_instancing')?.listAttributes()[0];
  return first === undefined ? 1 : first.getCount();
}

/**
 * Triangles a renderer draws for the document: every mesh counted once per node (and GPU instance) showing it
 * in the default scene, else the first scene, else every mesh once when the file has no scene.
 */
export function countTriangles(document: Document): number {
  const root = document.getRoot();
  const scene = root.getDefaultScene() ?? root.listScenes()[0];
  if (scene === undefined) {
    return root
      .listMeshes()
      .flatMap((mesh) => mesh.listPrimitives())
      .reduce((sum, p) => sum + primitiveTriangles(p), 0);
  }
  let total = 0;
  scene.traverse((node) => {
    const perMesh = (node.getMesh()?.listPrimitives() ?? []).reduce((n, p) => n + primitiveTriangles(p), 0);
    total += perMesh * instanceCount(node);
  });
  return total;
}
