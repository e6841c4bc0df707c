// The brand publishing API on both storage backends, through a real server on loopback: brand tokens, content-
// addressed uploads, publishing the demo brand with one product changed (seen by a device's catalog pull),
// rollback, and bad input that must leave the live catalog byte for byte as it was.
import 'fake-indexeddb/auto';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFile, rename } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VitrineDB } from '../../src/db/db';
import { BRAND_FILES, modelPath, posterPath } from '../../src/protocol/brand-folder';
import type { ProductSource } from '../../src/protocol/catalog';
import { CatalogSnapshot } from '../../src/protocol/catalog';
import type { ProductAssets } from '../../src/protocol/publish';
import {
  MissingAssetsResponse,
  PublishResponse,
  ReleaseList,
  UPLOAD_LIMITS,
} from '../../src/protocol/publish';
import { DEFAULT_MODEL_BUDGETS } from '../../src/publish/validate/problem';
import { DEFAULT_BRANDS_ROOT } from '../../src/server/app';
import { assetPath, assetsDirOf } from '../../src/server/asset-store';
import { hashToken } from '../../src/server/carts/cart-tokens';
import { createBrandToken, revokeBrandToken } from '../../src/server/publishing/brand-tokens';
import { pullCatalog } from '../../src/sync/catalog-pull';
import { backends, type TestStore } from '../support/backends';
import { repoRoot } from '../support/server';
import { closeAll, startServer, stopServer, type RunningServer } from './server-harness';

const DEMO_DIR = path.join(DEFAULT_BRANDS_ROOT, 'linde');
const DEMO = 'linde';

afterAll(closeAll);

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** The demo brand folder as the CLI sends it: its JSON files and, per product, the hashes of its files. */
interface DemoFolder {
  data: { brand: { id: string }; categories: unknown[]; products: ProductSource[]; showrooms: unknown[] };
  assets: Record<string, ProductAssets>;
}

async function readDemoFolder(): Promise<DemoFolder> {
  const json = async (name: string): Promise<unknown> =>
    JSON.parse(await readFile(path.join(DEMO_DIR, name), 'utf8')) as unknown;
  const data = {
    brand: (await json(BRAND_FILES.brand)) as { id: string },
    categories: (await json(BRAND_FILES.categories)) as unknown[],
    products: (await json(BRAND_FILES.products)) as ProductSource[],
    showrooms: (await json(BRAND_FILES.showrooms)) as unknown[],
  };
  const assets: Record<string, ProductAssets> = {};
  for (const product of data.products) {
    assets[product.id] = {
      model: sha256(await readFile(path.join(DEMO_DIR, modelPath(product.id)))),
      poster: sha256(await readFile(path.join(DEMO_DIR, posterPath(product.id)))),
    };
  }
  return { data, assets };
}

/** A deep copy to change. */
const copy = <T>(value: T): T => structuredClone(value);

/** A body that starts like a GLB (the upload check looks at the magic only), `size` bytes in all. */
function fakeGlb(size = 64): Buffer {
  const bytes = randomBytes(size);
  bytes.write('glTF', 0, 'latin1');
  return bytes;
}

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

describe.each(backends)('publishing API on $name', (backend) => {
  let store: TestStore;
  let server: RunningServer;
  let token: string;
  let folder: DemoFolder;

  beforeAll(async () => {
    store = await backend.open([DEMO_DIR]);
    server = await startServer({
      dataDir: store.dataDir,
      databaseUrl: store.databaseUrl,
      brandDirs: [DEMO_DIR],
    });
    token = (await createBrandToken(store.db, DEMO, 'test')).token;
    folder = await readDemoFolder();
  }, 60_000);
  afterAll(async () => {
    await stopServer(server);
    await store.close();
  });

  const auth = (t = token): Record<string, string> => ({ authorization: `Bearer ${t}` });
  const brandUrl = (suffix: string, brand = DEMO): string => `/api/v1/brands/${brand}${suffix}`;

  function publish(body: unknown, headers: Record<string, string> = auth(), key = randomUUID()) {
    return server.get(brandUrl('/publish'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key, ...headers },
      body: JSON.stringify(body),
    });
  }

  function upload(sha: string, bytes: Uint8Array, type: string, headers: Record<string, string> = auth()) {
    return server.get(brandUrl(`/assets/${sha}`), {
      method: 'PUT',
      headers: { 'content-type': type, ...headers },
      body: new Uint8Array(bytes),
    });
  }

  const catalogText = async (): Promise<string> => {
    const response = await server.get('/api/v1/catalog');
    expect(response.status).toBe(200);
    return response.text();
  };

  /** Runs `send`, expects the error status and code, and that the live catalog did not change by one byte. */
  async function refused(
    send: () => Promise<Response>,
    status: number,
    code: string,
  ): Promise<ErrorBody['error']> {
    const before = await catalogText();
    const versions = await store.db.selectFrom('catalog_versions').selectAll().execute();
    const response = await send();
    const text = await response.text();
    expect(response.status, text).toBe(status);
    const body = JSON.parse(text) as ErrorBody;
    expect(body.error.code).toBe(code);
    expect(await catalogText()).toBe(before);
    expect(await store.db.selectFrom('catalog_versions').selectAll().execute()).toEqual(versions);
    return body.error;
  }

  describe('brand tokens', () => {
    it('keeps only the SHA-256 of a token, 43 base64url characters long', async () => {
      const made = await createBrandToken(store.db, DEMO, 'laptop');
      expect(made.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const row = await store.db
        .selectFrom('brand_tokens')
        .selectAll()
        .where('token_hash', '=', hashToken(made.token))
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ brand_id: DEMO, label: 'laptop', revoked_at: null });
      expect(JSON.stringify(row)).not.toContain(made.token);
    });

    it('refuses a missing, unknown or revoked token with 401 and another brand’s token with 403', async () => {
      const other = (await createBrandToken(store.db, 'other-brand', 'other')).token;
      const revoked = (await createBrandToken(store.db, DEMO, 'old')).token;
      expect(await revokeBrandToken(store.db, revoked)).toBe(true);
      const body = copy(folder);

      await refused(() => publish(body, {}), 401, 'UNAUTHORIZED');
      await refused(() => publish(body, auth(randomBytes(32).toString('base64url'))), 401, 'UNAUTHORIZED');
      await refused(() => publish(body, auth(revoked)), 401, 'UNAUTHORIZED');
      const forbidden = await refused(() => publish(body, auth(other)), 403, 'BRAND_FORBIDDEN');
      expect(forbidden.message).toContain('other-brand');
      await refused(
        () =>
          server.get(brandUrl('/rollback'), {
            method: 'POST',
            headers: { ...auth(other), 'idempotency-key': randomUUID() },
          }),
        403,
        'BRAND_FORBIDDEN',
      );
      await refused(
        () => server.get(brandUrl('/releases'), { headers: auth(other) }),
        403,
        'BRAND_FORBIDDEN',
      );
      await refused(
        () => upload(sha256(fakeGlb()), fakeGlb(), 'model/gltf-binary', auth(other)),
        403,
        'BRAND_FORBIDDEN',
      );
      // The other brand's token works on its own brand.
      const own = await server.get(brandUrl('/releases', 'other-brand'), { headers: auth(other) });
      expect(own.status).toBe(200);
      expect(ReleaseList.parse(await own.json()).releases).toEqual([]);
    });
  });

  describe('uploads', () => {
    it('HEAD answers 200 for a stored file and 404 for an unknown one; missing lists the unknown ones', async () => {
      const stored = folder.assets[folder.data.products[0]?.id ?? '']?.model ?? '';
      const head = await server.get(brandUrl(`/assets/${stored}`), { method: 'HEAD', headers: auth() });
      expect(head.status).toBe(200);
      expect(head.headers.get('content-type')).toBe('model/gltf-binary');
      const unknown = sha256(randomBytes(16));
      expect(
        (await server.get(brandUrl(`/assets/${unknown}`), { method: 'HEAD', headers: auth() })).status,
      ).toBe(404);
      expect((await server.get(brandUrl(`/assets/${unknown}`), { method: 'HEAD' })).status).toBe(401);

      const response = await server.get(brandUrl('/assets/missing'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth() },
        body: JSON.stringify({ sha256s: [stored, unknown, unknown] }),
      });
      expect(response.status).toBe(200);
      expect(MissingAssetsResponse.parse(await response.json())).toEqual({ missing: [unknown] });
    });

    it('stores a file under its hash once (201, then 200) and serves it', async () => {
      const before = await catalogText();
      const bytes = fakeGlb(2048);
      const sha = sha256(bytes);
      const first = await upload(sha, bytes, 'model/gltf-binary');
      expect(first.status, await first.clone().text()).toBe(201);
      expect(await first.json()).toEqual({
        sha256: sha,
        url: `/assets/${sha}.glb`,
        bytes: 2048,
        contentType: 'model/gltf-binary',
      });
      const again = await upload(sha, bytes, 'model/gltf-binary');
      expect(again.status).toBe(200);
      expect((await server.get(brandUrl(`/assets/${sha}`), { method: 'HEAD', headers: auth() })).status).toBe(
        200,
      );
      const served = await server.get(`/assets/${sha}.glb`);
      expect(served.status).toBe(200);
      expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true);
      // Uploads are not published: the live catalog is as it was.
      expect(await catalogText()).toBe(before);
    });

    it('refuses a body whose hash is not its name (400 HASH_MISMATCH) and stores nothing', async () => {
      const bytes = fakeGlb();
      const claimed = sha256(randomBytes(8));
      const error = await refused(() => upload(claimed, bytes, 'model/gltf-binary'), 400, 'HASH_MISMATCH');
      expect(error.details).toEqual({ expected: claimed, actual: sha256(bytes) });
      expect(
        (await server.get(brandUrl(`/assets/${claimed}`), { method: 'HEAD', headers: auth() })).status,
      ).toBe(404);
      expect(
        (await server.get(brandUrl(`/assets/${sha256(bytes)}`), { method: 'HEAD', headers: auth() })).status,
      ).toBe(404);
    });

    it('refuses other content types (415) and bytes that are not what their type says (400)', async () => {
      const bytes = fakeGlb();
      await refused(
        () => upload(sha256(bytes), bytes, 'application/octet-stream'),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
      await refused(() => upload(sha256(bytes), bytes, 'image/jpeg'), 400, 'CONTENT_TYPE_MISMATCH');
      await refused(() => upload('not-a-hash', bytes, 'model/gltf-binary'), 400, 'BAD_REQUEST');
    });

    it('refuses a model over 15 MB from its Content-Length, with the limit (413 TOO_LARGE)', async () => {
      const bytes = fakeGlb(UPLOAD_LIMITS['model/gltf-binary'] + 1);
      const error = await refused(() => upload(sha256(bytes), bytes, 'model/gltf-binary'), 413, 'TOO_LARGE');
      expect(error.details).toEqual({ limit: 15_000_000, contentType: 'model/gltf-binary' });
      // One limit for uploads and validation: what validates always uploads, and the reverse.
      expect(UPLOAD_LIMITS['model/gltf-binary']).toBe(DEFAULT_MODEL_BUDGETS.maxBytes);
    });

    it('refuses a streamed image as soon as it passes 5 MB, without reading the rest', async () => {
      const before = await catalogText();
      const limit = UPLOAD_LIMITS['image/jpeg'];
      const chunk = Buffer.alloc(256 * 1024, 0xaa);
      chunk.set([0xff, 0xd8, 0xff], 0);
      // Chunked (no Content-Length), up to 40 MB offered; the client stops once it has the answer.
      const answer = await new Promise<{ status: number; body: string; sent: number }>((resolve, reject) => {
        let sent = 0;
        let answered = false;
        const req = httpRequest(
          `${server.url}${brandUrl(`/assets/${'a'.repeat(64)}`)}`,
          {
            method: 'PUT',
            headers: { 'content-type': 'image/jpeg', 'transfer-encoding': 'chunked', ...auth() },
          },
          (res) => {
            answered = true;
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              // The answer is in: stop uploading (as fetch's abort does).
              req.destroy();
              resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), sent });
            });
            res.on('error', reject);
          },
        );
        req.on('error', (error) => {
          if (!answered) reject(error);
        });
        const pump = (): void => {
          if (answered || sent >= 40 * 1024 * 1024) {
            req.end();
            return;
          }
          sent += chunk.length;
          if (req.write(chunk)) setImmediate(pump);
          else req.once('drain', pump);
        };
        pump();
      });
      expect(answer.status, answer.body).toBe(413);
      expect((JSON.parse(answer.body) as ErrorBody).error).toMatchObject({
        code: 'TOO_LARGE',
        details: { limit },
      });
      expect(answer.sent).toBeLessThan(40 * 1024 * 1024);
      expect(await catalogText()).toBe(before);
    });
  });

  describe('publish and rollback', () => {
    let seedCatalog: CatalogSnapshot;
    let device: VitrineDB;
    let changed: DemoFolder;
    const productId = (): string => folder.data.products[0]?.id ?? '';

    beforeAll(async () => {
      seedCatalog = CatalogSnapshot.parse(JSON.parse(await catalogText()));
      device = new VitrineDB(`publish-${backend.name}-${randomUUID()}`);
      expect(await pullCatalog({ db: device, baseUrl: server.url })).toBe(true);
      changed = copy(folder);
      const product = changed.data.products[0];
      const variant = product?.variants[0];
      if (product === undefined || variant === undefined) throw new Error('the demo brand has no product');
      product.name = `${product.name} II`;
      variant.price = { ...variant.price, amount: variant.price.amount + 1000 };
    });
    afterAll(() => device.close());

    it('refuses a publish naming a file never uploaded (422 ASSETS_MISSING, with which)', async () => {
      const body = copy(changed);
      const never = sha256(randomBytes(8));
      body.assets[productId()] = { model: never, poster: body.assets[productId()]?.poster ?? '' };
      const error = await refused(() => publish(body), 422, 'ASSETS_MISSING');
      expect(error.details?.missing).toEqual([
        { productId: productId(), role: 'model', file: `models/${productId()}.glb`, sha256: never },
      ]);
    });

    it('refuses a hostile model uploaded then published (422, the catalog unchanged)', async () => {
      for (const [name, code] of [
        ['meshopt-too-large.glb', 'MESHOPT_TOO_LARGE'],
        ['absurd-accessor.glb', 'ACCESSOR_COUNT'],
      ] as const) {
        const bytes = await readFile(path.join(repoRoot, 'test/fixtures/broken', name));
        const hash = sha256(bytes);
        expect([200, 201]).toContain((await upload(hash, bytes, 'model/gltf-binary')).status);
        const hostile = copy(folder);
        const first = hostile.data.products[0];
        const assets = first === undefined ? undefined : hostile.assets[first.id];
        if (assets === undefined) throw new Error('the demo brand has no product');
        assets.model = hash;
        const error = await refused(() => publish(hostile), 422, 'VALIDATION_FAILED');
        const problems = (error.details?.problems ?? []) as { code: string; file: string }[];
        expect(problems.filter((p) => p.code === code).map((p) => p.file)).toEqual([
          modelPath(first?.id ?? ''),
        ]);
      }
    });

    it('refuses a body nested 100,000 levels deep (422 JSON_TOO_DEEP), and 129 levels, not 128', async () => {
      const nested = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;
      const body = (products: string): string =>
        `{"data":{"brand":{"id":"${DEMO}"},"categories":[],"products":${products},"showrooms":[]},"assets":{}}`;
      const send = (text: string) => () =>
        server.get(brandUrl('/publish'), {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), ...auth() },
          body: text,
        });
      const error = await refused(send(body(nested(100_000))), 422, 'JSON_TOO_DEEP');
      expect(error.message).toContain('more than 128 levels');
      // products sits 2 levels down: 126 more is 128 in all, which passes to validation; 127 more does not.
      await refused(send(body(nested(127))), 422, 'JSON_TOO_DEEP');
      await refused(send(body(nested(126))), 422, 'VALIDATION_FAILED');
    });

    it('refuses a folder the validation rejects (422 VALIDATION_FAILED with the problems)', async () => {
      const body = copy(changed);
      const product = body.data.products[1];
      if (product === undefined) throw new Error('no second product');
      product.category = 'no-such-category';
      const error = await refused(() => publish(body), 422, 'VALIDATION_FAILED');
      const problems = error.details?.problems as { severity: string; file: string }[];
      expect(problems.some((p) => p.severity === 'error' && p.file === 'products.json')).toBe(true);
    });

    it('refuses a folder of another brand than the token’s, and ids another brand owns', async () => {
      const renamed = copy(changed);
      renamed.data.brand.id = 'someone-else';
      const mismatch = await refused(() => publish(renamed), 422, 'VALIDATION_FAILED');
      expect((mismatch.details?.problems as { code: string }[]).map((p) => p.code)).toContain(
        'BRAND_MISMATCH',
      );

      // A new brand publishing the demo brand's products under its own name: every product id is taken.
      const copycat = (await createBrandToken(store.db, 'copycat', 'test')).token;
      const stolen = copy(changed);
      stolen.data.brand.id = 'copycat';
      for (const showroom of stolen.data.showrooms as { brandId: string }[]) showroom.brandId = 'copycat';
      const taken = await refused(
        () =>
          server.get(brandUrl('/publish', 'copycat'), {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'idempotency-key': randomUUID(),
              ...auth(copycat),
            },
            body: JSON.stringify(stolen),
          }),
        422,
        'VALIDATION_FAILED',
      );
      const codes = (taken.details?.problems as { code: string }[]).map((p) => p.code);
      expect(codes).toContain('id-taken');
    });

    it('changes nothing when the write fails half way (interrupted inside the transaction)', async () => {
      const steps: string[] = [];
      const crashing = await startServer({
        dataDir: store.dataDir,
        databaseUrl: store.databaseUrl,
        brandDirs: [DEMO_DIR],
        onPublishStep: (step) => {
          steps.push(step);
          if (step === 'products') throw new Error('the server stopped half way through the publish');
        },
      });
      try {
        const releases = await store.db.selectFrom('brand_releases').selectAll().execute();
        const cursor = JSON.parse(await catalogText()) as { cursor: string };
        await refused(
          () =>
            crashing.get(brandUrl('/publish'), {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), ...auth() },
              body: JSON.stringify(changed),
            }),
          500,
          'INTERNAL',
        );
        // The brand and the changed product were written before the failure, and rolled back with it.
        expect(steps).toEqual(['brand', 'categories', 'products']);
        expect(await store.db.selectFrom('brand_releases').selectAll().execute()).toEqual(releases);
        const log = await store.db
          .selectFrom('catalog_changes')
          .select('seq')
          .where('seq', '>', Number(cursor.cursor))
          .execute();
        expect(log).toEqual([]);
      } finally {
        await stopServer(crashing);
      }
    });

    it('publishes a changed product as a new catalog version that a device picks up by its pull', async () => {
      const key = randomUUID();
      const response = await publish(changed, auth(), key);
      const text = await response.text();
      expect(response.status, text).toBe(201);
      const answer = PublishResponse.parse(JSON.parse(text));
      const versions = (await store.db.selectFrom('catalog_versions').select('version').execute()).length;
      expect(answer).toMatchObject({ brandId: DEMO, changed: true, version: versions });
      expect(answer.summary.products).toEqual({
        added: [],
        changed: [productId()],
        removed: [],
        unchanged: folder.data.products.length - 1,
      });
      expect(answer.summary.brandChanged).toBe(false);
      expect(answer.summary.showrooms.changed).toEqual([]);
      const version = await store.db
        .selectFrom('catalog_versions')
        .selectAll()
        .where('version', '=', answer.version)
        .executeTakeFirstOrThrow();
      expect(version.reason).toBe(`publish ${DEMO}`);

      // Only the changed product travels in the delta.
      const delta = await server.get(`/api/v1/catalog/changes?since=${seedCatalog.cursor}`);
      const page = (await delta.json()) as { cursor: string; changes: { entity: string; id: string }[] };
      expect(page.changes.map((c) => `${c.entity}:${c.id}`)).toEqual([`product:${productId()}`]);
      expect(page.cursor).toBe(answer.cursor);

      expect(await pullCatalog({ db: device, baseUrl: server.url })).toBe(true);
      const onDevice = await device.products.get(productId());
      const source = changed.data.products[0];
      expect(onDevice?.name).toBe(source?.name);
      expect(onDevice?.variants[0]?.price).toEqual(source?.variants[0]?.price);
      expect(onDevice?.model.sha256).toBe(folder.assets[productId()]?.model);
      expect(onDevice?.model.triangles).toBe(seedCatalog.products[0]?.model.triangles);
      expect((await device.meta.get('catalogCursor'))?.value).toBe(answer.cursor);

      // The same request again answers the same; the key with another request is refused.
      const retry = await publish(changed, auth(), key);
      expect(retry.status).toBe(200);
      expect(PublishResponse.parse(await retry.json())).toEqual(answer);
      await refused(() => publish(folder, auth(), key), 422, 'IDEMPOTENCY_KEY_REUSED');

      // Publishing the same folder again changes nothing and makes no version; its key is remembered all the
      // same: a retry answers the same, and the key cannot publish another folder.
      const sameKey = randomUUID();
      const same = await publish(changed, auth(), sameKey);
      expect(same.status).toBe(200);
      const sameAnswer = PublishResponse.parse(await same.json());
      expect(sameAnswer).toMatchObject({
        changed: false,
        version: answer.version,
        release: answer.release,
      });
      const sameAgain = await publish(changed, auth(), sameKey);
      expect(sameAgain.status).toBe(200);
      expect(PublishResponse.parse(await sameAgain.json())).toEqual(sameAnswer);
      await refused(() => publish(folder, auth(), sameKey), 422, 'IDEMPOTENCY_KEY_REUSED');
    });

    it('rolls back to the seeded state as a newer version, then has nothing earlier (409)', async () => {
      const before = ReleaseList.parse(
        await (await server.get(brandUrl('/releases'), { headers: auth() })).json(),
      );
      expect(before.releases.map((r) => [r.reason, r.current])).toEqual([
        ['publish', true],
        ['seed', false],
      ]);
      const [published, seeded] = before.releases;

      const response = await server.get(brandUrl('/rollback'), {
        method: 'POST',
        headers: { ...auth(), 'idempotency-key': randomUUID() },
      });
      const text = await response.text();
      expect(response.status, text).toBe(201);
      const answer = PublishResponse.parse(JSON.parse(text));
      expect(answer.version).toBe((published?.version ?? 0) + 1);
      expect(answer.summary.products.changed).toEqual([productId()]);

      expect(await pullCatalog({ db: device, baseUrl: server.url })).toBe(true);
      const onDevice = await device.products.get(productId());
      const original = seedCatalog.products.find((p) => p.id === productId());
      expect(onDevice?.name).toBe(original?.name);
      expect(onDevice?.variants).toEqual(original?.variants);
      const live = CatalogSnapshot.parse(JSON.parse(await catalogText()));
      expect(Number(live.cursor)).toBeGreaterThan(Number(seedCatalog.cursor));
      expect(live.products.map(({ updatedAt: _u, ...p }) => p)).toEqual(
        seedCatalog.products.map(({ updatedAt: _u, ...p }) => p),
      );

      const after = ReleaseList.parse(
        await (await server.get(brandUrl('/releases'), { headers: auth() })).json(),
      );
      expect(after.releases[0]).toMatchObject({
        reason: 'rollback',
        restoredFrom: seeded?.id,
        current: true,
      });
      await refused(
        () =>
          server.get(brandUrl('/rollback'), {
            method: 'POST',
            headers: { ...auth(), 'idempotency-key': randomUUID() },
          }),
        409,
        'NO_PREVIOUS_RELEASE',
      );
    });

    it('deletes a product the folder no longer has, once for two concurrent tries of one key; rollback brings it back', async () => {
      const shown = new Set(
        (folder.data.showrooms as { fixtures: { productId: string }[] }[]).flatMap((r) =>
          r.fixtures.map((f) => f.productId),
        ),
      );
      // The last product, taken off its showroom stands too.
      const gone = folder.data.products.at(-1);
      if (gone === undefined) throw new Error('the demo brand has no product');
      const smaller = copy(folder);
      smaller.data.products = smaller.data.products.filter((p) => p.id !== gone.id);
      smaller.assets = Object.fromEntries(Object.entries(smaller.assets).filter(([id]) => id !== gone.id));
      for (const showroom of smaller.data.showrooms as { fixtures: { productId: string }[] }[]) {
        showroom.fixtures = showroom.fixtures.filter((f) => f.productId !== gone.id);
      }
      const showsIt = shown.has(gone.id);

      const key = randomUUID();
      const [a, b] = await Promise.all([publish(smaller, auth(), key), publish(smaller, auth(), key)]);
      expect([a.status, b.status].sort()).toEqual([200, 201]);
      const [first, second] = [PublishResponse.parse(await a.json()), PublishResponse.parse(await b.json())];
      expect(first).toEqual(second);
      expect(first.summary.products).toMatchObject({ added: [], changed: [], removed: [gone.id] });
      expect(first.summary.showrooms.changed.length > 0).toBe(showsIt);
      expect(
        await store.db.selectFrom('catalog_variants').where('product_id', '=', gone.id).selectAll().execute(),
      ).toEqual([]);
      expect(await pullCatalog({ db: device, baseUrl: server.url })).toBe(true);
      expect(await device.products.get(gone.id)).toBeUndefined();

      const back = await server.get(brandUrl('/rollback'), {
        method: 'POST',
        headers: { ...auth(), 'idempotency-key': randomUUID() },
      });
      expect(back.status).toBe(201);
      expect(PublishResponse.parse(await back.json()).summary.products.added).toEqual([gone.id]);
      expect(await pullCatalog({ db: device, baseUrl: server.url })).toBe(true);
      expect((await device.products.get(gone.id))?.variants).toEqual(gone.variants);
      const live = CatalogSnapshot.parse(JSON.parse(await catalogText()));
      expect(live.products.map((p) => p.id)).toEqual(seedCatalog.products.map((p) => p.id));
    });

    it('a publish of more changes than a page reaches a device whole or not at all, even cut between pages', async () => {
      expect(await pullCatalog({ db: device, baseUrl: server.url })).toBe(true);
      const names = async (): Promise<string[]> =>
        (await device.products.toArray()).map((p) => p.name).sort();
      const oldNames = await names();
      const oldCursor = (await device.meta.get('catalogCursor'))?.value;
      const renamed = copy(folder);
      for (const product of renamed.data.products) product.name = `${product.name} (2027)`;
      const response = await publish(renamed);
      expect(response.status).toBe(201);
      const answer = PublishResponse.parse(await response.json());
      expect(answer.summary.products.changed.length).toBe(renamed.data.products.length);
      expect(renamed.data.products.length).toBeGreaterThan(2);

      // Pages of 2 changes: the connection drops on the second page, in the middle of the publish.
      const realFetch = globalThis.fetch;
      let calls = 0;
      globalThis.fetch = (input, init) =>
        ++calls === 2 ? Promise.reject(new TypeError('fetch failed')) : realFetch(input, init);
      try {
        expect(await pullCatalog({ db: device, baseUrl: server.url, limit: 2 })).toBe(false);
      } finally {
        globalThis.fetch = realFetch;
      }
      expect(calls).toBe(2);
      expect(await names()).toEqual(oldNames);
      expect((await device.meta.get('catalogCursor'))?.value).toBe(oldCursor);

      expect(await pullCatalog({ db: device, baseUrl: server.url, limit: 2 })).toBe(true);
      expect(await names()).toEqual(renamed.data.products.map((p) => p.name).sort());
      expect((await device.meta.get('catalogCursor'))?.value).toBe(answer.cursor);
    });

    it('refuses a rollback to a release whose files are no longer stored (409 ASSETS_MISSING)', async () => {
      // The release before the live one (the renamed folder) holds the demo brand's own files.
      const poster = folder.assets[productId()]?.poster ?? '';
      const file = assetPath(assetsDirOf(store.dataDir), poster, 'jpg');
      await rename(file, `${file}.away`);
      try {
        const error = await refused(
          () =>
            server.get(brandUrl('/rollback'), {
              method: 'POST',
              headers: { ...auth(), 'idempotency-key': randomUUID() },
            }),
          409,
          'ASSETS_MISSING',
        );
        expect(error.details?.missing).toEqual([poster]);
      } finally {
        await rename(`${file}.away`, file);
      }
    });
  });
});
