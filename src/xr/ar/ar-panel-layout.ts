/**
 * Geometry of the in-headset AR panel (the controls of AR try-on where the session has no DOM overlay, e.g. a
 * Quest), in metres: its size, its text rows and buttons (relative to the panel centre, x right, y up, as
 * src/xr/panels/panel-layout.ts does for the VR product panel), and where it floats: at arm's length ahead of the
 * shopper before the product is placed, between the shopper and the placed product afterwards, to the right of
 * the line of sight so that the product stays in view. Pure numbers: the panel draws and hit-tests with them,
 * and tests aim a controller with the world positions it publishes.
 */
import {
  BUTTON_GAP,
  PANEL_PADDING,
  PANEL_SIDE,
  PANEL_WIDTH,
  type PanelButton,
  type PanelButtonName,
  type PanelPose,
  type PanelTextRow,
  type Vec3,
} from '../panels/panel-layout';

/** Text rows of the AR panel, top to bottom (`detail` and `status` only once the product is placed). */
export type ARPanelRowName = 'title' | 'subtitle' | 'detail' | 'status';

/** Everything the AR panel draws, laid out. */
export interface ARPanelLayout {
  width: number;
  height: number;
  rows: Partial<Record<ARPanelRowName, PanelTextRow>>;
  buttons: PanelButton[];
  /** Font size of button labels, metres. */
  buttonFontSize: number;
}

/** Height of a small button (variant, turn, re-place, dimensions) and of an action button, metres. */
const SMALL_BUTTON_HEIGHT = 0.05;
const ACTION_BUTTON_HEIGHT = 0.06;
/** Buttons per row. */
const PER_ROW = 2;
/** Line height as a multiple of the font size. */
const LINE_HEIGHT = 1.3;

/** How far ahead of the eyes the panel floats before placement, metres. */
export const AR_PANEL_REACH = 0.6;
/** Nearest and farthest distance (along the line of sight) of the panel beside a placed product, metres. */
export const AR_PANEL_NEAR = 0.45;
export const AR_PANEL_FAR = 0.8;
/** Room kept between the panel and the product's footprint, metres. */
const PRODUCT_CLEARANCE = 0.1;
/** How far below the eyes the panel centre floats, and the band its height is kept in. */
const BELOW_EYES = 0.12;
const MIN_Y = 0.9;
const MAX_Y = 1.7;

/**
 * Lays out the AR panel. Before placement: the product's name, a hint and "Exit AR". Placed: name, variant and
 * price, a button per variant (`variant:<sku>`), turn left / right, "Re-place" and "Dimensions", a detail row
 * (the dimensions in cm when asked for), a status row, then "Add to cart" and "Exit AR".
 */
export function arPanelLayout(variantSkus: readonly string[], placed: boolean): ARPanelLayout {
  const inner = PANEL_WIDTH - 2 * PANEL_PADDING;
  const left = -PANEL_WIDTH / 2 + PANEL_PADDING;
  const text: { name: ARPanelRowName; fontSize: number; lines: number }[] = placed
    ? [
        { name: 'title', fontSize: 0.03, lines: 1 },
        { name: 'subtitle', fontSize: 0.024, lines: 1 },
      ]
    : [
        { name: 'title', fontSize: 0.03, lines: 1 },
        { name: 'subtitle', fontSize: 0.022, lines: 2 },
      ];
  const info: { name: ARPanelRowName; fontSize: number; lines: number }[] = placed
    ? [
        { name: 'detail', fontSize: 0.022, lines: 2 },
        { name: 'status', fontSize: 0.022, lines: 1 },
      ]
    : [];
  const actions: PanelButtonName[] = placed ? ['add-to-cart', 'exit-ar'] : ['exit-ar'];

  const rowHeight = (r: { fontSize: number; lines: number }): number => r.lines * r.fontSize * LINE_HEIGHT;
  // Variants fill whole rows of their own; the four tools make two more.
  const variantRows = placed ? Math.ceil(variantSkus.length / PER_ROW) : 0;
  const gridRows = placed ? variantRows + 2 : 0;
  const height =
    2 * PANEL_PADDING +
    text.reduce((h, r) => h + rowHeight(r), 0) +
    gridRows * (SMALL_BUTTON_HEIGHT + BUTTON_GAP) +
    info.reduce((h, r) => h + rowHeight(r), 0) +
    BUTTON_GAP +
    ACTION_BUTTON_HEIGHT;
  let top = height / 2 - PANEL_PADDING;

  const rows: Partial<Record<ARPanelRowName, PanelTextRow>> = {};
  const addRow = (r: { name: ARPanelRowName; fontSize: number; lines: number }): void => {
    const h = rowHeight(r);
    rows[r.name] = { x: 0, y: top - h / 2, width: inner, height: h, fontSize: r.fontSize };
    top -= h;
  };
  text.forEach(addRow);

  const buttons: PanelButton[] = [];
  const cellWidth = (inner - (PER_ROW - 1) * BUTTON_GAP) / PER_ROW;
  /** A row of buttons of height `h`: two share it, one takes it whole (a lone variant keeps the cell width). */
  const placeRow = (names: readonly PanelButtonName[], h: number, whole = names.length === 1): void => {
    const width = whole ? inner : cellWidth;
    names.forEach((name, col) => {
      buttons.push({
        name,
        x: left + col * (width + BUTTON_GAP) + width / 2,
        y: top - h / 2,
        width,
        height: h,
      });
    });
    top -= h + BUTTON_GAP;
  };
  if (placed) {
    top -= BUTTON_GAP / 2;
    for (let i = 0; i < variantSkus.length; i += PER_ROW) {
      const skus = variantSkus.slice(i, i + PER_ROW);
      placeRow(
        skus.map((sku) => `variant:${sku}` as const),
        SMALL_BUTTON_HEIGHT,
        false,
      );
    }
    placeRow(['turn-left', 'turn-right'], SMALL_BUTTON_HEIGHT);
    placeRow(['re-place', 'dimensions'], SMALL_BUTTON_HEIGHT);
    top += BUTTON_GAP / 2;
    info.forEach(addRow);
  }
  top -= BUTTON_GAP;
  placeRow(actions, ACTION_BUTTON_HEIGHT);
  return { width: PANEL_WIDTH, height, rows, buttons, buttonFontSize: 0.022 };
}

/**
 * The panel at `reach` metres from the eyes along the horizontal direction (`dx`, `dz`), shifted to the right
 * of it by PANEL_SIDE, a little below the eyes, turned to face them.
 */
function poseAlong(head: Vec3, dx: number, dz: number, reach: number): PanelPose {
  const len = Math.hypot(dx, dz);
  // Looking straight up or down: take "forward" as -z.
  const ux = len > 1e-6 ? dx / len : 0;
  const uz = len > 1e-6 ? dz / len : -1;
  // Right of the line of sight (looking along -z, right is +x).
  const x = head.x + ux * reach - uz * PANEL_SIDE;
  const z = head.z + uz * reach + ux * PANEL_SIDE;
  const y = Math.min(MAX_Y, Math.max(MIN_Y, head.y - BELOW_EYES));
  return { x, y, z, yaw: Math.atan2(head.x - x, head.z - z) };
}

/** Where the panel floats before placement: at arm's length ahead (`forward`: the view direction, any length). */
export function arPanelPoseAhead(head: Vec3, forward: Vec3): PanelPose {
  return poseAlong(head, forward.x, forward.z, AR_PANEL_REACH);
}

/**
 * Where the panel floats once the product is placed (`box`: its world bounding box, [min, max]): on the line
 * from the eyes to the product, short of its footprint by a hand's width when it can be (kept between
 * AR_PANEL_NEAR and AR_PANEL_FAR from the eyes), to the right, facing the eyes.
 */
export function arPanelPoseBeside(
  head: Vec3,
  box: readonly [readonly [number, number, number], readonly [number, number, number]],
): PanelPose {
  const [min, max] = box;
  const dx = (min[0] + max[0]) / 2 - head.x;
  const dz = (min[2] + max[2]) / 2 - head.z;
  const radius = Math.hypot(max[0] - min[0], max[2] - min[2]) / 2;
  const reach = Math.min(
    AR_PANEL_FAR,
    Math.max(AR_PANEL_NEAR, Math.hypot(dx, dz) - radius - PRODUCT_CLEARANCE),
  );
  return poseAlong(head, dx, dz, reach);
}
