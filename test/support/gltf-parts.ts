/**
 * The drawn parts of a GLB as glTF-Transform reads it in Node (no three.js involved): each triangle primitive of
 * the default scene once per node showing it, in the depth-first order three's GLTFLoader builds them (a node's
 * primitives, then its children), with the material each KHR_materials_variants variant gives it, and the
 * scene's world bounds. What a USDZ made from the same file must reproduce.
 */
import { NodeIO, Primitive, type Material, type Node as GltfNode } from '@gltf-transform/core';
import { ALL_EXTENSIONS, KHRMaterialsVariants, type MappingList } from '@gltf-transform/extensions';
import { getBounds } from '@gltf-transform/functions';

/** One primitive as one node draws it. */
export interface GltfPart {
  /** Name of the node drawing it. */
  node: string;
  /** Triangles it draws. */
  triangles: number;
  /** The default material and, per variant name, the material that variant shows instead. */
  material: Material | null;
  byVariant: Map<string, Material>;
}

/** A GLB's drawn parts, variant names and world bounds (metres). */
export interface GltfParts {
  parts: GltfPart[];
  variants: string[];
  bounds: { min: [number, number, number]; max: [number, number, number] };
}

/** The material `part` shows in variant `variant` (its default when the variant does not map it). */
export function materialIn(part: GltfPart, variant: string | null): Material | null {
  return (variant !== null ? part.byVariant.get(variant) : undefined) ?? part.material;
}

function triangles(primitive: Primitive): number {
  const count = primitive.getIndices()?.getCount() ?? primitive.getAttribute('POSITION')?.getCount() ?? 0;
  return Math.floor(count / 3);
}

/** Reads a GLB's parts (throws on a file without a scene). */
export async function readGltfParts(glb: Uint8Array): Promise<GltfParts> {
  const doc = await new NodeIO().registerExtensions(ALL_EXTENSIONS).readBinary(glb);
  const root = doc.getRoot();
  const scene = root.getDefaultScene() ?? root.listScenes()[0];
  if (!scene) throw new Error('the model has no scene');
  const parts: GltfPart[] = [];
  const visit = (node: GltfNode): void => {
    for (const primitive of node.getMesh()?.listPrimitives() ?? []) {
      if (primitive.getMode() !== Primitive.Mode.TRIANGLES) continue;
      const byVariant = new Map<string, Material>();
      const mappings = primitive.getExtension<MappingList>('KHR_materials_variants');
      for (const mapping of mappings?.listMappings() ?? []) {
        const material = mapping.getMaterial();
        if (!material) continue;
        for (const variant of mapping.listVariants()) byVariant.set(variant.getName(), material);
      }
      parts.push({
        node: node.getName(),
        triangles: triangles(primitive),
        material: primitive.getMaterial(),
        byVariant,
      });
    }
    for (const child of node.listChildren()) visit(child);
  };
  for (const node of scene.listChildren()) visit(node);
  const variantsExtension = root
    .listExtensionsUsed()
    .find((e): e is KHRMaterialsVariants => e instanceof KHRMaterialsVariants);
  const variants = variantsExtension?.listVariants().map((v) => v.getName()) ?? [];
  const { min, max } = getBounds(scene);
  return {
    parts,
    variants,
    bounds: { min: [min[0], min[1], min[2]], max: [max[0], max[1], max[2]] },
  };
}
