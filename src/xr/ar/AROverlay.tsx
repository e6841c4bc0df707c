/**
 * The phone UI of AR try-on, shown in the session's DOM overlay: the hint under the reticle, the "True size 1:1"
 * badge, turn buttons, re-place, dimensions, the variant switch, Add to cart, Snapshot and Exit. A two-finger
 * twist on the screen turns the placed product. Taps on the controls do not reach the AR scene
 * (`beforexrselect` is cancelled on them), so pressing a button never moves the product.
 *
 * The root element (data-testid="ar-overlay") carries the data-* attributes tests read: `data-ar-state`
 * (`starting` | `running`), `data-ar-reticle` (`searching` | `ready` | `refused`), `data-ar-hint`,
 * `data-ar-placed`, `data-ar-variant` (sku), `data-ar-material` (JSON array of the material names the model's
 * meshes show now, read from the model, in scene order), `data-ar-true-size`, `data-ar-light`
 * (`estimated` | `default`), and, written by the session as they change, `data-ar-hit`, `data-ar-bbox`,
 * `data-ar-turn` and `data-ar-anchored` (see ARSession).
 */
import { useEffect, useRef, useState, type CSSProperties, type Ref, type TouchEvent } from 'react';
import type { TrueScaleCheck } from '../../core/ar-placement';
import { formatMoney } from '../../core/money';
import { useAddToCart } from '../../db/use-add-to-cart';
import type { Product, Variant } from '../../protocol/catalog';
import type { ReticleState } from './ar-placer';
import { dimensionsLine, reticleHint, trueSizeBadge } from './ar-text';

/** Degrees one press of a turn button turns the product. */
export const TURN_STEP_DEG = 15;

/** Props of the AR overlay. */
export interface AROverlayProps {
  ref: Ref<HTMLDivElement>;
  product: Product;
  variant: Variant;
  running: boolean;
  reticle: ReticleState;
  refusal: string | null;
  placed: boolean;
  scale: TrueScaleCheck | null;
  lightEstimated: boolean;
  /** Material names the model's meshes show now (null until the model is loaded). */
  materials: readonly string[] | null;
  onSelectSku: (sku: string) => void;
  onTurn: (degrees: number) => void;
  onTwistStart: () => void;
  onReplace: () => void;
  onSnapshot: () => Promise<Blob>;
  onExit: () => void;
}

const styles = {
  root: {
    position: 'fixed',
    inset: 0,
    display: 'flex',
    flexDirection: 'column',
    justifyContent: 'space-between',
    padding: 12,
    color: '#111827',
    font: '15px/1.4 system-ui, sans-serif',
    touchAction: 'none',
    pointerEvents: 'auto',
  },
  top: { display: 'flex', flexDirection: 'column', alignItems: 'center', gap: 8 },
  pill: {
    margin: 0,
    padding: '6px 12px',
    borderRadius: 999,
    background: 'rgba(255,255,255,0.94)',
    boxShadow: '0 1px 4px rgba(0,0,0,0.25)',
    textAlign: 'center',
  },
  badge: { fontWeight: 700, background: '#111827', color: '#ffffff' },
  panel: {
    display: 'flex',
    flexDirection: 'column',
    gap: 8,
    padding: 10,
    borderRadius: 12,
    background: 'rgba(255,255,255,0.94)',
    boxShadow: '0 1px 6px rgba(0,0,0,0.3)',
  },
  row: { display: 'flex', flexWrap: 'wrap', gap: 6, alignItems: 'center' },
  button: { minHeight: 44, minWidth: 44, padding: '6px 12px', font: 'inherit', borderRadius: 8 },
  text: { margin: 0 },
} satisfies Record<string, CSSProperties>;

function angleOf(event: TouchEvent<HTMLElement>): number | null {
  const a = event.touches[0];
  const b = event.touches[1];
  if (!a || !b) return null;
  return Math.atan2(b.clientY - a.clientY, b.clientX - a.clientX);
}

/** The AR try-on controls (render into the XR store's DOM-overlay root). */
export function AROverlay({
  ref,
  product,
  variant,
  running,
  reticle,
  refusal,
  placed,
  scale,
  lightEstimated,
  materials,
  onSelectSku,
  onTurn,
  onTwistStart,
  onReplace,
  onSnapshot,
  onExit,
}: AROverlayProps) {
  const controlsRef = useRef<HTMLDivElement>(null);
  const twistRef = useRef<number | null>(null);
  const [showDimensions, setShowDimensions] = useState(false);
  const [snapshot, setSnapshot] = useState<{ url: string; bytes: number } | null>(null);
  const [snapshotStatus, setSnapshotStatus] = useState('');
  const cart = useAddToCart();

  // Taps on the controls are for the controls: no XR select (which would place or drag the product).
  useEffect(() => {
    const controls = controlsRef.current;
    if (!controls) return;
    const stop = (event: Event): void => event.preventDefault();
    controls.addEventListener('beforexrselect', stop);
    return () => controls.removeEventListener('beforexrselect', stop);
  }, []);

  useEffect(
    () => () => {
      if (snapshot) URL.revokeObjectURL(snapshot.url);
    },
    [snapshot],
  );

  const hint = placed
    ? 'Drag to move it, twist or use the turn buttons to turn it'
    : reticleHint(product.placement, reticle, refusal);
  const inStock = variant.stock > 0;

  const takeSnapshot = (): void => {
    setSnapshotStatus('Taking a snapshot…');
    onSnapshot().then(
      (blob) => {
        setSnapshot({ url: URL.createObjectURL(blob), bytes: blob.size });
        setSnapshotStatus('Snapshot ready');
      },
      (error: unknown) =>
        setSnapshotStatus(`The snapshot failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  };

  const onTouchStart = (event: TouchEvent<HTMLDivElement>): void => {
    const angle = angleOf(event);
    if (angle === null) return;
    twistRef.current = angle;
    onTwistStart();
  };
  const onTouchMove = (event: TouchEvent<HTMLDivElement>): void => {
    const angle = angleOf(event);
    const before = twistRef.current;
    if (angle === null || before === null) return;
    twistRef.current = angle;
    // Screen y runs down: a clockwise twist on screen turns the product clockwise seen from above.
    onTurn((-(angle - before) * 180) / Math.PI);
  };
  const onTouchEnd = (event: TouchEvent<HTMLDivElement>): void => {
    if (event.touches.length < 2) twistRef.current = null;
  };

  return (
    <div
      ref={ref}
      data-testid="ar-overlay"
      role="region"
      aria-label={`${product.name} in your space`}
      data-ar-state={running ? 'running' : 'starting'}
      data-ar-reticle={reticle}
      data-ar-hint={hint}
      data-ar-placed={String(placed)}
      data-ar-variant={variant.sku}
      data-ar-material={materials ? JSON.stringify(materials) : undefined}
      data-ar-true-size={scale ? String(scale.matches) : undefined}
      data-ar-light={lightEstimated ? 'estimated' : 'default'}
      data-ar-snapshot-bytes={snapshot ? String(snapshot.bytes) : undefined}
      style={styles.root}
      onTouchStart={onTouchStart}
      onTouchMove={onTouchMove}
      onTouchEnd={onTouchEnd}
    >
      <div style={styles.top}>
        {placed && (
          <p style={{ ...styles.pill, ...styles.badge }} data-testid="ar-true-size">
            {trueSizeBadge(scale)}
          </p>
        )}
        <p style={styles.pill} role="status" aria-live="polite">
          {running ? hint : 'Starting AR…'}
        </p>
      </div>
      <div ref={controlsRef} style={styles.panel} role="toolbar" aria-label="AR controls">
        <p style={styles.text}>
          <strong>{product.name}</strong> · {variant.name} · {formatMoney(variant.price)}
        </p>
        {showDimensions && <p style={styles.text}>{dimensionsLine(product.dimensions)}</p>}
        <div style={styles.row} role="group" aria-label="Variant">
          {product.variants.map((v) => (
            <button
              key={v.sku}
              type="button"
              style={styles.button}
              aria-pressed={v.sku === variant.sku}
              onClick={() => {
                cart.clearStatus();
                onSelectSku(v.sku);
              }}
            >
              {v.name}
            </button>
          ))}
        </div>
        <div style={styles.row}>
          <button
            type="button"
            style={styles.button}
            aria-label={`Turn left ${TURN_STEP_DEG} degrees`}
            disabled={!placed}
            onClick={() => onTurn(TURN_STEP_DEG)}
          >
            ⟲ {TURN_STEP_DEG}°
          </button>
          <button
            type="button"
            style={styles.button}
            aria-label={`Turn right ${TURN_STEP_DEG} degrees`}
            disabled={!placed}
            onClick={() => onTurn(-TURN_STEP_DEG)}
          >
            ⟳ {TURN_STEP_DEG}°
          </button>
          <button type="button" style={styles.button} disabled={!placed} onClick={onReplace}>
            Re-place
          </button>
          <button
            type="button"
            style={styles.button}
            aria-pressed={showDimensions}
            onClick={() => setShowDimensions((v) => !v)}
          >
            Dimensions
          </button>
        </div>
        <div style={styles.row}>
          <button
            type="button"
            style={styles.button}
            disabled={!inStock || cart.busy}
            onClick={() => void cart.add(product.id, variant.sku)}
          >
            {inStock ? 'Add to cart' : 'Out of stock'}
          </button>
          <button type="button" style={styles.button} disabled={!running} onClick={takeSnapshot}>
            Snapshot
          </button>
          <button type="button" style={styles.button} onClick={onExit}>
            Exit AR
          </button>
        </div>
        {(cart.status || snapshotStatus) && (
          <p style={styles.text} role="status">
            {cart.status}
            {cart.status && snapshotStatus ? ' · ' : ''}
            {snapshotStatus}
          </p>
        )}
        {snapshot && (
          <a href={snapshot.url} download={`${product.id}-in-your-space.png`}>
            Download snapshot (PNG)
          </a>
        )}
      </div>
    </div>
  );
}
