/**
 * Unit-sized geometry and shared materials of the stand kinds. Each geometry spans -0.5..0.5 on every axis
 * so that an instance matrix scales it to the stand's real size; one geometry and one material per kind are
 * shared by every showroom, so all stands of a kind cost one draw call.
 */
import { BoxGeometry, CylinderGeometry, MeshStandardMaterial, type BufferGeometry } from 'three';
import { mergeGeometries } from 'three/examples/jsm/utils/BufferGeometryUtils.js';
import type { StandKind } from '../core/layout';

function tableGeometry(): BufferGeometry {
  const top = new BoxGeometry(1, 0.08, 1).translate(0, 0.46, 0);
  const parts: BufferGeometry[] = [top];
  for (const x of [-0.44, 0.44]) {
    for (const z of [-0.44, 0.44]) parts.push(new BoxGeometry(0.06, 0.92, 0.06).translate(x, -0.04, z));
  }
  const merged = mergeGeometries(parts, false);
  for (const p of parts) p.dispose();
  return merged;
}

const geometries = new Map<StandKind, BufferGeometry>();
const materials = new Map<StandKind, MeshStandardMaterial>();

const COLORS: Record<StandKind, number> = {
  floor: 0xcfc6b8,
  plinth: 0xf3f0ea,
  table: 0xa47d58,
  wall: 0xe9e5de,
};

/** The shared unit geometry of a stand kind. */
export function standGeometry(kind: StandKind): BufferGeometry {
  let g = geometries.get(kind);
  if (!g) {
    g =
      kind === 'floor'
        ? new CylinderGeometry(0.5, 0.5, 1, 48)
        : kind === 'table'
          ? tableGeometry()
          : new BoxGeometry(1, 1, 1);
    geometries.set(kind, g);
  }
  return g;
}

/** The shared material of a stand kind. */
export function standMaterial(kind: StandKind): MeshStandardMaterial {
  let m = materials.get(kind);
  if (!m) {
    m = new MeshStandardMaterial({
      color: COLORS[kind],
      roughness: kind === 'table' ? 0.6 : 0.8,
      metalness: 0,
    });
    materials.set(kind, m);
  }
  return m;
}
