/**
 * The 3D side of AR try-on, rendered inside `<XR store={xrStore}>`: hands the `immersive-ar` session requested in
 * the shopper's tap (see ./ar-session-request) to this canvas's WebXR manager, loads the product's model (the
 * shared model cache, scale 1), runs the {@link ARPlacer} every XR frame, switches the material variant live,
 * and takes snapshots when asked. A press whose controller ray is on the in-headset panel (`ui`) when it starts is
 * the panel's: the placer ignores it.
 */
import { useEffect, useRef, useState, type RefObject } from 'react';
import { useFrame, useThree } from '@react-three/fiber';
import type { Group, Object3D } from 'three';
import type { TrueScaleCheck } from '../../core/ar-placement';
import type { Product } from '../../protocol/catalog';
import { modelCache, type ModelInstance } from '../../scene/gltf-cache';
import { isMesh } from '../../scene/material-variants';
import { xrStore } from '../xr-store';
import { ARLights } from './ARLights';
import { ARPlacer, type ARPlacerReport } from './ar-placer';
import { renderSnapshot } from './ar-snapshot';
import { guardLightProbe } from './light-probe-guard';
import { arStartFailure } from './ar-text';
import { rayHitsObject } from './ray-hits-object';

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
  /** The session requested in the shopper's tap (it rejects when the browser refused it). */
  session: Promise<XRSession>;
  /** Name of the material variant to show. */
  materialVariant: string;
  onReport: (report: ARPlacerReport) => void;
  onModel: (check: TrueScaleCheck) => void;
  /** The names of the materials the model's meshes show now, in scene order (after each variant switch). */
  onMaterials: (names: string[]) => void;
  onApi: (api: ARSceneApi) => void;
  onLightEstimated: (estimated: boolean) => void;
  /** The session could not start, or the model could not load: the message says why, for the shopper. */
  onFail: (message: string) => void;
  /** The in-headset panel's group while it shows: presses that start on it are not the placer's. */
  ui?: RefObject<Group | null>;
}

interface SnapshotRequest {
  resolve: (blob: Blob) => void;
  reject: (error: unknown) => void;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The material names `root`'s meshes show, depth first (a mesh with several materials lists each). */
function materialNames(root: Object3D): string[] {
  const names: string[] = [];
  root.traverse((o) => {
    if (!isMesh(o)) return;
    for (const m of Array.isArray(o.material) ? o.material : [o.material]) names.push(m.name);
  });
  return names;
}

/** Session start, model, placement and snapshots of one AR try-on. */
export function ARScene({
  product,
  session: sessionRequest,
  materialVariant,
  onReport,
  onModel,
  onMaterials,
  onApi,
  onLightEstimated,
  onFail,
  ui,
}: ARSceneProps) {
  const gl = useThree((s) => s.gl);
  const scene = useThree((s) => s.scene);
  const [placer, setPlacer] = useState<ARPlacer | null>(null);
  const [session, setSession] = useState<XRSession | null>(null);
  const instanceRef = useRef<ModelInstance | null>(null);
  const variantRef = useRef(materialVariant);
  const snapshotRef = useRef<SnapshotRequest | null>(null);
  /** The hand-over of the session to this canvas (once, even when effects re-run). */
  const adoptRef = useRef<Promise<void> | null>(null);
  const callbacks = useRef({ onReport, onModel, onMaterials, onFail });
  useEffect(() => {
    callbacks.current = { onReport, onModel, onMaterials, onFail };
  });

  // One placer and one model instance per product model: a catalog pull that rewrites the product with the same
  // values (a new object) leaves the placement alone.
  const { id, placement } = product;
  const modelUrl = product.model.url;
  const { width, height, depth } = product.dimensions;
  useEffect(() => {
    const made = new ARPlacer(placement, (report) => callbacks.current.onReport(report));
    if (ui) made.claimSelectsWhere((event) => rayHitsObject(event, gl.xr.getReferenceSpace(), ui.current));
    scene.add(made.root);
    setPlacer(made);
    let cancelled = false;
    modelCache.acquire(modelUrl).then(
      (instance) => {
        if (cancelled) {
          instance.dispose();
          return;
        }
        instanceRef.current = instance;
        instance.setVariant(variantRef.current);
        callbacks.current.onModel(made.setModel(instance, { width, height, depth }));
        callbacks.current.onMaterials(materialNames(instance.scene));
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
  }, [scene, gl, ui, id, placement, modelUrl, width, height, depth]);

  // The session the tap asked for: once the browser grants it, it is this canvas's.
  useEffect(() => {
    let live = true;
    sessionRequest.then(
      (granted) => {
        if (live) setSession(granted);
      },
      (error: unknown) => {
        if (live) callbacks.current.onFail(arStartFailure(error));
      },
    );
    return () => {
      live = false;
    };
  }, [sessionRequest]);

  useEffect(() => {
    if (!session || !placer) return;
    let live = true;
    const start = async (): Promise<void> => {
      // Another `<XR>` canvas on the page (the product's VR view) may have connected the store last. The store
      // binds to the session when the manager starts it ('sessionstart'), as with its own enterAR.
      xrStore.setWebXRManager(gl.xr);
      adoptRef.current ??= (async () => {
        guardLightProbe(session);
        if (gl.xr.getSession() !== session) await gl.xr.setSession(session);
        // The product's VR canvas renders its own `<XR>`, which reconnects the store to its manager; when that
        // happened while this one was starting the session, the store missed 'sessionstart'. Reconnect it here
        // and announce the start again (the renderer's own listeners take a repeat as a no-op).
        if (xrStore.getState().session !== session) {
          xrStore.setWebXRManager(gl.xr);
          gl.xr.dispatchEvent({ type: 'sessionstart' });
        }
      })();
      await adoptRef.current;
      if (live) await placer.start(session);
    };
    start().catch((error: unknown) => {
      if (live) callbacks.current.onFail(arStartFailure(error));
    });
    return () => {
      live = false;
    };
  }, [session, placer, gl]);

  useEffect(() => {
    variantRef.current = materialVariant;
    const instance = instanceRef.current;
    if (!instance) return;
    instance.setVariant(materialVariant);
    callbacks.current.onMaterials(materialNames(instance.scene));
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
