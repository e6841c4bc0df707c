/**
 * The walkable 3D showroom: room, lights, instanced stands and one model per fixture, built from the showroom
 * data. Stands show at once, with a true-size stand-in box for each product until its model has loaded (and in
 * place of a model that could not load). Renders on demand (only while something moves or changes). Pointing at
 * a product highlights it and a click opens its card. "Enter VR" (where supported) shows the same scene in a
 * headset through the app's XR store, starting where the shopper stands.
 */
import {
  lazy,
  Suspense,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type Ref,
  type RefObject,
} from 'react';
import { Canvas, type ThreeEvent } from '@react-three/fiber';
import type { Group, WebGLRenderer } from 'three';
import { XR, XROrigin } from '@react-three/xr';
import { EYE_HEIGHT } from '../../core/walk';
import type { StandKind } from '../../core/layout';
import type { Fixture, Product, Showroom } from '../../protocol/catalog';
import { Lighting } from '../../scene/Lighting';
import { ProductModel } from '../../scene/ProductModel';
import { CLICK_TOLERANCE_PX, Room } from '../../scene/Room';
import { Stand } from '../../scene/Stand';
import { StandIns } from '../../scene/StandIns';
import { EnterVRButton } from '../../xr/EnterVRButton';
import { VRLocomotion } from '../../xr/locomotion/VRLocomotion';
import { XRFrameCounter } from '../../xr/XRFrameCounter';
import { useXRPresence, xrStore } from '../../xr/xr-store';
import { buildShowroomScene, fixtureVariant } from './showroom-scene';
import { ViewStats } from './ViewStats';
import { WalkControls } from './WalkControls';
import { Walker } from './walker';

// VR shopping (product panels, inspect, wrist cart) loads only when a VR session starts.
const XRShopping = lazy(() => import('../../xr/panels/XRShopping'));

/** Props of the showroom view. */
export interface ShowroomViewProps {
  showroom: Showroom;
  products: ReadonlyMap<string, Product>;
  /** Variant chosen by the shopper per fixture id (from the product card). */
  skuByFixture: Readonly<Record<string, string>>;
  onOpenFixture: (fixtureId: string) => void;
  /** The shopper chose a variant in VR (the page keeps the choice, as for the product card). */
  onChooseVariant?: (fixtureId: string, sku: string) => void;
  /** The focusable view element (the page returns focus to it). */
  ref?: Ref<HTMLDivElement>;
}

const STAND_KINDS: readonly StandKind[] = ['floor', 'plinth', 'table', 'wall'];

/** The 3D showroom (default export: the page loads it on demand). */
export default function ShowroomView({
  showroom,
  products,
  skuByFixture,
  onOpenFixture,
  onChooseVariant,
  ref,
}: ShowroomViewProps) {
  const elementRef = useRef<HTMLDivElement | null>(null);
  const originRef = useRef<Group | null>(null);
  const scene = useMemo(() => buildShowroomScene(showroom, products), [showroom, products]);
  // One walker for the life of the view (the page keys the view on the showroom id): a catalog pull that
  // rewrites the showroom rebuilds the scene, and the walker keeps its place in the new layout.
  const [walker] = useState(() => new Walker(showroom.spawn, scene.bounds, scene.obstacles));
  useEffect(() => {
    walker.setLayout(scene.bounds, scene.obstacles);
  }, [walker, scene]);
  // Per fixture, the model URL that has settled and whether it loaded: a fixture whose product changed model is
  // waiting again.
  const [settledModels, setSettledModels] = useState<ReadonlyMap<string, { url: string; loaded: boolean }>>(
    () => new Map(),
  );
  const [hovered, setHovered] = useState<string | null>(null);
  const [ready, setReady] = useState(false);
  // Fixture whose product is in the shopper's hand in VR (its stand model hides meanwhile).
  const [inspected, setInspected] = useState<string | null>(null);
  const variantOf = useCallback(
    (fixture: Fixture, product: Product) => fixtureVariant(product, fixture, skuByFixture[fixture.id]),
    [skuByFixture],
  );
  const chooseVariant = useCallback(
    (fixtureId: string, sku: string) => onChooseVariant?.(fixtureId, sku),
    [onChooseVariant],
  );
  const xr = useXRPresence();
  // The XR store shows a session in the canvas that connected to it last (another page's may have): connect
  // this view's renderer in the click that enters, once the canvas exists.
  const glRef = useRef<WebGLRenderer | null>(null);
  const [canvasReady, setCanvasReady] = useState(false);
  const connectXR = useCallback(() => {
    if (glRef.current) xrStore.setWebXRManager(glRef.current.xr);
  }, []);
  const settledModel = (p: { fixture: Fixture; product: Product }) => {
    const entry = settledModels.get(p.fixture.id);
    return entry?.url === p.product.model.url ? entry : undefined;
  };
  const settled = scene.placed.every((p) => settledModel(p) !== undefined);
  const waiting = useMemo(
    () =>
      scene.placed
        .filter((p) => {
          const entry = settledModels.get(p.fixture.id);
          return entry?.url !== p.product.model.url || !entry.loaded;
        })
        .map((p) => ({ layout: p.layout, size: p.product.dimensions })),
    [scene, settledModels],
  );

  const setElement = useCallback(
    (element: HTMLDivElement | null) => {
      elementRef.current = element;
      if (typeof ref === 'function') ref(element);
      else if (ref) (ref as RefObject<HTMLDivElement | null>).current = element;
    },
    [ref],
  );

  const setCursor = (pointer: boolean): void => {
    if (elementRef.current) elementRef.current.style.cursor = pointer ? 'pointer' : '';
  };

  const { width, depth, height, floorColor, wallColor } = showroom.room;
  return (
    <>
      <div
        ref={setElement}
        className="showroom-view"
        data-testid="showroom-view"
        data-state={ready ? 'ready' : 'loading'}
        data-xr={xr}
        tabIndex={0}
        role="application"
        aria-label={`3D view of ${showroom.name}`}
        aria-describedby="showroom-view-help"
      >
        <p id="showroom-view-help" className="visually-hidden">
          Walk with W, A, S, D or the arrow keys, drag to look around, click the floor to walk there and click
          a product to see its card. The list of products in this room below opens the same cards.
        </p>
        <Canvas
          frameloop="demand"
          dpr={[1, 2]}
          gl={{ antialias: true }}
          camera={{
            fov: 70,
            near: 0.05,
            far: 200,
            position: [walker.position.x, EYE_HEIGHT, walker.position.z],
          }}
          onCreated={({ gl }) => {
            glRef.current = gl;
            setCanvasReady(true);
          }}
        >
          <XR store={xrStore}>
            {/* In XR the shopper starts where they stand on the page, facing the same way (local-floor height). */}
            <XROrigin
              ref={originRef}
              position={[walker.position.x, 0, walker.position.z]}
              rotation-y={walker.yaw}
            />
            <VRLocomotion
              origin={originRef}
              bounds={scene.bounds}
              obstacles={scene.obstacles}
              element={elementRef}
            />
            <Lighting lighting={showroom.lighting} />
            <Room
              width={width}
              depth={depth}
              height={height}
              floorColor={floorColor}
              wallColor={wallColor}
              onFloorClick={(x, z) => {
                if (xr === 'none') walker.walkTo(x, z);
              }}
            />
            {STAND_KINDS.map((kind) => (
              <Stand key={kind} kind={kind} placements={scene.stands[kind]} />
            ))}
            <StandIns placements={waiting} capacity={scene.placed.length} />
            {scene.placed.map(({ fixture, product, layout }) => {
              const variant = fixtureVariant(product, fixture, skuByFixture[fixture.id]);
              return (
                <group key={fixture.id} visible={inspected !== fixture.id}>
                  <ProductModel
                    name={`fixture-${fixture.id}`}
                    url={product.model.url}
                    variant={variant.materialVariant}
                    position={[layout.x, layout.productY, layout.z]}
                    rotationY={layout.rotationY}
                    highlighted={hovered === fixture.id}
                    onSettled={(loaded) => {
                      setSettledModels((prev) =>
                        new Map(prev).set(fixture.id, { url: product.model.url, loaded }),
                      );
                    }}
                    onPointerOver={(e: ThreeEvent<PointerEvent>) => {
                      e.stopPropagation();
                      setHovered(fixture.id);
                      setCursor(true);
                    }}
                    onPointerOut={() => {
                      setHovered((h) => (h === fixture.id ? null : h));
                      setCursor(false);
                    }}
                    onClick={(e: ThreeEvent<MouseEvent>) => {
                      e.stopPropagation();
                      if (e.delta > CLICK_TOLERANCE_PX) return;
                      onOpenFixture(fixture.id);
                    }}
                  />
                </group>
              );
            })}
            {xr === 'none' && <WalkControls walker={walker} container={elementRef} />}
            <ViewStats element={elementRef} settled={settled} onReadyFrame={() => setReady(true)} />
            <XRFrameCounter element={elementRef} />
            {xr === 'vr' && (
              <Suspense fallback={null}>
                <XRShopping
                  element={elementRef}
                  placed={scene.placed}
                  variantOf={variantOf}
                  onChooseVariant={chooseVariant}
                  onHover={setHovered}
                  onInspect={setInspected}
                />
              </Suspense>
            )}
          </XR>
        </Canvas>
      </div>
      <EnterVRButton className="showroom-enter-vr" beforeEnter={connectXR} ready={canvasReady} />
    </>
  );
}
