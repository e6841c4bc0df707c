/**
 * USDZ (the file iOS AR Quick Look opens) of a loaded product model, made on the device with three's
 * USDZExporter from the same glTF the 3D viewer shows, in the material variant asked for. The exporter (and
 * the zip code it carries) is imported only when a USDZ is made, so no page loads it before a shopper asks
 * for AR on an iPhone. Anchoring follows the product's placement: floor and tabletop products sit on a
 * horizontal plane, wall products hang on a vertical one.
 */
import type { BufferGeometry, Mesh, Object3D } from 'three';
import type { Placement } from '../protocol/catalog';
import type { ModelInstance } from './gltf-cache';
import { isMesh } from './material-variants';

/** Media type of a USDZ file (IANA registration `model/vnd.usdz+zip`). */
export const USDZ_TYPE = 'model/vnd.usdz+zip';

/** The plane AR Quick Look anchors the model to. */
export type PlaneAlignment = 'horizontal' | 'vertical';

/** The anchoring plane for a product's placement: wall → vertical, floor and tabletop → horizontal. */
export function planeAlignmentFor(placement: Placement): PlaneAlignment {
  return placement === 'wall' ? 'vertical' : 'horizontal';
}

/**
 * Version of what {@link usdzOfInstance} writes, part of every stored USDZ's key (with three's `REVISION`, whose
 * exporter writes it). Bump it whenever the export changes (options, the normals fix, anchoring), so a device
 * never opens a USDZ made by older code.
 */
export const USDZ_EXPORT_VERSION = 1;

/** Largest texture edge written into the USDZ (three's default; phones' Quick Look takes 2048 at most). */
const MAX_TEXTURE_SIZE = 1024;

/**
 * The USDZ bytes of `root` as it stands in its own space (its own transform included), anchored to a plane of
 * `alignment`. Texture images must be decoded images (the browser's), so a textured model exports only in a
 * page; an untextured one exports anywhere. Rejects when the exporter cannot write the model.
 */
export async function exportUsdz(root: Object3D, alignment: PlaneAlignment): Promise<Uint8Array> {
  const { USDZExporter } = await import('three/examples/jsm/exporters/USDZExporter.js');
  const restore = giveNormals(root);
  try {
    return await new USDZExporter().parseAsync(root, {
      quickLookCompatible: true,
      maxTextureSize: MAX_TEXTURE_SIZE,
      includeAnchoringProperties: true,
      ar: { anchoring: { type: 'plane' }, planeAnchoring: { alignment } },
    });
  } finally {
    restore();
  }
}

/**
 * Gives every mesh without normals flat ones for the export, as three.js shades it (GLTFLoader turns on flat
 * shading for such a mesh): the exporter would write zero normals, which Quick Look draws black. The meshes'
 * own geometry is shared with other clones of the model, so each gets a new one until the returned function
 * puts the original back and frees the copy.
 */
function giveNormals(root: Object3D): () => void {
  const swapped: { mesh: Mesh; original: BufferGeometry }[] = [];
  root.traverse((o) => {
    if (!isMesh(o) || o.geometry.getAttribute('normal') !== undefined) return;
    const original = o.geometry;
    const flat = original.index ? original.toNonIndexed() : original.clone();
    flat.computeVertexNormals();
    o.geometry = flat;
    swapped.push({ mesh: o, original });
  });
  return () => {
    for (const { mesh, original } of swapped) {
      mesh.geometry.dispose();
      mesh.geometry = original;
    }
  };
}

/**
 * The USDZ of a model instance showing material variant `variant` (the file's own materials when it has no
 * variant of that name), as a Blob of type `model/vnd.usdz+zip`. Switches the instance to that variant; use an
 * instance of your own (`modelCache.acquire`), not one a viewer shows.
 */
export async function usdzOfInstance(
  instance: ModelInstance,
  variant: string | null,
  placement: Placement,
): Promise<Blob> {
  instance.setVariant(variant);
  const bytes = await exportUsdz(instance.scene, planeAlignmentFor(placement));
  return new Blob([bytes as Uint8Array<ArrayBuffer>], { type: USDZ_TYPE });
}
