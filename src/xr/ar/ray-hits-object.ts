/**
 * Whether an XR input's target ray, at the moment of one of its input events, hits a three.js object: how the AR
 * placer tells a trigger pull on the in-headset panel (the panel's) from one aimed at the room (the placer's),
 * whichever of the two the runtime and the pointer library hear first. Temporaries are module scratch.
 */
import { Quaternion, Raycaster, Vector3, type Intersection, type Object3D } from 'three';

const raycaster = new Raycaster();
const origin = new Vector3();
const direction = new Vector3();
const orientation = new Quaternion();
const hits: Intersection[] = [];

/**
 * True when `event`'s input ray (its pose in `space`, which is the scene's world) hits `target` or one of its
 * visible descendants. False without a target, a space or a pose (the frame of an event outside its dispatch).
 */
export function rayHitsObject(
  event: XRInputSourceEvent,
  space: XRReferenceSpace | null,
  target: Object3D | null,
): boolean {
  if (!target || !space || !target.visible) return false;
  let pose: XRPose | undefined;
  try {
    pose = event.frame.getPose(event.inputSource.targetRaySpace, space);
  } catch {
    return false;
  }
  if (!pose) return false;
  const p = pose.transform.position;
  const q = pose.transform.orientation;
  origin.set(p.x, p.y, p.z);
  direction.set(0, 0, -1).applyQuaternion(orientation.set(q.x, q.y, q.z, q.w));
  raycaster.set(origin, direction);
  target.updateWorldMatrix(true, true);
  hits.length = 0;
  raycaster.intersectObject(target, true, hits);
  const hit = hits.length > 0;
  hits.length = 0;
  return hit;
}
