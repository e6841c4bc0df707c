/**
 * First-person walking inside the showroom canvas: held keys move, a drag (mouse or touch) looks around, a
 * click on the floor sets a destination the walker glides to (see Walker). Input handlers only update the
 * walker; the frame loop moves the camera and keeps asking for frames while anything moves.
 */
import { useEffect, useRef, type RefObject } from 'react';
import { useFrame, useThree } from '@react-three/fiber';
import type { Camera } from 'three';
import { EYE_HEIGHT } from '../../core/walk';
import { keyToMotion, type Walker } from './walker';

/** Props of the walk controls. */
export interface WalkControlsProps {
  walker: Walker;
  /** The focusable element around the canvas that receives keys and pointer drags. */
  container: RefObject<HTMLElement | null>;
}

/** Radians of turn per pixel dragged. */
const LOOK_SPEED = 0.005;
/** Pointer travel (px) before a press becomes a look-around drag. */
const DRAG_THRESHOLD = 6;
/** Longest frame step used for movement: keeps pace on slow devices without jumping through fixtures. */
const MAX_STEP_SECONDS = 0.2;

function placeCamera(camera: Camera, walker: Walker): void {
  camera.position.set(walker.position.x, EYE_HEIGHT, walker.position.z);
  camera.rotation.set(walker.pitch, walker.yaw, 0, 'YXZ');
}

/** Keyboard, drag and click-to-move walking. Render inside the showroom's Canvas. */
export function WalkControls({ walker, container }: WalkControlsProps) {
  const camera = useThree((s) => s.camera);
  const invalidate = useThree((s) => s.invalidate);
  const movedLastFrame = useRef(false);

  useEffect(() => {
    placeCamera(camera, walker);
    invalidate();
  }, [camera, walker, invalidate]);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.target !== element || event.altKey || event.ctrlKey || event.metaKey) return;
      const motion = keyToMotion(event.code);
      if (!motion) return;
      event.preventDefault();
      walker.press(motion, true);
      invalidate();
    };
    const onKeyUp = (event: KeyboardEvent): void => {
      const motion = keyToMotion(event.code);
      if (motion) walker.press(motion, false);
    };
    const onBlur = (): void => walker.releaseAll();

    let pointerId = -1;
    let startX = 0;
    let startY = 0;
    let lastX = 0;
    let lastY = 0;
    let dragging = false;
    const onPointerDown = (event: PointerEvent): void => {
      if (event.button !== 0 || pointerId !== -1) return;
      pointerId = event.pointerId;
      startX = lastX = event.clientX;
      startY = lastY = event.clientY;
      dragging = false;
      element.focus({ preventScroll: true });
    };
    const onPointerMove = (event: PointerEvent): void => {
      if (event.pointerId !== pointerId) return;
      if (!dragging && Math.hypot(event.clientX - startX, event.clientY - startY) < DRAG_THRESHOLD) return;
      dragging = true;
      // Grab-the-room feel: dragging right turns the view left, dragging down looks up.
      walker.look((event.clientX - lastX) * LOOK_SPEED, (event.clientY - lastY) * LOOK_SPEED);
      lastX = event.clientX;
      lastY = event.clientY;
      invalidate();
    };
    const onPointerEnd = (event: PointerEvent): void => {
      if (event.pointerId === pointerId) pointerId = -1;
    };

    element.addEventListener('keydown', onKeyDown);
    element.addEventListener('keyup', onKeyUp);
    element.addEventListener('blur', onBlur);
    element.addEventListener('pointerdown', onPointerDown);
    window.addEventListener('pointermove', onPointerMove);
    window.addEventListener('pointerup', onPointerEnd);
    window.addEventListener('pointercancel', onPointerEnd);
    return () => {
      element.removeEventListener('keydown', onKeyDown);
      element.removeEventListener('keyup', onKeyUp);
      element.removeEventListener('blur', onBlur);
      element.removeEventListener('pointerdown', onPointerDown);
      window.removeEventListener('pointermove', onPointerMove);
      window.removeEventListener('pointerup', onPointerEnd);
      window.removeEventListener('pointercancel', onPointerEnd);
      walker.releaseAll();
    };
  }, [container, walker, invalidate]);

  useFrame((_state, delta) => {
    // After an idle spell (render on demand) delta spans the whole pause: start moving with a normal step.
    const seconds = movedLastFrame.current ? Math.min(delta, MAX_STEP_SECONDS) : 1 / 60;
    const moving = walker.step(seconds);
    placeCamera(camera, walker);
    movedLastFrame.current = moving;
    if (moving) invalidate();
  });

  return null;
}
