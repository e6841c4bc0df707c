/**
 * Showroom layout math: where each fixture's stand and product go in the room, how big the stand is, and the
 * floor circle a visitor cannot walk into. Pure numbers in metres and radians; the scene layer draws them.
 */

/** Kinds of stand a fixture can use (mirrors `Stand` in protocol/catalog.ts). */
export type StandKind = 'floor' | 'plinth' | 'table' | 'wall';

/** Outer size of a product in metres. */
export interface Size3 {
  width: number;
  height: number;
  depth: number;
}

/** The parts of a fixture this module needs. */
export interface FixtureInput {
  /** Floor point [x, z] in metres, room centred on 0,0. */
  position: readonly [number, number];
  /** Degrees around the vertical axis, 0 facing +z. */
  rotationY: number;
  stand: StandKind;
}

/** Everything needed to draw one fixture and to keep walkers out of it. */
export interface FixtureLayout {
  /** Floor position of the fixture centre. */
  x: number;
  z: number;
  /** Turn around +y in radians (three.js convention: positive turns +z towards +x). */
  rotationY: number;
  /** Height at which the product's origin (bottom centre) sits. */
  productY: number;
  /** Stand box size in metres (0 for an invisible stand) and the height of its centre. */
  standWidth: number;
  standHeight: number;
  standDepth: number;
  standCenterY: number;
  /** Radius of the floor circle a visitor's body may not enter (before adding the body radius). */
  radius: number;
}

/** Height of the top of each stand kind; products stand on that top. */
export const STAND_TOP: Readonly<Record<Exclude<StandKind, 'wall'>, number>> = {
  floor: 0.03,
  plinth: 0.45,
  table: 0.74,
};

/** Wall-mounted products hang with their centre at this height unless that would put them too low. */
export const WALL_CENTER_HEIGHT = 1.5;
/** Lowest bottom edge of a wall-mounted product. */
export const WALL_MIN_BOTTOM = 0.9;
/** Margin a stand extends beyond the product's footprint on each side. */
export const STAND_MARGIN = 0.1;
/** Depth of the mounting panel behind a wall product. */
export const WALL_PANEL_DEPTH = 0.03;

/** Height at which a product's bottom sits on the given stand. */
export function productBaseHeight(stand: StandKind, size: Size3): number {
  if (stand === 'wall') return Math.max(WALL_MIN_BOTTOM, WALL_CENTER_HEIGHT - size.height / 2);
  return STAND_TOP[stand];
}

/** Degrees to radians. */
export function degToRad(deg: number): number {
  return (deg * Math.PI) / 180;
}

/**
 * Lays out one fixture: product height on its stand, stand size around the product, and its keep-out radius.
 * Wall fixtures get a thin panel behind the product instead of a stand under it.
 */
export function layoutFixture(fixture: FixtureInput, size: Size3): FixtureLayout {
  const [x, z] = fixture.position;
  const productY = productBaseHeight(fixture.stand, size);
  const footprintW = size.width + 2 * STAND_MARGIN;
  const footprintD = size.depth + 2 * STAND_MARGIN;
  let standWidth = footprintW;
  let standDepth = footprintD;
  let standHeight = productY;
  let standCenterY = productY / 2;
  if (fixture.stand === 'wall') {
    standWidth = footprintW;
    standHeight = size.height + 2 * STAND_MARGIN;
    standDepth = WALL_PANEL_DEPTH;
    standCenterY = productY + size.height / 2;
  }
  const radius = Math.hypot(footprintW, footprintD) / 2;
  return {
    x,
    z,
    rotationY: degToRad(fixture.rotationY),
    productY,
    standWidth,
    standHeight,
    standDepth,
    standCenterY,
    radius,
  };
}

/**
 * Where the panel of a wall fixture goes: the product's origin is its bottom centre, so the panel sits behind
 * the product's back face (at -depth/2 in the fixture's own frame). Returns the offset along the fixture's
 * facing direction (negative = behind).
 */
export function wallPanelOffset(size: Size3): number {
  return -(size.depth / 2 + WALL_PANEL_DEPTH / 2);
}
