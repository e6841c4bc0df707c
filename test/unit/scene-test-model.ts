/**
 * Builds small GLB files in memory for the scene tests (no textures, so three's GLTFLoader parses them in
 * Node): a "chair" with a seat and legs whose materials change per KHR_materials_variants variant.
 */
import { Document, NodeIO, type Material } from '@gltf-transform/core';
import { KHRMaterialsVariants } from '@gltf-transform/extensions';
import { GLTFLoader, type GLTF } from 'three/examples/jsm/loaders/GLTFLoader.js';

function boxPrimitive(doc: Document, material: Material, w: number, h: number, d: number, y0: number) {
  const buffer = doc.getRoot().listBuffers()[0];
  const x = w / 2;
  const z = d / 2;
  const y1 = y0 + h;
  // prettier-ignore
  const positions = new Float32Array([
    -x, y0, -z, x, y0, -z, x, y0, z, -x, y0, z,
    -x, y1, -z, x, y1, -z, x, y1, z, -x, y1, z,
  ]);
  // prettier-ignore
  const indices = new Uint16Array([
    0, 2, 1, 0, 3, 2, 4, 5, 6, 4, 6, 7, 0, 1, 5, 0, 5, 4,
    1, 2, 6, 1, 6, 5, 2, 3, 7, 2, 7, 6, 3, 0, 4, 3, 4, 7,
  ]);
  const position = doc
    .createAccessor()
    .setType('VEC3')
    .setArray(positions)
    .setBuffer(buffer ?? null);
  const index = doc
    .createAccessor()
    .setType('SCALAR')
    .setArray(indices)
    .setBuffer(buffer ?? null);
  return doc.createPrimitive().setAttribute('POSITION', position).setIndices(index).setMaterial(material);
}

/** A 0.5 × 0.9 × 0.5 m chair: seat (variants Natural oak / Walnut / Black) and legs (black only in Black). */
export async function buildChairGlb(): Promise<ArrayBuffer> {
  const doc = new Document();
  doc.createBuffer();
  const variants = doc.createExtension(KHRMaterialsVariants);
  const oak = doc.createMaterial('oak').setBaseColorFactor([0.8, 0.6, 0.4, 1]);
  const walnut = doc.createMaterial('walnut').setBaseColorFactor([0.35, 0.2, 0.1, 1]);
  const black = doc.createMaterial('black').setBaseColorFactor([0.02, 0.02, 0.02, 1]);
  const steel = doc.createMaterial('steel').setBaseColorFactor([0.7, 0.7, 0.72, 1]).setMetallicFactor(1);
  const vOak = variants.createVariant('Natural oak');
  const vWalnut = variants.createVariant('Walnut');
  const vBlack = variants.createVariant('Black');

  const seat = boxPrimitive(doc, oak, 0.5, 0.1, 0.5, 0.45);
  seat.setExtension(
    'KHR_materials_variants',
    variants
      .createMappingList()
      .addMapping(variants.createMapping().setMaterial(oak).addVariant(vOak))
      .addMapping(variants.createMapping().setMaterial(walnut).addVariant(vWalnut))
      .addMapping(variants.createMapping().setMaterial(black).addVariant(vBlack)),
  );
  const legs = boxPrimitive(doc, steel, 0.45, 0.45, 0.45, 0);
  legs.setExtension(
    'KHR_materials_variants',
    variants.createMappingList().addMapping(variants.createMapping().setMaterial(black).addVariant(vBlack)),
  );
  const back = boxPrimitive(doc, steel, 0.5, 0.35, 0.05, 0.55);

  const scene = doc.createScene('chair');
  scene.addChild(doc.createNode('seat').setMesh(doc.createMesh('seat').addPrimitive(seat)));
  scene.addChild(doc.createNode('legs').setMesh(doc.createMesh('legs').addPrimitive(legs)));
  scene.addChild(doc.createNode('back').setMesh(doc.createMesh('back').addPrimitive(back)));
  doc.getRoot().setDefaultScene(scene);

  const glb = await new NodeIO().registerExtensions([KHRMaterialsVariants]).writeBinary(doc);
  return glb.buffer.slice(glb.byteOffset, glb.byteOffset + glb.byteLength) as ArrayBuffer;
}

/** Parses GLB bytes with three's own GLTFLoader, as the app does. */
export function parseGlb(data: ArrayBuffer): Promise<GLTF> {
  return new GLTFLoader().parseAsync(data, '');
}
