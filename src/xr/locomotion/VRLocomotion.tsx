/**
 * Moving in VR (see LocomotionRig): teleport arc on the right thumbstick or a held pinch, smooth locomotion on
 * the left thumbstick with a comfort vignette, snap turn on the right thumbstick. Moves the `<XROrigin>` it is
 * given, and puts it back where it was when the session ends (the page keeps its own walker). Writes the
 * origin's yaw in whole degrees to the view element's `data-xr-rotation` during a session (removed after).
 * Render inside `<XR>`.
 */
import { useEffect, useState, type RefObject } from 'react';
import { useFrame, useThree } from '@react-three/fiber';
import { useXR } from '@react-three/xr';
import type { Object3D } from 'three';
import { yawDegrees } from '../../core/stick-locomotion';
import type { Obstacle, RoomBounds } from '../../core/walk';
import { LocomotionRig } from './locomotion-rig';

const ROTATION_ATTRIBUTE = 'data-xr-rotation';

/** Props of VR locomotion. */
export interface VRLocomotionProps {
  /** The `<XROrigin>` group: where the shopper's floor is in the scene. */
  origin: RefObject<Object3D | null>;
  /** The room's walls and the fixtures' keep-out circles (the same the page walker uses). */
  bounds: RoomBounds;
  obstacles: readonly Obstacle[];
  /** Element that gets `data-xr-rotation`. */
  element: RefObject<HTMLElement | null>;
}

/** Teleport, smooth locomotion, snap turn and comfort vignette for the XR origin. */
export function VRLocomotion({ origin, bounds, obstacles, element }: VRLocomotionProps) {
  const session = useXR((s) => s.session);
  const space = useXR((s) => s.originReferenceSpace);
  const camera = useThree((s) => s.camera);
  const [rig] = useState(() => new LocomotionRig(bounds, obstacles));

  useEffect(() => {
    rig.setLayout(bounds, obstacles);
  }, [rig, bounds, obstacles]);

  useEffect(() => () => rig.dispose(), [rig]);

  useEffect(() => {
    const group = origin.current;
    const el = element.current;
    if (!session || !group) return;
    rig.begin(group);
    el?.setAttribute(ROTATION_ATTRIBUTE, String(yawDegrees(group.rotation.y)));
    const onStart = (event: XRInputSourceEvent): void =>
      rig.pinch(event.inputSource, true, performance.now());
    const onEnd = (event: XRInputSourceEvent): void => rig.pinch(event.inputSource, false, performance.now());
    session.addEventListener('selectstart', onStart);
    session.addEventListener('selectend', onEnd);
    return () => {
      session.removeEventListener('selectstart', onStart);
      session.removeEventListener('selectend', onEnd);
      rig.end(group);
      el?.removeAttribute(ROTATION_ATTRIBUTE);
    };
  }, [session, origin, element, rig]);

  useFrame((_state, delta, frame?: XRFrame) => {
    const group = origin.current;
    if (!frame || !space || !group) return;
    const change = rig.update(frame, space, group, camera, delta, performance.now());
    if (change.turned) {
      element.current?.setAttribute(ROTATION_ATTRIBUTE, String(yawDegrees(group.rotation.y)));
    }
  });

  return (
    <>
      <primitive object={rig.arc} />
      <primitive object={rig.vignette} />
    </>
  );
}
