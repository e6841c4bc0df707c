/**
 * Geometry of the VR product panel, in metres: its size, where each text row and button sits on it (relative to
 * the panel centre, x to the right, y up), where the panel floats for a shopper looking at a product, and the
 * world position of a point on it. Pure numbers: the panel component draws and hit-tests with them, and tests
 * compute where to aim a controller with them.
 */

/** A point in world space, metres. */
export interface Vec3 {
  x: number;
  y: number;
  z: number;
}

/** Where a panel floats: its centre and its turn around +y (its front, +z, faces the shopper). */
export interface PanelPose extends Vec3 {
  yaw: number;
}

/** A rectangle on a panel: centre and size in metres, relative to the panel centre. */
export interface PanelRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Buttons of the panels. Variant buttons are named `variant:<sku>`; `turn-left` … `exit-ar` are the in-headset AR
 * panel's (src/xr/ar/ARPanel).
 */
export type PanelButtonName =
  | 'add-to-cart'
  | 'inspect'
  | 'put-back'
  | 'close'
  | 'hand-off'
  | 'turn-left'
  | 'turn-right'
  | 'dimensions'
  | 're-place'
  | 'exit-ar'
  | `variant:${string}`;

/** A button of a panel. */
export interface PanelButton extends PanelRect {
  name: PanelButtonName;
}

/** A line of text on a panel: where its box is and how big its letters are. */
export interface PanelTextRow extends PanelRect {
  /** Font size (em) in metres. */
  fontSize: number;
}

/** Text rows of the product panel, top to bottom. */
export type ProductPanelRowName = 'title' | 'price' | 'stock' | 'certifications' | 'origin' | 'status';

/** Everything the product panel draws, laid out. */
export interface ProductPanelLayout {
  width: number;
  height: number;
  rows: Record<ProductPanelRowName, PanelTextRow>;
  buttons: PanelButton[];
  /** Font size of button labels, metres. */
  buttonFontSize: number;
}

/** Panel width, metres. */
export const PANEL_WIDTH = 0.46;
/** Inner margin, metres. */
export const PANEL_PADDING = 0.025;
/** Gap between buttons, metres. */
export const BUTTON_GAP = 0.01;
/** Variant buttons per row. */
export const VARIANTS_PER_ROW = 2;
/** Height of a variant button, metres. */
export const VARIANT_BUTTON_HEIGHT = 0.05;
/** Height of an action button (Add to cart, Inspect, Close), metres. */
export const ACTION_BUTTON_HEIGHT = 0.06;
/** Canvas pixels per metre of panel: 1400 px/m draws a 1.7 cm letter with about 24 px. */
export const PIXELS_PER_METRE = 1400;
/**
 * Cap height of the UI's sans-serif fonts as a share of the font size (Roboto, Segoe UI, DejaVu Sans, Helvetica:
 * 0.70–0.73); used to check that the smallest text keeps a 1.5 cm cap height, readable at arm's length.
 */
export const CAP_HEIGHT_RATIO = 0.7;

const TEXT_ROWS: readonly { name: ProductPanelRowName; fontSize: number; lines: number }[] = [
  { name: 'title', fontSize: 0.034, lines: 1 },
  { name: 'price', fontSize: 0.03, lines: 1 },
];
const INFO_ROWS: readonly { name: ProductPanelRowName; fontSize: number; lines: number }[] = [
  { name: 'stock', fontSize: 0.024, lines: 1 },
  { name: 'certifications', fontSize: 0.022, lines: 2 },
  { name: 'origin', fontSize: 0.022, lines: 2 },
  { name: 'status', fontSize: 0.022, lines: 1 },
];
/** Line height as a multiple of the font size. */
const LINE_HEIGHT = 1.3;
/** Share of the action row each action button takes, left to right. */
const ACTIONS: readonly { name: PanelButtonName; share: number }[] = [
  { name: 'add-to-cart', share: 0.46 },
  { name: 'inspect', share: 0.3 },
  { name: 'close', share: 0.24 },
];

/**
 * Lays out the product panel for a product's variants (skus in the order their buttons appear). While the
 * product is being inspected, "Put back" takes the place of "Inspect".
 */
export function productPanelLayout(variantSkus: readonly string[], inspecting = false): ProductPanelLayout {
  const inner = PANEL_WIDTH - 2 * PANEL_PADDING;
  const variantRows = Math.max(1, Math.ceil(variantSkus.length / VARIANTS_PER_ROW));
  const rowHeight = (lines: number, fontSize: number): number => lines * fontSize * LINE_HEIGHT;
  const height =
    2 * PANEL_PADDING +
    TEXT_ROWS.reduce((h, r) => h + rowHeight(r.lines, r.fontSize), 0) +
    variantRows * (VARIANT_BUTTON_HEIGHT + BUTTON_GAP) +
    BUTTON_GAP +
    INFO_ROWS.reduce((h, r) => h + rowHeight(r.lines, r.fontSize), 0) +
    BUTTON_GAP +
    ACTION_BUTTON_HEIGHT;
  const left = -PANEL_WIDTH / 2 + PANEL_PADDING;
  let top = height / 2 - PANEL_PADDING;

  const rows = {} as Record<ProductPanelRowName, PanelTextRow>;
  const addRow = (r: { name: ProductPanelRowName; fontSize: number; lines: number }): void => {
    const h = rowHeight(r.lines, r.fontSize);
    rows[r.name] = { x: 0, y: top - h / 2, width: inner, height: h, fontSize: r.fontSize };
    top -= h;
  };
  TEXT_ROWS.forEach(addRow);

  const buttons: PanelButton[] = [];
  const perRow = Math.min(VARIANTS_PER_ROW, Math.max(1, variantSkus.length));
  const variantWidth = (inner - (perRow - 1) * BUTTON_GAP) / perRow;
  top -= BUTTON_GAP / 2;
  variantSkus.forEach((sku, i) => {
    const col = i % VARIANTS_PER_ROW;
    const row = Math.floor(i / VARIANTS_PER_ROW);
    buttons.push({
      name: `variant:${sku}`,
      x: left + col * (variantWidth + BUTTON_GAP) + variantWidth / 2,
      y: top - row * (VARIANT_BUTTON_HEIGHT + BUTTON_GAP) - VARIANT_BUTTON_HEIGHT / 2,
      width: variantWidth,
      height: VARIANT_BUTTON_HEIGHT,
    });
  });
  top -= variantRows * (VARIANT_BUTTON_HEIGHT + BUTTON_GAP) + BUTTON_GAP / 2;
  INFO_ROWS.forEach(addRow);

  top -= BUTTON_GAP;
  const actionsWidth = inner - (ACTIONS.length - 1) * BUTTON_GAP;
  let x = left;
  for (const action of ACTIONS) {
    const w = actionsWidth * action.share;
    buttons.push({
      name: inspecting && action.name === 'inspect' ? 'put-back' : action.name,
      x: x + w / 2,
      y: top - ACTION_BUTTON_HEIGHT / 2,
      width: w,
      height: ACTION_BUTTON_HEIGHT,
    });
    x += w + BUTTON_GAP;
  }
  return { width: PANEL_WIDTH, height, rows, buttons, buttonFontSize: 0.024 };
}

/** The button under a point of the panel (metres from its centre), if any. */
export function buttonAt(buttons: readonly PanelButton[], x: number, y: number): PanelButtonName | undefined {
  for (const b of buttons) {
    if (Math.abs(x - b.x) <= b.width / 2 && Math.abs(y - b.y) <= b.height / 2) return b.name;
  }
  return undefined;
}

/** Farthest and nearest distance along the line of sight at which the panel floats, metres. */
export const PANEL_NEAR = 0.55;
export const PANEL_FAR = 0.8;
/** Sideways shift of the panel to the right of the line of sight, so that the product stays in view. */
export const PANEL_SIDE = 0.28;
/** How far below the eyes the panel centre floats, and the band its height is kept in. */
const PANEL_BELOW_EYES = 0.12;
const PANEL_MIN_Y = 0.9;
const PANEL_MAX_Y = 1.7;

/**
 * Where the panel of a product floats: on the line from the shopper's eyes to the product, at arm's length
 * (0.55–0.8 m, never beyond the product), shifted to the right so that the product stays in view, a little
 * below eye height, turned to face the eyes.
 */
export function panelPose(head: Vec3, product: Vec3): PanelPose {
  const dx = product.x - head.x;
  const dz = product.z - head.z;
  const dist = Math.hypot(dx, dz);
  // Looking straight down on it: take "forward" as -z.
  const ux = dist > 1e-6 ? dx / dist : 0;
  const uz = dist > 1e-6 ? dz / dist : -1;
  const along = Math.min(PANEL_FAR, Math.max(PANEL_NEAR, dist - 0.3));
  // Right of the line of sight (looking along -z, right is +x).
  const x = head.x + ux * along - uz * PANEL_SIDE;
  const z = head.z + uz * along + ux * PANEL_SIDE;
  const y = Math.min(PANEL_MAX_Y, Math.max(PANEL_MIN_Y, head.y - PANEL_BELOW_EYES));
  return { x, y, z, yaw: Math.atan2(head.x - x, head.z - z) };
}

/** World position of a point of a panel given in metres from its centre (x right, y up, on its face). */
export function panelPointToWorld(pose: PanelPose, x: number, y: number): [number, number, number] {
  const cos = Math.cos(pose.yaw);
  const sin = Math.sin(pose.yaw);
  // Rotation about +y by yaw maps the panel's +x to (cos, 0, -sin).
  return [pose.x + x * cos, pose.y + y, pose.z - x * sin];
}

/** World positions of every button's centre, by name (what `data-xr-panel-buttons` publishes). */
export function buttonWorldPositions(
  pose: PanelPose,
  buttons: readonly PanelButton[],
): Record<string, [number, number, number]> {
  const out: Record<string, [number, number, number]> = {};
  for (const b of buttons) out[b.name] = panelPointToWorld(pose, b.x, b.y);
  return out;
}

/** Layout of the wrist cart panel: title, summary, a note, the hand-off button and the QR code's square. */
export interface CartPanelLayout {
  width: number;
  height: number;
  rows: Record<'title' | 'summary' | 'note', PanelTextRow>;
  buttons: PanelButton[];
  /** Where the hand-off QR code is drawn. */
  qr: PanelRect;
  buttonFontSize: number;
}

/** Width of the wrist cart panel, metres. */
export const CART_PANEL_WIDTH = 0.22;
/** Side of the hand-off QR code on the cart panel, metres (a phone camera reads it from 20–40 cm). */
export const CART_QR_SIZE = 0.15;

/** Lays out the wrist cart panel; the QR code's square is added below the button only when there is one. */
export function cartPanelLayout(withQr = false): CartPanelLayout {
  const pad = 0.015;
  const inner = CART_PANEL_WIDTH - 2 * pad;
  const spec: readonly { name: 'title' | 'summary' | 'note'; fontSize: number; lines: number }[] = [
    { name: 'title', fontSize: 0.026, lines: 1 },
    { name: 'summary', fontSize: 0.022, lines: 2 },
    { name: 'note', fontSize: 0.022, lines: 2 },
  ];
  const textHeight = spec.reduce((h, r) => h + r.lines * r.fontSize * LINE_HEIGHT, 0);
  const buttonHeight = 0.05;
  const qrSize = withQr ? CART_QR_SIZE : 0;
  const height = 2 * pad + textHeight + BUTTON_GAP + buttonHeight + (withQr ? BUTTON_GAP + qrSize : 0);
  let top = height / 2 - pad;
  const rows = {} as Record<'title' | 'summary' | 'note', PanelTextRow>;
  for (const r of spec) {
    const h = r.lines * r.fontSize * LINE_HEIGHT;
    rows[r.name] = { x: 0, y: top - h / 2, width: inner, height: h, fontSize: r.fontSize };
    top -= h;
  }
  top -= BUTTON_GAP;
  const buttons: PanelButton[] = [
    { name: 'hand-off', x: 0, y: top - buttonHeight / 2, width: inner, height: buttonHeight },
  ];
  top -= buttonHeight + BUTTON_GAP;
  const qr = { x: 0, y: top - qrSize / 2, width: qrSize, height: qrSize };
  return { width: CART_PANEL_WIDTH, height, rows, buttons, qr, buttonFontSize: 0.022 };
}
