/**
 * Counts the XR frames rendered during the current XR session and writes the count to an element's
 * `data-xr-frames` (on the first frame, then every 10th): how tests and the bench see that the headset is
 * being drawn. Reset to 0 when a session starts; the attribute is removed when it ends. Direct DOM writes,
 * no React re-render per frame. Render inside `<XR>`.
 */
import { useEffect, useRef, type RefObject } from 'react';
import { useFrame } from '@react-three/fiber';
import { useXR } from '@react-three/xr';

const ATTRIBUTE = 'data-xr-frames';

/** Props of the XR frame counter. */
export interface XRFrameCounterProps {
  /** Element that gets `data-xr-frames`. */
  element: RefObject<HTMLElement | null>;
}

/** Writes the number of XR frames rendered in this session to `data-xr-frames`. */
export function XRFrameCounter({ element }: XRFrameCounterProps) {
  const session = useXR((s) => s.session);
  const frames = useRef(0);

  useEffect(() => {
    frames.current = 0;
    const el = element.current;
    if (!el) return;
    if (session) el.setAttribute(ATTRIBUTE, '0');
    else el.removeAttribute(ATTRIBUTE);
  }, [session, element]);

  useFrame((_state, _delta, frame) => {
    if (!frame) return;
    const n = ++frames.current;
    const el = element.current;
    if (el && (n === 1 || n % 10 === 0)) el.setAttribute(ATTRIBUTE, String(n));
  });

  return null;
}
