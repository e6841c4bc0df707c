import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CubeReflectionMapping, DataUtils, HalfFloatType, LinearMipmapLinearFilter, RGBAFormat } from 'three';
import { decodePmrem, encodePmrem, pmremFileBytes, type PmremData } from '../../src/scene/pmrem-file';
import {
  createPmremTexture,
  inflateIfGzipped,
  isGzipped,
  ROOM_ENVIRONMENT_URL,
} from '../../src/scene/room-environment';
import { ENVIRONMENT_FILE } from '../../src/server/preload-hints';

/** A deterministic PMREM of `levels` levels from `size`, with values from 0 up to about 60 (light panels). */
function samplePmrem(size: number, levels: number): PmremData<Float32Array> {
  let seed = 7;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  return {
    levels: Array.from({ length: levels }, (_, l) => {
      const s = size >> l;
      return {
        size: s,
        faces: Array.from({ length: 6 }, () => {
          const face = new Float32Array(s * s * 4);
          for (let t = 0; t < face.length; t += 4) {
            const bright = random() < 0.05 ? 60 : 1;
            face[t] = random() * bright;
            face[t + 1] = random() < 0.1 ? 0 : random() * bright;
            face[t + 2] = random() * 0.01;
            face[t + 3] = 1;
          }
          return face;
        }),
      };
    }),
  };
}

const fromHalf = (bits: number): number => DataUtils.fromHalfFloat(bits);

describe('the baked environment file format', () => {
  it('round-trips radiance within the precision of an 8-bit shared-exponent mantissa', () => {
    const data = samplePmrem(16, 2);
    const bytes = encodePmrem(data);
    expect(bytes.byteLength).toBe(pmremFileBytes(16, 2));
    const decoded = decodePmrem(bytes);
    expect(decoded.levels.map((l) => l.size)).toEqual([16, 8]);
    let compared = 0;
    data.levels.forEach((level, l) => {
      level.faces.forEach((face, f) => {
        const out = decoded.levels[l]?.faces[f];
        if (!out) throw new Error(`level ${l} face ${f} missing`);
        expect(out.length).toBe(face.length);
        for (let t = 0; t < face.length; t += 4) {
          const max = Math.max(face[t] ?? 0, face[t + 1] ?? 0, face[t + 2] ?? 0);
          for (let c = 0; c < 3; c++) {
            // Each channel is off by at most one mantissa step of the largest channel (plus half-float rounding).
            expect(Math.abs(fromHalf(out[t + c] ?? 0) - (face[t + c] ?? 0))).toBeLessThanOrEqual(
              max / 128 + 1e-3 * max + 1e-7,
            );
            compared++;
          }
          expect(fromHalf(out[t + 3] ?? 0)).toBe(1);
        }
      });
    });
    expect(compared).toBe(3 * 6 * (16 * 16 + 8 * 8));
  });

  it('turns every RGBE value into the half float nearest to it', () => {
    // One level of 16-texel faces: 1536 texels, mantissas 0..255 at exponents across the half-float range.
    const bytes = new Uint8Array(pmremFileBytes(16, 1));
    bytes.set([0x56, 0x50, 0x4d, 0x31, 16, 0, 0, 0, 1, 0, 0, 0]);
    const exponents = [0, 100, 112, 113, 120, 128, 129, 136, 140, 143, 144, 145, 160];
    for (let i = 0; i < 6 * 256; i++) {
      const at = 12 + i * 4;
      bytes[at] = i % 256;
      bytes[at + 1] = 255 - (i % 256);
      bytes[at + 2] = (i * 7) % 256;
      bytes[at + 3] = exponents[Math.floor(i / 256) % exponents.length] ?? 0;
    }
    const faces = decodePmrem(bytes).levels[0]?.faces ?? [];
    for (let i = 0; i < 6 * 256; i++) {
      const face = faces[Math.floor(i / 256)];
      const t = (i % 256) * 4;
      const at = 12 + i * 4;
      const e = bytes[at + 3] ?? 0;
      for (let c = 0; c < 3; c++) {
        const m = bytes[at + c] ?? 0;
        const value = e === 0 ? 0 : (m + 0.5) * 2 ** (e - 136);
        const expected = value > 65504 ? 65504 : value;
        const got = fromHalf(face?.[t + c] ?? 0);
        // Exact for normal half floats; subnormals may round down by one step (2^-24).
        expect(Math.abs(got - expected), `m=${m} e=${e}`).toBeLessThanOrEqual(
          value >= 2 ** -14 ? 0 : 2 ** -24,
        );
      }
    }
  });

  it('rejects files that are not baked environments or are cut short', () => {
    const good = encodePmrem(samplePmrem(8, 1));
    expect(() => decodePmrem(good)).not.toThrow();
    const wrongMagic = good.slice();
    wrongMagic[0] = 0x58;
    expect(() => decodePmrem(wrongMagic)).toThrow(/Not a pre-filtered environment/);
    expect(() => decodePmrem(good.subarray(0, good.length - 4))).toThrow(/bytes/);
    const badSize = good.slice();
    badSize[4] = 12;
    expect(() => decodePmrem(badSize)).toThrow(/header/);
    const tooManyLevels = good.slice();
    tooManyLevels[8] = 5;
    expect(() => decodePmrem(tooManyLevels)).toThrow(/header/);
    expect(() => encodePmrem({ levels: [] })).toThrow(/at least one level/);
    expect(() => encodePmrem({ levels: [{ size: 8, faces: [] }] })).toThrow(/6 faces/);
  });
});

describe('the shipped room environment', () => {
  const file = gunzipSync(readFileSync(new URL('../../public/environments/room.pmrem.gz', import.meta.url)));
  const data = decodePmrem(file);

  it('has three.js PMREM levels from 128-texel faces down to 8 (three’s smallest mip)', () => {
    expect(data.levels.map((l) => l.size)).toEqual([128, 64, 32, 16, 8]);
  });

  it('holds finite, non-negative radiance that keeps its average from sharp to rough levels', () => {
    let invalid = 0;
    const averages = data.levels.map((level) => {
      let sum = 0;
      let n = 0;
      for (const face of level.faces) {
        for (let t = 0; t < face.length; t += 4) {
          for (let c = 0; c < 3; c++) {
            const v = fromHalf(face[t + c] ?? 0);
            if (!(Number.isFinite(v) && v >= 0)) invalid++;
            sum += v;
            n++;
          }
        }
      }
      return sum / n;
    });
    expect(invalid).toBe(0);
    // Pre-filtering blurs light around the sphere; it neither adds nor removes much of it.
    const first = averages[0] ?? 0;
    expect(first).toBeGreaterThan(0.1);
    for (const average of averages) expect(Math.abs(average / first - 1)).toBeLessThan(0.25);
  });

  it('is inflated only while still gzipped (a dev server may send it with Content-Encoding: gzip)', async () => {
    const gz = readFileSync(new URL('../../public/environments/room.pmrem.gz', import.meta.url));
    expect(isGzipped(gz)).toBe(true);
    expect(isGzipped(file)).toBe(false);
    expect(isGzipped(new Uint8Array([0x1f]))).toBe(false);
    expect(isGzipped(new Uint8Array([]))).toBe(false);
    const gzBuffer = gz.buffer.slice(gz.byteOffset, gz.byteOffset + gz.byteLength);
    const fileBuffer = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength);
    // As sent by our server (still gzipped) and as the browser hands it over after inflating it itself.
    for (const body of [gzBuffer, fileBuffer]) {
      const bytes = new Uint8Array(await inflateIfGzipped(body));
      expect(bytes.byteLength).toBe(file.byteLength);
      expect(Buffer.compare(bytes, file)).toBe(0);
      expect(decodePmrem(bytes).levels.length).toBe(data.levels.length);
    }
    expect(await inflateIfGzipped(fileBuffer)).toBe(fileBuffer);
  });

  it('is the file the server hints and the viewer fetches', () => {
    expect(ROOM_ENVIRONMENT_URL).toBe(`/${ENVIRONMENT_FILE}`);
  });

  it('becomes a half-float cube texture three.js samples as a PMREM', () => {
    const texture = createPmremTexture(data);
    expect(texture.isPMREMTexture).toBe(true);
    expect(texture.isCubeTexture).toBe(true);
    expect(texture.mapping).toBe(CubeReflectionMapping);
    expect(texture.format).toBe(RGBAFormat);
    expect(texture.type).toBe(HalfFloatType);
    expect(texture.minFilter).toBe(LinearMipmapLinearFilter);
    expect(texture.generateMipmaps).toBe(false);
    const faces = texture.image as unknown as {
      width: number;
      mipmaps: { width: number; data: Uint16Array }[];
    }[];
    expect(faces).toHaveLength(6);
    for (const face of faces) {
      expect(face.width).toBe(128);
      expect(face.mipmaps.map((m) => m.width)).toEqual([128, 64, 32, 16, 8]);
      expect(face.mipmaps.map((m) => m.data.length)).toEqual([128, 64, 32, 16, 8].map((s) => s * s * 4));
    }
    texture.dispose();
  });
});
