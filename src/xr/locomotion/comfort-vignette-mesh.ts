/**
 * The comfort vignette of smooth locomotion: a full-view quad drawn last, in clip space (so it follows each
 * eye with no lag and needs no camera), darkening the edges of the view by `strength` (0 = off, 1 = full).
 * Hidden, and so not drawn at all, while the strength is 0.
 */
import { Mesh, PlaneGeometry, ShaderMaterial } from 'three';

/** Radius (in half-views) where the darkening starts and where it is complete. */
const INNER = 0.45;
const OUTER = 1.0;

/** Edge-darkening quad; add anywhere in the scene. */
export class ComfortVignetteMesh extends Mesh<PlaneGeometry, ShaderMaterial> {
  constructor() {
    super(
      new PlaneGeometry(2, 2),
      new ShaderMaterial({
        uniforms: { strength: { value: 0 } },
        vertexShader: /* glsl */ `
          varying vec2 vView;
          void main() {
            vView = position.xy;
            gl_Position = vec4(position.xy, 0.0, 1.0);
          }`,
        fragmentShader: /* glsl */ `
          uniform float strength;
          varying vec2 vView;
          void main() {
            float edge = smoothstep(${INNER.toFixed(2)}, ${OUTER.toFixed(2)}, length(vView));
            gl_FragColor = vec4(0.0, 0.0, 0.0, edge * strength);
          }`,
        transparent: true,
        depthTest: false,
        depthWrite: false,
      }),
    );
    this.name = 'comfort-vignette';
    this.frustumCulled = false;
    this.renderOrder = Number.MAX_SAFE_INTEGER;
    this.visible = false;
  }

  /** How dark the edges are, 0..1. */
  get strength(): number {
    return this.material.uniforms.strength?.value as number;
  }

  set strength(value: number) {
    const uniform = this.material.uniforms.strength;
    if (uniform) uniform.value = value;
    this.visible = value > 0.01;
  }

  /** Frees the GPU resources. */
  override dispose(): void {
    super.dispose();
    this.geometry.dispose();
    this.material.dispose();
  }
}
