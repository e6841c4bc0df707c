/**
 * Stand-ins for products whose model is still loading: a pale box of the product's true outer size where the
 * product will stand, all drawn as one instanced mesh (one draw call however many are waiting). A shopper sees
 * at once what stands where and how big it is, and a headset has something at true scale to walk around while
 * the files stream in. Props in, no I/O.
 */
import { useLayoutEffect, useRef } from 'react';
import { useThree } from '@react-three/fiber';
import { BoxGeometry, MeshStandardMaterial, type InstancedMesh } from 'three';
import type { FixtureLayout, Size3 } from '../core/layout';
import { setYawInstance } from './instance-matrix';

/** One product waiting for its model: where it goes and its outer size. */
export interface StandInPlacement {
  layout: FixtureLayout;
  size: Size3;
}

/** Props of the stand-ins. */
export interface StandInsProps {
  /** Products still loading (an empty list draws nothing). */
  placements: readonly StandInPlacement[];
  /** Most stand-ins this view can show (its number of fixtures): the instance buffer is made this big once. */
  capacity: number;
}

let sharedGeometry: BoxGeometry | null = null;
let sharedMaterial: MeshStandardMaterial | null = null;

/** A unit box resting on y = 0 (its origin at the bottom centre, like a product model's). */
function standInGeometry(): BoxGeometry {
  sharedGeometry ??= new BoxGeometry(1, 1, 1).translate(0, 0.5, 0);
  return sharedGeometry;
}

/** Pale, see-through and without depth writes, so it reads as "coming" and never hides what stands behind. */
function standInMaterial(): MeshStandardMaterial {
  sharedMaterial ??= new MeshStandardMaterial({
    color: '#d9d4cb',
    roughness: 1,
    metalness: 0,
    transparent: true,
    opacity: 0.45,
    depthWrite: false,
  });
  return sharedMaterial;
}

/** Box stand-ins at true size, instanced. */
export function StandIns({ placements, capacity }: StandInsProps) {
  const ref = useRef<InstancedMesh>(null);
  const invalidate = useThree((s) => s.invalidate);

  useLayoutEffect(() => {
    const mesh = ref.current;
    if (!mesh) return;
    const shown = Math.min(placements.length, capacity);
    for (let i = 0; i < shown; i++) {
      const placement = placements[i];
      if (!placement) continue;
      const { layout, size } = placement;
      setYawInstance(
        mesh,
        i,
        layout.x,
        layout.productY,
        layout.z,
        layout.rotationY,
        size.width,
        size.height,
        size.depth,
      );
    }
    mesh.count = shown;
    mesh.instanceMatrix.needsUpdate = true;
    mesh.computeBoundingSphere();
    invalidate();
  }, [placements, capacity, invalidate]);

  if (placements.length === 0) return null;
  return (
    <instancedMesh
      ref={ref}
      args={[standInGeometry(), standInMaterial(), Math.max(1, capacity)]}
      name="stand-ins"
      // Stand-ins are not products: pointers and XR rays pass through them.
      raycast={() => undefined}
      dispose={null}
    />
  );
}
