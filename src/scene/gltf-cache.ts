/**
 * The cache of loaded 3D models: one load per URL, handing out independent clones. Clones share geometry and
 * textures but own deep copies of their materials, so a variant switch or a hover highlight on one clone never
 * shows on another. Every clone must be disposed; the last disposal frees the file's GPU resources.
 */
import { Box3, Color, type Material, type Object3D, type Texture } from 'three';
import type { GLTF } from 'three/examples/jsm/loaders/GLTFLoader.js';
import { fetchGltf } from './gltf-loader';
import { applyVariant, isMesh, prepareVariants, type VariantCatalog } from './material-variants';

/** A model loaded once, from which instances are cloned. */
interface Prepared {
  scene: Object3D;
  catalog: VariantCatalog;
}

interface Entry {
  promise: Promise<Prepared>;
  /** Instances handed out and not yet disposed, plus acquisitions still waiting for the load. */
  refs: number;
}

function materialsOf(m: Material | Material[]): Material[] {
  return Array.isArray(m) ? m : [m];
}

function disposeMaterial(material: Material, textures: Set<Texture>): void {
  for (const value of Object.values(material)) {
    // Duck-typed like three itself (isTexture), so that it holds whichever copy of three made the value.
    if ((value as Partial<Texture> | null)?.isTexture === true) textures.add(value as Texture);
  }
  material.dispose();
}

type EmissiveMaterial = Material & { emissive: Color };

function hasEmissive(m: Material): m is EmissiveMaterial {
  return (m as Partial<EmissiveMaterial>).emissive?.isColor === true;
}

const HIGHLIGHT = new Color(0x3a3a3a);

/** One placed copy of a model. */
export class ModelInstance {
  /** The clone to add to a scene graph. */
  readonly scene: Object3D;
  /** Material variant names the file declares. */
  readonly variants: readonly string[];
  /** Bounds of the model in its own space (origin at the model's origin), measured when cloned. */
  readonly bounds = new Box3();
  /** The variant shown, or null for the file's default materials. */
  variant: string | null = null;

  /** This clone's copies of materials, keyed by the shared material they copy. */
  private readonly own = new Map<Material, Material>();
  /** Emissive colours before highlighting. */
  private readonly emissiveBefore = new Map<Material, number>();
  private highlighted = false;
  private disposed = false;

  constructor(
    private readonly prepared: Prepared,
    private readonly release: () => void,
  ) {
    this.scene = prepared.scene.clone(true);
    this.variants = prepared.catalog.names;
    this.scene.traverse((o) => {
      if (isMesh(o))
        o.material = Array.isArray(o.material) ? o.material.map(this.ownCopy) : this.ownCopy(o.material);
    });
    this.scene.updateMatrixWorld(true);
    this.bounds.setFromObject(this.scene);
  }

  private readonly ownCopy = (shared: Material): Material => {
    let copy = this.own.get(shared);
    if (!copy) {
      copy = shared.clone();
      this.own.set(shared, copy);
      if (this.highlighted) this.highlightMaterial(copy);
    }
    return copy;
  };

  /** Shows a material variant by name; returns false (and shows the defaults) when the file has none of that name. */
  setVariant(name: string | null): boolean {
    const found = applyVariant(this.scene, this.prepared.catalog, name, this.ownCopy);
    this.variant = found ? name : null;
    return found;
  }

  private highlightMaterial(m: Material): void {
    if (!hasEmissive(m)) return;
    if (!this.emissiveBefore.has(m)) this.emissiveBefore.set(m, m.emissive.getHex());
    m.emissive.copy(HIGHLIGHT);
  }

  /** Brightens (or restores) this clone's materials, e.g. while the pointer is over it. */
  setHighlight(on: boolean): void {
    if (on === this.highlighted) return;
    this.highlighted = on;
    for (const m of this.own.values()) {
      if (on) this.highlightMaterial(m);
      else if (hasEmissive(m)) m.emissive.setHex(this.emissiveBefore.get(m) ?? 0);
    }
  }

  /** Frees this clone's materials and lets the cache free the file once no clone is left. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const m of this.own.values()) m.dispose();
    this.own.clear();
    this.scene.removeFromParent();
    this.release();
  }
}

/** Loads a URL into a GLTF; the app fetches, tests parse bytes they built. */
export type GltfSource = (url: string) => Promise<GLTF>;

/** One cache per source: loads each URL once while any clone of it is alive. */
export class GltfCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly source: GltfSource = (url) => fetchGltf(url)) {}

  /** How many URLs are loaded or loading. */
  get size(): number {
    return this.entries.size;
  }

  /** A new clone of the model at `url`, loading it first if no clone of it is alive. Dispose it when done. */
  async acquire(url: string): Promise<ModelInstance> {
    let entry = this.entries.get(url);
    if (!entry) {
      const created: Entry = { refs: 0, promise: this.prepare(url) };
      entry = created;
      this.entries.set(url, created);
      created.promise.catch(() => {
        if (this.entries.get(url) === created) this.entries.delete(url);
      });
    }
    entry.refs++;
    let prepared: Prepared;
    try {
      prepared = await entry.promise;
    } catch (error) {
      entry.refs--;
      throw error;
    }
    const owner = entry;
    return new ModelInstance(prepared, () => this.release(url, owner));
  }

  private async prepare(url: string): Promise<Prepared> {
    const gltf = await this.source(url);
    const scene = gltf.scene;
    const catalog = await prepareVariants(gltf.parser, scene);
    return { scene, catalog };
  }

  private release(url: string, entry: Entry): void {
    entry.refs--;
    if (entry.refs > 0) return;
    if (this.entries.get(url) === entry) this.entries.delete(url);
    void entry.promise.then((prepared) => disposePrepared(prepared));
  }

  /** Frees every cached file (clones still alive keep working until the GPU data is needed again). */
  clear(): void {
    for (const entry of this.entries.values()) void entry.promise.then(disposePrepared, () => undefined);
    this.entries.clear();
  }
}

function disposePrepared(prepared: Prepared): void {
  const textures = new Set<Texture>();
  const materials = new Set<Material>();
  prepared.scene.traverse((o) => {
    if (!isMesh(o)) return;
    o.geometry.dispose();
    for (const m of materialsOf(o.material)) materials.add(m);
  });
  for (const table of prepared.catalog.slots) {
    for (const m of materialsOf(table.original)) materials.add(m);
    for (const m of table.byVariant.values()) materials.add(m);
  }
  for (const m of materials) disposeMaterial(m, textures);
  for (const t of textures) t.dispose();
}

/** The app's model cache (fetching from our own origin). */
export const modelCache = new GltfCache();
