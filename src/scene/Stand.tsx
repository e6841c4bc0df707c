/**
 * All stands of one kind in a room, drawn as one instanced mesh (one draw call however many fixtures use the
 * kind). Props in, no I/O: the layout comes from core/layout.ts.
 */
import { useLayoutEffect, useRef } from 'react';
import { useThree } from '@react-three/fiber';
import type { InstancedMesh } from 'three';
import type { FixtureLayout, StandKind } from '../core/layout';
import { setYawInstance } from './instance-matrix';
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
    placements.forEach(({ layout, offset }, i) => {
      const sin = Math.sin(layout.rotationY);
      const cos = Math.cos(layout.rotationY);
      // A low round platform on the floor, as wide as the footprint's longer side; a box elsewhere.
      const diameter = Math.max(layout.standWidth, layout.standDepth);
      const [sx, sz] = kind === 'floor' ? [diameter, diameter] : [layout.standWidth, layout.standDepth];
      // A fixture facing +z turned by rotationY faces (sin, 0, cos).
      setYawInstance(
        mesh,
        i,
        layout.x + sin * offset,
        layout.standCenterY,
        layout.z + cos * offset,
        layout.rotationY,
        sx,
        layout.standHeight,
        sz,
      );
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
