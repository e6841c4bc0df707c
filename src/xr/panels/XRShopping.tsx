/**
 * Shopping in a VR showroom, mounted inside `<XR>` only while a VR session runs (the showroom loads this module
 * on demand when a session starts). Pointing a controller ray or a hand at a product highlights it; the trigger
 * (select) opens its floating panel at arm's length beside it; the panel chooses the variant (the stand's model
 * changes material at once), adds to the cart through db/cart-writes (the same outbox as everywhere), and
 * starts or ends "Inspect" (the product in hand at 1:1). A wrist panel shows the cart and its hand-off QR code.
 *
 * Products are hit through invisible boxes around them (one per fixture), which answer XR pointers only. Every
 * handler stops propagation, so selecting a product or pressing a panel never teleports.
 *
 * Side effects owned here: the view element's `data-xr-*` attributes of shopping (what tests and the bench read,
 * since the panels are WebGL): `data-xr-hovered` and `data-xr-selected` (product ids or ''), `data-xr-variant`
 * (sku of the open panel), `data-xr-panel-buttons` (JSON: button name → world [x, y, z] of its centre),
 * `data-xr-panel-hovered` (button under a ray), `data-xr-panel-status`, `data-xr-inspecting` (product id or '')
 * and `data-xr-cart` (the cart summary line); the wrist panel adds `data-xr-cart-buttons` and `data-xr-cart-link`
 * (see CartPanel). They are removed when the session ends.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { useThree, type ThreeEvent } from '@react-three/fiber';
import { Vector3 } from 'three';
import type { FixtureLayout } from '../../core/layout';
import { useAddToCart } from '../../db/use-add-to-cart';
import type { Fixture, Product, Variant } from '../../protocol/catalog';
import { CartPanel } from './CartPanel';
import { HeldProduct } from './HeldProduct';
import { buttonWorldPositions, panelPose, type PanelButtonName, type PanelPose } from './panel-layout';
import { ProductPanel, canAdd, layoutFor } from './ProductPanel';
import { useCartSummary } from './use-cart-summary';

/** A product on a stand, as the showroom lays it out. */
export interface ShoppableFixture {
  fixture: Fixture;
  product: Product;
  layout: FixtureLayout;
}

/** Props of the VR shopping layer. */
export interface XRShoppingProps {
  /** The showroom view element that gets the `data-xr-*` attributes. */
  element: RefObject<HTMLElement | null>;
  placed: readonly ShoppableFixture[];
  /** The variant a fixture shows now (the shopper's choice or the fixture's default). */
  variantOf: (fixture: Fixture, product: Product) => Variant;
  /** The shopper chose a variant on a panel. */
  onChooseVariant: (fixtureId: string, sku: string) => void;
  /** The fixture under an XR ray changed (the showroom highlights it). */
  onHover: (fixtureId: string | null) => void;
  /** A fixture's product went into a hand (its stand model hides) or back (null). */
  onInspect: (fixtureId: string | null) => void;
}

const ATTRIBUTES = [
  'data-xr-hovered',
  'data-xr-selected',
  'data-xr-variant',
  'data-xr-panel-buttons',
  'data-xr-panel-hovered',
  'data-xr-panel-status',
  'data-xr-inspecting',
  'data-xr-cart',
] as const;

const head = new Vector3();

function handOf(event: ThreeEvent<PointerEvent>): 'left' | 'right' {
  const source = (event.nativeEvent as unknown as { inputSource?: XRInputSource }).inputSource;
  return source?.handedness === 'left' ? 'left' : 'right';
}

const round = (n: number): number => Math.round(n * 1000) / 1000;

/** VR shopping: product hit boxes, product panel, inspect and the wrist cart. Render inside `<XR>`. */
export default function XRShopping({
  element,
  placed,
  variantOf,
  onChooseVariant,
  onHover,
  onInspect,
}: XRShoppingProps) {
  const camera = useThree((s) => s.camera);
  const [hovered, setHovered] = useState<string | null>(null);
  const [selected, setSelected] = useState<{ fixtureId: string; pose: PanelPose } | null>(null);
  const [inspecting, setInspecting] = useState<{ fixtureId: string; hand: 'left' | 'right' } | null>(null);
  const [panelHovered, setPanelHovered] = useState<PanelButtonName>();
  const hoverByPointer = useRef(new Map<number, string>());
  const { add, busy, status, clearStatus } = useAddToCart();
  const cart = useCartSummary();

  const byId = useMemo(() => new Map(placed.map((p) => [p.fixture.id, p])), [placed]);
  const open = selected ? byId.get(selected.fixtureId) : undefined;
  const openVariant = open ? variantOf(open.fixture, open.product) : undefined;
  const held = inspecting ? byId.get(inspecting.fixtureId) : undefined;

  const updateHover = (): void => {
    let last: string | null = null;
    for (const id of hoverByPointer.current.values()) last = id;
    setHovered(last);
  };
  useEffect(() => onHover(hovered), [hovered, onHover]);
  useEffect(() => onInspect(inspecting?.fixtureId ?? null), [inspecting, onInspect]);
  useEffect(
    () => () => {
      onHover(null);
      onInspect(null);
    },
    [onHover, onInspect],
  );

  const putBack = useCallback(() => setInspecting(null), []);

  const select = (fixtureId: string): void => {
    const p = byId.get(fixtureId);
    if (!p) return;
    head.setFromMatrixPosition(camera.matrixWorld);
    const target = {
      x: p.layout.x,
      y: p.layout.productY + p.product.dimensions.height / 2,
      z: p.layout.z,
    };
    clearStatus();
    setInspecting((i) => (i && i.fixtureId !== fixtureId ? null : i));
    setSelected({ fixtureId, pose: panelPose({ x: head.x, y: head.y, z: head.z }, target) });
  };

  const press = (name: PanelButtonName, event: ThreeEvent<PointerEvent>): void => {
    if (!open || !openVariant || !selected) return;
    if (name.startsWith('variant:')) {
      const sku = name.slice('variant:'.length);
      if (sku !== openVariant.sku) {
        clearStatus();
        onChooseVariant(open.fixture.id, sku);
      }
    } else if (name === 'add-to-cart') {
      if (canAdd(openVariant, busy)) void add(open.product.id, openVariant.sku);
    } else if (name === 'inspect') {
      setInspecting({ fixtureId: open.fixture.id, hand: handOf(event) });
    } else if (name === 'put-back') {
      putBack();
    } else if (name === 'close') {
      setInspecting(null);
      setSelected(null);
      clearStatus();
    }
  };

  // The panel's state, published on the view element.
  const inspectingNow = inspecting !== null && inspecting.fixtureId === selected?.fixtureId;
  const buttonsJson = useMemo(() => {
    if (!open || !selected) return '';
    const positions = buttonWorldPositions(selected.pose, layoutFor(open.product, inspectingNow).buttons);
    const rounded: Record<string, number[]> = {};
    for (const [name, p] of Object.entries(positions)) rounded[name] = p.map(round);
    return JSON.stringify(rounded);
  }, [open, selected, inspectingNow]);
  useEffect(() => {
    const el = element.current;
    if (!el) return;
    el.setAttribute('data-xr-hovered', (hovered && byId.get(hovered)?.product.id) ?? '');
    el.setAttribute('data-xr-selected', open?.product.id ?? '');
    el.setAttribute('data-xr-variant', openVariant?.sku ?? '');
    el.setAttribute('data-xr-panel-buttons', buttonsJson);
    el.setAttribute('data-xr-panel-hovered', open ? (panelHovered ?? '') : '');
    el.setAttribute('data-xr-panel-status', open ? status : '');
    el.setAttribute('data-xr-inspecting', held?.product.id ?? '');
    el.setAttribute('data-xr-cart', cart.text);
  }, [element, hovered, byId, open, openVariant, buttonsJson, panelHovered, status, held, cart.text]);
  useEffect(() => {
    const el = element.current;
    return () => {
      for (const name of ATTRIBUTES) el?.removeAttribute(name);
    };
  }, [element]);

  return (
    <>
      {placed.map(({ fixture, product, layout }) => {
        const { width, height, depth } = product.dimensions;
        return (
          <mesh
            key={fixture.id}
            name={`xr-hit-${fixture.id}`}
            visible={false}
            position={[layout.x, layout.productY + height / 2, layout.z]}
            rotation-y={layout.rotationY}
            onPointerOver={(e) => {
              e.stopPropagation();
              hoverByPointer.current.set(e.pointerId, fixture.id);
              updateHover();
            }}
            onPointerOut={(e) => {
              hoverByPointer.current.delete(e.pointerId);
              updateHover();
            }}
            onPointerDown={(e) => {
              e.stopPropagation();
              select(fixture.id);
            }}
            onPointerUp={(e) => e.stopPropagation()}
            onClick={(e) => e.stopPropagation()}
          >
            <boxGeometry args={[width, height, depth]} />
            <meshBasicMaterial />
          </mesh>
        );
      })}
      {open && openVariant && selected && (
        <ProductPanel
          key={open.fixture.id}
          product={open.product}
          variant={openVariant}
          pose={selected.pose}
          inspecting={inspectingNow}
          status={status}
          busy={busy}
          onPress={press}
          onHoverChange={setPanelHovered}
        />
      )}
      {held && inspecting && (
        <HeldProduct
          product={held.product}
          materialVariant={variantOf(held.fixture, held.product).materialVariant}
          handedness={inspecting.hand}
          onRelease={putBack}
        />
      )}
      <CartPanel summary={cart} element={element} />
    </>
  );
}
