/**
 * The room a product is shown in when its page enters VR, as plain numbers: one stand of the kind the product's
 * `placement` implies (floor → low floor platform, tabletop → table, wall → panel on the back wall), the product on
 * it at true size, about 1.5 m in front of where the shopper starts (facing it, -z), inside a neutral room centred
 * on 0,0 (so the showroom's walk bounds and teleport rules apply as they are).
 */
import {
  layoutFixture,
  wallPanelOffset,
  WALL_PANEL_DEPTH,
  type FixtureLayout,
  type StandKind,
} from '../../core/layout';
import { BODY_RADIUS, type Obstacle, type RoomBounds } from '../../core/walk';
import type { Fixture, Placement, Product, Showroom } from '../../protocol/catalog';
import type { StandPlacement } from '../../scene/Stand';

/** Distance from the shopper's starting point to the product's centre, metres (more for very large products). */
export const VIEW_DISTANCE = 1.5;
/** Room left behind the shopper's starting point, metres. */
const SPACE_BEHIND = 2.5;
/** Room left behind a free-standing product's stand, metres. */
const SPACE_BEYOND = 1.2;
/** Smallest room width, metres. */
const MIN_WIDTH = 5;
/** Ceiling height, metres. */
const ROOM_HEIGHT = 2.8;
/** A table is at least this wide and deep, however small the product on it. */
const MIN_TABLE_SIDE = 0.6;

/** The stand each placement puts a product on. */
export const STAND_FOR_PLACEMENT: Readonly<Record<Placement, StandKind>> = {
  floor: 'floor',
  tabletop: 'table',
  wall: 'wall',
};

/**
 * Neutral lights for a product at floor point (0, z): a soft ambient, a key light from above the shopper's right
 * shoulder, a warm fill above and in front of the product, and the room environment for reflections.
 */
export function neutralLighting(productZ: number): Showroom['lighting'] {
  return {
    ambient: { color: '#ffffff', intensity: 0.55 },
    environmentIntensity: 0.7,
    lights: [
      { type: 'directional', position: [2, 5, productZ + 4], color: '#fff8f0', intensity: 2 },
      { type: 'point', position: [0, 2.5, productZ + 1], color: '#fff1e0', intensity: 10 },
    ],
  };
}

/** Everything the product's VR view draws and walks around. */
export interface ProductVRScene {
  /** The product as one fixture (id = product id) facing the shopper. */
  fixture: Fixture;
  layout: FixtureLayout;
  stand: StandKind;
  standPlacement: StandPlacement;
  room: Showroom['room'];
  lighting: Showroom['lighting'];
  bounds: RoomBounds;
  obstacles: Obstacle[];
  /** Where the shopper's feet start (the XR origin), facing -z, towards the product. */
  start: { x: number; z: number };
}

/** Lays out the VR room of one product. */
export function productVRScene(product: Product): ProductVRScene {
  const size = product.dimensions;
  const stand = STAND_FOR_PLACEMENT[product.placement];
  const base = layoutFixture({ position: [0, 0], rotationY: 0, stand }, size);
  const layout =
    stand === 'table'
      ? withTableSize(
          base,
          Math.max(base.standWidth, MIN_TABLE_SIDE),
          Math.max(base.standDepth, MIN_TABLE_SIDE),
        )
      : base;
  // Far enough that the shopper does not stand inside the stand's keep-out circle.
  const distance = Math.max(VIEW_DISTANCE, layout.radius + BODY_RADIUS + 0.1);
  // From the shopper to the back wall: a wall product's panel touches it; anything else has space behind it.
  const toBackWall =
    stand === 'wall'
      ? distance + size.depth / 2 + WALL_PANEL_DEPTH + 0.002
      : distance + layout.radius + SPACE_BEYOND;
  const depth = toBackWall + SPACE_BEHIND;
  // Centre the room on 0,0: the back wall is at -depth/2.
  const startZ = toBackWall - depth / 2;
  const productZ = startZ - distance;
  const width = Math.max(MIN_WIDTH, layout.standWidth + 3);
  const placed: FixtureLayout = { ...layout, z: productZ };
  return {
    fixture: { id: product.id, productId: product.id, position: [0, productZ], rotationY: 0, stand },
    layout: placed,
    stand,
    standPlacement: { layout: placed, offset: stand === 'wall' ? wallPanelOffset(size) : 0 },
    room: {
      width,
      depth,
      height: Math.max(ROOM_HEIGHT, size.height + 0.8),
      floorColor: '#d8d3cb',
      wallColor: '#efedea',
    },
    lighting: neutralLighting(productZ),
    bounds: { halfWidth: width / 2, halfDepth: depth / 2 },
    obstacles: [{ x: 0, z: productZ, radius: placed.radius }],
    start: { x: 0, z: startZ },
  };
}

function withTableSize(layout: FixtureLayout, standWidth: number, standDepth: number): FixtureLayout {
  return { ...layout, standWidth, standDepth, radius: Math.hypot(standWidth, standDepth) / 2 };
}
