/**
 * Reads an image's format and pixel size from its first bytes (PNG, JPEG, WebP, KTX2), never decoding a
 * pixel: a texture that declares 30000 × 30000 px is known to be absurd before anything allocates for it.
 */

/** Format and size an image header declares. */
export interface ImageHeader {
  mimeType: 'image/png' | 'image/jpeg' | 'image/webp' | 'image/ktx2';
  width: number;
  height: number;
}

const u16be = (b: Uint8Array, i: number): number => ((b[i] ?? 0) << 8) | (b[i + 1] ?? 0);
const u16le = (b: Uint8Array, i: number): number => (b[i] ?? 0) | ((b[i + 1] ?? 0) << 8);
const u24le = (b: Uint8Array, i: number): number => u16le(b, i) | ((b[i + 2] ?? 0) << 16);
const u32be = (b: Uint8Array, i: number): number => u16be(b, i) * 0x10000 + u16be(b, i + 2);
const u32le = (b: Uint8Array, i: number): number => u16le(b, i) + u16le(b, i + 2) * 0x10000;
const ascii = (b: Uint8Array, i: number, n: number): string => String.fromCharCode(...b.subarray(i, i + n));

function png(b: Uint8Array): ImageHeader | undefined {
  // Signature, then the IHDR chunk: length (4), "IHDR", width, height (big-endian).
  if (b.length < 24 || ascii(b, 12, 4) !== 'IHDR') return undefined;
  return { mimeType: 'image/png', width: u32be(b, 16), height: u32be(b, 20) };
}

function jpeg(b: Uint8Array): ImageHeader | undefined {
  // Walk the marker segments to the first start-of-frame (SOF0…SOF15 except DHT, JPG and DAC).
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return undefined;
    const marker = b[i + 1] ?? 0;
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2; // markers without a length
      continue;
    }
    const length = u16be(b, i + 2);
    if (length < 2) return undefined;
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      if (i + 9 > b.length) return undefined;
      return { mimeType: 'image/jpeg', height: u16be(b, i + 5), width: u16be(b, i + 7) };
    }
    if (marker === 0xda || marker === 0xd9) return undefined; // scan data before any frame header
    i += 2 + length;
  }
  return undefined;
}

function webp(b: Uint8Array): ImageHeader | undefined {
  if (b.length < 30 || ascii(b, 8, 4) !== 'WEBP') return undefined;
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8 ') {
    return { mimeType: 'image/webp', width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
  }
  if (chunk === 'VP8L') {
    const bits = u32le(b, 21);
    return { mimeType: 'image/webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') {
    return { mimeType: 'image/webp', width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 };
  }
  return undefined;
}

const KTX2_MAGIC = [0xab, 0x4b, 0x54, 0x58, 0x20, 0x32, 0x30, 0xbb, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * The format and declared size of an image, or undefined when the bytes are none of the formats glTF allows
 * (or are too short to say).
 */
export function readImageHeader(bytes: Uint8Array): ImageHeader | undefined {
  if (bytes.length >= 8 && bytes[0] === 0x89 && ascii(bytes, 1, 3) === 'PNG') return png(bytes);
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return jpeg(bytes);
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF') return webp(bytes);
  if (bytes.length >= 28 && KTX2_MAGIC.every((v, i) => bytes[i] === v)) {
    return { mimeType: 'image/ktx2', width: u32le(bytes, 20), height: Math.max(1, u32le(bytes, 24)) };
  }
  return undefined;
}

/** Whether `n` is a power of two (1, 2, 4 … ). */
export function isPowerOfTwo(n: number): boolean {
  return n > 0 && Number.isInteger(Math.log2(n));
}
