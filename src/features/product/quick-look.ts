/**
 * AR Quick Look, the AR of iOS Safari (which has no WebXR): feature detection as Apple documents it, and
 * opening a product variant's USDZ in it. Side effects owned here: a short-lived blob: URL per opening and a
 * hidden `<a rel="ar">` added to the page for the click that hands the file to Quick Look. The USDZ code (and
 * three.js's exporter) loads only when a shopper opens Quick Look.
 */
import type { Product, Variant } from '../../protocol/catalog';

/**
 * Whether the browser opens `<a rel="ar">` links in AR Quick Look: Apple's documented feature test
 * (`relList.supports('ar')`, true in Safari on iPhone and iPad, false elsewhere).
 */
export function quickLookSupported(): boolean {
  if (typeof document === 'undefined') return false;
  const relList = document.createElement('a').relList as DOMTokenList | undefined;
  try {
    return relList?.supports('ar') === true;
  } catch {
    // Browsers whose rel list has no list of supported tokens throw instead of answering.
    return false;
  }
}

/**
 * How long a blob: URL handed to Quick Look stays valid. Quick Look (and a download, where the link is
 * treated as one) reads the file after the click returns, so it is not revoked at once.
 */
const REVOKE_AFTER_MS = 60_000;

/**
 * Quick Look options in the URL fragment: `allowsContentScaling=0` keeps the product at true size (no pinch to
 * scale), as the AR view of every other device does.
 */
const QUICK_LOOK_FRAGMENT = '#allowsContentScaling=0';

/** The error a shopper sees when the USDZ could not be made. */
function shopperError(product: Product, cause: unknown): Error {
  const offline = typeof navigator !== 'undefined' && !navigator.onLine;
  const message = offline
    ? `${product.name} is not saved on this device, so viewing it in your space needs a connection.`
    : `${product.name} could not be prepared for viewing in your space. Please try again.`;
  return new Error(message, { cause });
}

/**
 * Opens `product` in AR Quick Look showing `variant`'s material: gets or makes its USDZ (cached on the device
 * for the next time, online or offline), then clicks a `<a rel="ar">` to it holding the `<img>` Safari requires.
 * Resolves once Quick Look was asked to open; rejects with a shopper-facing message when the file could not be
 * made (the model is neither online nor saved, or the model could not be exported).
 */
export async function openQuickLook(
  product: Product,
  variant: Pick<Variant, 'materialVariant'>,
): Promise<void> {
  let blob: Blob;
  try {
    const { usdzFor } = await import('./usdz-store');
    blob = await usdzFor(product, variant.materialVariant);
  } catch (cause) {
    throw shopperError(product, cause);
  }
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.rel = 'ar';
  anchor.href = url + QUICK_LOOK_FRAGMENT;
  // A blob: URL has no file name; Quick Look (and any browser that saves the link) takes it from here.
  anchor.download = `${product.id}.usdz`;
  anchor.hidden = true;
  // Safari opens Quick Look for a rel="ar" link only when the link's first child is an image.
  anchor.append(document.createElement('img'));
  document.body.append(anchor);
  try {
    anchor.click();
  } finally {
    anchor.remove();
    setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
  }
}
