/**
 * The 3D side of AR try-on, rendered inside `<XR store={xrStore}>`: starts the `immersive-ar` session once the
 * store is connected to this canvas, loads the product's model (the shared model cache, scale 1), runs the
 * {@link ARPlacer} every XR frame, switches the material variant live, and takes snapshots when asked.
 */
import { useEffect, useRef, useState } from 'react';
import { useFrame, useThree } from '@react-three/fiber';
import type { TrueScaleCheck } from '../../core/ar-placement';
import type { Product } from '../../protocol/catalog';
import { modelCache, type ModelInstance } from '../../scene/gltf-cache';
import { enterAR, xrStore } from '../xr-store';
import { ARLights } from './ARLights';
import { ARPlacer, type ARPlacerReport } from './ar-placer';
import { renderSnapshot } from './ar-snapshot';

/** What the overlay can ask of the 3D side. */
export interface ARSceneApi {
  rotateBy: (radians: number) => void;
  replace: () => void;
  cancelDrag: () => void;
  /** A PNG of the view as it is in the next XR frame. */
  snapshot: () => Promise<Blob>;
}

/** Props of the AR scene. */
export interface ARSceneProps {
  product: Product;
  /** Name of the material variant to show. */
  materialVariant: string;
  onReport: (report: ARPlacerReport) => void;
  onModel: (check: TrueScaleCheck) => void;
  onApi: (api: ARSceneApi) => void;
  onLightEstimated: (estimated: boolean) => void;
  /** The session could not start, or the model could not load: the message says why. */
  onFail: (message: string) => void;
}

interface SnapshotRequest {
  resolve: (blob: Blob) => void;
  reject: (error: unknown) => void;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Session start, model, placement and snapshots of one AR try-on. */
export function ARScene({
  product,
  materialVariant,
  onReport,
  onModel,
  onApi,
  onLightEstimated,
  onFail,
}: ARSceneProps) {
  const gl = useThree((s) => s.gl);
  const scene = useThree((s) => s.scene);
  const [placer, setPlacer] = useState<ARPlacer | null>(null);
  const instanceRef = useRef<ModelInstance | null>(null);
  const variantRef = useRef(materialVariant);
  const snapshotRef = useRef<SnapshotRequest | null>(null);
  const sessionRef = useRef<Promise<XRSession | undefined> | null>(null);
  const callbacks = useRef({ onReport, onModel, onFail });
  useEffect(() => {
    callbacks.current = { onReport, onModel, onFail };
  });

  // One placer and one model instance per product.
  useEffect(() => {
    const made = new ARPlacer(product.placement, (report) => callbacks.current.onReport(report));
    scene.add(made.root);
    setPlacer(made);
    let cancelled = false;
    modelCache.acquire(product.model.url).then(
      (instance) => {
        if (cancelled) {
          instance.dispose();
          return;
        }
        instanceRef.current = instance;
        instance.setVariant(variantRef.current);
        callbacks.current.onModel(made.setModel(instance, product.dimensions));
      },
      (error: unknown) => {
        if (!cancelled) callbacks.current.onFail(`The 3D model could not load: ${messageOf(error)}`);
      },
    );
    return () => {
      cancelled = true;
      made.stop();
      instanceRef.current?.dispose();
      instanceRef.current = null;
    };
  }, [scene, product.placement, product.model.url, product.dimensions]);

  // The session starts once (the store is connected to this canvas by now: <XR> renders before its children).
  useEffect(() => {
    if (!placer) return;
    // Another `<XR>` canvas on the page (the product's VR view) may have connected the store last.
    if (!sessionRef.current) xrStore.setWebXRManager(gl.xr);
    sessionRef.current ??= enterAR();
    let live = true;
    sessionRef.current.then(
      (session) => {
        if (!session) throw new Error('The browser did not start an AR session.');
        if (live) return placer.start(session);
      },
      (error: unknown) => {
        if (live) callbacks.current.onFail(messageOf(error));
      },
    );
    return () => {
      live = false;
    };
  }, [placer, gl]);

  useEffect(() => {
    variantRef.current = materialVariant;
    instanceRef.current?.setVariant(materialVariant);
  }, [materialVariant]);

  useEffect(() => {
    if (!placer) return;
    onApi({
      rotateBy: (radians) => placer.rotateBy(radians),
      replace: () => placer.replace(),
      cancelDrag: () => placer.cancelDrag(),
      snapshot: () =>
        new Promise<Blob>((resolve, reject) => {
          snapshotRef.current?.reject(new Error('A newer snapshot was asked for.'));
          snapshotRef.current = { resolve, reject };
        }),
    });
  }, [placer, onApi]);

  useFrame((_state, delta, frame?: XRFrame) => {
    const space = gl.xr.getReferenceSpace();
    if (!placer || !frame || !space) return;
    placer.update(frame, space, delta);
    const request = snapshotRef.current;
    if (request) {
      snapshotRef.current = null;
      renderSnapshot(gl, scene).then(request.resolve, request.reject);
    }
  });

  return <ARLights onEstimated={onLightEstimated} />;
}
