/**
 * Turns a showroom's data into what its 3D view draws and walks around: each fixture's product, variant and
 * layout, the stands grouped by kind (one instanced mesh each) and the keep-out circles of the fixtures.
 */
import { layoutFixture, wallPanelOffset, type FixtureLayout, type StandKind } from '../../core/layout';
import type { Obstacle, RoomBounds } from '../../core/walk';
import type { Fixture, Product, Showroom, Variant } from '../../protocol/catalog';
import type { StandPlacement } from '../../scene/Stand';

/** A fixture whose product is in the local catalog, laid out. */
export interface PlacedFixture {
  fixture: Fixture;
  product: Product;
  layout: FixtureLayout;
}

/** Everything the showroom view needs, derived from data once. */
export interface ShowroomScene {
  placed: PlacedFixture[];
  stands: Record<StandKind, StandPlacement[]>;
  obstacles: Obstacle[];
  bounds: RoomBounds;
}

/** Lays out a showroom; fixtures whose product is not on this device are left out. */
export function buildShowroomScene(
  showroom: Showroom,
  products: ReadonlyMap<string, Product>,
): ShowroomScene {
  const stands: Record<StandKind, StandPlacement[]> = { floor: [], plinth: [], table: [], wall: [] };
  const placed: PlacedFixture[] = [];
  const obstacles: Obstacle[] = [];
  for (const fixture of showroom.fixtures) {
    const product = products.get(fixture.productId);
    if (!product) continue;
    const layout = layoutFixture(fixture, product.dimensions);
    placed.push({ fixture, product, layout });
    stands[fixture.stand].push({
      layout,
      offset: fixture.stand === 'wall' ? wallPanelOffset(product.dimensions) : 0,
    });
    obstacles.push({ x: layout.x, z: layout.z, radius: layout.radius });
  }
  return {
    placed,
    stands,
    obstacles,
    bounds: { halfWidth: showroom.room.width / 2, halfDepth: showroom.room.depth / 2 },
  };
}

/** The variant a fixture shows: the shopper's choice, else the fixture's sku, else the product's first. */
export function fixtureVariant(product: Product, fixture: Fixture, chosenSku?: string): Variant {
  const sku = chosenSku ?? fixture.sku;
  const first = product.variants[0];
  if (!first) throw new Error(`Product ${product.id} has no variants`);
  return product.variants.find((v) => v.sku === sku) ?? first;
}
