// The `vitrine publish`, `rollback` and `releases` commands against a real server on loopback (SQLite): a
// copy of the demo brand folder published through the CLI as a child process (optimised models served and
// seen by a device's catalog pull), one product changed and republished (only its model and its re-rendered
// poster upload), a rollback through the CLI, and a folder with errors that uploads nothing.
import 'fake-indexeddb/auto';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VitrineDB } from '../../src/db/db';
import { modelPath, posterPath } from '../../src/protocol/brand-folder';
import type { ProductSource } from '../../src/protocol/catalog';
import { CatalogSnapshot } from '../../src/protocol/catalog';
import { ReleaseList } from '../../src/protocol/publish';
import { publishCommand, publishFolder, type PublishReport } from '../../src/cli/publish-command';
import { modelIO } from '../../src/publish/model-reader';
import { measureGlb } from '../../src/publish/optimize/model-io';
import { optimizeModel } from '../../src/publish/optimize/optimize-model';
import { DEFAULT_BRANDS_ROOT } from '../../src/server/app';
import { assetsDirOf } from '../../src/server/asset-store';
import { createBrandToken } from '../../src/server/publishing/brand-tokens';
import { pullCatalog } from '../../src/sync/catalog-pull';
import { backends, type TestStore } from '../support/backends';
import { ensureChromium } from '../support/chromium';
import { findFreePort, repoRoot } from '../support/server';
import { closeAll, startServer, stopServer, tempDir, type RunningServer } from './server-harness';

const DEMO_DIR = path.join(DEFAULT_BRANDS_ROOT, 'linde');
const CHANGED = 'sova-sofa';
const run = promisify(execFile);

afterAll(closeAll);

/** Runs the CLI as a child process (as a brand would); answers its exit code and output. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'src/cli/main.ts', ...args], {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('vitrine publish, rollback and releases', () => {
  let store: TestStore;
  let server: RunningServer;
  let token: string;
  let folder: string;
  let device: VitrineDB;
  let oldPrice: number;
  const sqlite = backends.find((b) => b.name === 'sqlite');
  const captured = { out: [] as string[], progress: [] as string[] };
  const io = {
    out: (text: string) => captured.out.push(text),
    color: false,
    cwd: repoRoot,
    progress: { write: (text: string) => captured.progress.push(text), tty: false },
  };

  const catalog = async (): Promise<CatalogSnapshot> => {
    const response = await server.get('/api/v1/catalog');
    expect(response.status).toBe(200);
    return CatalogSnapshot.parse(await response.json());
  };
  const products = async (): Promise<ProductSource[]> =>
    JSON.parse(await readFile(path.join(folder, 'products.json'), 'utf8')) as ProductSource[];
  const serverArgs = (): string[] => ['--server', server.url, '--token', token];

  beforeAll(async () => {
    ensureChromium();
    if (!sqlite) throw new Error('no SQLite backend');
    store = await sqlite.open([DEMO_DIR]);
    server = await startServer({ dataDir: store.dataDir, brandDirs: [DEMO_DIR] });
    token = (await createBrandToken(store.db, 'linde', 'cli test')).token;
    folder = path.join(await tempDir('vitrine-publish-cli-'), 'linde');
    await cp(DEMO_DIR, folder, { recursive: true });
    device = new VitrineDB(`publish-cli-${randomUUID()}`);
    expect(await pullCatalog({ db: device, baseUrl: server.url })).toBe(true);
    oldPrice = (await device.products.get(CHANGED))?.variants[0]?.price.amount ?? -1;
  }, 60_000);
  afterAll(async () => {
    device.close();
    await stopServer(server);
    await store.close();
  });

  it('publishes the demo brand from a child process: optimised models served, a device pulls them', async () => {
    const seeded = await catalog();
    const { code, stdout, stderr } = await cli(['publish', folder, ...serverArgs()]);
    expect(stderr).toContain('Optimising: 16/16');
    expect(code, stdout).toBe(0);
    expect(stdout).toMatch(/Files: 16 uploaded \(.+\), 16 already on the server/);
    expect(stdout).toMatch(/Published linde: release 2, catalog version \d+/);
    expect(stdout).toMatch(/products +added 0, changed 16 /);

    const published = await catalog();
    expect(published.cursor).not.toBe(seeded.cursor);
    const io = await modelIO();
    for (const product of published.products.filter((p) => p.brandId === 'linde')) {
      const source = await readFile(path.join(folder, modelPath(product.id)));
      const optimised = await optimizeModel(source);
      const before = seeded.products.find((p) => p.id === product.id);
      // The catalog names the optimised file (the optimiser is deterministic), not the folder's.
      expect(product.model.url).not.toBe(before?.model.url);
      expect(product.model.url).toBe(`/assets/${product.model.sha256}.glb`);
      expect(product.model.bytes).toBe(optimised.glb.byteLength);
      const served = await server.get(product.model.url);
      expect(served.status).toBe(200);
      const glb = new Uint8Array(await served.arrayBuffer());
      expect(glb).toEqual(optimised.glb);
      const stats = await measureGlb(glb);
      expect(stats.triangles).toBe(optimised.after.triangles);
      expect(stats.triangles).toBeLessThanOrEqual(optimised.before.triangles);
      expect(stats.bytes).toBeLessThan(source.byteLength);
      const extensions = (await io.readBinary(glb)).getRoot().listExtensionsUsed();
      expect(extensions.map((e) => e.extensionName)).toContain('EXT_meshopt_compression');
    }

    expect(await pullCatalog({ db: device, baseUrl: server.url })).toBe(true);
    const onDevice = await device.products.get(CHANGED);
    expect(onDevice?.model.url).toBe(published.products.find((p) => p.id === CHANGED)?.model.url);
  }, 180_000);

  it('republishes one changed product: only its model and its re-rendered poster upload', async () => {
    // A new price, a new colour in its model, and no poster: publish renders one from the optimised model.
    const list = await products();
    const product = list.find((p) => p.id === CHANGED);
    const variant = product?.variants[0];
    if (!variant) throw new Error(`the demo brand has no ${CHANGED}`);
    variant.price = { ...variant.price, amount: variant.price.amount + 5000 };
    await writeFile(path.join(folder, 'products.json'), `${JSON.stringify(list, null, 2)}\n`);
    const io = await modelIO();
    const doc = await io.read(path.join(folder, modelPath(CHANGED)));
    doc.getRoot().listMaterials()[0]?.setBaseColorFactor([0.2, 0.35, 0.6, 1]);
    await io.write(path.join(folder, modelPath(CHANGED)), doc);
    await rm(path.join(folder, posterPath(CHANGED)));

    const report: PublishReport = await publishFolder(
      folder,
      { server: server.url, token },
      { write: () => undefined, tty: false },
    );
    expect(report.uploaded.map((f) => f.file).sort()).toEqual([modelPath(CHANGED), posterPath(CHANGED)]);
    expect(report.skipped).toHaveLength(30);
    expect(report.models.find((m) => m.productId === CHANGED)?.poster).toBe('rendered');
    expect(report.response.changed).toBe(true);
    expect(report.response.summary.products.changed).toEqual([CHANGED]);
    expect(report.response.summary.products.unchanged).toBe(15);

    const published = (await catalog()).products.find((p) => p.id === CHANGED);
    expect(published?.variants[0]?.price.amount).toBe(oldPrice + 5000);
    const poster = await server.get(published?.poster.url ?? '');
    expect(poster.status).toBe(200);
    expect(poster.headers.get('content-type')).toContain('image/jpeg');
    expect(await pullCatalog({ db: device, baseUrl: server.url })).toBe(true);
    expect((await device.products.get(CHANGED))?.variants[0]?.price.amount).toBe(oldPrice + 5000);
  }, 180_000);

  it('rolls back with the CLI: the previous price is live again, and releases lists it', async () => {
    const { code, stdout } = await cli(['rollback', '--brand', 'linde', ...serverArgs()]);
    expect(code, stdout).toBe(0);
    expect(stdout).toMatch(/Rolled back linde: release 4 restores release 2/);
    expect(stdout).toMatch(new RegExp(`products +added 0, changed 1 \\(${CHANGED}\\)`));
    expect((await catalog()).products.find((p) => p.id === CHANGED)?.variants[0]?.price.amount).toBe(
      oldPrice,
    );
    expect(await pullCatalog({ db: device, baseUrl: server.url })).toBe(true);
    expect((await device.products.get(CHANGED))?.variants[0]?.price.amount).toBe(oldPrice);

    const listed = await cli(['releases', '--brand', 'linde', '--json', ...serverArgs()]);
    expect(listed.code).toBe(0);
    const releases = ReleaseList.parse(JSON.parse(listed.stdout));
    expect(releases.releases.map((r) => [r.id, r.reason, r.current])).toEqual([
      [4, 'rollback', true],
      [3, 'publish', false],
      [2, 'publish', false],
      [1, 'seed', false],
    ]);
  }, 120_000);

  /** What the server stores: asset rows and asset files. */
  const stored = async (): Promise<[string[], string[]]> => [
    (await store.db.selectFrom('assets').select('sha256').orderBy('sha256').execute()).map((r) => r.sha256),
    (await readdir(assetsDirOf(store.dataDir))).sort(),
  ];

  it('says why a poster cannot be rendered (exit 1, no stack trace), and uploads nothing', async () => {
    const before = await (await server.get('/api/v1/catalog')).text();
    const files = await stored();
    await rm(path.join(folder, posterPath(CHANGED)), { force: true });
    const chromium = process.env.CHROMIUM_PATH;
    process.env.CHROMIUM_PATH = '/bin/false'; // exists, but is no browser: the launch fails
    captured.out.length = 0;
    try {
      expect(await publishCommand(folder, { server: server.url, token }, io)).toBe(1);
    } finally {
      if (chromium === undefined) delete process.env.CHROMIUM_PATH;
      else process.env.CHROMIUM_PATH = chromium;
    }
    const printed = captured.out.join('\n');
    expect(printed).toMatch(new RegExp(`^✖ posters/${CHANGED}\\.jpg: the poster could not be rendered`));
    expect(printed).not.toMatch(/\n\s+at /);
    expect(await stored()).toEqual(files);
    expect(await (await server.get('/api/v1/catalog')).text()).toBe(before);
  }, 120_000);

  it('stops on validation errors (exit 1, the problems printed) and uploads nothing', async () => {
    const before = await (await server.get('/api/v1/catalog')).text();
    const files = await stored();
    // A changed model too: had the publish gone on, it would have uploaded.
    const model = path.join(folder, modelPath(CHANGED));
    const changedModel = await optimizeModel(await readFile(model), { simplifyError: 0 });
    await writeFile(model, changedModel.glb);
    const list = await products();
    const first = list[0];
    if (!first) throw new Error('no product');
    first.category = 'no-such-category';
    await writeFile(path.join(folder, 'products.json'), `${JSON.stringify(list, null, 2)}\n`);
    captured.out.length = 0;
    expect(await publishCommand(folder, { server: server.url, token }, io)).toBe(1);
    const printed = captured.out.join('\n');
    expect(printed).toContain('CATEGORY_UNKNOWN');
    expect(printed).toMatch(/products\.json:\d+:\d+ error/);
    expect(printed).toContain('fix the errors before publishing');
    expect(await (await server.get('/api/v1/catalog')).text()).toBe(before);
    expect(await stored()).toEqual(files);
  }, 60_000);

  it('says why when the token is wrong or the server is unreachable (exit 1), and on wrong usage (exit 2)', async () => {
    const wrongToken = await cli(['releases', '--brand', 'linde', '--server', server.url, '--token', 'nope']);
    expect(wrongToken.code).toBe(1);
    expect(wrongToken.stdout).toContain('401 UNAUTHORIZED');
    const closed = `http://127.0.0.1:${await findFreePort()}`;
    const unreachable = await cli(['releases', '--brand', 'linde', '--server', closed, '--token', token]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stdout).toContain(`Could not reach ${closed}/api/v1/brands/linde/releases`);
    const usage = await cli(['publish', folder, '--server', server.url]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--token');

    // Plain http to another machine would send the token in clear: refused unless --insecure.
    const remote = ['releases', '--brand', 'linde', '--server', 'http://vitrine.invalid', '--token', token];
    const plain = await cli(remote);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain('--server http://vitrine.invalid is plain http');
    const insecure = await cli([...remote, '--insecure']);
    expect(insecure.code, insecure.stderr).toBe(1);
    expect(insecure.stdout).toContain('Could not reach http://vitrine.invalid/api/v1/brands/linde/releases');

    // A 2xx answer that is not JSON (a proxy's page, another app) is a message, not a stack trace.
    const notVitrine = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>hi'),
    );
    await new Promise<void>((resolve) => notVitrine.listen(0, '127.0.0.1', resolve));
    try {
      const other = `http://127.0.0.1:${(notVitrine.address() as AddressInfo).port}`;
      const html = await cli(['releases', '--brand', 'linde', '--server', other, '--token', token]);
      expect(html.code).toBe(1);
      expect(html.stdout).toContain('is not what this CLI expects');
      expect(html.stderr).not.toMatch(/\n\s+at /);
    } finally {
      notVitrine.closeAllConnections();
      await new Promise((resolve) => notVitrine.close(resolve));
    }
  }, 90_000);
});
