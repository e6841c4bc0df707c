import { Logger, NodeIO, getBounds } from '@gltf-transform/core';
import { KHRMaterialsVariants, type MappingList } from '@gltf-transform/extensions';
import { describe, expect, it } from 'vitest';
import type { Mesh, MeshStandardMaterial, Object3D } from 'three';
import { joinDrawCalls } from '../../src/publish/optimize/join-draw-calls';
import { applyVariant, prepareVariants } from '../../src/scene/material-variants';
import { buildChairGlb, parseGlb } from './scene-test-model';

const io = new NodeIO().registerExtensions([KHRMaterialsVariants]);

/**
 * The test chair (seat: oak/walnut/black; legs: steel, black in Black; back: steel in every variant) plus a
 * stretcher between the legs that maps like the legs, under a parent node that moves it.
 */
async function chairWithStretcher() {
  const doc = await io.readBinary(new Uint8Array(await buildChairGlb()));
  doc.setLogger(new Logger(Logger.Verbosity.SILENT));
  const root = doc.getRoot();
  const legs = root.listNodes().find((n) => n.getName() === 'legs');
  const legPrimitive = legs?.getMesh()?.listPrimitives()[0];
  if (!legPrimitive) throw new Error('no legs');
  const stretcher = legPrimitive.clone();
  stretcher.setExtension(
    'KHR_materials_variants',
    legPrimitive.getExtension<MappingList>('KHR_materials_variants'),
  );
  const frame = doc.createNode('frame').setTranslation([0, 1.0, 0]);
  frame.addChild(
    doc
      .createNode('stretcher')
      .setScale([1, 0.1, 1])
      .setMesh(doc.createMesh('stretcher').addPrimitive(stretcher)),
  );
  root.listScenes()[0]?.addChild(frame);
  return doc;
}

function primitiveCount(doc: Awaited<ReturnType<typeof chairWithStretcher>>): number {
  return doc
    .getRoot()
    .listMeshes()
    .reduce((n, m) => n + m.listPrimitives().length, 0);
}

/** Base colour (r) of the material each mesh of a three.js scene shows, by mesh name. */
function colours(scene: Object3D): Map<string, number> {
  const out = new Map<string, number>();
  scene.traverse((o) => {
    if ((o as Mesh).isMesh) out.set(o.name, ((o as Mesh).material as MeshStandardMaterial).color.r);
  });
  return out;
}

describe('joinDrawCalls', () => {
  it('joins parts that match in material and variant mappings, and only those', async () => {
    const doc = await chairWithStretcher();
    expect(primitiveCount(doc)).toBe(4);
    const scene = doc.getRoot().listScenes()[0];
    if (!scene) throw new Error('no scene');
    const before = getBounds(scene);
    await doc.transform(joinDrawCalls());
    // Every part was baked where it stood: the model's bounds are unchanged (the stretcher, raised 1 m and
    // flattened to 0.045 m, is the top of the model).
    expect(before.max[1]).toBeCloseTo(1.045, 6);
    const after = getBounds(scene);
    for (const k of ['min', 'max'] as const)
      for (let i = 0; i < 3; i++) expect(after[k][i]).toBeCloseTo(before[k][i] ?? Number.NaN, 6);
    // Seat; legs + stretcher (steel, black in Black); back (steel in every variant) stays apart.
    expect(primitiveCount(doc)).toBe(3);
    const prims = doc
      .getRoot()
      .listMeshes()
      .flatMap((m) => m.listPrimitives());
    const vertexCounts = prims.map((p) => p.getAttribute('POSITION')?.getCount()).sort();
    expect(vertexCounts).toEqual([16, 8, 8].sort());
    for (const prim of prims) {
      const mappings = prim.getExtension<MappingList>('KHR_materials_variants');
      const name = prim.getMaterial()?.getName();
      if (mappings) {
        // The default variant's mapping names the primitive's own material.
        const first = mappings
          .listMappings()
          .find((m) => m.listVariants().some((v) => v.getName() === 'Natural oak'));
        if (first) expect(first.getMaterial()).toBe(prim.getMaterial());
      } else {
        expect(name).toBe('steel');
      }
    }
  });

  it('bakes each part where it stood and keeps variants switching per part in three.js', async () => {
    const doc = await chairWithStretcher();
    await doc.transform(joinDrawCalls());
    const gltf = await parseGlb((await io.writeBinary(doc)).slice().buffer);
    expect(colours(gltf.scene).size).toBe(3);
    const catalog = await prepareVariants(gltf.parser, gltf.scene);
    applyVariant(gltf.scene, catalog, 'Black');
    const black = colours(gltf.scene);
    const steelLike = [...black.values()].filter((r) => r > 0.5);
    // Only the back keeps steel in Black; seat and the joined legs are black.
    expect(steelLike).toHaveLength(1);
    applyVariant(gltf.scene, catalog, 'Walnut');
    expect([...colours(gltf.scene).values()].filter((r) => r > 0.5)).toHaveLength(2);
  });
});
