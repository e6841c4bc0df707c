/**
 * The AR view's "Snapshot": renders the scene once more, from the viewer's first XR view, into an off-screen
 * target and encodes it as PNG. The XR framebuffer cannot be read back, and the camera image is the device's
 * own (readable only with raw camera access, which this view does not ask for), so the picture shows the placed
 * product as the shopper sees it, on a light backdrop. Call it inside an XR frame (from useFrame).
 */
import {
  Color,
  PerspectiveCamera,
  WebGLRenderTarget,
  type ArrayCamera,
  type Camera,
  type Scene,
  type WebGLRenderer,
} from 'three';

/** Backdrop behind the product in a snapshot (sRGB). */
const BACKDROP = 0xeceae6;
/** Longest side of a snapshot in pixels. */
const MAX_SIDE = 1280;

/** Linear to sRGB, for the 256 byte values (render targets hold linear colour). */
const SRGB_LUT = Uint8ClampedArray.from({ length: 256 }, (_, i) => {
  const c = i / 255;
  const s = c <= 0.0031308 ? 12.92 * c : 1.055 * Math.pow(c, 1 / 2.4) - 0.055;
  return Math.round(s * 255);
});

function isArrayCamera(camera: Camera): camera is ArrayCamera {
  return (camera as Partial<ArrayCamera>).isArrayCamera === true;
}

/** Renders `scene` as the XR viewer sees it now and resolves with a PNG. */
export function renderSnapshot(gl: WebGLRenderer, scene: Scene): Promise<Blob> {
  const xrCamera = gl.xr.getCamera();
  const view: Camera = isArrayCamera(xrCamera) ? (xrCamera.cameras[0] ?? xrCamera) : xrCamera;
  const p = view.projectionMatrix.elements;
  const aspect = (p[5] ?? 1) / (p[0] ?? 1);
  const width = aspect >= 1 ? MAX_SIDE : Math.round(MAX_SIDE * aspect);
  const height = aspect >= 1 ? Math.round(MAX_SIDE / aspect) : MAX_SIDE;

  const camera = new PerspectiveCamera();
  camera.matrixAutoUpdate = false;
  camera.matrixWorldAutoUpdate = false;
  camera.projectionMatrix.copy(view.projectionMatrix);
  camera.projectionMatrixInverse.copy(view.projectionMatrixInverse);
  camera.matrixWorld.copy(view.matrixWorld);
  camera.matrixWorldInverse.copy(view.matrixWorldInverse);

  const target = new WebGLRenderTarget(width, height);
  const pixels = new Uint8Array(width * height * 4);
  const xrEnabled = gl.xr.enabled;
  const previousTarget = gl.getRenderTarget();
  const previousAlpha = gl.getClearAlpha();
  const previousColor = gl.getClearColor(new Color()).getHex();
  try {
    gl.xr.enabled = false;
    gl.setRenderTarget(target);
    gl.setClearColor(BACKDROP, 1);
    gl.clear();
    gl.render(scene, camera);
    gl.readRenderTargetPixels(target, 0, 0, width, height, pixels);
  } finally {
    gl.setRenderTarget(previousTarget);
    gl.setClearColor(previousColor, previousAlpha);
    gl.xr.enabled = xrEnabled;
    target.dispose();
  }

  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) return Promise.reject(new Error('No 2D canvas for the snapshot.'));
  const image = context.createImageData(width, height);
  // WebGL rows run bottom to top; the backdrop, cleared as sRGB, is linear in the target like everything else.
  for (let y = 0; y < height; y++) {
    const from = (height - 1 - y) * width * 4;
    const to = y * width * 4;
    for (let x = 0; x < width * 4; x += 4) {
      image.data[to + x] = SRGB_LUT[pixels[from + x] ?? 0] ?? 0;
      image.data[to + x + 1] = SRGB_LUT[pixels[from + x + 1] ?? 0] ?? 0;
      image.data[to + x + 2] = SRGB_LUT[pixels[from + x + 2] ?? 0] ?? 0;
      image.data[to + x + 3] = 255;
    }
  }
  context.putImageData(image, 0, 0);
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('The snapshot could not be encoded.'))),
      'image/png',
    ),
  );
}
