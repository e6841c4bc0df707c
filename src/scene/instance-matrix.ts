/**
 * Setting one instance of an instanced mesh to an upright box: a position, a turn about +y and a size. Shared by
 * the instanced stands and stand-ins; owns the scratch objects it composes with (no allocation per instance).
 */
import { Euler, Matrix4, Quaternion, Vector3, type InstancedMesh } from 'three';

const matrix = new Matrix4();
const position = new Vector3();
const rotation = new Quaternion();
const euler = new Euler();
const scale = new Vector3();

/** Sets instance `index` of `mesh` at (x, y, z), turned by `yaw` radians about +y, scaled (sx, sy, sz). */
export function setYawInstance(
  mesh: InstancedMesh,
  index: number,
  x: number,
  y: number,
  z: number,
  yaw: number,
  sx: number,
  sy: number,
  sz: number,
): void {
  position.set(x, y, z);
  rotation.setFromEuler(euler.set(0, yaw, 0));
  scale.set(sx, sy, sz);
  mesh.setMatrixAt(index, matrix.compose(position, rotation, scale));
}
