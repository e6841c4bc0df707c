/**
 * Image-based lighting of the 3D views: three.js's RoomEnvironment, pre-filtered once ahead of time
 * (assets/scripts/bake-environment.ts) and served from our own origin, so that a view lights its first frame without
 * the seconds of GPU work PMREMGenerator costs on the device. Owns the page's one download of that file,
 * shared by every view; each renderer gets its own texture. When the file cannot be had, the environment is
 * generated on the device instead (slower, same look).
 */
import {
  CompressedCubeTexture,
  HalfFloatType,
  LinearFilter,
  LinearMipmapLinearFilter,
  LinearSRGBColorSpace,
  RGBAFormat,
  type CompressedPixelFormat,
  type CompressedTextureMipmap,
  type Texture,
  type WebGLRenderer,
} from 'three';
import { decodePmrem, type PmremData } from './pmrem-file';

/** Where the baked environment is served (copied from public/environments/), gzipped (see pmrem-file.ts). */
export const ROOM_ENVIRONMENT_URL = '/environments/room.pmrem.gz';

/**
 * A cube texture three.js samples as a PMREM (its `isPMREMTexture` path: roughness picks the mip level) from
 * decoded file data. Half floats, which every WebGL 2 device can filter.
 */
export function createPmremTexture(data: PmremData<Uint16Array>): CompressedCubeTexture {
  const first = data.levels[0];
  if (!first) throw new Error('The environment has no levels.');
  const faces = [0, 1, 2, 3, 4, 5].map((f) => {
    const mipmaps: CompressedTextureMipmap[] = data.levels.map((level) => ({
      data: level.faces[f] ?? new Uint16Array(level.size * level.size * 4),
      width: level.size,
      height: level.size,
    }));
    return { width: first.size, height: first.size, mipmaps };
  });
  // Uncompressed RGBA mip levels go through three's compressed-cube upload path (texSubImage2D per level); its
  // types only list compressed formats there.
  const texture = new CompressedCubeTexture(
    faces,
    RGBAFormat as unknown as CompressedPixelFormat,
    HalfFloatType,
  );
  texture.name = 'RoomEnvironment (baked PMREM)';
  texture.isPMREMTexture = true;
  texture.colorSpace = LinearSRGBColorSpace;
  texture.minFilter = LinearMipmapLinearFilter;
  texture.magFilter = LinearFilter;
  texture.generateMipmaps = false;
  texture.needsUpdate = true;
  return texture;
}

/** Whether `bytes` start with the gzip magic number (1f 8b). */
export function isGzipped(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * The file's bytes, inflated when they are still gzipped. The server sends the `.gz` file as it is, but a server
 * that labels it `Content-Encoding: gzip` (Vite's dev server does) has the browser inflate it already.
 */
export async function inflateIfGzipped(buffer: ArrayBuffer): Promise<ArrayBuffer> {
  if (!isGzipped(new Uint8Array(buffer, 0, Math.min(2, buffer.byteLength)))) return buffer;
  const inflated = new Blob([buffer]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(inflated).arrayBuffer();
}

let download: Promise<PmremData<Uint16Array>> | null = null;

/** The decoded baked environment, downloaded once per page (a failed download is retried on the next call). */
export function loadRoomEnvironment(): Promise<PmremData<Uint16Array>> {
  if (!download) {
    const started = (async () => {
      const response = await fetch(ROOM_ENVIRONMENT_URL);
      if (!response.ok) throw new Error(`${ROOM_ENVIRONMENT_URL} answered HTTP ${response.status}`);
      // Stored gzipped (the server sends files as they are): 150 KB instead of 520 KB.
      return decodePmrem(await inflateIfGzipped(await response.arrayBuffer()));
    })();
    download = started;
    started.catch(() => {
      if (download === started) download = null;
    });
  }
  return download;
}

/**
 * The room environment for `renderer`: the baked file when it loads (`download`, by default the page's shared
 * one), else generated on the device. The caller owns (disposes) the texture.
 */
export async function roomEnvironmentTexture(
  renderer: WebGLRenderer,
  download: Promise<PmremData<Uint16Array>> = loadRoomEnvironment(),
): Promise<Texture> {
  try {
    return createPmremTexture(await download);
  } catch (error) {
    console.warn('The baked environment could not be loaded; generating it on the device.', error);
    const { generateRoomEnvironment } = await import('./room-environment-pmrem');
    return generateRoomEnvironment(renderer);
  }
}
