// USDZ for AR Quick Look made in Node from the demo brand's real GLB files (untextured, so three's exporter
// runs without a browser): a valid USDZ archive of the same product in the chosen variant, anchored as the
// product's placement asks. Textured third-party models are covered in the browser (test/e2e/quick-look.test.ts).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { quickLookSupported } from '../../src/features/product/quick-look';
import { usdzCacheUrl } from '../../src/features/product/usdz-store';
import { cacheFor, MODEL_CACHE, USDZ_PATH } from '../../src/pwa/asset-caches';
import { GltfCache } from '../../src/scene/gltf-cache';
import { REVISION } from 'three';
import { planeAlignmentFor, USDZ_EXPORT_VERSION, USDZ_TYPE, usdzOfInstance } from '../../src/scene/usdz';
import type { Placement } from '../../src/protocol/catalog';
import { readGltfParts } from '../support/gltf-parts';
import { repoRoot } from '../support/server';
import { readUsdz, readZip } from '../support/usdz-archive';
import { expectUsdzOfGltf, meshColours } from '../support/usdz-expect';
import { buildChairGlb, parseGlb } from './scene-test-model';

const MODELS = path.join(repoRoot, 'assets', 'brands', 'linde', 'models');

async function glbBytes(id: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(path.join(MODELS, `${id}.glb`)));
}

/** A model cache reading the demo brand's files, as the app's reads /assets/ URLs. */
const cache = new GltfCache(async (id) => {
  const bytes = await glbBytes(id);
  return parseGlb(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
});

async function usdzOf(id: string, variant: string | null, placement: Placement) {
  const instance = await cache.acquire(id);
  try {
    const blob = await usdzOfInstance(instance, variant, placement);
    expect(blob.type).toBe(USDZ_TYPE);
    return readUsdz(new Uint8Array(await blob.arrayBuffer()));
  } finally {
    instance.dispose();
  }
}

describe('USDZ of a product model', () => {
  it('is a valid USDZ archive of the same chair, in each variant, with the part colours changing', async () => {
    const gltf = await readGltfParts(await glbBytes('aster-dining-chair'));
    expect(gltf.variants).toEqual(['natural-oak', 'smoked-oak', 'black-oak']);
    expect(gltf.parts.length).toBeGreaterThan(0);

    const natural = await usdzOf('aster-dining-chair', 'natural-oak', 'floor');
    expectUsdzOfGltf(natural, gltf, 'natural-oak');
    expect(natural.alignment).toBe('horizontal');
    expect(natural.rootText).toContain('token preliminary:anchoring:type = "plane"');
    expect(natural.entries.every((e) => !/\.(png|jpg)$/.test(e.name))).toBe(true);

    const black = await usdzOf('aster-dining-chair', 'black-oak', 'floor');
    expectUsdzOfGltf(black, gltf, 'black-oak');
    const before = meshColours(natural);
    const after = meshColours(black);
    const changed = before.filter((c, i) => JSON.stringify(c) !== JSON.stringify(after[i]));
    expect(changed.length, 'parts whose colour differs between natural and black oak').toBeGreaterThan(0);
  });

  it('keeps parts, placement and variant colours of a chair with several nodes and partial mappings', async () => {
    const glb = await buildChairGlb();
    const gltf = await readGltfParts(new Uint8Array(glb));
    expect(gltf.parts.map((p) => p.node)).toEqual(['seat', 'legs', 'back']);
    const chairs = new GltfCache(() => parseGlb(glb));
    const colours: ReturnType<typeof meshColours>[] = [];
    for (const variant of ['Natural oak', 'Walnut', 'Black']) {
      const instance = await chairs.acquire('/assets/chair.glb');
      try {
        const usdz = readUsdz(
          new Uint8Array(await (await usdzOfInstance(instance, variant, 'floor')).arrayBuffer()),
        );
        expectUsdzOfGltf(usdz, gltf, variant);
        colours.push(meshColours(usdz));
      } finally {
        instance.dispose();
      }
    }
    // Seat: oak, walnut, black; legs: steel until Black; back: steel in every variant.
    expect(colours.map((c) => c[0]?.[0])).toEqual([0.8, 0.35, 0.02].map((v) => expect.closeTo(v, 4)));
    expect(colours.map((c) => c[1]?.[0])).toEqual([0.7, 0.7, 0.02].map((v) => expect.closeTo(v, 4)));
    expect(colours.map((c) => c[2]?.[0])).toEqual([0.7, 0.7, 0.7].map((v) => expect.closeTo(v, 4)));
  });

  it('shows the file’s own materials for a variant the file does not have', async () => {
    const gltf = await readGltfParts(await glbBytes('lune-table-lamp'));
    const usdz = await usdzOf('lune-table-lamp', 'as-modelled', 'tabletop');
    expectUsdzOfGltf(usdz, gltf, null);
    expect(usdz.alignment).toBe('horizontal');
  });

  it('anchors a wall product to a vertical plane', async () => {
    const gltf = await readGltfParts(await glbBytes('hylla-wall-shelf'));
    const usdz = await usdzOf('hylla-wall-shelf', 'smoked-oak', 'wall');
    expectUsdzOfGltf(usdz, gltf, 'smoked-oak');
    expect(usdz.alignment).toBe('vertical');
    expect(planeAlignmentFor('wall')).toBe('vertical');
    expect(planeAlignmentFor('floor')).toBe('horizontal');
    expect(planeAlignmentFor('tabletop')).toBe('horizontal');
  });

  it('checks what it reads: a compressed or misaligned archive is refused', async () => {
    const { zipSync } = await import('three/examples/jsm/libs/fflate.module.js');
    const compressed = zipSync(
      { 'model.usda': new TextEncoder().encode('#usda 1.0\n'.repeat(50)) },
      { level: 6 },
    );
    expect(() => readZip(compressed)).toThrow(/compressed size/);
    // A plain stored zip puts the layer's data right after its 40-byte header: not on a 64-byte boundary.
    const stored = zipSync({ 'model.usda': new TextEncoder().encode('#usda 1.0\n') }, { level: 0 });
    expect(readZip(stored)[0]?.dataOffset).toBe(30 + 'model.usda'.length);
    const gltf = await readGltfParts(await glbBytes('lune-table-lamp'));
    expect(() => expectUsdzOfGltf(readUsdz(stored), gltf, null)).toThrow(
      /model\.usda data is 64-byte aligned/,
    );
  });
});

describe('USDZ cache key', () => {
  const sha = 'a'.repeat(64);

  it('is a same-origin path in the model cache, one per model hash, placement, exporter and variant', () => {
    const exporter = `r${REVISION}v${USDZ_EXPORT_VERSION}`;
    expect(usdzCacheUrl(sha, 'floor', 'black-oak')).toBe(
      `/assets/usdz/${sha}-floor-${exporter}-black-oak.usdz`,
    );
    expect(usdzCacheUrl(sha, 'wall', 'Natural oak / matt')).toBe(
      `/assets/usdz/${sha}-wall-${exporter}-Natural%20oak%20%2F%20matt.usdz`,
    );
    // A product moved from the floor to a wall anchors differently: another file.
    expect(usdzCacheUrl(sha, 'floor', 'black-oak')).not.toBe(usdzCacheUrl(sha, 'wall', 'black-oak'));
    for (const placement of ['floor', 'wall', 'tabletop'] as const) {
      for (const variant of ['black-oak', 'Natural oak / matt', 'as-modelled']) {
        const url = usdzCacheUrl(sha, placement, variant);
        expect(USDZ_PATH.test(url), url).toBe(true);
        expect(cacheFor(url)?.name).toBe(MODEL_CACHE);
      }
    }
    expect(cacheFor(`/assets/usdz/${sha}.glb`)).toBeUndefined();
    expect(cacheFor(`/assets/usdz/../${sha}-x.usdz`)).toBeUndefined();
  });

  it('reports no Quick Look where there is no document (server rendering, Node)', () => {
    expect(quickLookSupported()).toBe(false);
  });
});
