// The VR room of a product page (src/features/product/product-vr-scene.ts): the stand its placement implies, the
// product about 1.5 m in front of the shopper, wall products on the back wall, everything inside the walkable room.
import { describe, expect, it } from 'vitest';
import { STAND_TOP, WALL_PANEL_DEPTH } from '../../src/core/layout';
import { BODY_RADIUS } from '../../src/core/walk';
import { VIEW_DISTANCE, productVRScene } from '../../src/features/product/product-vr-scene';
import type { Dimensions, Placement, Product } from '../../src/protocol/catalog';
import { products } from './core-fixture';

function shaped(placement: Placement, dimensions: Dimensions): Product {
  const base = products[0];
  if (!base) throw new Error('the fixture has no products');
  return { ...base, placement, dimensions };
}

const chair = shaped('floor', { width: 0.46, height: 0.8, depth: 0.52 });
const sofa = shaped('floor', { width: 2.1, height: 0.8, depth: 0.92 });
const vase = shaped('tabletop', { width: 0.18, height: 0.32, depth: 0.18 });
const mirror = shaped('wall', { width: 0.7, height: 0.7, depth: 0.04 });

describe('productVRScene', () => {
  it('puts a floor product on a floor platform, 1.5 m in front of the shopper, facing them', () => {
    const scene = productVRScene(chair);
    expect(scene.stand).toBe('floor');
    expect(scene.fixture.stand).toBe('floor');
    expect(scene.layout.productY).toBe(STAND_TOP.floor);
    expect(scene.layout.rotationY).toBe(0);
    expect(scene.start.x).toBe(scene.layout.x);
    expect(scene.start.z - scene.layout.z).toBeCloseTo(VIEW_DISTANCE, 10);
    expect(scene.fixture.position).toEqual([scene.layout.x, scene.layout.z]);
    expect(scene.fixture.id).toBe(chair.id);
    expect(scene.fixture.productId).toBe(chair.id);
  });

  it('stands the shopper clear of a large product', () => {
    const scene = productVRScene(sofa);
    const gap = scene.start.z - scene.layout.z;
    expect(gap).toBeGreaterThan(VIEW_DISTANCE);
    expect(gap).toBeGreaterThan(scene.layout.radius + BODY_RADIUS);
    expect(scene.room.width).toBeGreaterThan(sofa.dimensions.width + 1);
  });

  it('puts a tabletop product on a table of a usable size', () => {
    const scene = productVRScene(vase);
    expect(scene.stand).toBe('table');
    expect(scene.layout.productY).toBe(STAND_TOP.table);
    expect(scene.layout.standHeight).toBe(STAND_TOP.table);
    expect(scene.layout.standWidth).toBeGreaterThanOrEqual(0.6);
    expect(scene.layout.standDepth).toBeGreaterThanOrEqual(0.6);
    expect(scene.obstacles[0]?.radius).toBe(scene.layout.radius);
  });

  it('hangs a wall product on a panel against the back wall, centred at eye level', () => {
    const scene = productVRScene(mirror);
    expect(scene.stand).toBe('wall');
    expect(scene.layout.productY + mirror.dimensions.height / 2).toBeCloseTo(1.5, 10);
    expect(scene.start.z - scene.layout.z).toBeCloseTo(VIEW_DISTANCE, 10);
    // The panel's back face is on the back wall (-depth / 2), not in the room nor behind the wall.
    const panelCentre = scene.layout.z + scene.standPlacement.offset;
    const panelBack = panelCentre - WALL_PANEL_DEPTH / 2;
    expect(panelBack).toBeLessThan(-scene.room.depth / 2 + 0.01);
    expect(panelBack).toBeGreaterThan(-scene.room.depth / 2);
  });

  it('keeps the shopper and the product inside the room, which is centred on 0,0', () => {
    for (const product of [chair, sofa, vase, mirror]) {
      const { bounds, room, start, layout } = productVRScene(product);
      expect(bounds).toEqual({ halfWidth: room.width / 2, halfDepth: room.depth / 2 });
      expect(Math.abs(start.z) + BODY_RADIUS).toBeLessThan(bounds.halfDepth);
      expect(layout.z - product.dimensions.depth / 2).toBeGreaterThan(-bounds.halfDepth);
      expect(room.height).toBeGreaterThan(layout.productY + product.dimensions.height);
      // Room behind the shopper to step back.
      expect(bounds.halfDepth - start.z).toBeGreaterThanOrEqual(2);
    }
  });
});
