/**
 * Checks a GLB's container and the glTF JSON inside it before any glTF library touches the file: header,
 * chunk lengths, JSON size, URIs, buffer and accessor ranges, and the size textures declare. Everything here
 * reads numbers from headers and never allocates by what the file declares, so a hostile file (a truncated
 * download, a chunk claiming 2 GB, an accessor of a billion vertices, a 30000 × 30000 px texture) gets a clear
 * error instead of a crash, a hang or an out-of-memory.
 */
import { formatBytes } from '../../core/bytes';
import { isPowerOfTwo, readImageHeader } from './image-header';
import type { ModelBudgets, ProblemList } from './problem';

/** Largest JSON chunk read (product models need a few hundred kB at most). */
export const MAX_GLB_JSON_BYTES = 8 * 1024 * 1024;

/** Largest accessor (count × element size) accepted when it has no buffer view to bound it. */
export const MAX_ACCESSOR_BYTES = 256 * 1024 * 1024;

/**
 * Most bytes the EXT_meshopt_compression buffer views of one model may decode to, all views together: 256 MiB.
 * glTF-Transform allocates `count × byteStride` for each compressed view before decoding it, and the Khronos
 * validator does not look inside the extension, so without this cap a few bytes of JSON could ask for gigabytes.
 */
export const MAX_MESHOPT_DECODED_BYTES = 256 * 1024 * 1024;

const GLB_MAGIC = 0x46546c67; // "glTF"
const CHUNK_JSON = 0x4e4f534a;
const CHUNK_BIN = 0x004e4942;

/** The parts of a GLB. */
export interface GlbParts {
  json: Record<string, unknown>;
  /** The BIN chunk, when there is one. */
  bin: Uint8Array | undefined;
}

const REEXPORT = 'Export the model again as glTF Binary (.glb) and copy it into the folder.';

/** Splits a GLB into its JSON and BIN chunks, reporting why it cannot when the container is broken. */
export function readGlbContainer(
  bytes: Uint8Array,
  file: string,
  problems: ProblemList,
): GlbParts | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 12) {
    problems.error(file, 'GLB_TRUNCATED', `the file is ${bytes.byteLength} bytes: too short to be a GLB`, {
      hint: REEXPORT,
    });
    return undefined;
  }
  const magic = view.getUint32(0, true);
  if (magic !== GLB_MAGIC) {
    const text = new TextDecoder().decode(bytes.subarray(0, 64)).trimStart();
    const isGltfJson = text.startsWith('{');
    problems.error(
      file,
      'GLB_MAGIC',
      isGltfJson
        ? 'this is a glTF JSON file (.gltf), not a binary glTF (.glb)'
        : `the file does not start with the GLB signature "glTF": it is not a GLB, or it is corrupt`,
      {
        hint: isGltfJson
          ? 'Export as glTF Binary (.glb) with textures and buffers embedded, or convert it: ' +
            'npx @gltf-transform/cli copy model.gltf model.glb'
          : REEXPORT,
      },
    );
    return undefined;
  }
  const version = view.getUint32(4, true);
  if (version !== 2) {
    problems.error(file, 'GLB_VERSION', `GLB version ${version}: only glTF 2.0 is supported`, {
      hint: 'Export as glTF 2.0 binary (.glb).',
    });
    return undefined;
  }
  const declared = view.getUint32(8, true);
  if (declared > bytes.byteLength) {
    problems.error(
      file,
      'GLB_TRUNCATED',
      `the GLB header declares ${declared} bytes but the file has ${bytes.byteLength}: it was cut short ` +
        '(an interrupted download, copy or export?)',
      { hint: REEXPORT },
    );
    return undefined;
  }
  if (declared < bytes.byteLength) {
    problems.error(
      file,
      'GLB_LENGTH',
      `the GLB header declares ${declared} bytes but the file has ${bytes.byteLength}: there is data after ` +
        'the end of the model',
      { hint: REEXPORT },
    );
    return undefined;
  }

  let json: Record<string, unknown> | undefined;
  let bin: Uint8Array | undefined;
  let offset = 12;
  for (let index = 0; offset < declared; index++) {
    if (offset + 8 > declared) {
      problems.error(file, 'GLB_TRUNCATED', `chunk ${index} has an incomplete header at byte ${offset}`, {
        hint: REEXPORT,
      });
      return undefined;
    }
    const length = view.getUint32(offset, true);
    const type = view.getUint32(offset + 4, true);
    const start = offset + 8;
    if (length > declared - start) {
      problems.error(
        file,
        'GLB_CHUNK_LENGTH',
        `chunk ${index} declares ${length} bytes but only ${declared - start} remain in the file: ` +
          'the file is corrupt',
        { hint: REEXPORT },
      );
      return undefined;
    }
    const data = bytes.subarray(start, start + length);
    if (index === 0) {
      if (type !== CHUNK_JSON) {
        problems.error(file, 'GLB_JSON_MISSING', 'the first chunk of the GLB is not its JSON', {
          hint: REEXPORT,
        });
        return undefined;
      }
      if (length > MAX_GLB_JSON_BYTES) {
        problems.error(
          file,
          'GLB_JSON_TOO_LARGE',
          `the glTF JSON chunk is ${formatBytes(length)}; at most ${formatBytes(MAX_GLB_JSON_BYTES)} is ` +
            'accepted (product models need far less)',
          {
            hint: 'Merge nodes and meshes, drop unused data (npx @gltf-transform/cli prune) and export again.',
          },
        );
        return undefined;
      }
      try {
        const parsed: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(data));
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
          throw new Error('the JSON is not an object');
        }
        json = parsed as Record<string, unknown>;
      } catch (error) {
        problems.error(
          file,
          'GLB_JSON_INVALID',
          `the glTF JSON inside the GLB cannot be read: ${error instanceof Error ? error.message : error}`,
          { hint: REEXPORT },
        );
        return undefined;
      }
    } else if (index === 1 && type === CHUNK_BIN) {
      bin = data;
    }
    offset = start + length;
  }
  if (json === undefined) {
    problems.error(file, 'GLB_JSON_MISSING', 'the GLB has no JSON chunk', { hint: REEXPORT });
    return undefined;
  }
  return { json, bin };
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
const count = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;

/** A property's EXT_meshopt_compression extension object, if it has one. */
const meshoptOf = (value: unknown): Record<string, unknown> | undefined => {
  const extension = record(record(value).extensions).EXT_meshopt_compression;
  return extension === undefined ? undefined : record(extension);
};

/** Whether a buffer is an EXT_meshopt_compression fallback: no uri and no bytes of its own. */
const isMeshoptFallback = (buffer: unknown): boolean =>
  record(buffer).uri === undefined && meshoptOf(buffer)?.fallback === true;

const COMPONENTS: Readonly<Record<string, number>> = {
  SCALAR: 1,
  VEC2: 2,
  VEC3: 3,
  VEC4: 4,
  MAT2: 4,
  MAT3: 9,
  MAT4: 16,
};
const COMPONENT_BYTES: Readonly<Record<number, number>> = {
  5120: 1,
  5121: 1,
  5122: 2,
  5123: 2,
  5125: 4,
  5126: 4,
};

/** The modes and filters EXT_meshopt_compression defines. */
const MESHOPT_MODES = new Set(['ATTRIBUTES', 'TRIANGLES', 'INDICES']);
const MESHOPT_FILTERS = new Set(['NONE', 'OCTAHEDRAL', 'QUATERNION', 'EXPONENTIAL']);

/**
 * What is wrong with one EXT_meshopt_compression buffer view by the extension's specification (mode, filter,
 * byteStride, count, and `count × byteStride` equal to the view's byteLength), or undefined when nothing is.
 */
function meshoptViewProblem(compressed: Record<string, unknown>, viewLength: number): string | undefined {
  const mode = compressed.mode;
  const filter = compressed.filter ?? 'NONE';
  const stride = count(compressed.byteStride);
  const elements = count(compressed.count);
  if (typeof mode !== 'string' || !MESHOPT_MODES.has(mode))
    return `mode ${JSON.stringify(mode)} is not one of ATTRIBUTES, TRIANGLES, INDICES`;
  if (typeof filter !== 'string' || !MESHOPT_FILTERS.has(filter))
    return `filter ${JSON.stringify(filter)} is not one of NONE, OCTAHEDRAL, QUATERNION, EXPONENTIAL`;
  if (stride === undefined || elements === undefined)
    return 'byteStride and count must be non-negative integers';
  if (mode === 'ATTRIBUTES') {
    if (stride < 4 || stride > 256 || stride % 4 !== 0)
      return `byteStride ${stride} must be a multiple of 4 from 4 to 256 for ATTRIBUTES`;
  } else {
    if (stride !== 2 && stride !== 4) return `byteStride ${stride} must be 2 or 4 for ${mode}`;
    if (filter !== 'NONE') return `filter ${filter} is only allowed with mode ATTRIBUTES`;
    if (mode === 'TRIANGLES' && elements % 3 !== 0)
      return `count ${elements} must be a multiple of 3 for TRIANGLES`;
  }
  if (filter === 'OCTAHEDRAL' && stride !== 4 && stride !== 8)
    return `byteStride ${stride} must be 4 or 8 with the OCTAHEDRAL filter`;
  if (filter === 'QUATERNION' && stride !== 8)
    return `byteStride ${stride} must be 8 with the QUATERNION filter`;
  if (elements * stride !== viewLength) {
    return `count × byteStride (${elements.toLocaleString('en')} × ${stride} = ${formatBytes(elements * stride)}) is not the buffer view's byteLength (${formatBytes(viewLength)})`;
  }
  return undefined;
}

/** Says in words where a URI points (every URI is refused; the words tell the brand what they did). */
function uriKind(uri: string): string {
  if (/^data:/i.test(uri)) return 'a data: URI (base64 inside the JSON)';
  if (/^https?:/i.test(uri)) return `a remote URL (${uri.slice(0, 80)})`;
  if (/^file:/i.test(uri)) return `a file: URL (${uri.slice(0, 80)})`;
  if (/^[a-z][a-z0-9+.-]*:/i.test(uri) && !/^[a-z]:[\\/]/i.test(uri)) return `a URL (${uri.slice(0, 80)})`;
  if (/^([\\/]|[a-z]:[\\/])/i.test(uri)) return `an absolute path (${uri.slice(0, 80)})`;
  let decoded = uri;
  try {
    decoded = decodeURIComponent(uri);
  } catch {
    // a malformed escape: judge the URI as written
  }
  if (decoded.split(/[\\/]/).includes('..')) {
    return `a path outside the folder (${uri.slice(0, 80)})`;
  }
  return `an external file (${uri.slice(0, 80)})`;
}

/**
 * Checks the glTF JSON of a GLB: every buffer and image embedded (no `uri` at all), buffer views and
 * accessors inside their buffers, and textures within the budgets by their declared size.
 */
export function checkGltfJson(
  parts: GlbParts,
  file: string,
  budgets: ModelBudgets,
  problems: ProblemList,
): void {
  const { json, bin } = parts;
  const binLength = bin?.byteLength ?? 0;

  // URIs. Only the GLB's own BIN chunk is accepted: a model is one self-contained, content-addressed file, so
  // it can never fetch from another origin, read the server's disk, or change after it was validated.
  for (const kind of ['buffers', 'images'] as const) {
    list(json[kind]).forEach((item, i) => {
      const uri = record(item).uri;
      if (typeof uri !== 'string') return;
      problems.error(file, 'EXTERNAL_URI', `${kind}[${i}] refers to ${uriKind(uri)}`, {
        pointer: `/${kind}/${i}/uri`,
        hint:
          'Every buffer and texture must be embedded in the .glb: export as glTF Binary with "embed" (or ' +
          'run npx @gltf-transform/cli copy model.gltf model.glb).',
      });
    });
  }

  const buffers = list(json.buffers).map((b, i) => {
    const length = count(record(b).byteLength) ?? 0;
    // EXT_meshopt_compression's fallback buffer holds no bytes in the file: its views are decoded from the
    // compressed ranges checked below, so its declared length (capped like an accessor) is what they span.
    if (isMeshoptFallback(b)) return Math.min(length, MAX_ACCESSOR_BYTES);
    if (i === 0 && record(b).uri === undefined && length > binLength) {
      problems.error(
        file,
        'BUFFER_LENGTH',
        `buffers[0] declares ${length} bytes but the GLB's binary chunk holds ${binLength}`,
        { pointer: '/buffers/0/byteLength', hint: REEXPORT },
      );
    }
    return Math.min(length, i === 0 ? binLength : 0);
  });

  let decodedBytes = 0;
  const views = list(json.bufferViews).map((v, i) => {
    const view = record(v);
    const buffer = count(view.buffer);
    const offset = count(view.byteOffset) ?? 0;
    const length = count(view.byteLength) ?? 0;
    const available = buffer === undefined ? 0 : (buffers[buffer] ?? 0);
    let fits = offset + length <= available;
    const compressed = meshoptOf(view);
    if (compressed !== undefined) {
      // Checked before anything decodes it: glTF-Transform allocates count × byteStride for the view.
      const wrong = meshoptViewProblem(compressed, length);
      if (wrong !== undefined) {
        problems.error(file, 'MESHOPT_INVALID', `bufferViews[${i}] EXT_meshopt_compression: ${wrong}`, {
          pointer: `/bufferViews/${i}/extensions/EXT_meshopt_compression`,
          hint: REEXPORT,
        });
        return { offset, length, stride: count(view.byteStride), fits: false };
      }
      decodedBytes += length;
      if (decodedBytes > MAX_MESHOPT_DECODED_BYTES) {
        problems.error(
          file,
          'MESHOPT_TOO_LARGE',
          `the EXT_meshopt_compression buffer views decode to more than ${formatBytes(MAX_MESHOPT_DECODED_BYTES)} ` +
            `(by bufferViews[${i}]), far more than a product model needs`,
          { pointer: `/bufferViews/${i}/extensions/EXT_meshopt_compression`, hint: REEXPORT },
        );
        return { offset, length, stride: count(view.byteStride), fits: false };
      }
    }
    if (fits && compressed !== undefined) {
      // The compressed bytes must lie inside a buffer that really holds bytes (never a fallback).
      const from = count(compressed.buffer);
      const end = (count(compressed.byteOffset) ?? 0) + (count(compressed.byteLength) ?? 0);
      const real =
        from === undefined || isMeshoptFallback(list(json.buffers)[from]) ? 0 : (buffers[from] ?? 0);
      fits = end <= real;
    }
    if (!fits) {
      problems.error(
        file,
        'BUFFER_VIEW_RANGE',
        `bufferViews[${i}] spans bytes ${offset}…${offset + length} of a buffer holding ${available}`,
        { pointer: `/bufferViews/${i}`, hint: REEXPORT },
      );
    }
    return { offset, length, stride: count(view.byteStride), fits };
  });

  list(json.accessors).forEach((a, i) => {
    const accessor = record(a);
    const elements = count(accessor.count);
    const components = COMPONENTS[String(accessor.type)];
    const bytes = COMPONENT_BYTES[Number(accessor.componentType)];
    if (elements === undefined || components === undefined || bytes === undefined) return; // the validator says
    const elementSize = components * bytes;
    const total = elements * elementSize;
    const viewIndex = count(accessor.bufferView);
    const declares =
      `accessors[${i}] declares ${elements.toLocaleString('en')} ${String(accessor.type)} elements ` +
      `(${formatBytes(total)})`;
    if (viewIndex === undefined) {
      if (total > MAX_ACCESSOR_BYTES) {
        problems.error(file, 'ACCESSOR_COUNT', `${declares}, more than a product model can need`, {
          pointer: `/accessors/${i}/count`,
          hint: REEXPORT,
        });
      }
      return;
    }
    const view = views[viewIndex];
    if (view === undefined || !view.fits) return; // reported above, or by the validator
    const stride = view.stride ?? elementSize;
    const needed =
      elements === 0 ? 0 : (count(accessor.byteOffset) ?? 0) + stride * (elements - 1) + elementSize;
    if (needed > view.length) {
      problems.error(
        file,
        'ACCESSOR_COUNT',
        `${declares} but its buffer view holds ${formatBytes(view.length)}: the count is wrong or the file is ` +
          'corrupt',
        { pointer: `/accessors/${i}/count`, hint: REEXPORT },
      );
    }
  });

  list(json.images).forEach((img, i) => {
    const viewIndex = count(record(img).bufferView);
    const view = viewIndex === undefined ? undefined : views[viewIndex];
    if (!bin || !view?.fits) return;
    const pointer = `/images/${i}`;
    // The whole view (a subarray, no copy): a JPEG's frame header may follow long EXIF or ICC segments.
    const header = readImageHeader(bin.subarray(view.offset, view.offset + view.length));
    if (!header) {
      // Nothing may decode what its header does not say the size of (sharp would find out by decoding it).
      problems.error(
        file,
        'IMAGE_UNRECOGNISED',
        `images[${i}] is not a PNG, JPEG, WebP or KTX2 image whose size can be read from its header`,
        { pointer, hint: 'Save the texture as PNG or JPEG in the 3D tool and export again.' },
      );
      return;
    }
    const { width, height } = header;
    const size = `${width} × ${height} px`;
    if (width === 0 || height === 0 || Math.max(width, height) > budgets.refuseTextureSize) {
      problems.error(
        file,
        'TEXTURE_DIMENSIONS',
        `images[${i}] declares ${size}; textures over ${budgets.refuseTextureSize} px a side (or empty) are ` +
          'refused before decoding',
        { pointer, hint: `Resize the texture to ${budgets.maxTextureSize} px or less and export again.` },
      );
      return;
    }
    if (Math.max(width, height) > budgets.maxTextureSize) {
      problems.warning(
        file,
        'TEXTURE_SIZE',
        `images[${i}] is ${size}, over the ${budgets.maxTextureSize} px of the 3D Commerce guidelines`,
        {
          pointer,
          hint: `Publishing resizes it to ${budgets.maxTextureSize} px; a smaller source saves memory.`,
        },
      );
    }
    if (!isPowerOfTwo(width) || !isPowerOfTwo(height)) {
      problems.warning(file, 'TEXTURE_POWER_OF_TWO', `images[${i}] is ${size}, not a power of two a side`, {
        pointer,
        hint: 'Use 512, 1024 or 2048 px sides: GPUs mipmap power-of-two textures best.',
      });
    }
  });
}
