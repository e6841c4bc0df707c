/**
 * Writes the showroom view's live numbers to its element's data-* attributes after rendered frames (at most
 * every 100 ms, plus a trailing write so the last frame is always reported): draw calls and triangles of the
 * last frame (renderer.info) and the camera's floor position (in world space, so in XR the headset's). Direct
 * DOM writes, so no React re-render per frame. Also reports the first frame drawn once every model has settled.
 */
import { useEffect, useRef, type RefObject } from 'react';
import { addAfterEffect, useThree } from '@react-three/fiber';
import { formatFloorPosition } from '../../core/walk';
import { useXRPresence } from '../../xr/xr-store';

/** Props of the stats writer. */
export interface ViewStatsProps {
  element: RefObject<HTMLElement | null>;
  /** Whether every model has loaded or failed; the next frame after that is "ready". */
  settled: boolean;
  onReadyFrame: () => void;
}

const INTERVAL_MS = 100;

/** Frame statistics and position, written to the view element. Render inside the Canvas. */
export function ViewStats({ element, settled, onReadyFrame }: ViewStatsProps) {
  const gl = useThree((s) => s.gl);
  const camera = useThree((s) => s.camera);
  const invalidate = useThree((s) => s.invalidate);
  const settledRef = useRef(settled);
  const readyReported = useRef(false);
  const onReady = useRef(onReadyFrame);

  useEffect(() => {
    onReady.current = onReadyFrame;
  }, [onReadyFrame]);

  // Leaving XR: the page camera is back where it stood, but an on-demand canvas draws only when asked. Ask on the
  // next animation frame, once three.js has handed the loop back from the session to the window.
  const xr = useXRPresence();
  useEffect(() => {
    if (xr !== 'none') return;
    const id = requestAnimationFrame(() => invalidate());
    return () => cancelAnimationFrame(id);
  }, [xr, invalidate]);

  useEffect(() => {
    settledRef.current = settled;
    if (settled) invalidate();
  }, [settled, invalidate]);

  useEffect(() => {
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const write = (): void => {
      timer = undefined;
      last = performance.now();
      const el = element.current;
      if (!el) return;
      el.dataset.drawCalls = String(gl.info.render.calls);
      el.dataset.triangles = String(gl.info.render.triangles);
      // World position: in XR the camera is a child of the XR origin, so its own position is local.
      const m = camera.matrixWorld.elements;
      el.dataset.position = formatFloorPosition(m[12] ?? 0, m[14] ?? 0);
    };
    const unsubscribe = addAfterEffect(() => {
      if (settledRef.current && !readyReported.current) {
        readyReported.current = true;
        write();
        onReady.current();
        return;
      }
      const wait = INTERVAL_MS - (performance.now() - last);
      if (wait <= 0) write();
      else timer ??= setTimeout(write, wait);
    });
    return () => {
      unsubscribe();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [gl, camera, element]);

  return null;
}
