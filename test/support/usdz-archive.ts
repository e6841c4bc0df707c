/**
 * Reads a USDZ archive in Node, independently of the code that wrote it: the zip structure (local headers and
 * central directory parsed byte by byte, so nothing is taken on trust from a zip library) and the text USD
 * layers three's USDZExporter writes (prims, transforms, mesh points, material bindings and colours).
 *
 * USDZ rules checked here (Pixar's USDZ specification): a zip with no compression and no encryption, every
 * file's data starting on a 64-byte boundary, the first file the root layer (.usda/.usdc).
 */
import { crc32 } from 'node:zlib';
import { Box3, Matrix4, Vector3 } from 'three';

/** One file of the archive. */
export interface ZipEntry {
  name: string;
  /** Offset of the file's data from the start of the archive. */
  dataOffset: number;
  /** Compression method: 0 is stored (none). */
  method: number;
  data: Uint8Array;
}

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;

/**
 * The entries of a zip, in archive order, read through the local headers and checked against the central
 * directory and each file's CRC-32. Throws when the archive is malformed.
 */
export function readZip(bytes: Uint8Array): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries: ZipEntry[] = [];
  let at = 0;
  while (at + 4 <= bytes.byteLength && view.getUint32(at, true) === LOCAL_HEADER) {
    const flags = view.getUint16(at + 6, true);
    const method = view.getUint16(at + 8, true);
    const crc = view.getUint32(at + 14, true);
    const compressed = view.getUint32(at + 18, true);
    const size = view.getUint32(at + 22, true);
    const nameLength = view.getUint16(at + 26, true);
    const extraLength = view.getUint16(at + 28, true);
    if ((flags & 0x1) !== 0) throw new Error('encrypted zip entry');
    if ((flags & 0x8) !== 0) throw new Error('zip entry sizes in a data descriptor (not allowed in USDZ)');
    if (compressed !== size) throw new Error(`compressed size ${compressed} differs from size ${size}`);
    const name = new TextDecoder().decode(bytes.subarray(at + 30, at + 30 + nameLength));
    const dataOffset = at + 30 + nameLength + extraLength;
    const data = bytes.subarray(dataOffset, dataOffset + compressed);
    if (data.byteLength !== compressed) throw new Error(`${name}: truncated`);
    if (crc32(data) !== crc) throw new Error(`${name}: CRC-32 mismatch`);
    entries.push({ name, dataOffset, method, data });
    at = dataOffset + compressed;
  }
  if (entries.length === 0) throw new Error('not a zip archive (no local file header at offset 0)');

  // The central directory must list the same files at the same places.
  let end = bytes.byteLength - 22;
  while (end >= 0 && view.getUint32(end, true) !== END_OF_CENTRAL_DIRECTORY) end--;
  if (end < 0) throw new Error('no end-of-central-directory record');
  const count = view.getUint16(end + 10, true);
  let central = view.getUint32(end + 16, true);
  if (count !== entries.length)
    throw new Error(`central directory lists ${count} files, found ${entries.length}`);
  for (const entry of entries) {
    if (view.getUint32(central, true) !== CENTRAL_HEADER) throw new Error('bad central directory header');
    const nameLength = view.getUint16(central + 28, true);
    const extraLength = view.getUint16(central + 30, true);
    const commentLength = view.getUint16(central + 32, true);
    const name = new TextDecoder().decode(bytes.subarray(central + 46, central + 46 + nameLength));
    const localOffset = view.getUint32(central + 42, true);
    const localNameLength = view.getUint16(localOffset + 26, true);
    const localExtraLength = view.getUint16(localOffset + 28, true);
    if (name !== entry.name || localOffset + 30 + localNameLength + localExtraLength !== entry.dataOffset) {
      throw new Error(`central directory entry ${name} does not match local entry ${entry.name}`);
    }
    central += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** One prim of a text USD layer. */
export interface UsdPrim {
  /** Schema type (`Xform`, `Mesh`, `Material`, `Shader`…), empty for a typeless prim. */
  type: string;
  name: string;
  /** Absolute prim path (`/Root/Scenes/Scene/chair`). */
  path: string;
  /** Metadata lines between `(` and `)` after the `def`, trimmed. */
  meta: string[];
  /** Property lines of the prim's body, trimmed. */
  props: string[];
  children: UsdPrim[];
}

/** Parses the prims of a .usda layer as USDZExporter formats it (one prim opener, brace and property a line). */
export function parseUsda(text: string): UsdPrim {
  const root: UsdPrim = { type: '', name: '', path: '', meta: [], props: [], children: [] };
  const stack: UsdPrim[] = [root];
  let pending: UsdPrim | null = null;
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    const parent = stack[stack.length - 1] ?? root;
    const def = /^def (?:(\w+) )?"([^"]+)"/.exec(trimmed);
    if (def) {
      const name = def[2] ?? '';
      pending = {
        type: def[1] ?? '',
        name,
        path: `${parent.path}/${name}`,
        meta: [],
        props: [],
        children: [],
      };
      parent.children.push(pending);
      continue;
    }
    if (pending) {
      if (trimmed === '{') {
        stack.push(pending);
        pending = null;
      } else if (trimmed !== ')' && trimmed !== '') {
        pending.meta.push(trimmed);
      }
      continue;
    }
    if (trimmed === '}') {
      if (stack.length > 1) stack.pop();
      continue;
    }
    if (stack.length > 1 && trimmed !== '') parent.props.push(trimmed);
  }
  return root;
}

/** Every prim under `prim` (itself included), depth first in file order. */
export function allPrims(prim: UsdPrim): UsdPrim[] {
  return [prim, ...prim.children.flatMap(allPrims)];
}

/** The prim at `path`, or throws. */
export function primAt(root: UsdPrim, path: string): UsdPrim {
  const found = allPrims(root).find((p) => p.path === path);
  if (!found) throw new Error(`no prim ${path}`);
  return found;
}

/** The value text of property `name` (the part after ` = `), or undefined. */
export function propValue(prim: UsdPrim, name: string): string | undefined {
  for (const prop of prim.props) {
    const m = /^(?:uniform )?[\w:[\]]+ ([\w:.]+) = (.*)$/.exec(prop);
    if (m?.[1] === name) return m[2];
  }
  return undefined;
}

/** All numbers in a USD value text, in order. */
export function numbersIn(text: string): number[] {
  return [...text.matchAll(/-?\d+(?:\.\d+)?(?:e[-+]?\d+)?/gi)].map((m) => Number(m[0]));
}

/** The local transform of an Xform-able prim (identity when it has none); only matrix transforms are read. */
export function localMatrix(prim: UsdPrim): Matrix4 {
  const order = propValue(prim, 'xformOpOrder');
  if (order === undefined) return new Matrix4();
  if (order !== '["xformOp:transform"]') throw new Error(`${prim.path}: unsupported xformOpOrder ${order}`);
  const values = numbersIn(propValue(prim, 'xformOp:transform') ?? '');
  if (values.length !== 16) throw new Error(`${prim.path}: matrix4d with ${values.length} numbers`);
  // USD writes row vectors (translation in the last row): the same 16 numbers as three's column-major array.
  return new Matrix4().fromArray(values);
}

/** One drawn mesh of a USDZ scene, in file order. */
export interface UsdMesh {
  /** The prim that places the mesh (the one with the reference, or the Mesh prim itself). */
  path: string;
  /** World transform (product of its ancestors' and its own transforms). */
  world: Matrix4;
  /** Points in the mesh's own space. */
  points: Vector3[];
  /** Triangles (faceVertexCounts entries, every face being a triangle). */
  faces: number;
  /** Vertex normals, one per point. */
  normals: Vector3[];
  /** Path of the bound material. */
  material: string;
}

/** A read USDZ archive. */
export interface Usdz {
  entries: ZipEntry[];
  /** The root layer (first file). */
  root: UsdPrim;
  rootText: string;
  meshes: UsdMesh[];
  /** Anchoring alignment declared on the scene (`horizontal` | `vertical`). */
  alignment: string | undefined;
}

function text(entry: ZipEntry): string {
  return new TextDecoder().decode(entry.data);
}

function vectors(mesh: UsdPrim, property: string): Vector3[] {
  // The value ends before any property metadata (` (` after the closing bracket).
  const values = numbersIn((propValue(mesh, property) ?? '').replace(/\]\s*\($/, ']'));
  if (values.length % 3 !== 0) throw new Error(`${mesh.path}: ${property} not in triples`);
  const out: Vector3[] = [];
  for (let i = 0; i < values.length; i += 3) out.push(new Vector3(values[i], values[i + 1], values[i + 2]));
  return out;
}

function meshPrimData(mesh: UsdPrim): { points: Vector3[]; normals: Vector3[]; faces: number } {
  const points = vectors(mesh, 'points');
  const normals = vectors(mesh, 'normals');
  const counts = numbersIn(propValue(mesh, 'faceVertexCounts') ?? '');
  if (counts.some((c) => c !== 3)) throw new Error(`${mesh.path}: a face is not a triangle`);
  return { points, normals, faces: counts.length };
}

/** Reads a USDZ: zip checks, the root layer's prims, and each mesh with its world transform and points. */
export function readUsdz(bytes: Uint8Array): Usdz {
  const entries = readZip(bytes);
  const first = entries[0];
  if (!first || !/\.usd[ac]$/.test(first.name))
    throw new Error(`first file ${first?.name} is not a USD layer`);
  const rootText = text(first);
  const root = parseUsda(rootText);
  const byName = new Map(entries.map((e) => [e.name, e]));
  const meshes: UsdMesh[] = [];
  const visit = (prim: UsdPrim, parentWorld: Matrix4): void => {
    const world = parentWorld.clone().multiply(localMatrix(prim));
    const reference = prim.meta
      .map((m) => /^prepend references = @\.\/([^@]+)@<\/Geometry>$/.exec(m)?.[1])
      .find((r) => r !== undefined);
    const binding = propValue(prim, 'material:binding');
    if (reference !== undefined) {
      const entry = byName.get(reference);
      if (!entry) throw new Error(`${prim.path} refers to ${reference}, which is not in the archive`);
      const layer = parseUsda(text(entry));
      const mesh = allPrims(layer).find((p) => p.type === 'Mesh');
      if (!mesh) throw new Error(`${reference} holds no Mesh`);
      meshes.push({ path: prim.path, world, ...meshPrimData(mesh), material: binding ?? '' });
    } else if (prim.type === 'Mesh') {
      const subset = prim.children.find((c) => c.type === 'GeomSubset');
      const bound = binding ?? (subset && propValue(subset, 'material:binding')) ?? '';
      meshes.push({ path: prim.path, world, ...meshPrimData(prim), material: bound });
    }
    for (const child of prim.children) visit(child, world);
  };
  for (const top of root.children) visit(top, new Matrix4());
  const scene = allPrims(root).find(
    (p) => propValue(p, 'preliminary:planeAnchoring:alignment') !== undefined,
  );
  const alignment = scene && propValue(scene, 'preliminary:planeAnchoring:alignment')?.replace(/"/g, '');
  return { entries, root, rootText, meshes, alignment };
}

/** World-space bounds of every mesh point. */
export function usdzBounds(usdz: Usdz): Box3 {
  const box = new Box3();
  const p = new Vector3();
  for (const mesh of usdz.meshes) {
    for (const point of mesh.points) box.expandByPoint(p.copy(point).applyMatrix4(mesh.world));
  }
  return box;
}

/** What a material's surface reads its base colour from. */
export type DiffuseSource = { color: [number, number, number] } | { texture: string };

/** The base colour of material `path`: a constant colour, or the archive file of its texture. */
export function diffuseOf(usdz: Usdz, path: string): DiffuseSource {
  const material = primAt(usdz.root, path.replace(/^<|>$/g, ''));
  const surface = material.children.find((c) => propValue(c, 'info:id') === '"UsdPreviewSurface"');
  if (!surface) throw new Error(`${material.path} has no UsdPreviewSurface`);
  const constant = propValue(surface, 'inputs:diffuseColor');
  if (constant !== undefined) {
    const [r = NaN, g = NaN, b = NaN] = numbersIn(constant);
    return { color: [r, g, b] };
  }
  const connection = propValue(surface, 'inputs:diffuseColor.connect');
  const shader = connection && /^<([^>.]+)\.outputs:rgb>$/.exec(connection)?.[1];
  if (!shader) throw new Error(`${material.path}: no diffuse colour`);
  const file = propValue(primAt(usdz.root, shader), 'inputs:file');
  const name = file && /^@([^@]+)@$/.exec(file)?.[1];
  if (!name) throw new Error(`${shader}: no texture file`);
  return { texture: name };
}
