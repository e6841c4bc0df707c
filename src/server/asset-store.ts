/**
 * The content-addressed file store: this module owns `<dataDir>/assets/`, where every model and poster lives
 * as `<sha256>.<ext>`. Files are written to a temporary name and renamed into place, so a reader never sees a
 * half-written file, and a file with a given name never changes.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Content type of each file extension the store accepts. */
export const ASSET_CONTENT_TYPES = {
  glb: 'model/gltf-binary',
  jpg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  usdz: 'model/vnd.usdz+zip',
} as const;

export type AssetExt = keyof typeof ASSET_CONTENT_TYPES;

/** `<sha256>.<ext>` with a lower-case hex hash and a known extension. */
export const ASSET_NAME = /^([0-9a-f]{64})\.(glb|jpg|png|webp|usdz)$/;

/** A file placed in the store. */
export interface StoredAsset {
  sha256: string;
  ext: AssetExt;
  bytes: number;
  contentType: string;
  /** Public URL path, `/assets/<sha256>.<ext>`. */
  url: string;
}

/** Lower-case hex SHA-256 of some bytes. */
export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The store folder inside a data folder. */
export function assetsDirOf(dataDir: string): string {
  return path.join(dataDir, 'assets');
}

/** Where the file of an asset lives. */
export function assetPath(assetsDir: string, sha256: string, ext: string): string {
  return path.join(assetsDir, `${sha256}.${ext}`);
}

async function exists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/**
 * Puts bytes in the store under their hash (no-op when that file is already there) and describes them.
 */
export async function storeAsset(assetsDir: string, data: Uint8Array, ext: AssetExt): Promise<StoredAsset> {
  const sha256 = sha256Hex(data);
  const target = assetPath(assetsDir, sha256, ext);
  if (!(await exists(target))) {
    await mkdir(assetsDir, { recursive: true });
    const temp = path.join(assetsDir, `.${sha256}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await writeFile(temp, data);
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }
  return {
    sha256,
    ext,
    bytes: data.byteLength,
    contentType: ASSET_CONTENT_TYPES[ext],
    url: `/assets/${sha256}.${ext}`,
  };
}
