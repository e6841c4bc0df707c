import { describe, expect, it } from 'vitest';
import type { Mesh, MeshStandardMaterial, Object3D } from 'three';
import { applyVariant, meshMappings, prepareVariants, variantNames } from '../../src/scene/material-variants';
import { buildChairGlb, parseGlb } from './scene-test-model';

function materialName(root: Object3D, node: string): string {
  const object = root.getObjectByName(node) as Mesh | undefined;
  if (!object) throw new Error(`no node ${node}`);
  return (object.material as MeshStandardMaterial).name;
}

describe('KHR_materials_variants', () => {
  it('reads the variant names and per-mesh mappings GLTFLoader leaves in userData', async () => {
    const gltf = await parseGlb(await buildChairGlb());
    expect(variantNames(gltf.parser.json)).toEqual(['Natural oak', 'Walnut', 'Black']);
    const seat = gltf.scene.getObjectByName('seat');
    const back = gltf.scene.getObjectByName('back');
    if (!seat || !back) throw new Error('nodes missing');
    expect(meshMappings(seat).map((m) => m.variants)).toEqual([[0], [1], [2]]);
    expect(meshMappings(back)).toEqual([]);
    expect(variantNames({ asset: { version: '2.0' } })).toEqual([]);
  });

  it('switches materials by variant name and falls back to the defaults', async () => {
    const gltf = await parseGlb(await buildChairGlb());
    const catalog = await prepareVariants(gltf.parser, gltf.scene);
    expect(catalog.slots).toHaveLength(2); // seat and legs are mapped, the back is not
    expect(materialName(gltf.scene, 'seat')).toBe('oak');
    expect(materialName(gltf.scene, 'legs')).toBe('steel');

    expect(applyVariant(gltf.scene, catalog, 'Walnut')).toBe(true);
    expect(materialName(gltf.scene, 'seat')).toBe('walnut');
    expect(materialName(gltf.scene, 'legs')).toBe('steel');
    expect(materialName(gltf.scene, 'back')).toBe('steel');

    expect(applyVariant(gltf.scene, catalog, 'Black')).toBe(true);
    expect(materialName(gltf.scene, 'seat')).toBe('black');
    expect(materialName(gltf.scene, 'legs')).toBe('black');
    const seatMaterial = (gltf.scene.getObjectByName('seat') as Mesh).material as MeshStandardMaterial;
    expect(seatMaterial.color.r).toBeCloseTo(0.02, 3);

    expect(applyVariant(gltf.scene, catalog, 'Chrome')).toBe(false);
    expect(materialName(gltf.scene, 'seat')).toBe('oak');
    expect(materialName(gltf.scene, 'legs')).toBe('steel');

    applyVariant(gltf.scene, catalog, 'Black');
    expect(applyVariant(gltf.scene, catalog, null)).toBe(false);
    expect(materialName(gltf.scene, 'legs')).toBe('steel');
  });

  it('applies to a clone of the scene too, resolving materials through the given function', async () => {
    const gltf = await parseGlb(await buildChairGlb());
    const catalog = await prepareVariants(gltf.parser, gltf.scene);
    const clone = gltf.scene.clone(true);
    const copies = new Map<unknown, MeshStandardMaterial>();
    applyVariant(clone, catalog, 'Walnut', (m) => {
      const copy = copies.get(m) ?? (m.clone() as MeshStandardMaterial);
      copies.set(m, copy);
      return copy;
    });
    expect(materialName(clone, 'seat')).toBe('walnut');
    expect(materialName(gltf.scene, 'seat')).toBe('oak');
    const cloneSeat = (clone.getObjectByName('seat') as Mesh).material;
    expect([...copies.values()]).toContain(cloneSeat);
  });
});
