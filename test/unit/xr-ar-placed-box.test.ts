// The placed product's world box: measured once vertex by vertex, then the model box's 8 corners through the
// holder's matrix, recomputed only when that matrix changes.
import { describe, expect, test } from 'vitest';
import { Box3, BufferGeometry, Float32BufferAttribute, Group, Mesh, MeshBasicMaterial, Vector3 } from 'three';
import { PlacedBox } from '../../src/xr/ar/placed-box';

/** A model whose mesh is turned inside it: its loose box (geometry boxes through matrices) is larger. */
function turnedModel(): Group {
  const geometry = new BufferGeometry();
  // A diamond 0.6 wide, 0.8 high, 0.2 deep (points only: bounds need no faces), not filling its box's corners.
  const points = [-0.3, 0.4, 0, 0.3, 0.4, 0, 0, 0, 0, 0, 0.8, 0, 0, 0.4, -0.1, 0, 0.4, 0.1];
  geometry.setAttribute('position', new Float32BufferAttribute(points, 3));
  const mesh = new Mesh(geometry, new MeshBasicMaterial());
  mesh.rotation.y = Math.PI / 5;
  const model = new Group();
  model.add(mesh);
  return model;
}

function expectBox(actual: Box3, expected: Box3, digits = 6): void {
  for (const key of ['min', 'max'] as const)
    for (const axis of ['x', 'y', 'z'] as const)
      expect(actual[key][axis], `${key}.${axis}`).toBeCloseTo(expected[key][axis], digits);
}

describe('PlacedBox', () => {
  test('measures the model precisely, once', () => {
    const model = turnedModel();
    const placed = new PlacedBox();
    const measured = placed.measure(model);
    const precise = new Box3().setFromObject(model, true);
    const loose = new Box3().setFromObject(model);
    expectBox(placed.local, precise);
    expect(measured.max[0] - measured.min[0]).toBeCloseTo(precise.max.x - precise.min.x, 9);
    // The loose box (what ModelInstance.bounds holds) is wider than the model: not a true-size measure.
    expect(loose.max.x - loose.min.x).toBeGreaterThan(precise.max.x - precise.min.x + 0.01);
  });

  test('the world box is the local box’s corners through the holder, recomputed only when it moves', () => {
    const model = turnedModel();
    const holder = new Group();
    const placed = new PlacedBox();
    placed.measure(model);
    holder.add(model);
    holder.position.set(1, 0.05, -2);
    holder.quaternion.setFromAxisAngle(new Vector3(0, 1, 0), 0.7);
    holder.updateMatrixWorld(true);
    expect(placed.update(holder.matrixWorld)).toBe(true);
    const corners = new Box3();
    const { min, max } = placed.local;
    for (const x of [min.x, max.x])
      for (const y of [min.y, max.y])
        for (const z of [min.z, max.z])
          corners.expandByPoint(new Vector3(x, y, z).applyMatrix4(holder.matrixWorld));
    expectBox(placed.world, corners, 9);
    // Unturned about the vertical, the world box is the model's own box moved: the same size, on the surface.
    expect(placed.world.min.y).toBeCloseTo(0.05, 9);

    // Same pose: nothing to do (no walk over the model, no new box).
    const before = placed.world.clone();
    expect(placed.update(holder.matrixWorld)).toBe(false);
    expectBox(placed.world, before, 12);

    holder.position.x += 0.5;
    holder.updateMatrixWorld(true);
    expect(placed.update(holder.matrixWorld)).toBe(true);
    expect(placed.world.min.x).toBeCloseTo(before.min.x + 0.5, 9);
  });
});
