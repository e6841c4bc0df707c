/**
 * A flat VR panel drawn with a 2D canvas (CanvasTexture on one plane: one draw call) whose buttons a controller
 * ray or a hand presses. The plane is the only hit target: the hit point, taken into panel coordinates, says
 * which button is under the ray (panel-layout.ts `buttonAt`). Buttons act on press (the trigger's selectstart),
 * not on click: a click needs press and release within 300 ms, which slow frames can miss. Every handler stops
 * propagation, so a press on a panel never reaches what lies behind it (the floor's teleport).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useThree, type ThreeEvent } from '@react-three/fiber';
import { CanvasTexture, SRGBColorSpace, Vector3, type Mesh } from 'three';
import { canvasSize } from './panel-canvas';
import { buttonAt, type PanelButton, type PanelButtonName } from './panel-layout';

/** Props of a canvas panel. */
export interface CanvasPanelProps {
  /** Size in metres. */
  width: number;
  height: number;
  buttons: readonly PanelButton[];
  /** Draws the panel (keep it stable with useCallback: a new function redraws). */
  draw: (ctx: CanvasRenderingContext2D, hovered: PanelButtonName | undefined) => void;
  /** A button was pressed (disabled ones too: the owner decides). */
  onPress: (name: PanelButtonName, event: ThreeEvent<PointerEvent>) => void;
  /** The button under a ray changed. */
  onHoverChange?: (name: PanelButtonName | undefined) => void;
  position?: [number, number, number];
  rotation?: [number, number, number];
  name?: string;
}

const local = new Vector3();

/** Draws the panel into its canvas and tells three.js to upload the texture again. */
function repaint(
  canvas: HTMLCanvasElement,
  texture: CanvasTexture,
  draw: CanvasPanelProps['draw'],
  hovered: PanelButtonName | undefined,
): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  draw(ctx, hovered);
  texture.needsUpdate = true;
}

/** A canvas-drawn panel with pressable buttons. */
export function CanvasPanel({
  width,
  height,
  buttons,
  draw,
  onPress,
  onHoverChange,
  position,
  rotation,
  name,
}: CanvasPanelProps) {
  const invalidate = useThree((s) => s.invalidate);
  const mesh = useRef<Mesh>(null);
  const [hovered, setHovered] = useState<PanelButtonName>();
  const canvas = useMemo(() => {
    const c = document.createElement('canvas');
    const size = canvasSize(width, height);
    c.width = size.width;
    c.height = size.height;
    return c;
  }, [width, height]);
  const texture = useMemo(() => {
    const t = new CanvasTexture(canvas);
    t.colorSpace = SRGBColorSpace;
    t.anisotropy = 4;
    return t;
  }, [canvas]);
  useEffect(() => () => texture.dispose(), [texture]);

  useEffect(() => {
    repaint(canvas, texture, draw, hovered);
    invalidate();
  }, [canvas, texture, draw, hovered, invalidate]);

  const hoverRef = useRef(onHoverChange);
  useEffect(() => {
    hoverRef.current = onHoverChange;
  }, [onHoverChange]);
  useEffect(() => {
    hoverRef.current?.(hovered);
  }, [hovered]);
  useEffect(() => () => hoverRef.current?.(undefined), []);

  const buttonUnder = (event: ThreeEvent<PointerEvent>): PanelButtonName | undefined => {
    const m = mesh.current;
    if (!m) return undefined;
    m.worldToLocal(local.copy(event.point));
    return buttonAt(buttons, local.x, local.y);
  };

  return (
    <mesh
      ref={mesh}
      name={name}
      position={position}
      rotation={rotation}
      onPointerMove={(e) => {
        e.stopPropagation();
        const under = buttonUnder(e);
        setHovered((h) => (h === under ? h : under));
      }}
      onPointerLeave={() => setHovered(undefined)}
      onPointerDown={(e) => {
        e.stopPropagation();
        const under = buttonUnder(e);
        if (under) onPress(under, e);
      }}
      onPointerUp={(e) => e.stopPropagation()}
      onClick={(e) => e.stopPropagation()}
    >
      <planeGeometry args={[width, height]} />
      <meshBasicMaterial map={texture} transparent toneMapped={false} />
    </mesh>
  );
}
