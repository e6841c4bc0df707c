/**
 * A showroom's lights from its data: ambient, directional and point lights, and a procedural room environment
 * (RoomEnvironment through PMREM, generated on the device: no environment map is downloaded) whose strength
 * comes from the data too (0 turns it off).
 */
import { useEffect } from 'react';
import { useThree } from '@react-three/fiber';
import { PMREMGenerator, type Scene, type Texture } from 'three';
import { RoomEnvironment } from 'three/examples/jsm/environments/RoomEnvironment.js';
import type { Showroom } from '../protocol/catalog';

/** Points the scene's image-based lighting at `texture` (null clears it). */
function setEnvironment(scene: Scene, texture: Texture | null): void {
  scene.environment = texture;
}

/** Sets how strongly the environment lights the scene. */
function setEnvironmentIntensity(scene: Scene, intensity: number): void {
  scene.environmentIntensity = intensity;
}

/** Props of the lighting rig. */
export interface LightingProps {
  lighting: Showroom['lighting'];
}

/** Lights and environment of a showroom. */
export function Lighting({ lighting }: LightingProps) {
  const gl = useThree((s) => s.gl);
  const scene = useThree((s) => s.scene);
  const invalidate = useThree((s) => s.invalidate);
  const envIntensity = lighting.environmentIntensity;
  const hasEnvironment = envIntensity > 0;

  useEffect(() => {
    if (!hasEnvironment) return;
    const pmrem = new PMREMGenerator(gl);
    const room = new RoomEnvironment();
    const texture = pmrem.fromScene(room, 0.04).texture;
    room.dispose();
    pmrem.dispose();
    setEnvironment(scene, texture);
    invalidate();
    return () => {
      if (scene.environment === texture) setEnvironment(scene, null);
      texture.dispose();
    };
  }, [gl, scene, invalidate, hasEnvironment]);

  useEffect(() => {
    setEnvironmentIntensity(scene, envIntensity);
    invalidate();
  }, [scene, envIntensity, invalidate]);

  return (
    <>
      <ambientLight color={lighting.ambient.color} intensity={lighting.ambient.intensity} />
      {lighting.lights.map((light, i) =>
        light.type === 'directional' ? (
          <directionalLight
            key={i}
            position={light.position}
            color={light.color}
            intensity={light.intensity}
          />
        ) : (
          <pointLight
            key={i}
            position={light.position}
            color={light.color}
            intensity={light.intensity}
            decay={2}
            distance={0}
          />
        ),
      )}
    </>
  );
}
