import { describe, expect, it } from 'vitest';
import type { Mesh, MeshStandardMaterial, Object3D } from 'three';
import { GltfCache } from '../../src/scene/gltf-cache';
import { gltfExtensionsUsed } from '../../src/scene/gltf-loader';
import { buildChairGlb, parseGlb } from './scene-test-model';

function mesh(root: Object3D, name: string): Mesh {
  const object = root.getObjectByName(name);
  if (!object) throw new Error(`no node ${name}`);
  return object as Mesh;
}

function material(root: Object3D, name: string): MeshStandardMaterial {
  return mesh(root, name).material as MeshStandardMaterial;
}

async function countingCache() {
  const glb = await buildChairGlb();
  const calls: string[] = [];
  const cache = new GltfCache(async (url) => {
    calls.push(url);
    if (url.includes('missing')) throw new Error('HTTP 404');
    return parseGlb(glb);
  });
  return { cache, calls };
}

describe('GltfCache', () => {
  it('loads a URL once and hands out clones that share geometry but not materials', async () => {
    const { cache, calls } = await countingCache();
    const [a, b] = await Promise.all([
      cache.acquire('/assets/chair.glb'),
      cache.acquire('/assets/chair.glb'),
    ]);
    expect(calls).toEqual(['/assets/chair.glb']);
    expect(a.scene).not.toBe(b.scene);
    expect(mesh(a.scene, 'seat').geometry).toBe(mesh(b.scene, 'seat').geometry);
    expect(material(a.scene, 'seat')).not.toBe(material(b.scene, 'seat'));
    expect(a.variants).toEqual(['Natural oak', 'Walnut', 'Black']);
    expect(a.bounds.max.y).toBeCloseTo(0.9, 5);
    expect(a.bounds.min.y).toBeCloseTo(0, 5);
    a.dispose();
    b.dispose();
  });

  it('keeps variant switches, edits and highlights on one clone from leaking to another', async () => {
    const { cache } = await countingCache();
    const a = await cache.acquire('/assets/chair.glb');
    const b = await cache.acquire('/assets/chair.glb');
    expect(a.setVariant('Walnut')).toBe(true);
    expect(a.variant).toBe('Walnut');
    expect(material(a.scene, 'seat').name).toBe('walnut');
    expect(material(b.scene, 'seat').name).toBe('oak');
    expect(b.variant).toBeNull();

    b.setVariant('Walnut');
    expect(material(a.scene, 'seat')).not.toBe(material(b.scene, 'seat'));
    material(a.scene, 'seat').color.setRGB(1, 0, 0);
    expect(material(b.scene, 'seat').color.r).toBeCloseTo(0.35, 3);

    a.setHighlight(true);
    expect(material(a.scene, 'seat').emissive.getHex()).not.toBe(0);
    expect(material(b.scene, 'seat').emissive.getHex()).toBe(0);
    // Materials first used after highlighting (a variant switch) are highlighted as well.
    a.setVariant('Black');
    expect(material(a.scene, 'legs').emissive.getHex()).not.toBe(0);
    a.setHighlight(false);
    expect(material(a.scene, 'seat').emissive.getHex()).toBe(0);
    expect(material(a.scene, 'legs').emissive.getHex()).toBe(0);

    expect(a.setVariant('Chrome')).toBe(false);
    expect(a.variant).toBeNull();
    expect(material(a.scene, 'seat').name).toBe('oak');
    a.dispose();
    b.dispose();
  });

  it('frees the file when the last clone is disposed, and loads it again afterwards', async () => {
    const { cache, calls } = await countingCache();
    const a = await cache.acquire('/assets/chair.glb');
    const b = await cache.acquire('/assets/chair.glb');
    const geometry = mesh(a.scene, 'seat').geometry;
    const materialA = material(a.scene, 'seat');
    let geometryDisposed = 0;
    let materialADisposed = 0;
    geometry.addEventListener('dispose', () => geometryDisposed++);
    materialA.addEventListener('dispose', () => materialADisposed++);

    a.dispose();
    a.dispose(); // disposing twice is harmless
    expect(materialADisposed).toBe(1);
    expect(cache.size).toBe(1);
    await Promise.resolve();
    expect(geometryDisposed).toBe(0);

    b.dispose();
    expect(cache.size).toBe(0);
    await new Promise((r) => setTimeout(r, 0));
    expect(geometryDisposed).toBe(1);

    const c = await cache.acquire('/assets/chair.glb');
    expect(calls).toHaveLength(2);
    c.dispose();
  });

  it('forgets a failed load so that a later attempt tries again', async () => {
    const { cache, calls } = await countingCache();
    await expect(cache.acquire('/assets/missing.glb')).rejects.toThrow('HTTP 404');
    expect(cache.size).toBe(0);
    await expect(cache.acquire('/assets/missing.glb')).rejects.toThrow('HTTP 404');
    expect(calls).toEqual(['/assets/missing.glb', '/assets/missing.glb']);
  });
});

describe('gltfExtensionsUsed', () => {
  it('reads extensionsUsed from a GLB and from a .gltf JSON file without parsing buffers', async () => {
    expect(gltfExtensionsUsed(await buildChairGlb())).toEqual(['KHR_materials_variants']);
    const json = JSON.stringify({
      asset: { version: '2.0' },
      extensionsUsed: ['KHR_draco_mesh_compression'],
    });
    expect(gltfExtensionsUsed(new TextEncoder().encode(json).buffer as ArrayBuffer)).toEqual([
      'KHR_draco_mesh_compression',
    ]);
    expect(gltfExtensionsUsed(new TextEncoder().encode('not json').buffer as ArrayBuffer)).toEqual([]);
  });
});
