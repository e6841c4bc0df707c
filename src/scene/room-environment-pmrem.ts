/**
 * Generates the room environment on the device with three.js's PMREMGenerator: the fallback when the baked
 * file (room-environment.ts) cannot be had, and the reference the bake script filters from. Seconds of GPU
 * work on software WebGL, so the viewer only loads this module when it needs it.
 */
import { PMREMGenerator, type Texture, type WebGLRenderer } from 'three';
import { RoomEnvironment } from 'three/examples/jsm/environments/RoomEnvironment.js';

/** Blur (radians) applied to three's RoomEnvironment before GGX filtering: softens its light panels. */
export const ROOM_ENVIRONMENT_SIGMA = 0.04;

/** Renders RoomEnvironment into a PMREM with `renderer`; the caller disposes the texture. */
export function generateRoomEnvironment(renderer: WebGLRenderer): Texture {
  const pmrem = new PMREMGenerator(renderer);
  const room = new RoomEnvironment();
  const texture = pmrem.fromScene(room, ROOM_ENVIRONMENT_SIGMA).texture;
  room.dispose();
  pmrem.dispose();
  return texture;
}
