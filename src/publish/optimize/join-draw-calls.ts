/**
 * A glTF-Transform transform that cuts a model's draw calls: every static primitive that shares its material,
 * draw mode, vertex layout and KHR_materials_variants mappings with others in the same scene is joined into one
 * primitive (vertices baked into one space by flattening the node tree first). A model built from many parts in
 * a few materials then draws once per material, which is what keeps a showroom inside a headset's budget: each
 * VR frame draws every primitive once per eye.
 *
 * glTF-Transform's own `join` groups by material only and drops the variant mappings of the primitives it joins,
 * so two parts sharing a default material but switching to different materials in some variant would be welded
 * together. This transform first gives each distinct (material, mappings) pair its own material, lets `join` do
 * the joining, then puts each material's mappings back on the joined primitive.
 */
import type { Document, Material, Primitive, Transform } from '@gltf-transform/core';
import type { KHRMaterialsVariants, MappingList } from '@gltf-transform/extensions';
import { flatten, join, prune } from '@gltf-transform/functions';

const VARIANTS = 'KHR_materials_variants';

/** What a primitive's variant mappings say, as a comparable string (which material shows in which variant). */
function mappingSignature(doc: Document, mappings: MappingList | null): string {
  if (!mappings) return '';
  const materials = doc.getRoot().listMaterials();
  return mappings
    .listMappings()
    .map((m) => {
      const names = m
        .listVariants()
        .map((v) => v.getName())
        .sort();
      return `${materials.indexOf(m.getMaterial() as Material)}:${names.join(',')}`;
    })
    .sort()
    .join('|');
}

/** A copy of `mappings` in which every mapping to `from` maps to `to` instead. */
function remapMappings(doc: Document, mappings: MappingList, from: Material, to: Material): MappingList {
  const extension = doc
    .getRoot()
    .listExtensionsUsed()
    .find((e) => e.extensionName === VARIANTS) as KHRMaterialsVariants;
  const copy = extension.createMappingList();
  for (const mapping of mappings.listMappings()) {
    const material = mapping.getMaterial();
    const made = extension.createMapping().setMaterial(material === from ? to : material);
    for (const variant of mapping.listVariants()) made.addVariant(variant);
    copy.addMapping(made);
  }
  return copy;
}

/** Every primitive of the document's meshes. */
function listPrimitives(doc: Document): Primitive[] {
  return doc
    .getRoot()
    .listMeshes()
    .flatMap((mesh) => mesh.listPrimitives());
}

/**
 * Joins compatible primitives (see the module comment). Skinned, morphed, animated and GPU-instanced meshes
 * are left as they are (glTF-Transform's `flatten` and `join` skip them). Node names of joined parts are lost;
 * the joined node keeps the name of the first part.
 */
export function joinDrawCalls(): Transform {
  return async function joinDrawCallsTransform(doc: Document): Promise<void> {
    // 1. One material per (default material, mappings): parts that differ in any variant stay apart.
    const owner = new Map<string, Material>();
    const mappingsOf = new Map<Material, MappingList | null>();
    for (const primitive of listPrimitives(doc)) {
      const material = primitive.getMaterial();
      if (!material) continue;
      const mappings = primitive.getExtension<MappingList>(VARIANTS);
      const key = `${doc.getRoot().listMaterials().indexOf(material)}#${mappingSignature(doc, mappings)}`;
      let target = owner.get(key);
      if (!target) {
        target = mappingsOf.has(material) ? material.clone() : material;
        owner.set(key, target);
        // A clone stands for the original in this primitive's variants too (the default variant's mapping
        // names the primitive's own material).
        mappingsOf.set(
          target,
          mappings && target !== material ? remapMappings(doc, mappings, material, target) : mappings,
        );
      }
      if (target !== material) {
        primitive.setMaterial(target);
        const remapped = mappingsOf.get(target);
        if (remapped) primitive.setExtension(VARIANTS, remapped);
      }
    }

    // 2. Join within the flattened scene; `join` keeps each group's material but not its extensions.
    await doc.transform(flatten(), join({ keepNamed: false }));

    // 3. Give each joined primitive back the mappings of its material.
    for (const primitive of listPrimitives(doc)) {
      const material = primitive.getMaterial();
      const mappings = material ? mappingsOf.get(material) : undefined;
      if (mappings && primitive.getExtension(VARIANTS) !== mappings)
        primitive.setExtension(VARIANTS, mappings);
    }
    // Attributes are kept: prune judges them by the default material only, and a variant's material may need
    // the TEXCOORD_0 or TANGENT an untextured default does not (optimize-model.ts prunes them by every material).
    await doc.transform(prune({ keepLeaves: false, keepAttributes: true }));
  };
}
