import { describe, expect, it } from 'vitest';
import {
  STAND_MARGIN,
  STAND_TOP,
  WALL_PANEL_DEPTH,
  layoutFixture,
  productBaseHeight,
  wallPanelOffset,
} from '../../src/core/layout';

const chair = { width: 0.72, height: 0.8, depth: 0.76 };
const lamp = { width: 0.3, height: 0.5, depth: 0.3 };
const mirror = { width: 0.6, height: 0.9, depth: 0.04 };

describe('stand heights', () => {
  it('puts products on the top of their stand kind', () => {
    expect(productBaseHeight('floor', chair)).toBe(STAND_TOP.floor);
    expect(productBaseHeight('plinth', lamp)).toBe(0.45);
    expect(productBaseHeight('table', lamp)).toBe(0.74);
    expect(STAND_TOP.floor).toBeLessThan(STAND_TOP.plinth);
    expect(STAND_TOP.plinth).toBeLessThan(STAND_TOP.table);
  });

  it('hangs wall products centred at 1.5 m, never with the bottom below 0.9 m', () => {
    expect(productBaseHeight('wall', mirror)).toBeCloseTo(1.05, 10);
    expect(productBaseHeight('wall', { width: 1, height: 1.6, depth: 0.05 })).toBe(0.9);
  });
});

describe('layoutFixture', () => {
  it('places a floor fixture at its floor point, turned by its rotation in radians', () => {
    const l = layoutFixture({ position: [1.5, -2], rotationY: 90, stand: 'floor' }, chair);
    expect(l.x).toBe(1.5);
    expect(l.z).toBe(-2);
    expect(l.rotationY).toBeCloseTo(Math.PI / 2, 10);
    expect(l.productY).toBe(STAND_TOP.floor);
    expect(l.standWidth).toBeCloseTo(0.72 + 2 * STAND_MARGIN, 10);
    expect(l.standDepth).toBeCloseTo(0.76 + 2 * STAND_MARGIN, 10);
    expect(l.standHeight).toBe(STAND_TOP.floor);
    expect(l.standCenterY).toBeCloseTo(STAND_TOP.floor / 2, 10);
    expect(l.radius).toBeCloseTo(Math.hypot(0.92, 0.96) / 2, 10);
  });

  it('builds a plinth from the floor up to the product', () => {
    const l = layoutFixture({ position: [0, 0], rotationY: -45, stand: 'plinth' }, lamp);
    expect(l.rotationY).toBeCloseTo(-Math.PI / 4, 10);
    expect(l.standHeight).toBe(0.45);
    expect(l.standCenterY).toBe(0.225);
    expect(l.productY).toBe(0.45);
  });

  it('gives a wall fixture a thin panel behind the product, spanning its height', () => {
    const l = layoutFixture({ position: [0, -3.9], rotationY: 0, stand: 'wall' }, mirror);
    expect(l.standDepth).toBe(WALL_PANEL_DEPTH);
    expect(l.standHeight).toBeCloseTo(0.9 + 2 * STAND_MARGIN, 10);
    expect(l.standCenterY).toBeCloseTo(l.productY + 0.45, 10);
    expect(wallPanelOffset(mirror)).toBeCloseTo(-(0.02 + WALL_PANEL_DEPTH / 2), 10);
  });
});
