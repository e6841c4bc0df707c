/**
 * A showroom's lights from its data: ambient, directional and point lights, and the room environment (the
 * same baked RoomEnvironment as the product viewer, see room-environment.ts) whose strength comes from the
 * data too (0 turns it off). The lights work at once; the environment joins when its file has loaded.
 */
import { useEffect } from 'react';
import { useThree } from '@react-three/fiber';
import type { Texture } from 'three';
import type { Showroom } from '../protocol/catalog';
import { trackEnvironmentLoad } from './environment-ready';
import { roomEnvironmentTexture } from './room-environment';

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
    const load = roomEnvironmentTexture(gl).then(
      (made) => {
        if (unmounted) {
          made.dispose();
          return;
        }
        texture = made;
        scene.environment = made;
        invalidate();
      },
      // Neither the file nor the fallback could make it: the room keeps its lights, without reflections.
      () => undefined,
    );
    trackEnvironmentLoad(scene, load);
    return () => {
      unmounted = true;
      if (texture && scene.environment === texture) scene.environment = null;
      texture?.dispose();
    };
  }, [gl, scene, invalidate, hasEnvironment]);

  // The three.js scene is an external mutable object R3F owns and hands out; setting its properties in an
  // effect is how it is meant to be driven (as the texture callbacks above do, where the rule does not look).
  useEffect(() => {
    // eslint-disable-next-line react-hooks/immutability -- three.js scene is an external mutable object owned by R3F
    scene.environmentIntensity = envIntensity;
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
