/**
 * `npm run assets:models`: writes the demo brand's JSON files (write-catalog.ts), then builds one GLB per
 * product into assets/brands/linde/models/ with glTF-Transform. Each part of model-shapes.ts becomes a named
 * node with one indexed primitive, and the parts are then joined into one primitive per material (one draw call
 * each, see buildShippedModel); materials are PBR metallic-roughness factors from palette.ts; every product
 * variant becomes a KHR_materials_variants variant named after its `materialVariant`, and the default
 * materials are those of the first variant. Output is deterministic: the same sources give the same bytes.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Document, Logger, NodeIO, getBounds } from '@gltf-transform/core';
import type { Material, Primitive } from '@gltf-transform/core';
import { KHRMaterialsVariants } from '@gltf-transform/extensions';
import { modelPath } from '../../src/protocol/brand-folder';
import { PRODUCTS } from './demo-catalog';
import type { DemoProduct, Look } from './demo-catalog';
import { SHAPES } from './model-shapes';
import { PALETTE, linearRgb } from './palette';
import type { FinishName } from './palette';
import { BRAND_DIR, writeCatalog } from './write-catalog';
import { joinDrawCalls } from '../../src/publish/optimize/join-draw-calls';

/** Largest difference allowed between a model's bounds and the declared dimensions, in metres. */
const TOLERANCE = 0.001;

/** Builds the glTF document of one product. */
export function buildModel(product: DemoProduct): Document {
  const shape = SHAPES[product.id];
  if (!shape) throw new Error(`${product.id}: no shape in model-shapes.ts`);
  const parts = shape();

  const doc = new Document();
  doc.getRoot().getAsset().generator = 'Vitrine demo assets (glTF-Transform)';
  const buffer = doc.createBuffer();
  const variantsExtension = doc.createExtension(KHRMaterialsVariants);

  const materials = new Map<FinishName, Material>();
  const material = (name: FinishName): Material => {
    let found = materials.get(name);
    if (!found) {
      const finish: { color: string; metallic: number; roughness: number; emissive?: string } = PALETTE[name];
      found = doc
        .createMaterial(name)
        .setBaseColorFactor([...linearRgb(finish.color), 1])
        .setMetallicFactor(finish.metallic)
        .setRoughnessFactor(finish.roughness);
      if (finish.emissive) found.setEmissiveFactor(linearRgb(finish.emissive));
      materials.set(name, found);
    }
    return found;
  };

  const variants = product.variants.map((v) => ({
    look: v.look,
    variant: variantsExtension.createVariant(v.materialVariant),
  }));
  const [firstVariant] = variants;
  if (!firstVariant) throw new Error(`${product.id}: no variants`);
  const finishOf = (look: Look, slot: string): FinishName => {
    const finish = look[slot];
    if (!finish) throw new Error(`${product.id}: a variant has no material for slot "${slot}"`);
    return finish;
  };

  const root = doc.createNode(product.id);
  doc.createScene(product.name).addChild(root);

  for (const p of parts) {
    const position = doc
      .createAccessor()
      .setType('VEC3')
      .setArray(new Float32Array(p.mesh.positions.flat()))
      .setBuffer(buffer);
    const normal = doc
      .createAccessor()
      .setType('VEC3')
      .setArray(new Float32Array(p.mesh.normals.flat()))
      .setBuffer(buffer);
    const indices = doc
      .createAccessor()
      .setType('SCALAR')
      .setArray(
        p.mesh.positions.length > 65535 ? new Uint32Array(p.mesh.indices) : new Uint16Array(p.mesh.indices),
      )
      .setBuffer(buffer);
    const primitive: Primitive = doc
      .createPrimitive()
      .setAttribute('POSITION', position)
      .setAttribute('NORMAL', normal)
      .setIndices(indices)
      .setMaterial(material(finishOf(firstVariant.look, p.slot)));

    // One mapping per distinct material, listing the variants that use it.
    const mappings = variantsExtension.createMappingList();
    const byMaterial = new Map<FinishName, ReturnType<typeof variantsExtension.createMapping>>();
    for (const { look, variant } of variants) {
      const name = finishOf(look, p.slot);
      let mapping = byMaterial.get(name);
      if (!mapping) {
        mapping = variantsExtension.createMapping().setMaterial(material(name));
        byMaterial.set(name, mapping);
        mappings.addMapping(mapping);
      }
      mapping.addVariant(variant);
    }
    primitive.setExtension('KHR_materials_variants', mappings);

    const mesh = doc.createMesh(p.name).addPrimitive(primitive);
    root.addChild(doc.createNode(p.name).setMesh(mesh));
  }

  checkBounds(product, doc);
  return doc;
}

/**
 * The model as shipped: `buildModel`'s parts joined into one primitive per material and variant mappings (see
 * src/publish/optimize/join-draw-calls.ts), each joined node named after its material slot.
 */
export async function buildShippedModel(product: DemoProduct): Promise<Document> {
  const doc = buildModel(product).setLogger(new Logger(Logger.Verbosity.WARN));
  const slotOf = new Map(SHAPES[product.id]?.().map((p) => [p.name, p.slot]));
  await doc.transform(joinDrawCalls());
  for (const node of doc.getRoot().listNodes()) {
    const slot = slotOf.get(node.getName());
    if (slot !== undefined) {
      node.setName(slot);
      node.getMesh()?.setName(slot);
    }
  }
  checkBounds(product, doc);
  return doc;
}

/** Throws unless the model's bounds are the declared dimensions, standing on y = 0 and centred on x and z. */
function checkBounds(product: DemoProduct, doc: Document): void {
  const [scene] = doc.getRoot().listScenes();
  if (!scene) throw new Error(`${product.id}: no scene`);
  const { min, max } = getBounds(scene);
  const { width, height, depth } = product.dimensions;
  const problems = [
    Math.abs(max[0] - min[0] - width) > TOLERANCE && `width ${max[0] - min[0]} ≠ ${width}`,
    Math.abs(max[1] - min[1] - height) > TOLERANCE && `height ${max[1] - min[1]} ≠ ${height}`,
    Math.abs(max[2] - min[2] - depth) > TOLERANCE && `depth ${max[2] - min[2]} ≠ ${depth}`,
    Math.abs(min[1]) > TOLERANCE && `min y ${min[1]} ≠ 0`,
    Math.abs(max[0] + min[0]) / 2 > TOLERANCE && `x not centred (${min[0]}..${max[0]})`,
    Math.abs(max[2] + min[2]) / 2 > TOLERANCE && `z not centred (${min[2]}..${max[2]})`,
  ].filter(Boolean);
  if (problems.length > 0) throw new Error(`${product.id}: ${problems.join(', ')}`);
}

/** Counts the triangles of a document (every primitive is indexed triangles). */
export function countTriangles(doc: Document): number {
  let triangles = 0;
  for (const mesh of doc.getRoot().listMeshes()) {
    for (const primitive of mesh.listPrimitives()) triangles += (primitive.getIndices()?.getCount() ?? 0) / 3;
  }
  return triangles;
}

async function main(): Promise<void> {
  await writeCatalog();
  const io = new NodeIO().registerExtensions([KHRMaterialsVariants]);
  await mkdir(path.join(BRAND_DIR, 'models'), { recursive: true });
  for (const product of PRODUCTS) {
    const doc = await buildShippedModel(product);
    const bytes = await io.writeBinary(doc);
    await writeFile(path.join(BRAND_DIR, modelPath(product.id)), bytes);
    console.log(
      `${product.id}: ${countTriangles(doc)} triangles, ${bytes.byteLength} bytes, ` +
        `${product.variants.length} variants`,
    );
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
