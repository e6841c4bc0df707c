/**
 * Checks one product model (`models/<id>.glb`): size budget, the container and JSON checks of
 * glb-structure.ts, the official Khronos glTF Validator, then, only when all of those pass, a full read with
 * glTF-Transform to count triangles and measure the bounding box. Owns the module's one glTF-Transform NodeIO
 * (created on first use, with the meshopt decoder and, when installed, the Draco decoder).
 */
import { getBounds, NodeIO, Primitive } from '@gltf-transform/core';
import type { Document, Node as GltfNode } from '@gltf-transform/core';
import { ALL_EXTENSIONS } from '@gltf-transform/extensions';
import type { InstancedMesh } from '@gltf-transform/extensions';
import { validateBytes } from 'gltf-validator';
import { MeshoptDecoder } from 'meshoptimizer';
import { formatBytes } from '../../core/bytes';
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

let io: Promise<NodeIO> | undefined;

async function createIO(): Promise<NodeIO> {
  await MeshoptDecoder.ready;
  const dependencies: Record<string, unknown> = { 'meshopt.decoder': MeshoptDecoder };
  try {
    // Optional: a dev dependency. A variable name keeps the type checker from asking for its declarations.
    const dracoModule = 'draco3dgltf';
    const draco = (await import(dracoModule)) as { default?: { createDecoderModule(): Promise<unknown> } };
    if (draco.default !== undefined)
      dependencies['draco3d.decoder'] = await draco.default.createDecoderModule();
  } catch {
    // Without it a Draco-compressed model fails to read with an error naming the extension.
  }
  return new NodeIO().registerExtensions(ALL_EXTENSIONS).registerDependencies(dependencies);
}

function primitiveTriangles(primitive: Primitive): number {
  const n = primitive.getIndices()?.getCount() ?? primitive.getAttribute('POSITION')?.getCount() ?? 0;
  switch (primitive.getMode()) {
    case Primitive.Mode.TRIANGLES:
      return Math.floor(n / 3);
    case Primitive.Mode.TRIANGLE_STRIP:
    case Primitive.Mode.TRIANGLE_FAN:
      return Math.max(0, n - 2);
    default:
      return 0;
  }
}

/** Triangles drawn by the scene: each mesh once per node showing it (and per GPU instance). */
function sceneTriangles(nodes: readonly GltfNode[]): number {
  let total = 0;
  for (const root of nodes) {
    root.traverse((node) => {
      const mesh = node.getMesh();
      if (!mesh) return;
      const instances =
        node.getExtension<InstancedMesh>('EXT_mesh_gpu_instancing')?.listAttributes()[0]?.getCount() ?? 1;
      total += mesh.listPrimitives().reduce((sum, p) => sum + primitiveTriangles(p), 0) * instances;
    });
  }
  return total;
}

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
    io ??= createIO();
    document = await (await io).readBinary(bytes);
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
  const triangles = sceneTriangles(scene.listChildren());
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
