/**
 * Supply-chain steps (GS1 EPCIS business steps) in the plain words a shopper reads, on the product page's
 * provenance timeline and on the VR product panel.
 */
import type { BizStep } from '../protocol/catalog';

const STEP_WORDS: Record<BizStep, string> = {
  harvesting: 'Raw material harvested',
  commissioning: 'Registered',
  assembling: 'Made',
  inspecting: 'Inspected',
  packing: 'Packed',
  shipping: 'Shipped',
  receiving: 'Received',
  storing: 'Stored',
};

/** A supply-chain step in plain words. */
export function stepWords(step: BizStep): string {
  return STEP_WORDS[step];
}
