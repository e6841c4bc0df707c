/**
 * All stands of one kind in a room, drawn as one instanced mesh (one draw call however many fixtures use the
 * kind). Props in, no I/O: the layout comes from core/layout.ts.
 */
import { useLayoutEffect, useRef } from 'react';
import { useThree } from '@react-three/fiber';
import { Euler, Matrix4, Quaternion, Vector3, type InstancedMesh } from 'three';
import type { FixtureLayout, StandKind } from '../core/layout';
import { standGeometry, standMaterial } from './stand-geometry';

/** One stand: the fixture's layout and, for wall stands, how far behind the fixture point the panel sits. */
export interface StandPlacement {
  layout: FixtureLayout;
  /** Offset along the fixture's facing direction (negative = behind), used by wall panels. */
  offset: number;
}

/** Props of a set of stands. */
export interface StandProps {
  kind: StandKind;
  placements: readonly StandPlacement[];
}

/** The stands of one kind, instanced. */
export function Stand({ kind, placements }: StandProps) {
  const ref = useRef<InstancedMesh>(null);
  const invalidate = useThree((s) => s.invalidate);

  useLayoutEffect(() => {
    const mesh = ref.current;
    if (!mesh) return;
    const matrix = new Matrix4();
    const position = new Vector3();
    const rotation = new Quaternion();
    const euler = new Euler();
    const scale = new Vector3();
    placements.forEach(({ layout, offset }, i) => {
      const sin = Math.sin(layout.rotationY);
      const cos = Math.cos(layout.rotationY);
      // A fixture facing +z turned by rotationY faces (sin, 0, cos).
      position.set(layout.x + sin * offset, layout.standCenterY, layout.z + cos * offset);
      rotation.setFromEuler(euler.set(0, layout.rotationY, 0));
      if (kind === 'floor') {
        // A low round platform as wide as the footprint's longer side.
        const diameter = Math.max(layout.standWidth, layout.standDepth);
        scale.set(diameter, layout.standHeight, diameter);
      } else {
        scale.set(layout.standWidth, layout.standHeight, layout.standDepth);
      }
      mesh.setMatrixAt(i, matrix.compose(position, rotation, scale));
    });
    mesh.count = placements.length;
    mesh.instanceMatrix.needsUpdate = true;
    mesh.computeBoundingSphere();
    invalidate();
  }, [kind, placements, invalidate]);

  if (placements.length === 0) return null;
  return (
    <instancedMesh
      ref={ref}
      args={[standGeometry(kind), standMaterial(kind), placements.length]}
      name={`stands-${kind}`}
      // The geometry and material are shared by every room: never dispose them with this mesh.
      dispose={null}
    />
  );
}
