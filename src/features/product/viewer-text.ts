/**
 * Words the product viewer shows or speaks: dimension labels in centimetres and the description screen
 * readers hear for the 3D view.
 */
import type { Dimensions } from '../../protocol/catalog';
import { formatCm } from './product-text';

/** Dimension label texts: "72 cm wide", "80 cm high", "76 cm deep" (sizes as in the product details). */
export function dimensionTexts(d: Dimensions): { width: string; height: string; depth: string } {
  return {
    width: `${formatCm(d.width)} wide`,
    height: `${formatCm(d.height)} high`,
    depth: `${formatCm(d.depth)} deep`,
  };
}

/** What the 3D view shows and how to use it, for the visually hidden description. */
export function describeModel(productName: string, variantName: string, d: Dimensions): string {
  const t = dimensionTexts(d);
  return (
    `3D model of the ${productName} in ${variantName}, ${t.width}, ${t.height}, ${t.depth}. ` +
    'Drag to turn, scroll to zoom; when the view has focus, arrow keys turn it and plus and minus zoom.'
  );
}
