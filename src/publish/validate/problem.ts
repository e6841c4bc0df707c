/**
 * What validating a brand folder reports: problems (each tied to a file, and where possible to a field and its
 * line), and the budgets models are held to (Khronos 3D Commerce real-time asset creation guidelines).
 */
import { MAX_MODEL_BYTES } from '../../protocol/publish';
import type { BrandFolderData } from '../../protocol/brand-folder';

/** One thing wrong (error: blocks publishing) or worth fixing (warning) in a brand folder. */
export interface Problem {
  severity: 'error' | 'warning';
  /** Path inside the folder, '/'-separated (`products.json`, `models/oak-chair.glb`). */
  file: string;
  /** JSON pointer or glTF path */
  pointer?: string;
  /** 1-based line of the field in `file` (JSON files). */
  line?: number;
  /** 1-based column of the field in `file` (JSON files). */
  column?: number;
  /** Stable, machine-readable code such as `SKU_FORMAT` or `MODEL_UNITS`. */
  code: string;
  /** What is wrong, in words a brand understands. */
  message: string;
  /** How to fix it. */
  hint?: string;
}

/** The files of a brand folder, read from disk by the CLI or received by the server. */
export interface BrandFolderFiles {
  /** path relative to the folder, '/'-separated → bytes */
  files: ReadonlyMap<string, Uint8Array>;
}

/** What {@link validateBrandFolder} answers. */
export interface ValidationResult {
  problems: Problem[];
  /** parsed data when no error-severity problem */
  data?: BrandFolderData;
}

/** Limits a product model is held to. Warnings unless said otherwise. */
export interface ModelBudgets {
  /** Triangles drawn by the default scene (3D Commerce: 100k). */
  maxTriangles: number;
  /** Largest texture side in pixels (3D Commerce: 2048), and textures must be a power of two. */
  maxTextureSize: number;
  /** Texture side above which the model is refused before any pixel is decoded (zip-bomb defence). */
  refuseTextureSize: number;
  /** GLB bytes to aim for after optimisation (3D Commerce: 5 MB). */
  warnBytes: number;
  /** GLB bytes above which the model is refused. */
  maxBytes: number;
  /** Allowed difference between the model's bounding box and the product's dimensions, per axis (0.02 = 2 %). */
  scaleTolerance: number;
}

/** The 3D Commerce budgets (and Vitrine's refusal limits). */
export const DEFAULT_MODEL_BUDGETS: Readonly<ModelBudgets> = {
  maxTriangles: 100_000,
  maxTextureSize: 2048,
  refuseTextureSize: 8192,
  warnBytes: 5_000_000,
  maxBytes: MAX_MODEL_BYTES,
  scaleTolerance: 0.02,
};

/** Limits on a whole folder, checked before anything in it is parsed. */
export const FOLDER_LIMITS = {
  /** Files in the folder (hidden files excluded). */
  maxFiles: 2000,
  /** Bytes of all files together. */
  maxTotalBytes: 1024 * 1024 * 1024,
  /** Bytes of one JSON file. */
  maxJsonBytes: 10 * 1024 * 1024,
  /** Bytes of one poster. */
  maxPosterBytes: 5 * 1024 * 1024,
} as const;

/** Collects problems; `error` and `warning` return nothing so checks read as statements. */
export class ProblemList {
  readonly items: Problem[] = [];

  add(problem: Problem): void {
    this.items.push(problem);
  }

  error(file: string, code: string, message: string, extra: Partial<Problem> = {}): void {
    this.items.push({ severity: 'error', file, code, message, ...extra });
  }

  warning(file: string, code: string, message: string, extra: Partial<Problem> = {}): void {
    this.items.push({ severity: 'warning', file, code, message, ...extra });
  }

  /** Whether any error was reported for `file` (or at all). */
  hasErrors(file?: string): boolean {
    return this.items.some((p) => p.severity === 'error' && (file === undefined || p.file === file));
  }
}
