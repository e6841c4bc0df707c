/**
 * The product page in VR (default export: loaded on demand, only where immersive VR is supported, see
 * ProductVREntry). Owns an R3F canvas connected to the app's XR store, kept out of sight on the page (a headset
 * shows it, the page never does): the product at true size on the stand its placement implies, about 1.5 m in front
 * of the shopper, in a neutral room with neutral lights, with the showroom's VR locomotion and VR shopping layer
 * (pointing, product panel with variants, Add to cart through the outbox, Inspect, wrist cart). A variant chosen in
 * VR goes to the page (`onSelectSku`, the page's `sku` search param), so leaving VR finds the page as it was with
 * that variant selected. Also renders the "Enter VR" / "Exit VR" button where the page places it.
 *
 * Side effects owned here: the view element's `data-testid="product-vr-view"`, `data-state` (`loading`, `ready`
 * once the model is shown in a session, `error` if it could not load), `data-xr` (`none` | `vr` | `ar`), and
 * through its children `data-xr-frames`, `data-xr-rotation` and the `data-xr-*` attributes of XRShopping.
 */
import { useCallback, useMemo, useRef, useState, type CSSProperties } from 'react';
import { Canvas } from '@react-three/fiber';
import type { Group, WebGLRenderer } from 'three';
import { XR, XROrigin } from '@react-three/xr';
import { EYE_HEIGHT } from '../../core/walk';
import type { Product, Variant } from '../../protocol/catalog';
import { Lighting } from '../../scene/Lighting';
import { ProductModel } from '../../scene/ProductModel';
import { Room } from '../../scene/Room';
import { Stand } from '../../scene/Stand';
import { StandIns } from '../../scene/StandIns';
import { EnterVRButton } from '../../xr/EnterVRButton';
import { VRLocomotion } from '../../xr/locomotion/VRLocomotion';
import XRShopping from '../../xr/panels/XRShopping';
import { XRFrameCounter } from '../../xr/XRFrameCounter';
import { useXRPresence, xrStore } from '../../xr/xr-store';
import { productVRScene } from './product-vr-scene';
import './product-vr.css';

/** Props of the product's VR view. */
export interface ProductVRViewProps {
  product: Product;
  /** The page's selected variant (shown on the model and the VR panel). */
  variant: Variant;
  /** The shopper chose a variant in VR: the page selects it (as its variant picker does). */
  onSelectSku: (sku: string) => void;
}

/**
 * Out of the layout and out of sight, but measured (R3F only starts a canvas with a size): the page shows the
 * product in its own viewer; this canvas is drawn only into the headset (IWER, in tests, shows it over the page).
 */
const stageStyle: CSSProperties = {
  position: 'fixed',
  left: 0,
  top: 0,
  width: 320,
  height: 240,
  visibility: 'hidden',
  pointerEvents: 'none',
};

/** The product in a VR room, and the button that enters it. */
export default function ProductVRView({ product, variant, onSelectSku }: ProductVRViewProps) {
  const elementRef = useRef<HTMLDivElement | null>(null);
  const originRef = useRef<Group | null>(null);
  const glRef = useRef<WebGLRenderer | null>(null);
  const [canvasReady, setCanvasReady] = useState(false);
  const scene = useMemo(() => productVRScene(product), [product]);
  const placed = useMemo(() => [{ fixture: scene.fixture, product, layout: scene.layout }], [scene, product]);
  const standPlacements = useMemo(() => [scene.standPlacement], [scene]);
  const standIn = useMemo(() => [{ layout: scene.layout, size: product.dimensions }], [scene, product]);
  const [hovered, setHovered] = useState<string | null>(null);
  // The product is in the shopper's hand (Inspect): the one on the stand hides meanwhile.
  const [inspected, setInspected] = useState<string | null>(null);
  const [modelState, setModelState] = useState<'loading' | 'ready' | 'error'>('loading');
  const xr = useXRPresence();

  const variantOf = useCallback(() => variant, [variant]);
  const chooseVariant = useCallback((_fixtureId: string, sku: string) => onSelectSku(sku), [onSelectSku]);
  // Another `<XR>` canvas on the page (AR) may have connected the store last: the session goes to this one.
  // The product model mounts with each session, and is waited for again.
  const connect = useCallback(() => {
    const gl = glRef.current;
    if (gl) xrStore.setWebXRManager(gl.xr);
    setModelState('loading');
  }, []);

  const { layout, room, start } = scene;
  return (
    <>
      <div
        ref={elementRef}
        style={stageStyle}
        data-testid="product-vr-view"
        data-state={modelState}
        data-xr={xr}
        aria-hidden="true"
      >
        <Canvas
          frameloop="demand"
          dpr={1}
          gl={{ antialias: true }}
          camera={{ fov: 70, near: 0.05, far: 100, position: [start.x, EYE_HEIGHT, start.z] }}
          onCreated={({ gl }) => {
            glRef.current = gl;
            setCanvasReady(true);
          }}
        >
          {/* Not while an AR session runs: each `<XR>` sets the store's origin from its own camera every frame it
              draws, so this one and the AR canvas's would swap it per frame, remounting the controllers' pointers,
              which replay the trigger's selectstart (one pull pressed the AR panel once per frame). */}
          {xr !== 'ar' && (
            <XR store={xrStore}>
              {/* The shopper starts facing the product (-z), on the floor (local-floor height). */}
              {/* Only during a VR session: the XR store takes the last mounted origin as the session's, and an AR
                session on this page has its own. */}
              {xr === 'vr' && (
                <>
                  <XROrigin ref={originRef} position={[start.x, 0, start.z]} />
                  <VRLocomotion
                    origin={originRef}
                    bounds={scene.bounds}
                    obstacles={scene.obstacles}
                    element={elementRef}
                  />
                </>
              )}
              {/* The room and the product exist only during a session: a page that is not in VR draws nothing
                here and loads nothing more. */}
              {xr === 'vr' && (
                <>
                  <Lighting lighting={scene.lighting} />
                  <Room
                    width={room.width}
                    depth={room.depth}
                    height={room.height}
                    floorColor={room.floorColor}
                    wallColor={room.wallColor}
                  />
                  <Stand kind={scene.stand} placements={standPlacements} />
                  {/* A true-size box stands in for the model until it has loaded (and if it cannot load). */}
                  <StandIns placements={modelState === 'ready' ? [] : standIn} capacity={1} />
                  <group visible={inspected !== product.id}>
                    <ProductModel
                      name={`product-vr-${product.id}`}
                      url={product.model.url}
                      variant={variant.materialVariant}
                      position={[layout.x, layout.productY, layout.z]}
                      rotationY={layout.rotationY}
                      highlighted={hovered === product.id}
                      onSettled={(loaded) => setModelState(loaded ? 'ready' : 'error')}
                    />
                  </group>
                </>
              )}
              <XRFrameCounter element={elementRef} />
              {xr === 'vr' && (
                <XRShopping
                  element={elementRef}
                  placed={placed}
                  variantOf={variantOf}
                  onChooseVariant={chooseVariant}
                  onHover={setHovered}
                  onInspect={setInspected}
                />
              )}
            </XR>
          )}
        </Canvas>
      </div>
      <EnterVRButton className="product-enter-vr" beforeEnter={connect} ready={canvasReady} />
    </>
  );
}
