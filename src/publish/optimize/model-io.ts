/**
 * What a model measures before and after optimisation (bytes, triangles, draw calls, textures). Reading goes
 * through the process's one NodeIO (../model-reader.ts).
 */
import type { Document } from '@gltf-transform/core';
import { countTriangles, readGlb } from '../model-reader';

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

/** Measures a document whose GLB is `bytes` long. */
export function measureDocument(document: Document, bytes: number): ModelStats {
  const root = document.getRoot();
  const meshes = root.listMeshes();
  const triangles = countTriangles(document);
  return {
    bytes,
    triangles,
    primitives: meshes.reduce((n, mesh) => n + mesh.listPrimitives().length, 0),
    textures: root.listTextures().length,
  };
}

/** Reads and measures a GLB. Throws when the bytes are not a readable binary glTF. */
export async function measureGlb(glb: Uint8Array): Promise<ModelStats> {
  return measureDocument(await readGlb(glb), glb.byteLength);
}
