/**
 * The floating VR card of one product: title, price, a button per variant, stock, certifications, origin
 * (country and last provenance step), a status line, and "Add to cart", "Inspect" (or "Put back") and "Close".
 * Drawn on a canvas panel at a pose computed when it opened (panel-layout.ts `panelPose`).
 */
import { useCallback, useMemo } from 'react';
import type { ThreeEvent } from '@react-three/fiber';
import { formatMoney } from '../../core/money';
import { stockState } from '../../core/stock';
import type { Product, Variant } from '../../protocol/catalog';
import { CanvasPanel } from './CanvasPanel';
import { drawProductPanel, type ProductPanelContent } from './panel-canvas';
import { productPanelLayout, type PanelButtonName, type PanelPose } from './panel-layout';
import { certificationsLine, originLine } from './panel-text';

/** Props of the product panel. */
export interface ProductPanelProps {
  product: Product;
  /** The variant shown (and added to the cart). */
  variant: Variant;
  pose: PanelPose;
  inspecting: boolean;
  /** Status line: "Added to cart", an error, or empty. */
  status: string;
  /** An add to cart is running. */
  busy: boolean;
  onPress: (name: PanelButtonName, event: ThreeEvent<PointerEvent>) => void;
  onHoverChange?: (name: PanelButtonName | undefined) => void;
}

/** The layout of a product's panel (also what the showroom publishes in `data-xr-panel-buttons`). */
export function layoutFor(product: Product, inspecting: boolean) {
  return productPanelLayout(
    product.variants.map((v) => v.sku),
    inspecting,
  );
}

/** Whether "Add to cart" can act for this variant right now. */
export function canAdd(variant: Variant, busy: boolean): boolean {
  return !busy && stockState(variant.stock).level !== 'out';
}

/** The VR product panel. */
export function ProductPanel({
  product,
  variant,
  pose,
  inspecting,
  status,
  busy,
  onPress,
  onHoverChange,
}: ProductPanelProps) {
  const layout = useMemo(() => layoutFor(product, inspecting), [product, inspecting]);
  const content = useMemo((): ProductPanelContent => {
    const labels: Record<string, string> = {
      'add-to-cart': 'Add to cart',
      inspect: 'Inspect',
      'put-back': 'Put back',
      close: 'Close',
    };
    for (const v of product.variants) labels[`variant:${v.sku}`] = v.name;
    const disabled = new Set<PanelButtonName>();
    if (!canAdd(variant, busy)) disabled.add('add-to-cart');
    return {
      rows: {
        title: product.name,
        price: formatMoney(variant.price),
        stock: stockState(variant.stock).text,
        certifications: certificationsLine(product),
        origin: originLine(product),
        status,
      },
      labels,
      chosen: `variant:${variant.sku}`,
      disabled,
      primary: 'add-to-cart',
    };
  }, [product, variant, busy, status]);
  const draw = useCallback(
    (ctx: CanvasRenderingContext2D, hovered: PanelButtonName | undefined) =>
      drawProductPanel(ctx, layout, content, hovered),
    [layout, content],
  );
  return (
    <CanvasPanel
      name={`xr-panel-${product.id}`}
      width={layout.width}
      height={layout.height}
      buttons={layout.buttons}
      draw={draw}
      onPress={onPress}
      onHoverChange={onHoverChange}
      position={[pose.x, pose.y, pose.z]}
      rotation={[0, pose.yaw, 0]}
    />
  );
}
