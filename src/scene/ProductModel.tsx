/**
 * One product model in a scene: a clone from the model cache, showing the requested material variant and
 * brightened while highlighted. Appears when its file has loaded, the scene's environment has arrived, its
 * shaders are compiled and its textures uploaded (the rest of the scene does not wait, and a headset does not drop
 * frames doing that work on the first draw), and gives its clone back to the cache on unmount.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useThree, type ThreeEvent } from '@react-three/fiber';
import type { Object3D, WebGLRenderer } from 'three';
import { environmentSettled } from './environment-ready';
import { modelCache, type ModelInstance } from './gltf-cache';

/** Uploads every texture the meshes under `root` use now, so that their first draw does not. */
function uploadTextures(gl: WebGLRenderer, root: Object3D): void {
  root.traverse((object) => {
    const material: unknown = (object as { material?: unknown }).material;
    for (const m of Array.isArray(material) ? material : [material]) {
      if (typeof m !== 'object' || m === null) continue;
      for (const value of Object.values(m as Record<string, unknown>)) {
        if (typeof value === 'object' && value !== null && (value as { isTexture?: boolean }).isTexture)
          gl.initTexture(value as Parameters<WebGLRenderer['initTexture']>[0]);
      }
    }
  });
}

/** Props of a product model. */
export interface ProductModelProps {
  /** Model URL (content-addressed GLB). */
  url: string;
  /** KHR_materials_variants name to show. */
  variant: string;
  /** Where the model's origin (bottom centre) goes, and its turn around +y in radians. */
  position?: [number, number, number];
  rotationY?: number;
  highlighted?: boolean;
  /** Called once the model is shown (true) or could not be loaded (false). */
  onSettled?: (loaded: boolean) => void;
  onClick?: (event: ThreeEvent<MouseEvent>) => void;
  onPointerOver?: (event: ThreeEvent<PointerEvent>) => void;
  onPointerOut?: (event: ThreeEvent<PointerEvent>) => void;
  name?: string;
}

/** A product model, loaded through the shared cache. */
export function ProductModel({
  url,
  variant,
  position,
  rotationY = 0,
  highlighted = false,
  onSettled,
  onClick,
  onPointerOver,
  onPointerOut,
  name,
}: ProductModelProps) {
  const invalidate = useThree((s) => s.invalidate);
  const gl = useThree((s) => s.gl);
  const camera = useThree((s) => s.camera);
  const scene = useThree((s) => s.scene);
  const [instance, setInstance] = useState<ModelInstance | null>(null);
  // The variant to compile the model's materials for (the latest one, read when the file has loaded).
  const variantRef = useRef(variant);
  useLayoutEffect(() => {
    variantRef.current = variant;
  }, [variant]);

  useEffect(() => {
    let cancelled = false;
    let acquired: ModelInstance | null = null;
    modelCache
      .acquire(url)
      .then(async (loaded) => {
        if (cancelled) return loaded;
        // Prepare everything the first frame would otherwise do: compile the programs the model needs with the
        // scene's lights and environment (waiting for the environment, whose arrival would recompile them), in
        // parallel where the driver offers KHR_parallel_shader_compile, and upload its textures. A failure here
        // is not fatal: the first draw does what is missing.
        try {
          loaded.setVariant(variantRef.current);
          await environmentSettled(scene);
          if (cancelled) return loaded;
          await gl.compileAsync(loaded.scene, camera, scene);
          uploadTextures(gl, loaded.scene);
        } catch (error) {
          console.warn(`Model ${url} could not be prepared ahead of its first frame`, error);
        }
        return loaded;
      })
      .then(
        (loaded) => {
          if (cancelled) {
            loaded.dispose();
            return;
          }
          acquired = loaded;
          setInstance(loaded);
          onSettled?.(true);
        },
        (error: unknown) => {
          if (cancelled) return;
          console.warn(`Model ${url} could not be loaded`, error);
          onSettled?.(false);
        },
      );
    return () => {
      cancelled = true;
      acquired?.dispose();
      setInstance(null);
    };
    // onSettled is a notification, not an input: a new callback must not reload the model (nor must a new
    // camera or renderer, which only serve the compile step).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [url]);

  useEffect(() => {
    if (!instance) return;
    instance.setVariant(variant);
    invalidate();
  }, [instance, variant, invalidate]);

  useEffect(() => {
    if (!instance) return;
    instance.setHighlight(highlighted);
    invalidate();
  }, [instance, highlighted, invalidate]);

  if (!instance) return null;
  return (
    <group
      name={name}
      position={position}
      rotation-y={rotationY}
      onClick={onClick}
      onPointerOver={onPointerOver}
      onPointerOut={onPointerOut}
    >
      <primitive object={instance.scene} />
    </group>
  );
}
