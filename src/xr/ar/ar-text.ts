/**
 * Words of the AR view: what the reticle asks for, the true-size badge, dimensions in centimetres and the
 * sentences the overlay announces.
 */
import { POINT_AT, type TrueScaleCheck } from '../../core/ar-placement';
import type { Dimensions, Placement } from '../../protocol/catalog';
import type { ReticleState } from './ar-placer';

const cm = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });

/** "46 cm". */
export function centimetres(metres: number): string {
  return `${cm.format(metres * 100)} cm`;
}

/** "Width 46 cm · Height 80 cm · Depth 52 cm". */
export function dimensionsLine(d: Dimensions): string {
  return `Width ${centimetres(d.width)} · Height ${centimetres(d.height)} · Depth ${centimetres(d.depth)}`;
}

const SURFACE: Readonly<Record<Placement, string>> = {
  floor: 'the floor',
  wall: 'a wall',
  tabletop: 'a table',
};

/** The hint under the reticle before the product is placed. */
export function reticleHint(placement: Placement, reticle: ReticleState, refusal: string | null): string {
  if (reticle === 'ready') return `Tap to place it on ${SURFACE[placement]}`;
  if (reticle === 'refused') return refusal ?? POINT_AT[placement];
  return `Move slowly and look for ${SURFACE[placement]}`;
}

/** The badge text: "True size 1:1", or how far the model is from the catalog size (it is never rescaled). */
export function trueSizeBadge(check: TrueScaleCheck | null): string {
  if (!check) return 'True size 1:1';
  if (check.matches) return 'True size 1:1';
  const worst = (['width', 'height', 'depth'] as const).reduce((a, b) =>
    Math.abs(check.difference[a]) >= Math.abs(check.difference[b]) ? a : b,
  );
  return `Shown 1:1 from the model, which is ${centimetres(Math.abs(check.difference[worst]))} ${
    check.difference[worst] > 0 ? 'larger' : 'smaller'
  } in ${worst} than the catalog size`;
}

/** The shopper's sentence for an AR session that could not start (the browser's error, or ours). */
export function arStartFailure(error: unknown): string {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError')
    return 'The browser did not allow AR to start. Please tap “View in your space” again.';
  if (name === 'NotSupportedError')
    return 'This device cannot start AR with surface detection, which placing a product needs.';
  const detail = error instanceof Error ? error.message : String(error);
  return `AR could not start (${detail}). Please try again.`;
}
