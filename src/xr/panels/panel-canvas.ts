/**
 * Draws the VR panels into a 2D canvas (used as a CanvasTexture): rounded card, text rows wrapped and cut with
 * an ellipsis, buttons with hover, chosen and disabled looks, and a QR code. Sizes come in metres from
 * panel-layout.ts and are scaled by PIXELS_PER_METRE. The system sans-serif font: nothing is downloaded.
 */
import {
  PIXELS_PER_METRE,
  type PanelButton,
  type PanelButtonName,
  type PanelTextRow,
  type ProductPanelLayout,
  type ProductPanelRowName,
} from './panel-layout';

const FONT_FAMILY = 'system-ui, "Segoe UI", Roboto, "DejaVu Sans", Helvetica, Arial, sans-serif';
const INK = '#1d232b';
const INK_SOFT = '#4a5563';
const CARD = '#fbfaf7';
const LINE = '#c9c2b6';
const ACCENT = '#1f4f7a';
const HOVER = '#dbe7f2';
const DISABLED = '#d9d6d0';

/** What the product panel shows, as text. */
export interface ProductPanelContent {
  rows: Record<ProductPanelRowName, string>;
  /** Label of each button by name. */
  labels: Record<string, string>;
  /** The variant button drawn as chosen. */
  chosen: PanelButtonName;
  /** Buttons drawn greyed out (they do nothing). */
  disabled: ReadonlySet<PanelButtonName>;
  /** The primary button (drawn filled). */
  primary: PanelButtonName;
}

/** Canvas size in pixels for a panel of `width` × `height` metres. */
export function canvasSize(width: number, height: number): { width: number; height: number } {
  return { width: Math.round(width * PIXELS_PER_METRE), height: Math.round(height * PIXELS_PER_METRE) };
}

function roundRect(
  ctx: CanvasRenderingContext2D,
  x: number,
  y: number,
  w: number,
  h: number,
  r: number,
): void {
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, r);
}

/** Splits `text` into at most `maxLines` lines that fit `width` px, the last cut with an ellipsis. */
export function wrapLines(
  ctx: CanvasRenderingContext2D,
  text: string,
  width: number,
  maxLines: number,
): string[] {
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  const lines: string[] = [];
  let current = '';
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    const tryLine = current ? `${current} ${word}` : word;
    if (ctx.measureText(tryLine).width <= width || !current) {
      current = tryLine;
      continue;
    }
    lines.push(current);
    current = word;
    if (lines.length === maxLines) {
      current = '';
      lines[maxLines - 1] = `${lines[maxLines - 1] ?? ''} ${words.slice(i).join(' ')}`;
      break;
    }
  }
  if (current) lines.push(current);
  const kept = lines.slice(0, maxLines);
  const last = kept.length - 1;
  if (last >= 0) {
    let line = kept[last] ?? '';
    if (ctx.measureText(line).width > width || lines.length > maxLines) {
      while (line.length > 1 && ctx.measureText(`${line}…`).width > width) line = line.slice(0, -1);
      kept[last] = `${line.trimEnd()}…`;
    }
  }
  return kept;
}

/** Maps a panel rectangle (metres from the centre, y up) to canvas pixels (origin top left, y down). */
function toPixels(
  panelWidth: number,
  panelHeight: number,
  r: { x: number; y: number; width: number; height: number },
): { left: number; top: number; width: number; height: number } {
  return {
    left: (r.x - r.width / 2 + panelWidth / 2) * PIXELS_PER_METRE,
    top: (panelHeight / 2 - r.y - r.height / 2) * PIXELS_PER_METRE,
    width: r.width * PIXELS_PER_METRE,
    height: r.height * PIXELS_PER_METRE,
  };
}

/** Fills the card background of a panel. */
export function drawCard(ctx: CanvasRenderingContext2D): void {
  const { width, height } = ctx.canvas;
  ctx.clearRect(0, 0, width, height);
  roundRect(ctx, 2, 2, width - 4, height - 4, 0.02 * PIXELS_PER_METRE);
  ctx.fillStyle = CARD;
  ctx.fill();
  ctx.lineWidth = 3;
  ctx.strokeStyle = LINE;
  ctx.stroke();
}

/** Draws one text row (wrapped to as many lines as its box holds). */
export function drawTextRow(
  ctx: CanvasRenderingContext2D,
  panelWidth: number,
  panelHeight: number,
  row: PanelTextRow,
  text: string,
  weight: number,
  color: string,
): void {
  const box = toPixels(panelWidth, panelHeight, row);
  const size = row.fontSize * PIXELS_PER_METRE;
  const lineHeight = size * 1.3;
  ctx.font = `${weight} ${size}px ${FONT_FAMILY}`;
  ctx.fillStyle = color;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  const maxLines = Math.max(1, Math.round(box.height / lineHeight));
  wrapLines(ctx, text, box.width, maxLines).forEach((line, i) => {
    ctx.fillText(line, box.left, box.top + lineHeight * (i + 0.5));
  });
}

/** Draws a button: filled when primary or chosen, tinted when hovered, grey when disabled. */
export function drawButton(
  ctx: CanvasRenderingContext2D,
  panelWidth: number,
  panelHeight: number,
  button: PanelButton,
  label: string,
  fontSize: number,
  look: { filled: boolean; hovered: boolean; disabled: boolean },
): void {
  const box = toPixels(panelWidth, panelHeight, button);
  roundRect(ctx, box.left, box.top, box.width, box.height, 0.01 * PIXELS_PER_METRE);
  let fill = look.hovered ? HOVER : CARD;
  let ink = ACCENT;
  if (look.disabled) {
    fill = DISABLED;
    ink = INK_SOFT;
  } else if (look.filled) {
    fill = look.hovered ? '#2d6aa0' : ACCENT;
    ink = '#ffffff';
  }
  ctx.fillStyle = fill;
  ctx.fill();
  ctx.lineWidth = look.hovered ? 6 : 3;
  ctx.strokeStyle = look.disabled ? LINE : ACCENT;
  ctx.stroke();
  const size = fontSize * PIXELS_PER_METRE;
  ctx.font = `600 ${size}px ${FONT_FAMILY}`;
  ctx.fillStyle = ink;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  const [text = ''] = wrapLines(ctx, label, box.width - 0.012 * PIXELS_PER_METRE, 1);
  ctx.fillText(text, box.left + box.width / 2, box.top + box.height / 2);
}

/** Draws the whole product panel. */
export function drawProductPanel(
  ctx: CanvasRenderingContext2D,
  layout: ProductPanelLayout,
  content: ProductPanelContent,
  hovered: PanelButtonName | undefined,
): void {
  const { width, height, rows } = layout;
  drawCard(ctx);
  drawTextRow(ctx, width, height, rows.title, content.rows.title, 700, INK);
  drawTextRow(ctx, width, height, rows.price, content.rows.price, 700, INK);
  drawTextRow(ctx, width, height, rows.stock, content.rows.stock, 500, INK);
  drawTextRow(ctx, width, height, rows.certifications, content.rows.certifications, 400, INK_SOFT);
  drawTextRow(ctx, width, height, rows.origin, content.rows.origin, 400, INK_SOFT);
  drawTextRow(ctx, width, height, rows.status, content.rows.status, 600, ACCENT);
  for (const button of layout.buttons) {
    const disabled = content.disabled.has(button.name);
    drawButton(
      ctx,
      width,
      height,
      button,
      content.labels[button.name] ?? button.name,
      layout.buttonFontSize,
      {
        filled: button.name === content.chosen || button.name === content.primary,
        hovered: !disabled && button.name === hovered,
        disabled,
      },
    );
  }
}

/** Draws a QR code (rows of dark/light modules) into a square of `size` px at `left`, `top`, white behind. */
export function drawQrCode(
  ctx: CanvasRenderingContext2D,
  modules: readonly (readonly boolean[])[],
  left: number,
  top: number,
  size: number,
): void {
  const n = modules.length;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(left, top, size, size);
  if (n === 0) return;
  const cell = size / n;
  ctx.fillStyle = '#000000';
  modules.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (dark) ctx.fillRect(left + x * cell, top + y * cell, Math.ceil(cell), Math.ceil(cell));
    }),
  );
}
