/**
 * "Inspect" in VR: the product at true scale (1:1, the catalog model is in metres) held in one hand or
 * controller, just in front of the grip, so that turning the hand turns the product. Squeezing grabs it; letting
 * go of the squeeze puts it back on its stand (so does the panel's "Put back"). Rendered in the XR origin's
 * space (a portal into the `<XROrigin>` object), where the input source poses are expressed.
 */
import { useRef } from 'react';
import { createPortal } from '@react-three/fiber';
import { XRSpace, useXR, useXRInputSourceEvent, useXRInputSourceState } from '@react-three/xr';
import type { Product } from '../../protocol/catalog';
import { ProductModel } from '../../scene/ProductModel';

/** Gap between the grip and the near face of the held product, metres. */
const HOLD_GAP = 0.05;

/** Props of the held product. */
export interface HeldProductProps {
  product: Product;
  /** KHR_materials_variants name to show (the chosen variant). */
  materialVariant: string;
  /** The hand or controller holding it. */
  handedness: 'left' | 'right';
  /** Squeeze released after a grab: the product goes back to its stand. */
  onRelease: () => void;
}

/** The inspected product, held in a hand. */
export function HeldProduct({ product, materialVariant, handedness, onRelease }: HeldProductProps) {
  const origin = useXR((s) => s.origin);
  const controller = useXRInputSourceState('controller', handedness);
  const hand = useXRInputSourceState('hand', handedness);
  const source = (controller ?? hand)?.inputSource;
  const grabbed = useRef(false);

  useXRInputSourceEvent(source, 'squeezestart', () => (grabbed.current = true), []);
  useXRInputSourceEvent(
    source,
    'squeezeend',
    () => {
      if (!grabbed.current) return;
      grabbed.current = false;
      onRelease();
    },
    [onRelease],
  );

  if (!source || !origin) return null;
  const { height, depth } = product.dimensions;
  const space = source.gripSpace ?? source.targetRaySpace;
  // Grip space: -z points forward out of the fist. The model's origin is its bottom centre.
  const offset: [number, number, number] = [0, -height / 2, -(depth / 2 + HOLD_GAP)];
  return createPortal(
    <XRSpace space={space}>
      <group name={`xr-held-${product.id}`}>
        <ProductModel url={product.model.url} variant={materialVariant} position={offset} />
      </group>
    </XRSpace>,
    origin,
  );
}
