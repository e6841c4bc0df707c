/**
 * The in-headset controls of AR try-on, for sessions without a DOM overlay (a Quest: `session.domOverlayState` is
 * undefined, so the phone overlay never shows in the headset). A canvas panel (src/xr/panels/CanvasPanel) pressed
 * with a controller ray's trigger: before placement it floats at arm's length ahead with a hint and "Exit AR";
 * once the product is placed it floats between the shopper and the product, with a button per variant (the
 * material switches live), turn left / right 15°, "Re-place", "Dimensions" (W × H × D in cm on the panel),
 * "Add to cart" (db/use-add-to-cart, the same outbox as everywhere) and "Exit AR". Its pose is worked out when
 * the placement changes (placed, re-placed, a drag released), never while the product is dragged. Selects whose
 * ray hits it are the panel's: ARScene hands the placer a test on the `panel` group, so they neither place nor
 * drag the product.
 *
 * Side effects owned here: the AR element's `data-ar-panel-*` attributes while the panel shows (what tests read,
 * the panel being WebGL): `data-ar-panel-buttons` (JSON: button name → world [x, y, z] of its centre),
 * `data-ar-panel-hovered` (button under a ray, or ''), `data-ar-panel-status` (the cart line: "Added to cart", an
 * error, or '') and `data-ar-panel-dimensions` (the dimensions line shown, or ''). They are removed when the panel
 * goes.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { useFrame, useThree } from '@react-three/fiber';
import { useXR } from '@react-three/xr';
import { Vector3, type Group } from 'three';
import { POINT_AT } from '../../core/ar-placement';
import { formatMoney } from '../../core/money';
import { useAddToCart } from '../../db/use-add-to-cart';
import type { Product, Variant } from '../../protocol/catalog';
import { CanvasPanel } from '../panels/CanvasPanel';
import { drawButton, drawCard, drawTextRow } from '../panels/panel-canvas';
import { buttonWorldPositions, type PanelButtonName, type PanelPose } from '../panels/panel-layout';
import { arPanelLayout, arPanelPoseAhead, arPanelPoseBeside, type ARPanelLayout } from './ar-panel-layout';
import type { ARPlacerReport } from './ar-placer';
import { TURN_STEP_DEG } from './AROverlay';
import { dimensionsLine } from './ar-text';

/** Props of the in-headset AR panel. Render inside `<XR>`. */
export interface ARPanelProps {
  /** The AR element that gets the `data-ar-panel-*` attributes (the overlay's root). */
  element: RefObject<HTMLElement | null>;
  /** Set to the panel's group while it shows: selects whose ray hits it are the panel's, not the placer's. */
  panel: RefObject<Group | null>;
  product: Product;
  variant: Variant;
  placed: boolean;
  dragging: boolean;
  /** The placed product's world bounding box as last reported (read when the panel moves next to it). */
  box: RefObject<ARPlacerReport['bbox']>;
  onSelectSku: (sku: string) => void;
  /** Turns the placed product by `degrees` (positive: to the left, seen from above). */
  onTurn: (degrees: number) => void;
  onReplace: () => void;
  onExit: () => void;
}

const ATTRIBUTES = [
  'data-ar-panel-buttons',
  'data-ar-panel-hovered',
  'data-ar-panel-status',
  'data-ar-panel-dimensions',
] as const;

const INK = '#1d232b';
const INK_SOFT = '#4a5563';
const ACCENT = '#1f4f7a';

/** XR frames to wait after a placement change before reading the head pose (the camera follows a frame late). */
const SETTLE_FRAMES = 2;

const head = new Vector3();
const forward = new Vector3();
const round = (n: number): number => Math.round(n * 1000) / 1000;

/** What the panel shows, as text and looks. */
interface ARPanelContent {
  title: string;
  subtitle: string;
  detail: string;
  status: string;
  labels: Record<string, string>;
  /** Buttons drawn filled (the chosen variant, Dimensions while shown, the primary action). */
  filled: ReadonlySet<PanelButtonName>;
  disabled: ReadonlySet<PanelButtonName>;
}

function drawARPanel(
  ctx: CanvasRenderingContext2D,
  layout: ARPanelLayout,
  content: ARPanelContent,
  hovered: PanelButtonName | undefined,
): void {
  const { width, height, rows } = layout;
  drawCard(ctx);
  if (rows.title) drawTextRow(ctx, width, height, rows.title, content.title, 700, INK);
  if (rows.subtitle) drawTextRow(ctx, width, height, rows.subtitle, content.subtitle, 600, INK);
  if (rows.detail) drawTextRow(ctx, width, height, rows.detail, content.detail, 400, INK_SOFT);
  if (rows.status) drawTextRow(ctx, width, height, rows.status, content.status, 600, ACCENT);
  for (const button of layout.buttons) {
    const disabled = content.disabled.has(button.name);
    drawButton(
      ctx,
      width,
      height,
      button,
      content.labels[button.name] ?? button.name,
      layout.buttonFontSize,
      { filled: content.filled.has(button.name), hovered: !disabled && button.name === hovered, disabled },
    );
  }
}

/** The AR try-on panel in the headset (nothing where the session has a DOM overlay). */
export function ARPanel({
  element,
  panel,
  product,
  variant,
  placed,
  dragging,
  box,
  onSelectSku,
  onTurn,
  onReplace,
  onExit,
}: ARPanelProps) {
  const session = useXR((s) => s.session);
  const inHeadset = session != null && session.domOverlayState == null;
  const camera = useThree((s) => s.camera);
  const [pose, setPose] = useState<PanelPose | null>(null);
  const [hovered, setHovered] = useState<PanelButtonName>();
  const [showDimensions, setShowDimensions] = useState(false);
  const { add, busy, status, clearStatus } = useAddToCart();
  /** XR frames left before the pose is worked out again (0: it is up to date). */
  const settle = useRef(SETTLE_FRAMES);

  useEffect(() => {
    settle.current = SETTLE_FRAMES;
  }, [placed, dragging]);

  // Runs only on the frame that a placement change asked for: the pose object is made then, not per frame.
  useFrame((_state, _delta, frame?: XRFrame) => {
    if (!inHeadset || !frame || dragging || settle.current === 0) return;
    settle.current -= 1;
    if (settle.current > 0) return;
    const bbox = box.current;
    if (placed && !bbox) {
      settle.current = 1;
      return;
    }
    head.setFromMatrixPosition(camera.matrixWorld);
    const eyes = { x: head.x, y: head.y, z: head.z };
    if (placed && bbox) setPose(arPanelPoseBeside(eyes, bbox));
    else {
      camera.getWorldDirection(forward);
      setPose(arPanelPoseAhead(eyes, { x: forward.x, y: forward.y, z: forward.z }));
    }
  });

  const skus = useMemo(() => product.variants.map((v) => v.sku), [product]);
  const layout = useMemo(() => arPanelLayout(skus, placed), [skus, placed]);
  const inStock = variant.stock > 0;
  const dimensions = showDimensions ? dimensionsLine(product.dimensions) : '';
  const content = useMemo((): ARPanelContent => {
    const labels: Record<string, string> = {
      'turn-left': `Turn left ${TURN_STEP_DEG}°`,
      'turn-right': `Turn right ${TURN_STEP_DEG}°`,
      're-place': 'Re-place',
      dimensions: 'Dimensions',
      'add-to-cart': inStock ? 'Add to cart' : 'Out of stock',
      'exit-ar': 'Exit AR',
    };
    for (const v of product.variants) labels[`variant:${v.sku}`] = v.name;
    const filled = new Set<PanelButtonName>([`variant:${variant.sku}`, 'add-to-cart']);
    if (showDimensions) filled.add('dimensions');
    const disabled = new Set<PanelButtonName>();
    if (!inStock || busy) disabled.add('add-to-cart');
    return {
      title: product.name,
      subtitle: placed
        ? `${variant.name} · ${formatMoney(variant.price)}`
        : `${POINT_AT[product.placement]} and pull the trigger to place it.`,
      detail: dimensions || 'Hold the trigger on it to move it; the thumbstick turns it.',
      status,
      labels,
      filled,
      disabled,
    };
  }, [product, variant, placed, inStock, busy, status, showDimensions, dimensions]);
  const draw = useCallback(
    (ctx: CanvasRenderingContext2D, under: PanelButtonName | undefined) =>
      drawARPanel(ctx, layout, content, under),
    [layout, content],
  );

  const press = (name: PanelButtonName): void => {
    if (name.startsWith('variant:')) {
      const sku = name.slice('variant:'.length);
      if (sku !== variant.sku) {
        clearStatus();
        onSelectSku(sku);
      }
    } else if (name === 'turn-left') onTurn(TURN_STEP_DEG);
    else if (name === 'turn-right') onTurn(-TURN_STEP_DEG);
    else if (name === 're-place') onReplace();
    else if (name === 'dimensions') setShowDimensions((v) => !v);
    else if (name === 'add-to-cart') {
      if (inStock && !busy) void add(product.id, variant.sku);
    } else if (name === 'exit-ar') onExit();
  };

  const shown = inHeadset && pose !== null;
  const buttonsJson = useMemo(() => {
    if (!shown) return null;
    const rounded: Record<string, number[]> = {};
    for (const [name, p] of Object.entries(buttonWorldPositions(pose, layout.buttons)))
      rounded[name] = p.map(round);
    return JSON.stringify(rounded);
  }, [shown, pose, layout]);
  useEffect(() => {
    const el = element.current;
    if (!el) return;
    if (buttonsJson === null) {
      for (const name of ATTRIBUTES) el.removeAttribute(name);
      return;
    }
    el.setAttribute('data-ar-panel-buttons', buttonsJson);
    el.setAttribute('data-ar-panel-hovered', hovered ?? '');
    el.setAttribute('data-ar-panel-status', status);
    el.setAttribute('data-ar-panel-dimensions', dimensions);
  }, [element, buttonsJson, hovered, status, dimensions]);
  useEffect(() => {
    const el = element.current;
    return () => {
      for (const name of ATTRIBUTES) el?.removeAttribute(name);
    };
  }, [element]);

  if (!shown) return null;
  return (
    <group ref={panel} name="ar-panel" position={[pose.x, pose.y, pose.z]} rotation={[0, pose.yaw, 0]}>
      <CanvasPanel
        width={layout.width}
        height={layout.height}
        buttons={layout.buttons}
        draw={draw}
        onPress={press}
        onHoverChange={setHovered}
      />
    </group>
  );
}
