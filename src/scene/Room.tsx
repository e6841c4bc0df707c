/**
 * The showroom's shell: a floor and one inside-out box for the walls and ceiling (two draw calls in all).
 * Props in, no I/O; a click on the floor reports the floor point so that the walker can go there.
 */
import { BackSide } from 'three';
import type { ThreeEvent } from '@react-three/fiber';

/** Props of the room shell. */
export interface RoomProps {
  width: number;
  depth: number;
  height: number;
  floorColor: string;
  wallColor: string;
  /** A click (not a drag) on the floor, with the floor point hit. */
  onFloorClick?: (x: number, z: number) => void;
}

/** Pointer travel (px) under which a press and release counts as a click rather than a look-around drag. */
export const CLICK_TOLERANCE_PX = 6;

/** Floor, walls and ceiling of a rectangular room centred on the origin. */
export function Room({ width, depth, height, floorColor, wallColor, onFloorClick }: RoomProps) {
  const onClick = (event: ThreeEvent<MouseEvent>): void => {
    if (!onFloorClick || event.delta > CLICK_TOLERANCE_PX) return;
    event.stopPropagation();
    onFloorClick(event.point.x, event.point.z);
  };
  return (
    <group>
      <mesh rotation-x={-Math.PI / 2} onClick={onClick} name="floor">
        <planeGeometry args={[width, depth]} />
        <meshStandardMaterial color={floorColor} roughness={0.85} metalness={0} />
      </mesh>
      {/* Sunk a little so its bottom face never fights with the floor. */}
      <mesh position-y={height / 2 - 0.02} name="walls">
        <boxGeometry args={[width, height + 0.02, depth]} />
        <meshStandardMaterial color={wallColor} roughness={0.95} metalness={0} side={BackSide} />
      </mesh>
    </group>
  );
}
