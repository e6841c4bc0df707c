/**
 * The placed product's world bounding box, kept cheaply: the model's own box is measured once, vertex by vertex,
 * when the model is shown; after that the world box is its 8 corners through the holder's matrix, recomputed only
 * when that matrix changes (never a walk over the model's vertices per frame).
 */
import { Box3, type Matrix4, type Object3D } from 'three';
import type { ModelBox } from '../../core/ar-placement';

/** A model's box in its own space and in the world, as the product's holder moves. */
export class PlacedBox {
  /** The model's precise box in its holder's space (its own transform included), metres. */
  readonly local = new Box3();
  /** The local box's 8 corners through the last holder matrix (axis-aligned, metres). */
  readonly world = new Box3();
  /** The holder matrix the world box was computed for (NaN: none yet). */
  private readonly last = new Float64Array(16).fill(Number.NaN);

  /**
   * Measures `model` (not yet attached anywhere, or at the root of its holder) precisely, vertex by vertex.
   * Returns the measured box as plain tuples for the placement math.
   */
  measure(model: Object3D): ModelBox {
    model.updateMatrixWorld(true);
    this.local.setFromObject(model, true);
    this.last.fill(Number.NaN);
    const { min, max } = this.local;
    return { min: [min.x, min.y, min.z], max: [max.x, max.y, max.z] };
  }

  /** Recomputes the world box for the holder's `matrix` when it changed; returns whether it did. */
  update(matrix: Matrix4): boolean {
    const e = matrix.elements;
    let same = true;
    for (let i = 0; i < 16; i++) {
      if (this.last[i] !== e[i]) {
        same = false;
        this.last[i] = e[i] ?? 0;
      }
    }
    if (same) return false;
    // Box3.applyMatrix4 transforms the 8 corners (into three's own scratch points) and takes their bounds.
    this.world.copy(this.local).applyMatrix4(matrix);
    return true;
  }
}
