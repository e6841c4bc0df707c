/**
 * Environment bake page, driven by assets/scripts/bake-environment.ts: generates three.js's RoomEnvironment PMREM
 * (256-texel faces, as the device would), resamples it into the baked file's levels and encodes them, then
 * checks the result by rendering test spheres lit by the generated and by the baked environment and comparing
 * the pixels. Exposes `window.bakeEnvironment(size)`.
 */
import {
  Color,
  HalfFloatType,
  Mesh,
  MeshStandardMaterial,
  NeutralToneMapping,
  PerspectiveCamera,
  PlaneGeometry,
  RawShaderMaterial,
  Scene,
  SphereGeometry,
  SRGBColorSpace,
  GLSL3,
  WebGLRenderTarget,
  FloatType,
  WebGLRenderer,
  type Texture,
} from 'three';
import { decodePmrem, encodePmrem, type PmremData } from '../../../src/scene/pmrem-file';
import { createPmremTexture } from '../../../src/scene/room-environment';
import { generateRoomEnvironment } from '../../../src/scene/room-environment-pmrem';

/** Smallest face of a PMREM level (three's LOD_MIN = 3). */
const SMALLEST_FACE = 8;

/** Result handed back to the script. */
export interface BakeResult {
  /** The encoded file, base64. */
  file: string;
  size: number;
  levels: number;
  /** Mean and largest difference (0..255, per 8-bit sRGB channel) between spheres lit by each environment. */
  meanDifference: number;
  maxDifference: number;
}

declare global {
  interface Window {
    bakeEnvironment(size: number): Promise<BakeResult>;
  }
}

// For the texel at gl_FragCoord of face `face`, the direction WebGL's cube sampling maps to it (the OpenGL ES
// cube map face table, solved for the direction); the baked texture is a plain cube texture, which three
// samples with x mirrored (envMapRotation), so it stores the generated PMREM's radiance at (-x, y, z).
const RESAMPLE_FRAGMENT = /* glsl */ `
precision highp float;
uniform samplerCube envMap;
uniform int face;
uniform float size;
uniform float lod;
out vec4 color;
vec3 direction(vec2 st) {
  vec2 c = st * 2.0 - 1.0;
  if (face == 0) return vec3(1.0, -c.y, -c.x);
  if (face == 1) return vec3(-1.0, -c.y, c.x);
  if (face == 2) return vec3(c.x, 1.0, c.y);
  if (face == 3) return vec3(c.x, -1.0, -c.y);
  if (face == 4) return vec3(c.x, -c.y, 1.0);
  return vec3(-c.x, -c.y, -1.0);
}
void main() {
  vec3 sum = vec3(0.0);
  for (int i = 0; i < 4; i++) {
    vec2 offset = vec2(float(i % 2), float(i / 2)) * 0.5 - 0.25;
    vec3 d = normalize(direction((gl_FragCoord.xy + offset) / size));
    sum += textureLod(envMap, vec3(-d.x, d.y, d.z), lod).rgb;
  }
  color = vec4(sum * 0.25, 1.0);
}`;

const RESAMPLE_VERTEX = /* glsl */ `
in vec3 position;
void main() { gl_Position = vec4(position.xy, 0.0, 1.0); }`;

/** Reads the generated PMREM into `size`-texel faces and the levels below it, down to 8 texels. */
function resample(renderer: WebGLRenderer, source: Texture, size: number): PmremData<Float32Array> {
  const sourceMaxLod = (source.mipmaps?.length ?? 1) - 1;
  const count = Math.log2(size / SMALLEST_FACE) + 1;
  const uniforms = {
    envMap: { value: source },
    face: { value: 0 },
    size: { value: size },
    lod: { value: 0 },
  };
  const material = new RawShaderMaterial({
    glslVersion: GLSL3,
    vertexShader: RESAMPLE_VERTEX,
    fragmentShader: RESAMPLE_FRAGMENT,
    uniforms,
    depthTest: false,
    depthWrite: false,
  });
  const quad = new Mesh(new PlaneGeometry(2, 2), material);
  const camera = new PerspectiveCamera();
  const levels: PmremData<Float32Array>['levels'] = [];
  for (let l = 0; l < count; l++) {
    const s = size >> l;
    // Level l of `count - 1` is filtered for the roughness three gives it; the generated PMREM holds that
    // roughness at mip sourceMaxLod * l / (count - 1) (roughnessToMip inverts lodToRoughness linearly).
    uniforms.lod.value = count > 1 ? (sourceMaxLod * l) / (count - 1) : 0;
    uniforms.size.value = s;
    const target = new WebGLRenderTarget(s, s, { type: FloatType, depthBuffer: false });
    const faces: Float32Array[] = [];
    for (let f = 0; f < 6; f++) {
      uniforms.face.value = f;
      renderer.setRenderTarget(target);
      renderer.render(quad, camera);
      const pixels = new Float32Array(s * s * 4);
      renderer.readRenderTargetPixels(target, 0, 0, s, s, pixels);
      faces.push(pixels);
    }
    renderer.setRenderTarget(null);
    target.dispose();
    levels.push({ size: s, faces });
  }
  material.dispose();
  quad.geometry.dispose();
  return { levels };
}

/** Renders spheres of rising roughness (metal and non-metal) lit by `environment`; returns the sRGB bytes. */
function renderCheck(renderer: WebGLRenderer, environment: Texture): Uint8Array {
  const scene = new Scene();
  scene.background = new Color(0x808080);
  scene.environment = environment;
  const geometry = new SphereGeometry(0.45, 48, 24);
  for (let i = 0; i < 5; i++) {
    for (const metal of [0, 1]) {
      const sphere = new Mesh(
        geometry,
        new MeshStandardMaterial({ color: metal ? 0xd8c080 : 0xc49a6c, metalness: metal, roughness: i / 4 }),
      );
      sphere.position.set(i - 2, metal ? 0.5 : -0.5, 0);
      scene.add(sphere);
    }
  }
  const camera = new PerspectiveCamera(30, 2, 0.1, 100);
  camera.position.set(0, 0, 4.6);
  const target = new WebGLRenderTarget(256, 128, { colorSpace: SRGBColorSpace, samples: 4 });
  renderer.setRenderTarget(target);
  renderer.render(scene, camera);
  const pixels = new Uint8Array(256 * 128 * 4);
  renderer.readRenderTargetPixels(target, 0, 0, 256, 128, pixels);
  renderer.setRenderTarget(null);
  target.dispose();
  geometry.dispose();
  return pixels;
}

function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

window.bakeEnvironment = async (size: number): Promise<BakeResult> => {
  const canvas = document.getElementById('check') as HTMLCanvasElement;
  const renderer = new WebGLRenderer({ canvas, antialias: false });
  renderer.toneMapping = NeutralToneMapping;
  renderer.outputColorSpace = SRGBColorSpace;
  const generated = generateRoomEnvironment(renderer);
  if (generated.type !== HalfFloatType) throw new Error('expected a half-float PMREM');
  const file = encodePmrem(resample(renderer, generated, size));
  const baked = createPmremTexture(decodePmrem(file));
  const a = renderCheck(renderer, generated);
  const b = renderCheck(renderer, baked);
  let sum = 0;
  let max = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    if (i % 4 === 3) continue;
    const d = Math.abs((a[i] ?? 0) - (b[i] ?? 0));
    sum += d;
    max = Math.max(max, d);
    n++;
  }
  generated.dispose();
  baked.dispose();
  renderer.dispose();
  return {
    file: toBase64(file),
    size,
    levels: Math.log2(size / SMALLEST_FACE) + 1,
    meanDifference: sum / n,
    maxDifference: max,
  };
};
document.body.dataset.state = 'ready';
