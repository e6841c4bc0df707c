/**
 * Lights of the AR view: the device's light estimate (three's XREstimatedLight, `light-estimation`) where the
 * session has it, else default lights and the app's baked room environment for reflections. Mount it before the
 * session starts: the estimated light asks for its light probe when the session begins.
 */
import { useEffect, useRef, useState } from 'react';
import { useThree } from '@react-three/fiber';
import type { Scene, Texture } from 'three';
import { XREstimatedLight } from 'three/examples/jsm/webxr/XREstimatedLight.js';
import { roomEnvironmentTexture } from '../../scene/room-environment';

/** Props of the AR lights. */
export interface ARLightsProps {
  /** Called with true once the device's estimate lights the scene, false when default lights do. */
  onEstimated: (estimated: boolean) => void;
}

/**
 * Points the scene's reflections at `texture` (null: none). The three.js scene is an external object R3F owns
 * and hands out; it is meant to be driven this way.
 */
function showEnvironment(scene: Scene, texture: Texture | null): void {
  scene.environment = texture;
}

/** Estimated lighting where available, default lights otherwise. */
export function ARLights({ onEstimated }: ARLightsProps) {
  const gl = useThree((s) => s.gl);
  const scene = useThree((s) => s.scene);
  const lightRef = useRef<XREstimatedLight | null>(null);
  const [estimated, setEstimated] = useState(false);

  useEffect(() => {
    const made = new XREstimatedLight(gl);
    const start = (): void => setEstimated(true);
    const end = (): void => setEstimated(false);
    made.addEventListener('estimationstart', start);
    made.addEventListener('estimationend', end);
    scene.add(made);
    lightRef.current = made;
    return () => {
      made.removeEventListener('estimationstart', start);
      made.removeEventListener('estimationend', end);
      scene.remove(made);
      made.dispose();
      lightRef.current = null;
    };
  }, [gl, scene]);

  useEffect(() => onEstimated(estimated), [estimated, onEstimated]);

  // Reflections: the device's environment cube when it estimates one, else the baked room.
  useEffect(() => {
    const device = estimated ? lightRef.current?.environment : null;
    if (device) {
      showEnvironment(scene, device);
      return () => {
        if (scene.environment === device) showEnvironment(scene, null);
      };
    }
    let texture: Texture | null = null;
    let unmounted = false;
    roomEnvironmentTexture(gl).then(
      (made) => {
        if (unmounted) {
          made.dispose();
          return;
        }
        texture = made;
        showEnvironment(scene, made);
      },
      // No environment file and none could be generated: the lights alone.
      () => undefined,
    );
    return () => {
      unmounted = true;
      if (texture && scene.environment === texture) showEnvironment(scene, null);
      texture?.dispose();
    };
  }, [gl, scene, estimated]);

  return estimated ? null : (
    <>
      <hemisphereLight args={[0xffffff, 0x8d8a85, 1.2]} />
      <directionalLight position={[1.5, 3, 1]} intensity={1.4} />
    </>
  );
}
