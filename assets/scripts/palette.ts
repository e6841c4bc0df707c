/**
 * The PBR metallic-roughness materials of the demo models, factors only (no textures). Colours are written
 * here in sRGB hex, as a designer picks them, and converted to the linear factors glTF stores.
 */

/** One material: sRGB base colour, metalness and roughness (0..1), optional sRGB emissive glow. */
export interface Finish {
  color: string;
  metallic: number;
  roughness: number;
  emissive?: string;
}

export const PALETTE = {
  // Woods, oiled.
  'natural-oak': { color: '#c49a6c', metallic: 0, roughness: 0.62 },
  'smoked-oak': { color: '#7a5a40', metallic: 0, roughness: 0.58 },
  'black-oak': { color: '#2e2925', metallic: 0, roughness: 0.52 },
  'whitewashed-oak': { color: '#ddd0bd', metallic: 0, roughness: 0.66 },
  walnut: { color: '#5e3e2b', metallic: 0, roughness: 0.5 },
  'black-ash': { color: '#272321', metallic: 0, roughness: 0.5 },
  // Fabrics.
  'sand-linen': { color: '#cbbba0', metallic: 0, roughness: 0.95 },
  'moss-linen': { color: '#6f7552', metallic: 0, roughness: 0.95 },
  'rust-linen': { color: '#a0522d', metallic: 0, roughness: 0.95 },
  'oat-boucle': { color: '#d9cfbf', metallic: 0, roughness: 1 },
  'charcoal-wool': { color: '#3d3d3f', metallic: 0, roughness: 1 },
  'undyed-grey-wool': { color: '#8c8a85', metallic: 0, roughness: 1 },
  'ecru-wool': { color: '#e3dccb', metallic: 0, roughness: 1 },
  'forest-wool': { color: '#3f5446', metallic: 0, roughness: 1 },
  // Metals and glass.
  brass: { color: '#c9a45a', metallic: 1, roughness: 0.32 },
  'black-steel': { color: '#1f1f1f', metallic: 0.6, roughness: 0.45 },
  'mirror-glass': { color: '#eef2f3', metallic: 1, roughness: 0.04 },
  // Lamp parts: shades glow faintly, as when the lamp is on.
  'linen-shade': { color: '#efe6d6', metallic: 0, roughness: 0.9, emissive: '#3a3122' },
  'bulb-glow': { color: '#fff6e0', metallic: 0, roughness: 0.2, emissive: '#fff1cc' },
  // Glazed stoneware.
  'chalk-glaze': { color: '#ece6dc', metallic: 0, roughness: 0.42 },
  'celadon-glaze': { color: '#a9bfa8', metallic: 0, roughness: 0.28 },
  'terracotta-clay': { color: '#b5654a', metallic: 0, roughness: 0.75 },
  'ink-glaze': { color: '#2e3440', metallic: 0, roughness: 0.32 },
} as const satisfies Record<string, Finish>;

/** Name of a palette material. */
export type FinishName = keyof typeof PALETTE;

/** sRGB hex colour to the linear RGB factors glTF expects. */
export function linearRgb(hex: string): [number, number, number] {
  const channel = (offset: number): number => {
    const c = parseInt(hex.slice(offset, offset + 2), 16) / 255;
    const linear = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    return Math.round(linear * 10000) / 10000;
  };
  return [channel(1), channel(3), channel(5)];
}
