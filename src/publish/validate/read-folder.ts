/**
 * Reads a brand folder from disk into memory for validation (the CLI's side; the server receives the same
 * map from an upload). Owns the file-system walk: hidden files and folders are skipped, and the folder
 * limits are checked from file sizes before a byte is read.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { formatBytes } from '../../core/bytes';
import { FOLDER_LIMITS, type BrandFolderFiles, type Problem } from './problem';

/** The folder cannot be read at all; `problem` says why, in the same form as validation problems. */
export class BrandFolderReadError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
    this.name = 'BrandFolderReadError';
  }
}

/** Deepest sub-folder walked (the format needs one level; this also stops symbolic-link loops). */
const MAX_DEPTH = 6;

/**
 * Reads every file under `dir` (hidden ones skipped) as '/'-separated relative path → bytes. Throws
 * {@link BrandFolderReadError} when the folder is missing, or has more files or bytes than the folder limits.
 */
export async function readBrandFolder(dir: string): Promise<BrandFolderFiles> {
  const root = path.resolve(dir);
  const fail = (code: string, message: string, hint?: string): never => {
    throw new BrandFolderReadError({
      severity: 'error',
      file: '.',
      code,
      message,
      ...(hint ? { hint } : {}),
    });
  };
  try {
    if (!(await stat(root)).isDirectory()) fail('FOLDER_MISSING', `${dir} is not a folder`);
  } catch (error) {
    if (error instanceof BrandFolderReadError) throw error;
    fail('FOLDER_MISSING', `${dir} does not exist or cannot be read`, 'Give the path of the brand folder.');
  }

  const found: { relative: string; absolute: string; size: number }[] = [];
  let total = 0;
  const walk = async (folder: string, prefix: string, depth: number): Promise<void> => {
    const entries = await readdir(folder, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const absolute = path.join(folder, entry.name);
      const relative = prefix + entry.name;
      const info = await stat(absolute); // follows symbolic links, as a person copying the folder would
      if (info.isDirectory()) {
        if (depth < MAX_DEPTH) await walk(absolute, `${relative}/`, depth + 1);
        continue;
      }
      if (!info.isFile()) continue;
      found.push({ relative, absolute, size: info.size });
      total += info.size;
      if (found.length > FOLDER_LIMITS.maxFiles) {
        fail(
          'FOLDER_TOO_MANY_FILES',
          `the folder has more than ${FOLDER_LIMITS.maxFiles} files`,
          'A brand folder holds four JSON files, one model and one poster per product: remove the rest.',
        );
      }
      if (total > FOLDER_LIMITS.maxTotalBytes) {
        fail(
          'FOLDER_TOO_LARGE',
          `the folder holds more than ${formatBytes(FOLDER_LIMITS.maxTotalBytes)}`,
          'Models are at most 15 MB each; remove files that are not part of the brand folder.',
        );
      }
    }
  };
  await walk(root, '', 0);

  const files = new Map<string, Uint8Array>();
  for (const { relative, absolute } of found) {
    const bytes = await readFile(absolute);
    files.set(relative, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }
  return { files };
}
