/**
 * The file format of a pre-filtered environment map (PMREM) baked ahead of time (assets/scripts/bake-environment.ts),
 * so that viewers skip the seconds of GPU work three.js's PMREMGenerator costs on the device.
 *
 * Layout, little-endian: the magic `VPM1`, the face size of level 0 (u32, a power of two) and the number of
 * levels (u32); then for each level (face size halving each time) the six cube faces in WebGL order (+X, -X,
 * +Y, -Y, +Z, -Z), each `size * size` texels in rows from t = 0, every texel RGBE (three mantissa bytes and a
 * shared exponent, as in Radiance .hdr files). Level `l` holds the radiance pre-filtered for the GGX roughness
 * three.js assigns to mip `l` of `levels - 1` (PMREMGenerator.lodToRoughness), so three samples it as its own.
 */

/** Magic bytes at the start of the file. */
export const PMREM_MAGIC = 'VPM1';
const HEADER_BYTES = 12;

/**
 * One level of a PMREM: six faces of `size * size` texels, linear RGBA (4 values per texel). Encoding takes
 * floats; decoding gives half floats (their IEEE 754 binary16 bits), ready for the GPU.
 */
export interface PmremLevel<Texels extends Float32Array | Uint16Array = Float32Array | Uint16Array> {
  size: number;
  /** Per face, in WebGL order +X, -X, +Y, -Y, +Z, -Z. */
  faces: Texels[];
}

/** A PMREM, level 0 (sharpest) first. */
export interface PmremData<Texels extends Float32Array | Uint16Array = Float32Array | Uint16Array> {
  levels: PmremLevel<Texels>[];
}

/** Bytes of a file holding `levels` levels from faces of `size`. */
export function pmremFileBytes(size: number, levels: number): number {
  let texels = 0;
  for (let l = 0; l < levels; l++) texels += 6 * (size >> l) ** 2;
  return HEADER_BYTES + texels * 4;
}

function writeRgbe(r: number, g: number, b: number, out: Uint8Array, at: number): void {
  const max = Math.max(r, g, b);
  if (!(max > 1e-32)) {
    out[at] = out[at + 1] = out[at + 2] = out[at + 3] = 0;
    return;
  }
  // max = m * 2^e with m in [0.5, 1): the largest channel gets the full 8-bit mantissa.
  let e = Math.ceil(Math.log2(max));
  if (max / 2 ** e >= 1) e += 1;
  const scale = 256 / 2 ** e;
  out[at] = Math.min(255, Math.floor(r * scale));
  out[at + 1] = Math.min(255, Math.floor(g * scale));
  out[at + 2] = Math.min(255, Math.floor(b * scale));
  out[at + 3] = Math.max(0, Math.min(255, e + 128));
}

/**
 * Encodes levels into the file format. Each level must be half the size of the one before it, with six
 * faces of `size * size * 4` floats (RGBA; alpha is dropped).
 */
export function encodePmrem(data: PmremData<Float32Array>): Uint8Array {
  const first = data.levels[0];
  if (!first) throw new Error('A PMREM needs at least one level.');
  const size = first.size;
  const out = new Uint8Array(pmremFileBytes(size, data.levels.length));
  const view = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) out[i] = PMREM_MAGIC.charCodeAt(i);
  view.setUint32(4, size, true);
  view.setUint32(8, data.levels.length, true);
  let at = HEADER_BYTES;
  data.levels.forEach((level, l) => {
    if (level.size !== size >> l || level.faces.length !== 6)
      throw new Error(`Level ${l} must have 6 faces of ${size >> l} texels.`);
    for (const face of level.faces) {
      if (face.length !== level.size * level.size * 4)
        throw new Error(`Level ${l} has a face of ${face.length} floats.`);
      for (let t = 0; t < face.length; t += 4) {
        writeRgbe(face[t] ?? 0, face[t + 1] ?? 0, face[t + 2] ?? 0, out, at);
        at += 4;
      }
    }
  });
  return out;
}

/** Bit length of 0..511, for the half-float conversion below. */
const BIT_LENGTH = new Uint8Array(512);
for (let i = 1; i < 512; i++) BIT_LENGTH[i] = Math.floor(Math.log2(i)) + 1;

/**
 * The half float (IEEE 754 binary16 bits) nearest to an RGBE channel: (m + 0.5) * 2^(e - 136), i.e. the middle
 * of the mantissa step the encoder floored into. Exact: (2m + 1) has at most 9 significant bits and a half
 * float keeps 11; values past the half-float range clamp to its largest finite value, tiny ones go subnormal.
 */
function rgbeToHalf(m: number, e: number): number {
  if (e === 0) return 0;
  const odd = 2 * m + 1; // value = odd * 2^(e - 137)
  const bits = BIT_LENGTH[odd] ?? 1;
  const exponent = e - 137 + bits - 1 + 15; // biased half exponent of the leading bit
  if (exponent >= 31) return 0x7bff;
  if (exponent <= 0) {
    // Subnormal: value / 2^-24, rounded down (these are far below anything visible).
    const shift = e - 137 + 24;
    return shift >= 0 ? odd << shift : odd >> -shift;
  }
  const fraction = ((odd << (11 - bits)) & 0x3ff) >>> 0;
  return (exponent << 10) | fraction;
}

/** Half float 1.0, the alpha of every texel. */
const HALF_ONE = 0x3c00;

/**
 * Decodes a file into half floats (RGBA, the format the texture is uploaded in); throws on a wrong magic, a
 * size that is not a power of two, or a truncated file.
 */
export function decodePmrem(bytes: ArrayBuffer | Uint8Array): PmremData<Uint16Array> {
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  if (u8.byteLength < HEADER_BYTES || String.fromCharCode(...u8.subarray(0, 4)) !== PMREM_MAGIC)
    throw new Error('Not a pre-filtered environment file.');
  const view = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
  const size = view.getUint32(4, true);
  const count = view.getUint32(8, true);
  if (size < 1 || (size & (size - 1)) !== 0 || count < 1 || size >> (count - 1) < 1)
    throw new Error(`Bad environment file header: size ${size}, ${count} levels.`);
  if (u8.byteLength !== pmremFileBytes(size, count))
    throw new Error(`Environment file has ${u8.byteLength} bytes, ${pmremFileBytes(size, count)} expected.`);
  const levels: PmremLevel<Uint16Array>[] = [];
  let at = HEADER_BYTES;
  for (let l = 0; l < count; l++) {
    const s = size >> l;
    const faces: Uint16Array[] = [];
    for (let f = 0; f < 6; f++) {
      const face = new Uint16Array(s * s * 4);
      for (let t = 0; t < face.length; t += 4, at += 4) {
        const e = u8[at + 3] ?? 0;
        face[t] = rgbeToHalf(u8[at] ?? 0, e);
        face[t + 1] = rgbeToHalf(u8[at + 1] ?? 0, e);
        face[t + 2] = rgbeToHalf(u8[at + 2] ?? 0, e);
        face[t + 3] = HALF_ONE;
      }
      faces.push(face);
    }
    levels.push({ size: s, faces });
  }
  return { levels };
}
