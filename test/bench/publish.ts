/**
 * Publish bench: (1) bytes, triangles and draw calls of every demo model and every shared third-party model
 * (shared/models, see test/support/third-party-brand.ts) before and after our optimiser
 * (src/publish/optimize/optimize-model.ts), against the pipeline of `gltf-transform optimize` with its default
 * options rebuilt with @gltf-transform/functions, on the same files in the same run (goal: ours no bigger);
 * (2) the time to publish the demo brand (validate, optimise, upload, publish) to a server on loopback, the
 * first time and again with nothing changed.
 * Side effects owned here: temporary data folders and an in-process server on 127.0.0.1, removed and closed
 * before returning. Standalone: `npx tsx test/bench/publish.ts` prints the measure as JSON.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Document, Transform } from '@gltf-transform/core';
import { Logger, NodeIO } from '@gltf-transform/core';
import { ALL_EXTENSIONS } from '@gltf-transform/extensions';
import {
  dedup,
  flatten,
  instance,
  join,
  meshopt,
  palette,
  prune,
  resample,
  simplify,
  sparse,
  textureCompress,
  unpartition,
  weld,
} from '@gltf-transform/functions';
import { MeshoptDecoder, MeshoptEncoder, MeshoptSimplifier } from 'meshoptimizer';
import sharp from 'sharp';
import { publishFolder } from '../../src/cli/publish-command';
import { measureDocument, type ModelStats } from '../../src/publish/optimize/model-io';
import { optimizeModel } from '../../src/publish/optimize/optimize-model';
import { buildServer, DEFAULT_BRANDS_ROOT } from '../../src/server/app';
import { createBrandToken } from '../../src/server/publishing/brand-tokens';
import { openDatabase } from '../../src/server/storage/connection';
import { sharedModelsDir } from '../support/third-party-brand';

const DEMO_DIR = path.join(DEFAULT_BRANDS_ROOT, 'linde');

/** One model through both optimisers. */
export interface ModelComparison {
  /** `linde/<id>` or `shared/<file>`. */
  model: string;
  source: ModelStats;
  ours: ModelStats & { ms: number };
  gltfTransform: ModelStats & { ms: number };
  /** ours.bytes / gltfTransform.bytes: ≤ 1 meets the goal. */
  bytesRatio: number;
}

/** What the publish bench measures. */
export interface PublishBench {
  models: ModelComparison[];
  totals: { sourceBytes: number; oursBytes: number; gltfTransformBytes: number; bytesRatio: number };
  /** The models where ours is bigger than gltf-transform's (the goal's failures). */
  bigger: string[];
  /** Steps of `gltf-transform optimize` that could not be reproduced here, and why. */
  baselineNotes: string[];
  publishDemo: {
    products: number;
    /** validate + optimise + upload + publish, a fresh server each run. */
    firstMs: number[];
    firstMedianMs: number;
    /** The same folder again: nothing uploads, the server answers `changed: false`. */
    unchangedMs: number[];
    unchangedMedianMs: number;
    uploadedFiles: number;
    uploadedBytes: number;
  };
}

const RUNS = 3;
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

let ioReady: Promise<NodeIO> | undefined;
/** A NodeIO like the gltf-transform CLI's: every extension, meshopt and Draco decoders and encoders. */
function benchIO(): Promise<NodeIO> {
  ioReady ??= (async () => {
    await Promise.all([MeshoptDecoder.ready, MeshoptEncoder.ready, MeshoptSimplifier.ready]);
    const dracoModule = 'draco3dgltf';
    const draco = (await import(dracoModule)) as {
      default: { createDecoderModule(): Promise<unknown>; createEncoderModule(): Promise<unknown> };
    };
    return new NodeIO()
      .setLogger(new Logger(Logger.Verbosity.ERROR))
      .registerExtensions(ALL_EXTENSIONS)
      .registerDependencies({
        'meshopt.decoder': MeshoptDecoder,
        'meshopt.encoder': MeshoptEncoder,
        'draco3d.decoder': await draco.default.createDecoderModule(),
        'draco3d.encoder': await draco.default.createEncoderModule(),
      });
  })();
  return ioReady;
}

/** Notes on the baseline: what differs from running the CLI itself. */
export const BASELINE_NOTES = [
  'resample() runs its JavaScript path: the CLI passes the WASM resampler of the keyframe-resample package, ' +
    'which we do not install (same keyframes removed, only slower).',
  'The XMP metadata date update of the CLI session is skipped (none of these files has KHR_xmp_json_ld).',
];

/**
 * `gltf-transform optimize in.glb out.glb` with its default options (@gltf-transform/cli 4.x, `optimize`
 * command and its Session): Draco and meshopt decoded on read, then dedup, instance, palette, flatten, join,
 * weld, simplify (meshoptimizer), resample, prune, sparse, textureCompress (sharp, `auto` = the original
 * format, resize to 2048×2048), meshopt (level high), and unpartition for GLB output.
 */
export async function gltfTransformOptimize(glb: Uint8Array): Promise<Uint8Array> {
  const io = await benchIO();
  const doc = await io.readBinary(glb);
  for (const extension of doc.getRoot().listExtensionsUsed()) {
    if (['KHR_draco_mesh_compression', 'EXT_meshopt_compression'].includes(extension.extensionName))
      extension.dispose();
  }
  const transforms: Transform[] = [
    dedup(),
    instance(),
    palette({ keepAttributes: false }),
    flatten(),
    join(),
    weld(),
    simplify({ simplifier: MeshoptSimplifier }),
    resample(),
    prune({ keepAttributes: false, keepIndices: false, keepLeaves: false, keepSolidTextures: false }),
    sparse(),
    textureCompress({ encoder: sharp, resize: [2048, 2048] }),
    meshopt({ encoder: MeshoptEncoder, level: 'high' }),
  ];
  await doc.transform(...transforms);
  await doc.transform(unpartition());
  return io.writeBinary(doc);
}

/** The models to compare: the demo brand's, then the shared third-party ones (.gltf converted to GLB). */
async function listModels(): Promise<{ model: string; glb: Uint8Array }[]> {
  const models: { model: string; glb: Uint8Array }[] = [];
  const demo = path.join(DEMO_DIR, 'models');
  for (const file of (await readdir(demo)).filter((f) => f.endsWith('.glb')).sort()) {
    models.push({ model: `linde/${file.replace(/\.glb$/, '')}`, glb: await readFile(path.join(demo, file)) });
  }
  const shared = sharedModelsDir();
  const io = await benchIO();
  for (const entry of (await readdir(shared, { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    if (entry.isFile() && entry.name.endsWith('.glb')) {
      models.push({ model: `shared/${entry.name}`, glb: await readFile(path.join(shared, entry.name)) });
    } else if (entry.isDirectory()) {
      const gltf = (await readdir(path.join(shared, entry.name))).find((f) => f.endsWith('.gltf'));
      if (gltf === undefined) continue;
      // Draco stays Draco (the document keeps the extension): the optimisers get Draco input to decode.
      const doc: Document = await io.read(path.join(shared, entry.name, gltf));
      models.push({ model: `shared/${entry.name}/${gltf}`, glb: await io.writeBinary(doc) });
    }
  }
  return models;
}

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await run();
  return { value, ms: Math.round(performance.now() - start) };
}

/** Publishes the demo brand to a fresh loopback server, then again unchanged; answers both times. */
async function publishOnce(): Promise<{ first: number; unchanged: number; files: number; bytes: number }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'vitrine-bench-publish-'));
  const app = await buildServer({ dataDir, appDir: null, brandDirs: [DEMO_DIR] });
  try {
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const db = await openDatabase(dataDir, {});
    const { token } = await createBrandToken(db, 'linde', 'bench');
    await db.destroy();
    const quiet = { write: () => undefined, tty: false };
    const first = await timed(() => publishFolder(DEMO_DIR, { server: url, token }, quiet));
    const again = await timed(() => publishFolder(DEMO_DIR, { server: url, token }, quiet));
    if (!first.value.response.changed || again.value.response.changed || again.value.uploaded.length > 0)
      throw new Error('publish bench: the first publish must change the catalog and the second nothing');
    return {
      first: first.ms,
      unchanged: again.ms,
      files: first.value.uploaded.length,
      bytes: first.value.uploaded.reduce((n, f) => n + f.bytes, 0),
    };
  } finally {
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Runs the publish bench; `log` hears one line per model and per publish. */
export async function benchPublish(log: (line: string) => void = () => undefined): Promise<PublishBench> {
  const io = await benchIO();
  const models: ModelComparison[] = [];
  for (const { model, glb } of await listModels()) {
    const ours = await timed(() => optimizeModel(glb));
    const baseline = await timed(() => gltfTransformOptimize(glb));
    const baselineStats = measureDocument(await io.readBinary(baseline.value), baseline.value.byteLength);
    const row: ModelComparison = {
      model,
      source: ours.value.before,
      ours: { ...ours.value.after, ms: ours.ms },
      gltfTransform: { ...baselineStats, ms: baseline.ms },
      bytesRatio: Number((ours.value.after.bytes / baseline.value.byteLength).toFixed(3)),
    };
    models.push(row);
    log(
      `${model}: ${row.source.bytes} → ours ${row.ours.bytes} (${row.ours.triangles} tris), ` +
        `gltf-transform ${row.gltfTransform.bytes} (${row.gltfTransform.triangles} tris), ratio ${row.bytesRatio}`,
    );
  }
  const sum = (pick: (m: ModelComparison) => number): number => models.reduce((n, m) => n + pick(m), 0);
  const totals = {
    sourceBytes: sum((m) => m.source.bytes),
    oursBytes: sum((m) => m.ours.bytes),
    gltfTransformBytes: sum((m) => m.gltfTransform.bytes),
    bytesRatio: 0,
  };
  totals.bytesRatio = Number((totals.oursBytes / totals.gltfTransformBytes).toFixed(3));

  const runs: Awaited<ReturnType<typeof publishOnce>>[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    runs.push(await publishOnce());
    log(`publish demo brand run ${i + 1}: ${runs.at(-1)?.first} ms, unchanged ${runs.at(-1)?.unchanged} ms`);
  }
  const firstMs = runs.map((r) => r.first);
  const unchangedMs = runs.map((r) => r.unchanged);
  return {
    models,
    totals,
    bigger: models.filter((m) => m.bytesRatio > 1).map((m) => m.model),
    baselineNotes: BASELINE_NOTES,
    publishDemo: {
      products: models.filter((m) => m.model.startsWith('linde/')).length,
      firstMs,
      firstMedianMs: median(firstMs),
      unchangedMs,
      unchangedMedianMs: median(unchangedMs),
      uploadedFiles: runs[0]?.files ?? 0,
      uploadedBytes: runs[0]?.bytes ?? 0,
    },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await benchPublish((line) => console.log(`[bench] publish ${line}`));
  console.log(JSON.stringify(result, null, 2));
}
