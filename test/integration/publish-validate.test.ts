// `vitrine validate`: the demo brand and a brand of real third-party models pass; a corpus of broken and
// hostile brand folders and GLBs (test/fixtures/broken/, and variants of the demo folder made here) each
// produce their exact error, with file, line and pointer; the CLI prints them and sets the exit code.
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NodeIO } from '@gltf-transform/core';
import { ALL_EXTENSIONS } from '@gltf-transform/extensions';
import sharp from 'sharp';
import { formatBytes } from '../../src/core/bytes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BrandFolderReadError,
  FOLDER_LIMITS,
  readBrandFolder,
  validateBrandFolder,
  type ModelBudgets,
  type Problem,
} from '../../src/publish/validate';
import { addImage, joinGlb, splitGlb, wrapScene } from '../fixtures/broken/glb-edit';
import { buildThirdPartyBrand, countDrawnTriangles } from '../support/third-party-brand';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DEMO = path.join(repoRoot, 'assets/brands/linde');
const BROKEN = path.join(repoRoot, 'test/fixtures/broken');
const CHAIR = 'models/aster-dining-chair.glb';

let demo: ReadonlyMap<string, Uint8Array>;
let chair: Uint8Array;

beforeAll(async () => {
  demo = (await readBrandFolder(DEMO)).files;
  const bytes = demo.get(CHAIR);
  if (!bytes) throw new Error(`${CHAIR} is missing from the demo brand`);
  chair = bytes;
});

const text = (bytes: Uint8Array | undefined): string => new TextDecoder().decode(bytes);
const bytesOf = (s: string): Uint8Array => new TextEncoder().encode(s);

/** 1-based line and column of `offset` in `source`. */
function lineCol(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

/** A copy of the demo folder with `from` replaced by `to` (first occurrence) in `file`. */
function editDemo(file: string, from: string, to: string) {
  const source = text(demo.get(file));
  const index = source.indexOf(from);
  if (index < 0) throw new Error(`${from} is not in ${file}`);
  const edited = source.slice(0, index) + to + source.slice(index + from.length);
  const files = new Map(demo);
  files.set(file, bytesOf(edited));
  return { files, text: edited, index };
}

/** A copy of the demo folder with some files replaced (undefined removes one). */
function withFiles(changes: Record<string, Uint8Array | undefined>): Map<string, Uint8Array> {
  const files = new Map(demo);
  for (const [file, bytes] of Object.entries(changes)) {
    if (bytes === undefined) files.delete(file);
    else files.set(file, bytes);
  }
  return files;
}

async function validate(files: ReadonlyMap<string, Uint8Array>, budgets?: Partial<ModelBudgets>) {
  return validateBrandFolder({ files }, budgets ? { budgets } : undefined);
}

const errors = (problems: readonly Problem[]) => problems.filter((p) => p.severity === 'error');
const codes = (problems: readonly Problem[]) => problems.map((p) => `${p.file} ${p.code}`);

describe('folders that validate', () => {
  it('the demo brand: no errors and no warnings, and the parsed data', async () => {
    const result = await validate(demo);
    expect(result.problems).toEqual([]);
    expect(result.data?.brand.id).toBe('linde');
    expect(result.data?.products).toHaveLength(16);
  });

  it('the brand of third-party models: no errors; these warnings only', async () => {
    const brand = await buildThirdPartyBrand({ posters: 'placeholder' });
    try {
      const result = await validateBrandFolder(await readBrandFolder(brand.dir));
      expect(errors(result.problems)).toEqual([]);
      expect(result.data?.products).toHaveLength(4);
      const tangents = 'MESH_PRIMITIVE_GENERATED_TANGENT_SPACE';
      expect(result.problems.map((p) => [p.file, p.code, p.pointer ?? ''])).toEqual([
        // Draco-compressed, decoded to 114,688 triangles: over the 3D Commerce 100k.
        ['models/coffee-mug.glb', 'TRIANGLES', ''],
        // Khronos glTF Validator warnings: normal-mapped materials on meshes without tangents.
        ['models/glass-vases-with-flowers.glb', tangents, '/meshes/0/primitives/0/material'],
        ['models/hanging-wicker-chair.glb', tangents, '/meshes/0/primitives/0/material'],
        ['models/hanging-wicker-chair.glb', tangents, '/meshes/1/primitives/0/material'],
        ['models/hanging-wicker-chair.glb', tangents, '/meshes/2/primitives/0/material'],
        ['models/kitchen-stand-mixer.glb', tangents, '/meshes/0/primitives/0/material'],
      ]);
      expect(result.problems[0]?.message).toContain('114,688 triangles');
    } finally {
      await brand.remove();
    }
  }, 120_000);

  it('posters are optional', async () => {
    const files = new Map([...demo].filter(([file]) => !file.startsWith('posters/')));
    const result = await validate(files);
    expect(result.problems).toEqual([]);
    expect(result.data).toBeDefined();
  });
});

describe('broken JSON files: file, line, column, pointer, code and hint', () => {
  it('a JSON syntax error (a missing comma) at the token after it', async () => {
    const {
      files,
      text: edited,
      index,
    } = editDemo('products.json', '"placement": "floor",', '"placement": "floor"');
    const result = await validate(files);
    const at = lineCol(edited, edited.indexOf('"variants"', index));
    expect(errors(result.problems)).toEqual([
      expect.objectContaining({ file: 'products.json', code: 'JSON_SYNTAX', ...at }),
    ]);
    expect(result.problems[0]?.message).toContain('expected , or }');
    expect(result.data).toBeUndefined();
  });

  it('a schema error with the line of the field', async () => {
    const from = '"countryOfOrigin": "NL"';
    const {
      files,
      text: edited,
      index,
    } = editDemo('products.json', from, '"countryOfOrigin": "Netherlands"');
    const result = await validate(files);
    expect(errors(result.problems)).toEqual([
      expect.objectContaining({
        file: 'products.json',
        code: 'FIELD_FORMAT',
        pointer: '/0/countryOfOrigin',
        ...lineCol(edited, index),
        hint: expect.stringContaining('e.g. PT'),
      }),
    ]);
  });

  it('a missing field, at the object that should hold it', async () => {
    const { files, text: edited } = editDemo('products.json', '"placement": "floor",', '');
    const result = await validate(files);
    expect(errors(result.problems)).toEqual([
      expect.objectContaining({
        code: 'FIELD_MISSING',
        pointer: '/0/placement',
        ...lineCol(edited, edited.indexOf('{')),
        message: 'aster-dining-chair: placement is missing',
      }),
    ]);
  });

  it('a wrong SKU', async () => {
    const from = '"sku": "LIN-ASTCHR-SMK"';
    const { files, text: edited, index } = editDemo('products.json', from, '"sku": "oak-1"');
    const result = await validate(files);
    expect(errors(result.problems)).toEqual([
      expect.objectContaining({
        file: 'products.json',
        code: 'SKU_FORMAT',
        pointer: '/0/variants/1/sku',
        ...lineCol(edited, index),
        message: expect.stringContaining('variants[1].sku "oak-1"'),
        hint: expect.stringContaining('e.g. OAK-NATURAL (here perhaps "OAK-1")'),
      }),
    ]);
  });

  it('one invalid product does not hide the checks of the others', async () => {
    const { files } = editDemo('products.json', '"sku": "LIN-ASTCHR-SMK"', '"sku": "oak-1"');
    const products = text(files.get('products.json'));
    const second = products.indexOf('"category": "', products.indexOf('"id": "fjord-lounge-chair"'));
    const edited =
      products.slice(0, second) +
      products.slice(second).replace(/"category": "[a-z-]+"/, '"category": "chairs"');
    files.set('products.json', bytesOf(edited));
    files.set(
      'models/bas-sideboard.glb',
      new Uint8Array(await readFile(path.join(BROKEN, 'centimetres.glb'))),
    );
    const result = await validate(files);
    expect(codes(errors(result.problems))).toEqual([
      'products.json SKU_FORMAT',
      'products.json CATEGORY_UNKNOWN',
      // The chair's model (in centimetres) in place of the sideboard's: a variant of the sideboard names a
      // material variant the chair does not have, and each axis is off by its own factor.
      'products.json MATERIAL_VARIANT_UNKNOWN',
      'models/bas-sideboard.glb MODEL_SCALE',
      'models/bas-sideboard.glb MODEL_SCALE',
      'models/bas-sideboard.glb MODEL_SCALE',
    ]);
  });

  it('a price in decimals', async () => {
    const { files, text: edited, index } = editDemo('products.json', '"amount": 34900', '"amount": 349.5');
    const result = await validate(files);
    expect(errors(result.problems)).toEqual([
      expect.objectContaining({
        code: 'PRICE_FORMAT',
        pointer: '/0/variants/0/price/amount',
        ...lineCol(edited, index),
        hint: expect.stringContaining('34900'),
      }),
    ]);
  });

  it('an unknown category, listing the known ones', async () => {
    const from = '"category": "seating"';
    const { files, text: edited, index } = editDemo('products.json', from, '"category": "seats"');
    const result = await validate(files);
    expect(errors(result.problems)).toEqual([
      expect.objectContaining({
        code: 'CATEGORY_UNKNOWN',
        pointer: '/0/category',
        ...lineCol(edited, index),
        hint: 'Did you mean "seating"? Known categories: seating, tables, lighting, storage, decor; or add it to categories.json.',
      }),
    ]);
  });

  it('a fixture showing a product that does not exist', async () => {
    const from = '"productId": "aster-dining-chair"';
    const { files, text: edited, index } = editDemo('showrooms.json', from, '"productId": "aster-chair"');
    const result = await validate(files);
    expect(errors(result.problems)).toEqual([
      expect.objectContaining({
        file: 'showrooms.json',
        code: 'FIXTURE_PRODUCT_UNKNOWN',
        pointer: expect.stringMatching(/^\/\d+\/fixtures\/\d+\/productId$/),
        ...lineCol(edited, index),
        hint: expect.stringContaining('Did you mean "aster-dining-chair"?'),
      }),
    ]);
  });

  it('a variant naming a material variant the model does not have', async () => {
    const from = '"materialVariant": "smoked-oak"';
    const { files, text: edited, index } = editDemo('products.json', from, '"materialVariant": "smoked"');
    const result = await validate(files);
    expect(errors(result.problems)).toEqual([
      expect.objectContaining({
        file: 'products.json',
        code: 'MATERIAL_VARIANT_UNKNOWN',
        pointer: '/0/variants/1/materialVariant',
        ...lineCol(edited, index),
        hint: 'Did you mean "smoked-oak"? The model\'s KHR_materials_variants: natural-oak, smoked-oak, black-oak.',
      }),
    ]);
  });

  it('a duplicate SKU (and the fixture that showed the renamed one)', async () => {
    const { files, text: edited, index } = editDemo('products.json', '"LIN-ASTCHR-SMK"', '"LIN-ASTCHR-NAT"');
    const result = await validate(files);
    expect(codes(errors(result.problems))).toEqual([
      'products.json DUPLICATE_SKU',
      // Two fixtures showed the variant whose SKU changed.
      'showrooms.json FIXTURE_SKU_UNKNOWN',
      'showrooms.json FIXTURE_SKU_UNKNOWN',
    ]);
    expect(result.problems[0]).toMatchObject({
      pointer: '/0/variants/1/sku',
      line: lineCol(edited, index).line,
    });
  });

  it("a showroom of another brand's id", async () => {
    const {
      files,
      text: edited,
      index,
    } = editDemo('showrooms.json', '"brandId": "linde"', '"brandId": "lind"');
    const result = await validate(files);
    expect(errors(result.problems)).toEqual([
      expect.objectContaining({
        file: 'showrooms.json',
        code: 'SHOWROOM_BRAND_MISMATCH',
        pointer: '/0/brandId',
        ...lineCol(edited, index),
        hint: expect.stringContaining('"brandId": "linde"'),
      }),
    ]);
  });

  it('a provenance event edited after it was sealed', async () => {
    const from = '"actor": "Office national des forêts"';
    const { files } = editDemo('products.json', from, '"actor": "Office national des forets"');
    const result = await validate(files);
    expect(errors(result.problems)).toEqual([
      expect.objectContaining({ code: 'PROVENANCE_BROKEN', pointer: '/0/provenance/0/hash' }),
    ]);
  });

  it('products.json cut short anywhere: a JSON_SYNTAX error at a real line and column, never a throw', async () => {
    const source = text(demo.get('products.json')).trimEnd();
    const lines = source.split('\n');
    for (let i = 1; i <= 25; i++) {
      const cut = source.slice(0, Math.floor((source.length * i) / 26));
      const result = await validate(withFiles({ 'products.json': bytesOf(cut) }));
      const [problem, ...rest] = errors(result.problems);
      expect(rest, `cut at ${cut.length}`).toEqual([]);
      expect(problem?.code).toBe('JSON_SYNTAX');
      expect(problem?.line).toBeGreaterThanOrEqual(1);
      expect(problem?.line).toBeLessThanOrEqual(lines.length);
    }
  });

  it('unknown and duplicate fields are warnings; a missing file is an error', async () => {
    const { files } = editDemo(
      'products.json',
      '"placement": "floor",',
      '"placement": "floor", "colour": "red", "placement": "floor",',
    );
    const result = await validate(files);
    expect(result.problems.map((p) => [p.severity, p.code, p.pointer])).toEqual([
      ['warning', 'DUPLICATE_KEY', '/0/placement'],
      ['warning', 'UNKNOWN_FIELD', '/0/colour'],
    ]);
    expect(result.data).toBeDefined();

    const missing = await validate(withFiles({ 'categories.json': undefined }));
    expect(codes(errors(missing.problems))).toEqual(['categories.json FILE_MISSING']);
  });
});

describe('broken and hostile models', () => {
  const corpus: [string, string, string | undefined][] = [
    ['truncated.glb', 'GLB_TRUNCATED', undefined],
    ['bad-magic.glb', 'GLB_MAGIC', undefined],
    ['chunk-length.glb', 'GLB_CHUNK_LENGTH', undefined],
    ['absurd-accessor.glb', 'ACCESSOR_COUNT', '/accessors/0/count'],
    ['huge-texture.glb', 'TEXTURE_DIMENSIONS', '/images/0'],
    ['centimetres.glb', 'MODEL_UNITS', undefined],
    ['z-up.glb', 'MODEL_UP_AXIS', undefined],
    ['meshopt-bomb.glb', 'MESHOPT_INVALID', '/bufferViews/0/extensions/EXT_meshopt_compression'],
    ['meshopt-too-large.glb', 'MESHOPT_TOO_LARGE', '/bufferViews/12/extensions/EXT_meshopt_compression'],
  ];

  it.each(corpus)('test/fixtures/broken/%s in place of a model: %s', async (name, code, pointer) => {
    const bytes = new Uint8Array(await readFile(path.join(BROKEN, name)));
    const result = await validate(withFiles({ [CHAIR]: bytes }));
    expect(errors(result.problems)).toEqual([
      expect.objectContaining({
        file: CHAIR,
        code,
        ...(pointer ? { pointer } : {}),
        hint: expect.any(String),
      }),
    ]);
    expect(result.data).toBeUndefined();
  });

  it('the centimetres model is named as such, with the factor', async () => {
    const bytes = new Uint8Array(await readFile(path.join(BROKEN, 'centimetres.glb')));
    const [problem] = (await validate(withFiles({ [CHAIR]: bytes }))).problems;
    expect(problem?.message).toContain('100× too large on every axis; the model seems to be in centimetres');
    expect(problem?.hint).toContain('Export in metres');
  });

  it('external and outside-the-folder URIs', async () => {
    const bytes = new Uint8Array(await readFile(path.join(BROKEN, 'external-uri.glb')));
    const result = await validate(withFiles({ [CHAIR]: bytes }));
    expect(errors(result.problems).map((p) => [p.code, p.pointer, p.message])).toEqual([
      [
        'EXTERNAL_URI',
        '/buffers/1/uri',
        'buffers[1] refers to a path outside the folder (../secrets/buffer.bin)',
      ],
      ['EXTERNAL_URI', '/images/0/uri', 'images[0] refers to a remote URL (https://cdn.example.com/oak.png)'],
    ]);
  });

  it('absolute paths, file: and data: URIs are refused too', async () => {
    const chunks = splitGlb(chair);
    const cases: [string, string][] = [
      ['/etc/passwd', 'an absolute path'],
      ['file:///etc/passwd', 'a file: URL'],
      ['data:image/png;base64,AAAA', 'a data: URI'],
      ['textures/oak.png', 'an external file'],
    ];
    for (const [uri, words] of cases) {
      const json = { ...chunks.json, images: [{ uri }] };
      const result = await validate(withFiles({ [CHAIR]: joinGlb(json, chunks.bin) }));
      expect(errors(result.problems), uri).toEqual([
        expect.objectContaining({ code: 'EXTERNAL_URI', message: expect.stringContaining(words) }),
      ]);
    }
  });

  it('200 seeded random corruptions of a model: each answers problems, none throws or hangs', async () => {
    // A one-product folder (the chair) so each run is quick.
    const products = JSON.parse(text(demo.get('products.json'))) as unknown[];
    const base = new Map([
      ['brand.json', demo.get('brand.json') ?? new Uint8Array()],
      ['categories.json', demo.get('categories.json') ?? new Uint8Array()],
      ['products.json', bytesOf(JSON.stringify([products[0]]))],
      ['showrooms.json', bytesOf('[]')],
    ]);
    expect((await validate(new Map([...base, [CHAIR, chair]]))).problems).toEqual([]);
    let seed = 7;
    const random = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return Math.floor((seed / 2 ** 32) * n);
    };
    const started = performance.now();
    let withErrors = 0;
    for (let i = 0; i < 200; i++) {
      const bytes = chair.slice(0, i % 10 === 0 ? random(chair.byteLength) : chair.byteLength);
      for (let k = 0, n = 1 + random(8); k < n && bytes.length > 0; k++)
        bytes[random(bytes.length)] = random(256);
      const result = await validate(new Map([...base, [CHAIR, bytes]]));
      for (const problem of result.problems) expect(problem.code).toMatch(/^[A-Z0-9_]+$/);
      if (errors(result.problems).length > 0) withErrors++;
      else expect(result.data).toBeDefined();
    }
    expect(withErrors).toBeGreaterThan(100);
    expect(performance.now() - started).toBeLessThan(60_000);
  }, 90_000);

  it('a model missing, a model of no product, a .gltf in models/', async () => {
    const products = text(demo.get('products.json'));
    const missing = await validate(withFiles({ [CHAIR]: undefined }));
    expect(errors(missing.problems)).toEqual([
      expect.objectContaining({
        file: CHAIR,
        code: 'MODEL_MISSING',
        pointer: '/0/id',
        ...lineCol(products, products.indexOf('"id": "aster-dining-chair"')),
        hint: expect.stringContaining(`Add ${CHAIR}`),
      }),
    ]);

    const renamed = await validate(withFiles({ [CHAIR]: undefined, 'models/aster-chair.glb': chair }));
    expect(codes(errors(renamed.problems))).toEqual([
      'models/aster-chair.glb STRAY_MODEL',
      `${CHAIR} MODEL_MISSING`,
    ]);
    expect(renamed.problems[0]?.hint).toContain('Did you mean "aster-dining-chair"?');

    const gltf = await validate(withFiles({ 'models/extra.gltf': bytesOf('{}') }));
    expect(codes(errors(gltf.problems))).toEqual(['models/extra.gltf MODEL_FORMAT']);
  });

  it('an accessor of a billion vertices with no buffer view to bound it', async () => {
    const chunks = splitGlb(chair);
    const json = structuredClone(chunks.json);
    json.accessors?.push({ type: 'VEC4', componentType: 5126, count: 1_000_000_000 });
    const result = await validate(withFiles({ [CHAIR]: joinGlb(json, chunks.bin) }));
    expect(errors(result.problems)).toEqual([
      expect.objectContaining({
        code: 'ACCESSOR_COUNT',
        pointer: `/accessors/${(json.accessors?.length ?? 0) - 1}/count`,
      }),
    ]);
  });

  it('a huge JSON chunk is refused before it is parsed', async () => {
    const chunks = splitGlb(chair);
    const json = JSON.stringify(chunks.json) + ' '.repeat(9 * 1024 * 1024);
    const result = await validate(withFiles({ [CHAIR]: joinGlb(json, chunks.bin) }));
    expect(codes(errors(result.problems))).toEqual([`${CHAIR} GLB_JSON_TOO_LARGE`]);
  });

  it('a GLB over 15 MB is refused; over 5 MB is a warning saying optimisation comes', async () => {
    const chunks = splitGlb(chair);
    const big = new Uint8Array(15_100_000);
    big.set(chunks.bin);
    const json = { ...chunks.json, buffers: [{ byteLength: big.byteLength }] };
    const result = await validate(withFiles({ [CHAIR]: joinGlb(json, big) }));
    expect(errors(result.problems)).toEqual([
      expect.objectContaining({
        file: CHAIR,
        code: 'MODEL_TOO_LARGE',
        message: expect.stringContaining('15.1 MB'),
      }),
    ]);

    const budgeted = await validate(demo, { warnBytes: chair.byteLength - 1 });
    expect(errors(budgeted.problems)).toEqual([]);
    const sizeWarning = budgeted.problems.find((p) => p.file === CHAIR);
    expect(sizeWarning).toMatchObject({ code: 'MODEL_SIZE', severity: 'warning' });
    expect(sizeWarning?.message).toBe(
      `the model is ${formatBytes(chair.byteLength)} now; the 3D Commerce guidelines ask for at most ` +
        `${formatBytes(chair.byteLength - 1)} after optimisation`,
    );
  });

  it('a model off on one axis: the axis and the factor', async () => {
    const stretched = wrapScene(splitGlb(chair), { scale: [1.5, 1, 1] });
    const result = await validate(withFiles({ [CHAIR]: joinGlb(stretched.json, stretched.bin) }));
    expect(errors(result.problems)).toEqual([
      expect.objectContaining({
        file: CHAIR,
        code: 'MODEL_SCALE',
        message: 'width (x) is 0.69 m in the model but 0.46 m in products.json (1.5×, over the 2 % allowed)',
      }),
    ]);
  });

  it('a JPEG declaring 30000 px after 70 kB of metadata is refused; bytes of no known image format too', async () => {
    // SOI, an APP1 segment of 65533 bytes and another (long EXIF or ICC data), then a baseline frame header.
    const app = (fill: number): number[] => [0xff, 0xe1, 0xff, 0xff, ...new Array<number>(65533).fill(fill)];
    const sof = [0xff, 0xc0, 0, 17, 8, 0x75, 0x30, 0x75, 0x30, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
    const jpeg = new Uint8Array([0xff, 0xd8, ...app(1), ...app(2), ...sof, 0xff, 0xd9]);
    expect(jpeg.byteLength).toBeGreaterThan(128 * 1024);
    const withJpeg = addImage(splitGlb(chair), jpeg, 'image/jpeg');
    const refused = await validate(withFiles({ [CHAIR]: joinGlb(withJpeg.json, withJpeg.bin) }));
    expect(errors(refused.problems).map((p) => [p.code, p.pointer, p.message])).toEqual([
      [
        'TEXTURE_DIMENSIONS',
        '/images/0',
        'images[0] declares 30000 × 30000 px; textures over 8192 px a side (or empty) are refused before decoding',
      ],
    ]);

    const garbage = addImage(splitGlb(chair), new Uint8Array(64).fill(7), 'image/png');
    const unknown = await validate(withFiles({ [CHAIR]: joinGlb(garbage.json, garbage.bin) }));
    expect(errors(unknown.problems).map((p) => [p.code, p.pointer])).toEqual([
      ['IMAGE_UNRECOGNISED', '/images/0'],
    ]);
  });

  it('textures over 2048 px or not a power of two are warnings', async () => {
    const png = await sharp({ create: { width: 3000, height: 1000, channels: 3, background: '#a0784f' } })
      .png()
      .toBuffer();
    const textured = addImage(splitGlb(chair), new Uint8Array(png), 'image/png');
    const result = await validate(withFiles({ [CHAIR]: joinGlb(textured.json, textured.bin) }));
    expect(result.problems.map((p) => [p.severity, p.code, p.pointer])).toEqual([
      ['warning', 'TEXTURE_SIZE', '/images/0'],
      ['warning', 'TEXTURE_POWER_OF_TWO', '/images/0'],
    ]);
    expect(result.data).toBeDefined();
  });

  it('over the triangle budget is a warning, counting what the default scene draws', async () => {
    const drawn = countDrawnTriangles(
      await new NodeIO().registerExtensions(ALL_EXTENSIONS).readBinary(chair),
    );
    expect(drawn).toBeGreaterThan(0);
    const within = await validate(demo, { maxTriangles: drawn });
    expect(within.problems.filter((p) => p.file === CHAIR)).toEqual([]);
    const over = await validate(demo, { maxTriangles: drawn - 1 });
    expect(errors(over.problems)).toEqual([]);
    expect(over.problems.filter((p) => p.file === CHAIR)).toEqual([
      expect.objectContaining({
        code: 'TRIANGLES',
        severity: 'warning',
        message: expect.stringContaining(`draws ${drawn.toLocaleString('en')} triangles`),
      }),
    ]);
  });

  it('errors of the Khronos glTF Validator block, with their glTF pointer', async () => {
    const chunks = splitGlb(chair);
    const json = structuredClone(chunks.json);
    const nodes = json.nodes ?? [];
    nodes[0] = { ...nodes[0], mesh: 99 };
    const result = await validate(withFiles({ [CHAIR]: joinGlb({ ...json, nodes }, chunks.bin) }));
    expect(errors(result.problems)).toEqual([
      expect.objectContaining({
        file: CHAIR,
        code: 'UNRESOLVED_REFERENCE',
        pointer: '/nodes/0/mesh',
        message: expect.stringContaining('(Khronos glTF Validator)'),
      }),
    ]);
  });
});

describe('posters and the folder', () => {
  it('a poster that is not a JPEG, or too large', async () => {
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#ffffff' } })
      .png()
      .toBuffer();
    const wide = await sharp({ create: { width: 3000, height: 100, channels: 3, background: '#ffffff' } })
      .jpeg()
      .toBuffer();
    const result = await validate(
      withFiles({
        'posters/aster-dining-chair.jpg': new Uint8Array(png),
        'posters/bas-sideboard.jpg': new Uint8Array(wide),
      }),
    );
    expect(codes(errors(result.problems))).toEqual([
      'posters/aster-dining-chair.jpg POSTER_FORMAT',
      'posters/bas-sideboard.jpg POSTER_SIZE',
    ]);
  });

  it('paths outside the folder, too many files, too many bytes', async () => {
    const escape = await validate(withFiles({ '../brand.json': bytesOf('{}') }));
    expect(codes(errors(escape.problems))).toEqual(['../brand.json PATH_INVALID']);

    const many = new Map(demo);
    for (let i = 0; many.size <= FOLDER_LIMITS.maxFiles; i++) many.set(`extra/${i}.txt`, bytesOf('x'));
    expect(codes((await validate(many)).problems)).toEqual(['. FOLDER_TOO_MANY_FILES']);

    // Many entries sharing one 16 MB buffer: over the byte limit without allocating it.
    const block = new Uint8Array(16 * 1024 * 1024);
    const heavy = new Map(demo);
    for (let i = 0; i * block.byteLength <= FOLDER_LIMITS.maxTotalBytes; i++)
      heavy.set(`extra/${i}.bin`, block);
    expect(codes((await validate(heavy)).problems)).toEqual(['. FOLDER_TOO_LARGE']);
  });

  it('stray files are listed as warnings; a missing folder is a read error', async () => {
    const result = await validate(withFiles({ 'notes.txt': bytesOf('hello') }));
    expect(result.problems.map((p) => [p.severity, p.file, p.code])).toEqual([
      ['warning', 'notes.txt', 'STRAY_FILE'],
    ]);

    const missing = readBrandFolder(path.join(tmpdir(), 'vitrine-no-such-folder'));
    await expect(missing).rejects.toBeInstanceOf(BrandFolderReadError);
    await expect(missing).rejects.toMatchObject({ problem: { code: 'FOLDER_MISSING' } });
  });
});

describe('the vitrine CLI', () => {
  let workDir: string;
  let broken: string;

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'vitrine-validate-'));
    broken = path.join(workDir, 'linde');
    await cp(DEMO, broken, { recursive: true });
    const products = await readFile(path.join(broken, 'products.json'), 'utf8');
    await writeFile(path.join(broken, 'products.json'), products.replace('"LIN-ASTCHR-SMK"', '"oak-1"'));
    await writeFile(path.join(broken, CHAIR), await readFile(path.join(BROKEN, 'truncated.glb')));
  });

  afterAll(async () => {
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  /** Runs `npm run vitrine -- <args>` in the repository; answers its exit code and output. */
  function vitrine(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn('npm', ['run', '--silent', 'vitrine', '--', ...args], {
        cwd: repoRoot,
        env: { ...process.env, NO_COLOR: '1' },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('exits 0 on the demo brand', async () => {
    const run = await vitrine('validate', 'assets/brands/linde');
    expect(run.stdout.trim()).toBe('✔ assets/brands/linde is valid: no problems');
    expect(run.code).toBe(0);
  }, 60_000);

  it('prints problems grouped by file with line, code and hint, a summary, and exits 1', async () => {
    const run = await vitrine('validate', broken);
    const products = await readFile(path.join(broken, 'products.json'), 'utf8');
    const at = lineCol(products, products.indexOf('"sku": "oak-1"'));
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toEqual([
      'products.json  (1 error)',
      `  products.json:${at.line}:${at.column} error   SKU_FORMAT  aster-dining-chair: variants[1].sku "oak-1": upper-case letters, digits and dashes`,
      '      hint: A SKU is 2 to 40 upper-case letters, digits and dashes, e.g. OAK-NATURAL (here perhaps "OAK-1").',
      '',
      `${CHAIR}  (1 error)`,
      expect.stringMatching(
        new RegExp(
          `^  ${CHAIR} error   GLB_TRUNCATED  the GLB header declares \\d+ bytes but the file has \\d+`,
        ),
      ),
      expect.stringMatching(/^ {6}hint: Export the model again/),
      '',
      `✖ ${broken}: 2 errors, 0 warnings in 2 files — fix the errors before publishing`,
    ]);
    expect(run.code).toBe(1);
  }, 60_000);

  it('--json prints the problems for machines', async () => {
    const run = await vitrine('validate', '--json', broken);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { valid: boolean; errors: number; problems: Problem[] };
    expect(report.valid).toBe(false);
    expect(report.errors).toBe(2);
    expect(report.problems.map((p) => p.code)).toEqual(['SKU_FORMAT', 'GLB_TRUNCATED']);
  }, 60_000);

  it('exits 2 on wrong usage', async () => {
    const run = await vitrine('validate');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('vitrine: validate takes one folder');
  }, 60_000);
});
