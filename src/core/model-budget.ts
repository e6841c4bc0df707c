/**
 * Whether a product model is light enough to open in AR on a phone, and the sentence that warns the shopper
 * before AR starts when it is not (AR on a phone holds the camera feed, tracking and the model at once; a model
 * too heavy for it ends in a crashed tab, not a slow one).
 *
 * The limits, and where they come from:
 * - Triangles: 100,000. The Khronos 3D Commerce "Real-time Asset Creation Guidelines" (1.0, 2020) recommend at
 *   most 100k triangles for a product model published to the web and to mobile AR; Apple's AR Quick Look
 *   guidance gives the same order (about 100k polygons). Under it a phone draws the model comfortably.
 * - Bytes: 15 MB of model file. The same guidelines ask for at most 5 MB per file, but that number is about
 *   download time; what takes a phone down is memory, and the file size stands in for it (compressed geometry
 *   and JPEG/PNG textures decode to several times their bytes). Three times the download target leaves room
 *   for the legitimately detailed product while catching the scanned or unoptimised file that would not fit.
 * The same limits serve a headset: a standalone headset (Meta Quest) runs on a phone's class of chip and
 * memory, so the warning speaks of "this device", not of a phone.
 */
import { formatBytes } from './bytes';

/** What a device can take: the largest model, in triangles and in file bytes, it opens without a warning. */
export interface DeviceLimits {
  /** Most triangles the model may draw. */
  maxTriangles: number;
  /** Most bytes the model file may have. */
  maxBytes: number;
  /** The device in the shopper's words, for the warning ("this phone"). */
  name: string;
}

/** The limits of a phone (or a standalone headset) in AR (see the header comment for the sources). */
export const PHONE_LIMITS: DeviceLimits = {
  maxTriangles: 100_000,
  maxBytes: 15_000_000,
  name: 'this device',
};

/** The model fields the budget reads (a catalog `ModelRef` has them). */
export interface ModelSize {
  /** Triangles the model draws. */
  triangles: number;
  /** Bytes of the model file. */
  bytes: number;
}

/** The verdict on a model: fine, or over a limit with the sentence to ask the shopper before going on. */
export type ModelBudgetResult =
  | { ok: true }
  | {
      ok: false;
      /** Shopper-facing question, e.g. "This model is large (312k triangles, 22.0 MB) and may be slow or crash on this device. Continue?" */
      reason: string;
      /** Which limits the model is over. */
      over: ('triangles' | 'bytes')[];
    };

/** A triangle count for people: "850", "48k", "312k", "1.2M". */
export function formatTriangles(triangles: number): string {
  if (triangles < 1_000) return String(triangles);
  if (triangles < 999_500) return `${Math.round(triangles / 1_000)}k`;
  return `${(triangles / 1_000_000).toFixed(1)}M`;
}

const exact = new Intl.NumberFormat('en');

/**
 * A triangle count as {@link formatTriangles} writes it, unless rounding would make a count over `limit` read as
 * the limit or less ("100k" for 100,001): then exactly ("100,001").
 */
function trianglesOver(triangles: number, limit: number): string {
  if (triangles > limit && triangles < 999_500 && Math.round(triangles / 1_000) * 1_000 <= limit)
    return exact.format(triangles);
  return formatTriangles(triangles);
}

/**
 * Checks a model against a device's limits (a phone's by default). Over a limit, the reason names both sizes
 * so the shopper can judge, and asks whether to go on: the warning never blocks AR by itself.
 */
export function modelBudget(model: ModelSize, device: DeviceLimits = PHONE_LIMITS): ModelBudgetResult {
  const over: ('triangles' | 'bytes')[] = [];
  if (model.triangles > device.maxTriangles) over.push('triangles');
  if (model.bytes > device.maxBytes) over.push('bytes');
  if (over.length === 0) return { ok: true };
  const size = `${trianglesOver(model.triangles, device.maxTriangles)} triangles, ${formatBytes(model.bytes)}`;
  return {
    ok: false,
    reason: `This model is large (${size}) and may be slow or crash on ${device.name}. Continue?`,
    over,
  };
}
