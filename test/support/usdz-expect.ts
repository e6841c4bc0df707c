/**
 * The checks that a USDZ made for AR Quick Look is a valid USDZ archive of the same product as its GLB: USDZ
 * archive rules, one mesh per drawn glTF primitive with the same triangles, the same world bounds within 1 mm,
 * and each part's base colour (or texture) as the chosen material variant gives it. Shared by the Node unit
 * test and the browser e2e test.
 */
import { expect } from 'vitest';
import { materialIn, type GltfParts } from './gltf-parts';
import { diffuseOf, usdzBounds, type Usdz } from './usdz-archive';

/** Metres the USDZ bounds may differ from the glTF's. */
const BOUNDS_TOLERANCE = 0.001;

/** Asserts that `usdz` is a valid USDZ of the model `gltf` in material variant `variant`. */
export function expectUsdzOfGltf(usdz: Usdz, gltf: GltfParts, variant: string | null): void {
  expect(usdz.entries[0]?.name, 'the first file is the root USD layer').toMatch(/\.usda$/);
  for (const entry of usdz.entries) {
    expect(entry.method, `${entry.name} is stored, not compressed`).toBe(0);
    expect(entry.dataOffset % 64, `${entry.name} data is 64-byte aligned`).toBe(0);
  }
  expect(usdz.rootText).toContain('metersPerUnit = 1');
  expect(usdz.rootText).toContain('upAxis = "Y"');

  expect(usdz.meshes.length, 'one USD mesh per drawn glTF primitive').toBe(gltf.parts.length);
  gltf.parts.forEach((part, i) => {
    const mesh = usdz.meshes[i];
    expect(mesh?.faces, `triangles of part ${i} (${part.node})`).toBe(part.triangles);
    expect(mesh?.normals.length, `a normal per point of part ${i}`).toBe(mesh?.points.length);
    const badNormals = mesh?.normals.filter((n) => Math.abs(n.length() - 1) > 1e-3).length;
    expect(badNormals, `normals of part ${i} (${part.node}) that are not unit length`).toBe(0);
  });

  const bounds = usdzBounds(usdz);
  const min = bounds.min.toArray();
  const max = bounds.max.toArray();
  for (let axis = 0; axis < 3; axis++) {
    expect(Math.abs((min[axis] ?? NaN) - (gltf.bounds.min[axis] ?? NaN)), `min[${axis}]`).toBeLessThan(
      BOUNDS_TOLERANCE,
    );
    expect(Math.abs((max[axis] ?? NaN) - (gltf.bounds.max[axis] ?? NaN)), `max[${axis}]`).toBeLessThan(
      BOUNDS_TOLERANCE,
    );
  }

  const files = new Set(usdz.entries.map((e) => e.name));
  gltf.parts.forEach((part, i) => {
    const mesh = usdz.meshes[i];
    if (!mesh) return;
    const material = materialIn(part, variant);
    const diffuse = diffuseOf(usdz, mesh.material);
    if (material?.getBaseColorTexture()) {
      expect(diffuse, `part ${i} (${part.node}) reads its colour from a texture`).toHaveProperty('texture');
      const name = 'texture' in diffuse ? diffuse.texture : '';
      expect(name, `texture of part ${i}`).toMatch(/\.(png|jpg)$/);
      expect(files.has(name), `${name} is in the archive`).toBe(true);
    } else {
      const expected = material?.getBaseColorFactor() ?? [1, 1, 1, 1];
      expect(diffuse, `part ${i} (${part.node}) has a constant colour`).toHaveProperty('color');
      const color = 'color' in diffuse ? diffuse.color : [NaN, NaN, NaN];
      for (let c = 0; c < 3; c++) {
        expect(color[c], `colour channel ${c} of part ${i} (${part.node})`).toBeCloseTo(
          expected[c] ?? NaN,
          4,
        );
      }
    }
  });
}

/** The constant base colour of each mesh in file order (null where a texture gives it). */
export function meshColours(usdz: Usdz): ([number, number, number] | null)[] {
  return usdz.meshes.map((mesh) => {
    const diffuse = diffuseOf(usdz, mesh.material);
    return 'color' in diffuse ? diffuse.color : null;
  });
}
