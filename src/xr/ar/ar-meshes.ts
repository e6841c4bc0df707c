/**
 * The AR view's own meshes, made in code (nothing downloaded): the reticle that marks where a product will go,
 * and the soft contact shadow that grounds a placed product (a blurred blob texture drawn on a 2D canvas).
 */
import {
  CanvasTexture,
  DoubleSide,
  Mesh,
  MeshBasicMaterial,
  PlaneGeometry,
  RingGeometry,
  type Texture,
} from 'three';

/** Reticle colours: a surface that takes the product, and one that does not. */
export const RETICLE_READY = 0xffffff;
export const RETICLE_REFUSED = 0xf87171;

/** A flat ring in the XZ plane (the hit pose's +Y is the surface normal, so it lies on the surface). */
export function createReticle(): Mesh<RingGeometry, MeshBasicMaterial> {
  const geometry = new RingGeometry(0.07, 0.09, 40).rotateX(-Math.PI / 2);
  const material = new MeshBasicMaterial({ color: RETICLE_READY, side: DoubleSide, depthTest: false });
  const reticle = new Mesh(geometry, material);
  reticle.name = 'ar-reticle';
  reticle.renderOrder = 10;
  reticle.matrixAutoUpdate = false;
  reticle.visible = false;
  return reticle;
}

/** A radial blob: opaque black in the middle fading to clear at the edge. */
function blobTexture(size = 64): Texture {
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const context = canvas.getContext('2d');
  if (context) {
    const half = size / 2;
    const gradient = context.createRadialGradient(half, half, 0, half, half, half);
    gradient.addColorStop(0, 'rgba(0,0,0,1)');
    gradient.addColorStop(0.55, 'rgba(0,0,0,0.6)');
    gradient.addColorStop(1, 'rgba(0,0,0,0)');
    context.fillStyle = gradient;
    context.fillRect(0, 0, size, size);
  }
  return new CanvasTexture(canvas);
}

/** A unit plane (1 × 1 m in its XY plane) with the blob texture; scale and place it under or behind the product. */
export function createContactShadow(): Mesh<PlaneGeometry, MeshBasicMaterial> {
  const material = new MeshBasicMaterial({
    map: blobTexture(),
    color: 0x000000,
    transparent: true,
    opacity: 0.45,
    depthWrite: false,
  });
  const shadow = new Mesh(new PlaneGeometry(1, 1), material);
  shadow.name = 'ar-contact-shadow';
  shadow.renderOrder = -1;
  return shadow;
}

/** Frees a mesh's geometry, material and map. */
export function disposeMesh(mesh: Mesh<RingGeometry | PlaneGeometry, MeshBasicMaterial>): void {
  mesh.geometry.dispose();
  mesh.material.map?.dispose();
  mesh.material.dispose();
}
