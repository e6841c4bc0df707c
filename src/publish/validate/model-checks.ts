/**
 * Checks one product model (`models/<id>.glb`): size budget, the container and JSON checks of
 * glb-structure.ts, the official Khronos glTF Validator, then, only when all of those pass, a full read with
 * glTF-Transform (../model-reader.ts) to count triangles and measure the bounding box.
 */
import { getBounds } from '@gltf-transform/core';
import type { Document } from '@gltf-transform/core';
import { validateBytes } from 'gltf-validator';
import { formatBytes } from '../../core/bytes';
import { countTriangles, readGlb } from '../model-reader';
import { checkGltfJson, readGlbContainer } from './glb-structure';
import type { ModelBudgets, ProblemList } from './problem';

/** What a model that passed its checks measures. */
export interface ModelFacts {
  triangles: number;
  /** Size of the default scene's bounding box in model units: [x, y, z]. */
  size: [number, number, number];
  /** Names of the model's KHR_materials_variants variants, in order (empty without the extension). */
  variantNames: string[];
}

/** Validator issues listed per model, at most (a broken exporter can produce thousands of the same). */
const MAX_VALIDATOR_ISSUES = 50;

function variantNamesOf(json: Record<string, unknown>): string[] {
  const extensions = json.extensions as { KHR_materials_variants?: { variants?: unknown } } | undefined;
  const variants = extensions?.KHR_materials_variants?.variants;
  if (!Array.isArray(variants)) return [];
  return variants
    .map((v: unknown) => (v as { name?: unknown } | null)?.name)
    .filter((n) => typeof n === 'string');
}

const VALIDATOR_HINT =
  'Reported by the Khronos glTF Validator: fix it in the 3D tool or exporter and export again ' +
  '(the validator at github.khronos.org/glTF-Validator shows the same report).';

/**
 * Checks the model bytes of `file`; answers its measurements when nothing blocks reading it (warnings do not),
 * or undefined after reporting the errors that do.
 */
export async function checkModel(
  bytes: Uint8Array,
  file: string,
  budgets: ModelBudgets,
  problems: ProblemList,
): Promise<ModelFacts | undefined> {
  if (bytes.byteLength > budgets.maxBytes) {
    problems.error(
      file,
      'MODEL_TOO_LARGE',
      `the model is ${formatBytes(bytes.byteLength)}; models over ${formatBytes(budgets.maxBytes)} are refused`,
      {
        hint:
          'Reduce it before publishing: fewer triangles (decimate), textures at 2048 px or less, ' +
          'e.g. npx @gltf-transform/cli optimize in.glb out.glb --texture-size 2048.',
      },
    );
    return undefined;
  }
  if (bytes.byteLength > budgets.warnBytes) {
    problems.warning(
      file,
      'MODEL_SIZE',
      `the model is ${formatBytes(bytes.byteLength)} now; the 3D Commerce guidelines ask for at most ` +
        `${formatBytes(budgets.warnBytes)} after optimisation`,
      {
        hint:
          'vitrine publish optimises models (meshopt compression, WebP textures) and reports the size it ' +
          'reaches; if that is still over, reduce triangles or texture sizes.',
      },
    );
  }

  const before = problems.items.length;
  const parts = readGlbContainer(bytes, file, problems);
  if (!parts) return undefined;
  checkGltfJson(parts, file, budgets, problems);
  if (problems.items.slice(before).some((p) => p.severity === 'error')) return undefined;

  const report = await validateBytes(bytes, {
    uri: file,
    format: 'glb',
    maxIssues: MAX_VALIDATOR_ISSUES,
    writeTimestamp: false,
  });
  for (const message of report.issues.messages) {
    if (message.severity > 1) continue; // information and hints
    problems.add({
      severity: message.severity === 0 ? 'error' : 'warning',
      file,
      ...(message.pointer ? { pointer: message.pointer } : {}),
      code: message.code,
      message: `${message.message} (Khronos glTF Validator)`,
      hint: VALIDATOR_HINT,
    });
  }
  if (report.issues.truncated) {
    problems.warning(
      file,
      'VALIDATOR_TRUNCATED',
      `the Khronos glTF Validator found more issues than the ${MAX_VALIDATOR_ISSUES} listed`,
    );
  }
  if (report.issues.numErrors > 0) return undefined;

  let document: Document;
  try {
    document = await readGlb(bytes);
  } catch (error) {
    problems.error(
      file,
      'MODEL_UNREADABLE',
      `the model cannot be read: ${error instanceof Error ? error.message : String(error)}`,
      { hint: 'Export it again as glTF 2.0 binary (.glb) with only ratified KHR_ extensions.' },
    );
    return undefined;
  }
  const root = document.getRoot();
  const scene = root.getDefaultScene() ?? root.listScenes()[0];
  if (!scene) {
    problems.error(file, 'MODEL_NO_SCENE', 'the model has no scene: nothing would be shown', {
      hint: 'Export the scene (or the selected objects) with their meshes.',
    });
    return undefined;
  }
  const { min, max } = getBounds(scene);
  const size: [number, number, number] = [max[0] - min[0], max[1] - min[1], max[2] - min[2]];
  if (!size.every((s) => Number.isFinite(s) && s > 0)) {
    problems.error(file, 'MODEL_EMPTY', 'the model has no visible geometry (its bounding box is empty)', {
      hint: 'Export the meshes of the product, not only empty nodes.',
    });
    return undefined;
  }
  const triangles = countTriangles(document);
  if (triangles > budgets.maxTriangles) {
    problems.warning(
      file,
      'TRIANGLES',
      `the model draws ${triangles.toLocaleString('en')} triangles; the 3D Commerce guidelines ask for ` +
        `at most ${budgets.maxTriangles.toLocaleString('en')}`,
      {
        hint: 'Decimate dense meshes (e.g. npx @gltf-transform/cli simplify) and bake detail into normal maps.',
      },
    );
  }
  return { triangles, size, variantNames: variantNamesOf(parts.json) };
}
