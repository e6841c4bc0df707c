// The model optimiser of `vitrine publish`: deterministic bytes, material variants kept through joining,
// textures resized to powers of two within 2048 px and re-encoded as WebP, Draco input read and written back
// with meshopt.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Document, NodeIO } from '@gltf-transform/core';
import type { MappingList } from '@gltf-transform/extensions';
import { ALL_EXTENSIONS, KHRDracoMeshCompression, KHRMaterialsVariants } from '@gltf-transform/extensions';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { modelPath } from '../../src/protocol/brand-folder';
import { modelIO } from '../../src/publish/model-reader';
import {
  nearestPowerOfTwo,
  optimizeModel,
  targetTextureSize,
} from '../../src/publish/optimize/optimize-model';
import { DEFAULT_BRANDS_ROOT } from '../../src/server/app';

const demoModel = (id: string): Promise<Buffer> =>
  readFile(path.join(DEFAULT_BRANDS_ROOT, 'linde', modelPath(id)));

/** Each primitive's default material and, per variant, the material it switches to. */
async function variantsOf(glb: Uint8Array): Promise<string[]> {
  const doc = await (await modelIO()).readBinary(glb);
  return doc
    .getRoot()
    .listMeshes()
    .flatMap((mesh) => mesh.listPrimitives())
    .map((p) => {
      const mappings = p.getExtension<MappingList>('KHR_materials_variants')?.listMappings() ?? [];
      const shown = mappings
        .flatMap((m) => m.listVariants().map((v) => `${v.getName()}=${m.getMaterial()?.getName()}`))
        .sort();
      return `${p.getMaterial()?.getName()}: ${shown.join(' ')}`;
    })
    .sort();
}

/** A one-triangle GLB with a `width` × `height` PNG base colour texture. */
async function texturedGlb(width: number, height: number): Promise<Uint8Array> {
  // Noise: a single-colour texture would be pruned into a material factor.
  const png = await sharp({
    create: {
      width,
      height,
      channels: 3,
      background: { r: 200, g: 120, b: 40 },
      noise: { type: 'gaussian', mean: 128, sigma: 30 },
    },
  })
    .png()
    .toBuffer();
  const doc = new Document();
  const buffer = doc.createBuffer();
  const position = doc
    .createAccessor()
    .setType('VEC3')
    .setArray(new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0]))
    .setBuffer(buffer);
  const uv = doc
    .createAccessor()
    .setType('VEC2')
    .setArray(new Float32Array([0, 0, 1, 0, 0, 1]))
    .setBuffer(buffer);
  const texture = doc.createTexture('colour').setImage(new Uint8Array(png)).setMimeType('image/png');
  const material = doc.createMaterial('painted').setBaseColorTexture(texture);
  const primitive = doc
    .createPrimitive()
    .setAttribute('POSITION', position)
    .setAttribute('TEXCOORD_0', uv)
    .setMaterial(material);
  const node = doc.createNode('part').setMesh(doc.createMesh('part').addPrimitive(primitive));
  doc.createScene('scene').addChild(node);
  return new NodeIO().writeBinary(doc);
}

/** A noisy `size` px PNG (a single colour would be pruned into a material factor). */
async function noisePng(size: number): Promise<Uint8Array> {
  const png = await sharp({
    create: {
      width: size,
      height: size,
      channels: 3,
      background: { r: 90, g: 60, b: 30 },
      noise: { type: 'gaussian', mean: 128, sigma: 30 },
    },
  })
    .png()
    .toBuffer();
  return new Uint8Array(png);
}

/**
 * A quad whose default material is an untextured colour and whose variant "Oak" is textured (base colour and
 * normal map): only the variant needs TEXCOORD_0 and TANGENT. TEXCOORD_1 is needed by no material.
 */
async function untexturedDefaultTexturedVariant(): Promise<Uint8Array> {
  const doc = new Document();
  const buffer = doc.createBuffer();
  const accessor = (type: 'VEC2' | 'VEC3' | 'VEC4', values: number[]) =>
    doc.createAccessor().setType(type).setArray(new Float32Array(values)).setBuffer(buffer);
  const primitive = doc
    .createPrimitive()
    .setAttribute('POSITION', accessor('VEC3', [0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0]))
    .setAttribute('NORMAL', accessor('VEC3', [0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1]))
    .setAttribute('TANGENT', accessor('VEC4', Array.from({ length: 6 }, () => [1, 0, 0, 1]).flat()))
    .setAttribute('TEXCOORD_0', accessor('VEC2', [0, 0, 1, 0, 1, 1, 0, 0, 1, 1, 0, 1]))
    .setAttribute('TEXCOORD_1', accessor('VEC2', [0, 0, 1, 0, 1, 1, 0, 0, 1, 1, 0, 1]))
    .setMaterial(doc.createMaterial('Plain').setBaseColorFactor([0.8, 0.8, 0.8, 1]));
  const oak = doc
    .createMaterial('Oak')
    .setBaseColorTexture(
      doc
        .createTexture('oak')
        .setImage(await noisePng(64))
        .setMimeType('image/png'),
    )
    .setNormalTexture(
      doc
        .createTexture('grain')
        .setImage(await noisePng(32))
        .setMimeType('image/png'),
    );
  const variants = doc.createExtension(KHRMaterialsVariants);
  const mapping = variants.createMapping().setMaterial(oak).addVariant(variants.createVariant('Oak'));
  primitive.setExtension('KHR_materials_variants', variants.createMappingList().addMapping(mapping));
  doc
    .createScene('scene')
    .addChild(doc.createNode('quad').setMesh(doc.createMesh('quad').addPrimitive(primitive)));
  return new NodeIO().registerExtensions(ALL_EXTENSIONS).writeBinary(doc);
}

describe('optimizeModel', () => {
  it('keeps the attributes only a variant material needs (TEXCOORD_0, TANGENT), drops those none needs', async () => {
    const result = await optimizeModel(await untexturedDefaultTexturedVariant(), { simplifyError: 0 });
    const doc = await (await modelIO()).readBinary(result.glb);
    const [primitive] = doc
      .getRoot()
      .listMeshes()
      .flatMap((mesh) => mesh.listPrimitives());
    expect(primitive?.listSemantics().sort()).toEqual(['NORMAL', 'POSITION', 'TANGENT', 'TEXCOORD_0']);
    expect(primitive?.getMaterial()?.getBaseColorTexture()).toBeNull();
    const oak = primitive
      ?.getExtension<MappingList>('KHR_materials_variants')
      ?.listMappings()[0]
      ?.getMaterial();
    expect(oak?.getName()).toBe('Oak');
    expect(oak?.getBaseColorTexture()).not.toBeNull();
    expect(oak?.getNormalTexture()).not.toBeNull();
  });

  it('sizes textures to the nearest power of two, at most the limit', () => {
    expect([1, 2, 3, 5, 6, 1000, 1500, 1600, 3000, 4096].map(nearestPowerOfTwo)).toEqual([
      1, 2, 4, 4, 8, 1024, 1024, 2048, 2048, 4096,
    ]);
    expect(targetTextureSize(3000, 1000, 2048)).toEqual([2048, 1024]);
    expect(targetTextureSize(8192, 8192, 2048)).toEqual([2048, 2048]);
    expect(targetTextureSize(512, 256, 2048)).toEqual([512, 256]);
  });

  it('gives the same bytes for the same input, smaller, meshopt-compressed, variants kept', async () => {
    // halo-floor-lamp: two brass parts, one of which turns black steel in a variant. glTF-Transform's own join
    // would weld them and lose that switch; the optimiser must keep it.
    const source = await demoModel('halo-floor-lamp');
    const first = await optimizeModel(source);
    const second = await optimizeModel(source);
    expect(Buffer.from(first.glb).equals(Buffer.from(second.glb))).toBe(true);
    expect(first.after.bytes).toBe(first.glb.byteLength);
    expect(first.after.bytes).toBeLessThan(first.before.bytes * 0.5);
    expect(first.after.triangles).toBeGreaterThan(first.before.triangles * 0.99);
    expect(await variantsOf(first.glb)).toEqual(await variantsOf(source));
    const doc = await (await modelIO()).readBinary(first.glb);
    expect(
      doc
        .getRoot()
        .listExtensionsUsed()
        .map((e) => e.extensionName),
    ).toContain('EXT_meshopt_compression');
  });

  it('resizes a 3000 × 1000 texture to 2048 × 1024 WebP (EXT_texture_webp)', async () => {
    const result = await optimizeModel(await texturedGlb(3000, 1000));
    const doc = await (await modelIO()).readBinary(result.glb);
    const [texture] = doc.getRoot().listTextures();
    expect(texture?.getMimeType()).toBe('image/webp');
    expect(texture?.getSize()).toEqual([2048, 1024]);
    expect(
      doc
        .getRoot()
        .listExtensionsRequired()
        .map((e) => e.extensionName),
    ).toContain('EXT_texture_webp');
    expect(result.before.textures).toBe(1);
    expect(result.after.textures).toBe(1);
  });

  it('keeps the texture format when asked, still resizing', async () => {
    const result = await optimizeModel(await texturedGlb(300, 300), { textureFormat: 'keep' });
    const [texture] = (await (await modelIO()).readBinary(result.glb)).getRoot().listTextures();
    expect(texture?.getMimeType()).toBe('image/png');
    expect(texture?.getSize()).toEqual([256, 256]);
  });

  it('reads Draco input and writes meshopt instead', async () => {
    const dracoModule = 'draco3dgltf';
    const draco = (await import(dracoModule)) as {
      default: { createDecoderModule(): Promise<unknown>; createEncoderModule(): Promise<unknown> };
    };
    const io = new NodeIO().registerExtensions(ALL_EXTENSIONS).registerDependencies({
      'draco3d.decoder': await draco.default.createDecoderModule(),
      'draco3d.encoder': await draco.default.createEncoderModule(),
    });
    const doc = await io.readBinary(await demoModel('lera-vase'));
    doc.createExtension(KHRDracoMeshCompression).setRequired(true);
    const dracoGlb = await io.writeBinary(doc);
    expect(new TextDecoder().decode(dracoGlb.subarray(0, 2000))).toContain('KHR_draco_mesh_compression');

    const result = await optimizeModel(dracoGlb);
    const out = await (await modelIO()).readBinary(result.glb);
    const used = out
      .getRoot()
      .listExtensionsUsed()
      .map((e) => e.extensionName);
    expect(used).toContain('EXT_meshopt_compression');
    expect(used).not.toContain('KHR_draco_mesh_compression');
    expect(result.after.triangles).toBeGreaterThan(result.before.triangles * 0.9);
    expect(await variantsOf(result.glb)).toEqual(await variantsOf(await demoModel('lera-vase')));
  });
});
