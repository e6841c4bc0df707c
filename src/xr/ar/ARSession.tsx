/**
 * AR try-on of one product ("View in your space"): a full-screen canvas joined to the app's one XR store, the
 * `immersive-ar` session the shopper's tap requested (hit test, anchors, DOM overlay, light estimation; see
 * ./ar-session-request) and its phone UI in the store's DOM-overlay root. Default export: the product page loads
 * this chunk on demand (prefetched where AR is supported). Unmounting it ends the session; the session ending
 * (Exit, or the system) calls `onEnd`.
 *
 * Side effects owned here: the styling of the XR store's DOM-overlay root while mounted (full screen, above
 * the page and any emulator canvas), and the overlay's per-frame data-* attributes (`data-ar-hit`,
 * `data-ar-bbox` JSON [[minX, minY, minZ], [maxX, maxY, maxZ]] in metres, `data-ar-turn` degrees,
 * `data-ar-anchored`), written straight to the DOM rather than through React state. Where the session has no DOM
 * overlay (a Quest: `domOverlayState` undefined, the overlay never shows in the headset), the same controls are an
 * in-headset panel (./ARPanel) pressed with a controller's trigger; turn, re-place and exit do the same from both.
 */
import { useCallback, useEffect, useRef, useState, type CSSProperties } from 'react';
import { createPortal } from 'react-dom';
import { Canvas } from '@react-three/fiber';
import { XR, XROrigin } from '@react-three/xr';
import type { Group } from 'three';
import type { TrueScaleCheck } from '../../core/ar-placement';
import type { Product } from '../../protocol/catalog';
import { xrStore } from '../xr-store';
import { AROverlay } from './AROverlay';
import { ARPanel } from './ARPanel';
import { ARScene, type ARSceneApi } from './ARScene';
import type { ARPlacerReport, ReticleState } from './ar-placer';

/** Props of an AR try-on session. */
export interface ARSessionProps {
  product: Product;
  /** The session requested in the shopper's tap (`requestARSession` of ./ar-session-request). */
  session: Promise<XRSession>;
  /** The variant to show first. */
  sku: string;
  /** The shopper switched the variant in AR (the page follows). */
  onSelectSku?: (sku: string) => void;
  /** The session runs (the page stops saying "Starting AR…"). */
  onRunning?: () => void;
  /** The session ended; `error` says why it could not start or run, null after a normal exit. */
  onEnd: (error: string | null) => void;
}

const hostStyle: CSSProperties = {
  position: 'fixed',
  inset: 0,
  pointerEvents: 'none',
  // The canvas shows only in the headset or phone; on the page it stays out of sight.
  opacity: 0,
};

/** What the overlay root looks like while an AR session runs (the store only switches its `display`). */
const OVERLAY_ROOT_STYLE: readonly (readonly [string, string])[] = [
  ['position', 'fixed'],
  ['inset', '0'],
  ['z-index', '2147483000'],
  ['pointer-events', 'none'],
];

/** Ends `session` (if any); ending one that already ended is not an error here. */
function endQuietly(session: XRSession | undefined): void {
  if (!session) return;
  try {
    session.end().catch(() => undefined);
  } catch {
    // Already ended.
  }
}

/** One AR try-on session of a product. */
export default function ARSession({ product, session, sku, onSelectSku, onRunning, onEnd }: ARSessionProps) {
  const [currentSku, setCurrentSku] = useState(sku);
  const variant = product.variants.find((v) => v.sku === currentSku) ?? product.variants[0];
  if (!variant) throw new Error(`Product ${product.id} has no variants.`);
  const overlayRef = useRef<HTMLDivElement>(null);
  const apiRef = useRef<ARSceneApi | null>(null);
  const [running, setRunning] = useState(false);
  const [reticle, setReticle] = useState<ReticleState>('searching');
  const [refusal, setRefusal] = useState<string | null>(null);
  const [placed, setPlaced] = useState(false);
  const [scale, setScale] = useState<TrueScaleCheck | null>(null);
  const [lightEstimated, setLightEstimated] = useState(false);
  const [materials, setMaterials] = useState<string[] | null>(null);
  const [dragging, setDragging] = useState(false);
  /** The session has no DOM overlay: the controls are the in-headset panel. */
  const [headset, setHeadset] = useState(false);
  const panelRef = useRef<Group>(null);
  const boxRef = useRef<ARPlacerReport['bbox']>(null);
  const onEndRef = useRef(onEnd);
  const onRunningRef = useRef(onRunning);
  useEffect(() => {
    onEndRef.current = onEnd;
    onRunningRef.current = onRunning;
  });
  const root = xrStore.getState().domOverlayRoot;

  useEffect(() => {
    if (!(root instanceof HTMLElement)) return;
    // CSSStyleDeclaration's values are not own properties: read each one, with its priority, to put it back.
    const before = OVERLAY_ROOT_STYLE.map(([name]) => ({
      name,
      value: root.style.getPropertyValue(name),
      priority: root.style.getPropertyPriority(name),
    }));
    for (const [name, value] of OVERLAY_ROOT_STYLE) root.style.setProperty(name, value);
    return () => {
      for (const { name, value, priority } of before) {
        if (value) root.style.setProperty(name, value, priority);
        else root.style.removeProperty(name);
      }
    };
  }, [root]);

  // Running while the store has an AR session; its end (Exit, or the system's) ends this component's use.
  useEffect(() => {
    let had = false;
    const check = (): void => {
      const { session, mode } = xrStore.getState();
      const now = session != null && mode === 'immersive-ar';
      setHeadset(now && session.domOverlayState == null);
      if (now && !had) {
        setRunning(true);
        onRunningRef.current?.();
      }
      if (had && !now) onEndRef.current(null);
      had = now;
    };
    check();
    return xrStore.subscribe(check);
  }, []);

  // Leaving the page mid-session ends the session (after React's StrictMode re-mount check in development).
  useEffect(
    () => () => {
      setTimeout(() => {
        const { session, mode } = xrStore.getState();
        if (session && mode === 'immersive-ar' && !document.contains(overlayRef.current)) endQuietly(session);
      });
    },
    [],
  );

  const onReport = useCallback((report: ARPlacerReport) => {
    setReticle(report.reticle);
    setRefusal(report.refusal);
    setPlaced(report.placed);
    setDragging(report.dragging);
    boxRef.current = report.bbox;
    const element = overlayRef.current;
    if (!element) return;
    const set = (name: string, value: string | null): void => {
      if (value === null) element.removeAttribute(name);
      else element.setAttribute(name, value);
    };
    set('data-ar-hit', report.hit ? JSON.stringify(report.hit) : null);
    set('data-ar-bbox', report.bbox ? JSON.stringify(report.bbox) : null);
    set('data-ar-turn', report.placed ? String(report.turnDeg) : null);
    set('data-ar-anchored', report.placed ? String(report.anchored) : null);
    set('data-ar-dragging', String(report.dragging));
  }, []);

  const onFail = useCallback((message: string) => {
    const { session } = xrStore.getState();
    if (session) endQuietly(session);
    onEndRef.current(message);
  }, []);

  const selectSku = (next: string): void => {
    setCurrentSku(next);
    onSelectSku?.(next);
  };
  const turn = (degrees: number): void => apiRef.current?.rotateBy((degrees * Math.PI) / 180);
  const replace = (): void => apiRef.current?.replace();
  const exit = (): void => endQuietly(xrStore.getState().session);

  return (
    <>
      <div style={hostStyle} aria-hidden="true">
        <Canvas frameloop="always" gl={{ alpha: true, antialias: true }} camera={{ near: 0.01, far: 50 }}>
          <XR store={xrStore}>
            {/* The XR origin of AR is the room's own reference space origin: controllers and hands live in this
                canvas's world (another canvas on the page must not lend its origin). */}
            <XROrigin />
            <ARScene
              product={product}
              session={session}
              materialVariant={variant.materialVariant}
              onReport={onReport}
              onModel={setScale}
              onMaterials={setMaterials}
              onApi={useCallback((api: ARSceneApi) => {
                apiRef.current = api;
              }, [])}
              onLightEstimated={setLightEstimated}
              onFail={onFail}
              ui={panelRef}
            />
            {headset && (
              <ARPanel
                element={overlayRef}
                panel={panelRef}
                product={product}
                variant={variant}
                placed={placed}
                dragging={dragging}
                box={boxRef}
                onSelectSku={selectSku}
                onTurn={turn}
                onReplace={replace}
                onExit={exit}
              />
            )}
          </XR>
        </Canvas>
      </div>
      {root &&
        createPortal(
          <AROverlay
            ref={overlayRef}
            product={product}
            variant={variant}
            running={running}
            reticle={reticle}
            refusal={refusal}
            placed={placed}
            scale={scale}
            lightEstimated={lightEstimated}
            materials={materials}
            onSelectSku={selectSku}
            onTurn={turn}
            onTwistStart={() => apiRef.current?.cancelDrag()}
            onReplace={replace}
            onSnapshot={() =>
              apiRef.current ? apiRef.current.snapshot() : Promise.reject(new Error('AR is not running.'))
            }
            onExit={exit}
          />,
          root,
        )}
    </>
  );
}
