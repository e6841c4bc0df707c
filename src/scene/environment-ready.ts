/**
 * When a scene's environment map has arrived: the Lighting rig registers the load of a scene's environment
 * here, and models wait for it before compiling their shaders, so that the environment's arrival does not make
 * three.js recompile every material in one frame. Keeps one promise per scene (weakly held).
 */
import type { Scene } from 'three';

const loads = new WeakMap<Scene, Promise<void>>();

/** Registers the environment load of `scene` (settles either way: a failed load leaves the lights alone). */
export function trackEnvironmentLoad(scene: Scene, load: Promise<unknown>): void {
  loads.set(
    scene,
    load.then(
      () => undefined,
      () => undefined,
    ),
  );
}

/** Resolves once the latest environment load registered for `scene` has settled (at once when none was). */
export function environmentSettled(scene: Scene): Promise<void> {
  return loads.get(scene) ?? Promise.resolve();
}
