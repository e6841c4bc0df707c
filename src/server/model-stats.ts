/**
 * Reads a binary glTF model and measures it. Owns the one glTF-Transform NodeIO of the server, created on
 * first use with every extension registered and the meshopt and Draco decoders when they are installed, so
 * compressed models can be measured too.
 */
import type { Document, Node } from '@gltf-transform/core';
import { NodeIO, Primitive } from '@gltf-transform/core';
import type { InstancedMesh } from '@gltf-transform/extensions';
import { ALL_EXTENSIONS } from '@gltf-transform/extensions';
import { MeshoptDecoder } from 'meshoptimizer';

let io: Promise<NodeIO> | undefined;

async function createIO(): Promise<NodeIO> {
  await MeshoptDecoder.ready;
  const dependencies: Record<string, unknown> = { 'meshopt.decoder': MeshoptDecoder };
  try {
    // A dev dependency: present in a development checkout, optional in production. The name is a variable so
    // the type checker does not ask for type declarations the package does not ship.
    const dracoModule = 'draco3dgltf';
    const draco = (await import(dracoModule)) as { default?: { createDecoderModule(): Promise<unknown> } };
    if (draco.default !== undefined)
      dependencies['draco3d.decoder'] = await draco.default.createDecoderModule();
  } catch {
    // Without the Draco decoder, Draco-compressed models fail to read with a message naming the extension.
  }
  return new NodeIO().registerExtensions(ALL_EXTENSIONS).registerDependencies(dependencies);
}

/** Triangles one primitive draws. */
function primitiveTriangles(primitive: Primitive): number {
  const indices = primitive.getIndices();
  const position = primitive.getAttribute('POSITION');
  const count = indices?.getCount() ?? position?.getCount() ?? 0;
  switch (primitive.getMode()) {
    case Primitive.Mode.TRIANGLES:
      return Math.floor(count / 3);
    case Primitive.Mode.TRIANGLE_STRIP:
    case Primitive.Mode.TRIANGLE_FAN:
      return Math.max(0, count - 2);
    default:
      return 0;
  }
}

/** How many copies of its mesh a node draws (EXT_mesh_gpu_instancing repeats it). */
function instanceCount(node: Node): number {
  const instancing = node.getExtension<InstancedMesh>('EXT_mesh_gpu_instancing');
  const first = instancing?.listAttributes()[0];
  return first === undefined ? 1 : first.getCount();
}

/**
 * Triangles a renderer draws for the document: every mesh counted once per node that shows it in the default
 * scene (or every mesh once when the file has no scene).
 */
export function countTriangles(document: Document): number {
  const root = document.getRoot();
  const scene = root.getDefaultScene() ?? root.listScenes()[0];
  const meshTriangles = (node: Node): number =>
    (node.getMesh()?.listPrimitives() ?? []).reduce((sum, p) => sum + primitiveTriangles(p), 0);
  if (scene === undefined) {
    return root
      .listMeshes()
      .flatMap((mesh) => mesh.listPrimitives())
      .reduce((sum, p) => sum + primitiveTriangles(p), 0);
  }
  let total = 0;
  scene.traverse((node) => {
    total += meshTriangles(node) * instanceCount(node);
  });
  return total;
}

/** Parses a GLB file. Throws when the bytes are not a readable binary glTF. */
export async function readGlb(data: Uint8Array): Promise<Document> {
  io ??= createIO();
  return (await io).readBinary(data);
}
