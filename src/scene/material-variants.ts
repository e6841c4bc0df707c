/**
 * KHR_materials_variants on three.js scenes: which variants a glTF declares, which material each mesh uses
 * in each variant, and switching a loaded scene (or any clone of it) to a variant by name.
 * GLTFLoader does not apply the extension itself; it leaves each primitive's mappings in
 * `mesh.userData.gltfExtensions.KHR_materials_variants` and the variant list in `parser.json.extensions`.
 */
import type { Material, Mesh, Object3D } from 'three';
import type { GLTFParser } from 'three/examples/jsm/loaders/GLTFLoader.js';

const EXTENSION = 'KHR_materials_variants';

/** One primitive's mapping: glTF material index → indices of the variants that use it. */
export interface VariantMapping {
  material: number;
  variants: number[];
}

/** The materials one mesh uses: its default and, per variant index, the one to show instead. */
export interface MeshVariantTable {
  original: Material | Material[];
  byVariant: Map<number, Material>;
}

/**
 * The variants of one loaded file. Meshes refer to their table through `userData.variantSlot` (a number, so it
 * survives `Object3D.clone`, which copies userData as JSON).
 */
export interface VariantCatalog {
  /** Variant names in file order. */
  names: string[];
  slots: MeshVariantTable[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Variant names declared in a glTF JSON document (empty when the file has no variants). */
export function variantNames(json: unknown): string[] {
  if (!isRecord(json) || !isRecord(json.extensions)) return [];
  const ext = json.extensions[EXTENSION];
  if (!isRecord(ext) || !Array.isArray(ext.variants)) return [];
  return ext.variants.map((v: unknown, i) =>
    isRecord(v) && typeof v.name === 'string' ? v.name : `Variant ${i + 1}`,
  );
}

/** The variant mappings GLTFLoader left on a mesh (empty when it has none). */
export function meshMappings(object: Object3D): VariantMapping[] {
  const exts: unknown = object.userData.gltfExtensions;
  if (!isRecord(exts)) return [];
  const ext = exts[EXTENSION];
  if (!isRecord(ext) || !Array.isArray(ext.mappings)) return [];
  const out: VariantMapping[] = [];
  for (const m of ext.mappings as unknown[]) {
    if (!isRecord(m) || typeof m.material !== 'number' || !Array.isArray(m.variants)) continue;
    out.push({
      material: m.material,
      variants: m.variants.filter((v): v is number => typeof v === 'number'),
    });
  }
  return out;
}

/** Whether a scene-graph node is a mesh (duck-typed like three itself, so any copy of three's Mesh counts). */
export function isMesh(object: Object3D): object is Mesh {
  return (object as Mesh).isMesh === true;
}

/**
 * Reads the variants of a freshly loaded glTF and resolves every mapped material through the parser (so that
 * vertex-colour or tangent adjustments GLTFLoader makes to a mesh's material also apply to its variants).
 * Tags each mapped mesh of `scene` with `userData.variantSlot`.
 */
export async function prepareVariants(parser: GLTFParser, scene: Object3D): Promise<VariantCatalog> {
  const names = variantNames(parser.json);
  const slots: MeshVariantTable[] = [];
  if (names.length === 0) return { names, slots };
  const meshes: Mesh[] = [];
  scene.traverse((o) => {
    if (isMesh(o) && meshMappings(o).length > 0) meshes.push(o);
  });
  for (const mesh of meshes) {
    const original = mesh.material;
    const byVariant = new Map<number, Material>();
    for (const mapping of meshMappings(mesh)) {
      const base = (await parser.getDependency('material', mapping.material)) as Material;
      mesh.material = base;
      parser.assignFinalMaterial(mesh);
      const final = mesh.material as Material;
      for (const v of mapping.variants) byVariant.set(v, final);
    }
    mesh.material = original;
    mesh.userData.variantSlot = slots.length;
    slots.push({ original, byVariant });
  }
  return { names, slots };
}

/**
 * Shows variant `name` on `root` (the loaded scene or a clone of it): each mapped mesh gets the variant's
 * material, or its default when the variant does not map it. `resolve` lets a clone swap in its own copy of a
 * shared material. Returns false (and shows the defaults) when the file has no variant of that name.
 */
export function applyVariant(
  root: Object3D,
  catalog: VariantCatalog,
  name: string | null,
  resolve: (material: Material) => Material = (m) => m,
): boolean {
  const index = name === null ? -1 : catalog.names.indexOf(name);
  root.traverse((o) => {
    if (!isMesh(o)) return;
    const slot: unknown = o.userData.variantSlot;
    if (typeof slot !== 'number') return;
    const table = catalog.slots[slot];
    if (!table) return;
    const chosen = table.byVariant.get(index) ?? table.original;
    o.material = Array.isArray(chosen) ? chosen.map(resolve) : resolve(chosen);
  });
  return index >= 0;
}
