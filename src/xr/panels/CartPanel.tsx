/**
 * The wrist cart panel of VR: above the left hand or controller, tilted towards the eyes, it shows the cart's
 * line count and total and, on "Phone QR code", the QR code of the same cart link as the cart page's
 * "Continue on another device" (the server cart from sync/cart-sync `ensureServerCart`, encoded on the device
 * with uqr). Offline it says that the hand-off needs a connection. Side effect owned here: pressing the button
 * creates the cart on the server when it has none yet.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { createPortal } from '@react-three/fiber';
import { Vector3, type Group } from 'three';
import { XRSpace, useXR, useXRInputSourceState } from '@react-three/xr';
import { encode } from 'uqr';
import { PIXELS_PER_METRE, cartPanelLayout, type PanelButtonName } from './panel-layout';
import { drawButton, drawCard, drawQrCode, drawTextRow } from './panel-canvas';
import { CanvasPanel } from './CanvasPanel';
import type { CartSummaryView } from './use-cart-summary';
import { cartJoinUrl } from '../../protocol/cart-link';
import { ensureServerCart } from '../../sync/cart-sync';
import { useOnline } from '../../sync/use-cart-sync-status';

type HandOff =
  | { state: 'idle' }
  | { state: 'busy' }
  | { state: 'ready'; url: string; modules: boolean[][] }
  | { state: 'failed'; message: string };

/** Props of the cart panel. */
export interface CartPanelProps {
  summary: CartSummaryView;
  /** Hand whose wrist carries the panel. */
  handedness?: 'left' | 'right';
  /**
   * Element that gets `data-xr-cart-buttons` (JSON: button name → world [x, y, z] of its centre, refreshed
   * four times a second while the wrist moves) and `data-xr-cart-link` (the hand-off link once made, else '').
   */
  element?: RefObject<HTMLElement | null>;
}

/** How often the wrist panel's button positions are written to the element, in ms (outside the frame loop). */
const BUTTON_REPORT_MS = 250;

/** Where the panel sits in the grip space: above and behind the fist, facing up and back. */
const WRIST_POSITION: [number, number, number] = [0, 0.05, 0.14];
const WRIST_ROTATION: [number, number, number] = [-Math.PI / 3, 0, 0];

/** The wrist cart panel ("Phone QR code" is its one button). */
export function CartPanel({ summary, handedness = 'left', element }: CartPanelProps) {
  const panelRef = useRef<Group>(null);
  const origin = useXR((s) => s.origin);
  const controller = useXRInputSourceState('controller', handedness);
  const hand = useXRInputSourceState('hand', handedness);
  const source = (controller ?? hand)?.inputSource;
  const online = useOnline();
  const [handOff, setHandOff] = useState<HandOff>({ state: 'idle' });
  const withQr = handOff.state === 'ready';
  const layout = useMemo(() => cartPanelLayout(withQr), [withQr]);

  const press = useCallback(
    (name: PanelButtonName) => {
      if (name !== 'hand-off' || !online || handOff.state === 'busy') return;
      setHandOff({ state: 'busy' });
      ensureServerCart().then(
        ({ cartId, token }) => {
          const url = cartJoinUrl(window.location.origin, cartId, token);
          setHandOff({ state: 'ready', url, modules: encode(url, { ecc: 'M', border: 2 }).data });
        },
        (err: unknown) =>
          setHandOff({ state: 'failed', message: err instanceof Error ? err.message : String(err) }),
      );
    },
    [online, handOff.state],
  );

  useEffect(() => {
    const el = element?.current;
    if (!el) return;
    const point = new Vector3();
    let written = '';
    const report = (): void => {
      const panel = panelRef.current;
      if (!panel) return;
      panel.updateWorldMatrix(true, false);
      const positions: Record<string, [number, number, number]> = {};
      for (const b of layout.buttons) {
        panel.localToWorld(point.set(b.x, b.y, 0));
        positions[b.name] = [point.x, point.y, point.z].map((v) => Math.round(v * 1000) / 1000) as [
          number,
          number,
          number,
        ];
      }
      const json = JSON.stringify(positions);
      if (json !== written) el.setAttribute('data-xr-cart-buttons', (written = json));
    };
    const timer = window.setInterval(report, BUTTON_REPORT_MS);
    return () => {
      window.clearInterval(timer);
      el.removeAttribute('data-xr-cart-buttons');
    };
  }, [element, layout]);

  const link = handOff.state === 'ready' ? handOff.url : '';
  useEffect(() => {
    const el = element?.current;
    if (!el) return;
    el.setAttribute('data-xr-cart-link', link);
    return () => el.removeAttribute('data-xr-cart-link');
  }, [element, link]);

  let note: string;
  if (!online) note = 'Needs a connection to hand off.';
  else if (handOff.state === 'busy') note = 'Making the link…';
  else if (handOff.state === 'ready') note = 'Scan it with your phone to go on there.';
  else if (handOff.state === 'failed') note = `Could not make a link: ${handOff.message}`;
  else note = 'Take this cart to your phone.';

  const draw = useCallback(
    (ctx: CanvasRenderingContext2D, hovered: PanelButtonName | undefined) => {
      const { width, height, rows, buttons, qr } = layout;
      drawCard(ctx);
      drawTextRow(ctx, width, height, rows.title, 'Cart', 700, '#1d232b');
      drawTextRow(ctx, width, height, rows.summary, summary.text, 600, '#1d232b');
      drawTextRow(ctx, width, height, rows.note, note, 400, '#4a5563');
      const disabled = !online || handOff.state === 'busy';
      for (const b of buttons) {
        drawButton(ctx, width, height, b, 'Phone QR code', layout.buttonFontSize, {
          filled: true,
          hovered: !disabled && hovered === b.name,
          disabled,
        });
      }
      if (handOff.state === 'ready') {
        const left = (qr.x - qr.width / 2 + width / 2) * PIXELS_PER_METRE;
        const top = (height / 2 - qr.y - qr.height / 2) * PIXELS_PER_METRE;
        drawQrCode(ctx, handOff.modules, left, top, qr.width * PIXELS_PER_METRE);
      }
    },
    [layout, summary.text, note, online, handOff],
  );

  if (!source || !origin) return null;
  return createPortal(
    <XRSpace space={source.gripSpace ?? source.targetRaySpace}>
      <group ref={panelRef} position={WRIST_POSITION} rotation={WRIST_ROTATION}>
        <CanvasPanel
          name="xr-cart-panel"
          width={layout.width}
          height={layout.height}
          buttons={layout.buttons}
          draw={draw}
          onPress={press}
        />
      </group>
    </XRSpace>,
    origin,
  );
}
