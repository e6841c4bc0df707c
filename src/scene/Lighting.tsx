/**
 * A showroom's lights from its data: ambient, directional and point lights, and the room environment (the
 * same baked RoomEnvironment as the product viewer, see room-environment.ts) whose strength comes from the
 * data too (0 turns it off). The lights work at once; the environment joins when its file has loaded.
 */
import { useEffect } from 'react';
import { useThree } from '@react-three/fiber';
import type { Scene, Texture } from 'three';
import type { Showroom } from '../protocol/catalog';
import { roomEnvironmentTexture } from './room-environment';

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
    let texture: Texture | null = null;
    let unmounted = false;
    roomEnvironmentTexture(gl).then(
      (made) => {
        if (unmounted) {
          made.dispose();
          return;
        }
        texture = made;
        setEnvironment(scene, made);
        invalidate();
      },
      // Neither the file nor the fallback could make it: the room keeps its lights, without reflections.
      () => undefined,
    );
    return () => {
      unmounted = true;
      if (texture && scene.environment === texture) setEnvironment(scene, null);
      texture?.dispose();
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
