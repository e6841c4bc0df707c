/**
 * Optimises one product model before it is published, with glTF-Transform: duplicates merged (dedup), parts
 * joined into one primitive per material and variant mapping (joinDrawCalls: flatten + join that keeps
 * KHR_materials_variants), identical vertices welded, triangles that change the shape by less than 0.01 % of
 * the mesh's size simplified away (meshoptimizer, the error `gltf-transform optimize` uses by default),
 * unused data pruned (vertex attributes by every material a primitive can show, variants included), textures resized to a power of two
 * no larger than 2048 px and re-encoded as WebP (EXT_texture_webp, through sharp), and geometry compressed
 * with meshopt (EXT_meshopt_compression, quantised with KHR_mesh_quantization). Draco input is decoded and
 * written back with meshopt. The same input always gives the same bytes.
 */
import type { Document, Material, Texture, Transform } from '@gltf-transform/core';
import { ExtensionProperty, Primitive, Texture as TextureProperty } from '@gltf-transform/core';
import type { MappingList } from '@gltf-transform/extensions';
import {
  dedup,
  listTextureInfoByMaterial,
  meshopt,
  prune,
  simplify,
  sparse,
  textureCompress,
  weld,
} from '@gltf-transform/functions';
import { MeshoptEncoder, MeshoptSimplifier } from 'meshoptimizer';
import sharp, { type SharpOptions } from 'sharp';
import { joinDrawCalls } from './join-draw-calls';
import { modelIO } from '../model-reader';
import { measureDocument, type ModelStats } from './model-io';

export type { ModelStats } from './model-io';

/** How to optimise. */
export interface OptimizeOptions {
  /** Largest texture side after optimisation, a power of two (default 2048: 3D Commerce). */
  maxTextureSize?: number;
  /** `webp` (default) re-encodes textures as WebP; `keep` keeps their format (still resized). */
  textureFormat?: 'webp' | 'keep';
  /**
   * Largest shape change simplification may make, as a share of each mesh's size (default 0.0001, the
   * default of `gltf-transform optimize`); 0 turns simplification off.
   */
  simplifyError?: number;
  /** Hears each step's name as it starts (for progress bars). */
  onStep?: (step: OptimizeStep) => void;
}

/** The steps of {@link optimizeModel}, in order. */
export const OPTIMIZE_STEPS = [
  'read',
  'dedup',
  'join',
  'weld',
  'simplify',
  'prune',
  'textures',
  'meshopt',
  'write',
] as const;
export type OptimizeStep = (typeof OPTIMIZE_STEPS)[number];

/** What {@link optimizeModel} answers. */
export interface OptimizeResult {
  /** The optimised GLB. */
  glb: Uint8Array;
  before: ModelStats;
  after: ModelStats;
}

const DRACO = 'KHR_draco_mesh_compression';
/**
 * Most pixels sharp may decode per texture: 8192 × 8192, the side the validator refuses above
 * (`refuseTextureSize`), so a texture whose header lied about its size still cannot make sharp allocate more.
 */
export const MAX_TEXTURE_PIXELS = 8192 * 8192;
/** Image formats sharp decodes; others (KTX2) are left as they are. */
const RESIZABLE = new Set(['image/png', 'image/jpeg', 'image/webp']);

/** sharp with {@link MAX_TEXTURE_PIXELS} as its input limit, whatever options it is called with. */
const limitedSharp = ((input?: Uint8Array, options?: SharpOptions) =>
  sharp(input, { ...options, limitInputPixels: MAX_TEXTURE_PIXELS })) as typeof sharp;

/** The power of two nearest to `n` (ties go up), at least 1. */
export function nearestPowerOfTwo(n: number): number {
  if (n <= 1) return 1;
  const below = 2 ** Math.floor(Math.log2(n));
  return n - below < below * 2 - n ? below : below * 2;
}

/** Size a texture of `width` × `height` gets: each side the nearest power of two, at most `max`. */
export function targetTextureSize(width: number, height: number, max: number): [number, number] {
  return [Math.min(max, nearestPowerOfTwo(width)), Math.min(max, nearestPowerOfTwo(height))];
}

async function resizeTexture(texture: Texture, max: number): Promise<void> {
  const image = texture.getImage();
  const size = texture.getSize();
  if (!image || !size || !RESIZABLE.has(texture.getMimeType())) return;
  const [width, height] = targetTextureSize(size[0], size[1], max);
  if (width === size[0] && height === size[1]) return;
  // PNG in between: lossless, so the one lossy encode is the WebP one that follows (or none at all).
  const resized = await sharp(image, { limitInputPixels: MAX_TEXTURE_PIXELS })
    .resize(width, height, { fit: 'fill', kernel: 'lanczos3' })
    .png()
    .toBuffer();
  texture.setImage(new Uint8Array(resized)).setMimeType('image/png');
}

/** Resizes every texture to power-of-two sides no larger than `max` (see {@link targetTextureSize}). */
export function resizeTextures(max: number): Transform {
  return async function resizeTexturesTransform(doc: Document): Promise<void> {
    for (const texture of doc.getRoot().listTextures()) await resizeTexture(texture, max);
  };
}

const VARIANTS = 'KHR_materials_variants';

/** The materials a primitive can show: its own and the one of each KHR_materials_variants mapping. */
function materialsOf(primitive: Primitive): Material[] {
  const mappings = primitive.getExtension<MappingList>(VARIANTS)?.listMappings() ?? [];
  return [primitive.getMaterial(), ...mappings.map((m) => m.getMaterial())].filter(
    (m): m is Material => m !== null,
  );
}

/** Whether a material (or one of its extensions) has a normal texture: tangents are then needed. */
function hasNormalTexture(document: Document, property: Material | ExtensionProperty): boolean {
  return document
    .getGraph()
    .listChildEdges(property)
    .some(
      (edge) =>
        (edge.getChild() instanceof TextureProperty && /normalTexture/i.test(edge.getName())) ||
        (edge.getChild() instanceof ExtensionProperty &&
          hasNormalTexture(document, edge.getChild() as ExtensionProperty)),
    );
}

/**
 * Drops the vertex attributes no material of a primitive needs, counting the materials its variants switch to
 * (glTF-Transform's `prune` looks at the default material only, and would drop the TEXCOORD_0 or TANGENT a
 * textured variant of an untextured default needs). The rules are prune's: TEXCOORD_n unless a texture reads
 * it, TANGENT without a normal texture, NORMAL when every material is unlit, COLOR_n after COLOR_0. Texture
 * coordinate sets are not renumbered (gaps are valid glTF). Primitives without a material keep everything.
 */
export function pruneVariantAttributes(): Transform {
  return function pruneVariantAttributesTransform(document: Document): void {
    for (const mesh of document.getRoot().listMeshes()) {
      for (const primitive of mesh.listPrimitives()) {
        const materials = materialsOf(primitive);
        if (materials.length === 0) continue;
        const required = new Set<string>();
        for (const material of materials) {
          for (const info of listTextureInfoByMaterial(material))
            required.add(`TEXCOORD_${info.getTexCoord()}`);
          if (hasNormalTexture(document, material)) required.add('TANGENT');
          const lit = material.getExtension('KHR_materials_unlit') === null;
          if (lit && primitive.getMode() !== Primitive.Mode.POINTS) required.add('NORMAL');
        }
        for (const semantic of primitive.listSemantics()) {
          const prunable =
            ((semantic === 'NORMAL' || semantic === 'TANGENT' || semantic.startsWith('TEXCOORD_')) &&
              !required.has(semantic)) ||
            (semantic.startsWith('COLOR_') && semantic !== 'COLOR_0');
          if (!prunable) continue;
          primitive.setAttribute(semantic, null);
          for (const target of primitive.listTargets()) target.setAttribute(semantic, null);
        }
      }
    }
  };
}

/** Whether any primitive of the document switches material with KHR_materials_variants. */
const hasVariantMappings = (document: Document): boolean =>
  document
    .getRoot()
    .listMeshes()
    .some((mesh) =>
      mesh
        .listPrimitives()
        .some((p) => (p.getExtension<MappingList>(VARIANTS)?.listMappings().length ?? 0) > 0),
    );

/**
 * Optimises a binary glTF model (see the module comment) and measures it before and after. Throws when the
 * bytes are not a readable GLB (validate first).
 */
export async function optimizeModel(glb: Uint8Array, options: OptimizeOptions = {}): Promise<OptimizeResult> {
  const { maxTextureSize = 2048, textureFormat = 'webp', simplifyError = 1e-4, onStep } = options;
  const io = await modelIO();
  onStep?.('read');
  const doc = await io.readBinary(glb);
  const before = measureDocument(doc, glb.byteLength);

  // Decoded on read; written back with meshopt instead.
  for (const extension of doc.getRoot().listExtensionsUsed())
    if (extension.extensionName === DRACO) extension.dispose();

  onStep?.('dedup');
  await doc.transform(dedup());
  onStep?.('join');
  await doc.transform(joinDrawCalls());
  onStep?.('weld');
  await doc.transform(weld());
  if (simplifyError > 0) {
    onStep?.('simplify');
    await MeshoptSimplifier.ready;
    await doc.transform(simplify({ simplifier: MeshoptSimplifier, error: simplifyError, ratio: 0 }));
  }
  onStep?.('prune');
  // With variants, attributes are pruned by every material a primitive can show, not by prune's rule.
  const variants = hasVariantMappings(doc);
  await doc.transform(
    prune({ keepAttributes: variants, keepIndices: false, keepLeaves: false }),
    ...(variants ? [pruneVariantAttributes()] : []),
    sparse(),
  );
  onStep?.('textures');
  await doc.transform(resizeTextures(maxTextureSize));
  if (textureFormat === 'webp') {
    await doc.transform(
      textureCompress({
        // textureCompress's own limitInputPixels option is a boolean: this sharp applies the pixel limit.
        encoder: limitedSharp,
        targetFormat: 'webp',
        formats: /^image\/(png|jpeg|webp)$/,
      }),
    );
  }
  onStep?.('meshopt');
  await doc.transform(meshopt({ encoder: MeshoptEncoder, level: 'high' }));
  onStep?.('write');
  const out = await io.writeBinary(doc);
  return { glb: out, before, after: measureDocument(doc, out.byteLength) };
}
