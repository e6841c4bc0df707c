/**
 * The product page's 3D viewer: shows the poster at once, loads the model once the viewer is on screen,
 * then lets the shopper turn, zoom, reset and measure it. The 3D work is in scene/product-stage.ts; this
 * component owns the DOM (poster, buttons, labels, the description for screen readers) and the data-*
 * attributes the tests read. Per-frame numbers are written to the DOM directly, never through React state.
 */
import { useEffect, useId, useRef, useState, type CSSProperties, type KeyboardEvent } from 'react';
import type { Product, Variant } from '../../protocol/catalog';
import { modelCache } from '../../scene/gltf-cache';
import { BACKDROP_CSS, ProductStage, type FrameReport } from '../../scene/product-stage';
import { useModelAvailability } from './use-model-availability';
import { describeModel, dimensionTexts } from './viewer-text';

/** Props of the product viewer. */
export interface ProductViewerProps {
  product: Product;
  /** The selected variant; its `materialVariant` is shown on the model. */
  variant: Variant;
}

type ViewerState = 'poster' | 'loading' | 'ready' | 'error' | 'offline';

const styles = {
  root: { position: 'relative', outlineOffset: 2 },
  stage: {
    position: 'relative',
    width: '100%',
    aspectRatio: '4 / 3',
    background: BACKDROP_CSS,
    borderRadius: 8,
    overflow: 'hidden',
  },
  canvas: {
    position: 'absolute',
    inset: 0,
    width: '100%',
    height: '100%',
    display: 'block',
    touchAction: 'none',
  },
  poster: { position: 'absolute', inset: 0, width: '100%', height: '100%', objectFit: 'contain' },
  label: {
    position: 'absolute',
    left: 0,
    top: 0,
    padding: '2px 6px',
    borderRadius: 4,
    background: 'rgba(255,255,255,0.92)',
    color: '#111827',
    font: '600 13px/1.3 system-ui, sans-serif',
    whiteSpace: 'nowrap',
    pointerEvents: 'none',
  },
  note: {
    position: 'absolute',
    left: 12,
    bottom: 12,
    margin: 0,
    padding: '4px 10px',
    borderRadius: 4,
    background: 'rgba(255,255,255,0.92)',
    color: '#111827',
    font: '14px/1.4 system-ui, sans-serif',
  },
  controls: { display: 'flex', gap: 8, marginTop: 8 },
  visuallyHidden: {
    position: 'absolute',
    width: 1,
    height: 1,
    margin: -1,
    padding: 0,
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
    border: 0,
  },
} satisfies Record<string, CSSProperties>;

/** Whether any part of `element` is inside the viewport now. */
function isOnScreen(element: Element): boolean {
  const r = element.getBoundingClientRect();
  return r.bottom > 0 && r.right > 0 && r.top < window.innerHeight && r.left < window.innerWidth;
}

/** Interactive 3D view of one product (default export: the product page lazy-loads it). */
export default function ProductViewer({ product, variant }: ProductViewerProps) {
  const descriptionId = useId();
  const rootRef = useRef<HTMLElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const widthRef = useRef<HTMLSpanElement>(null);
  const heightRef = useRef<HTMLSpanElement>(null);
  const depthRef = useRef<HTMLSpanElement>(null);
  const stageRef = useRef<ProductStage | null>(null);
  const variantRef = useRef(variant.materialVariant);
  const [visible, setVisible] = useState(false);
  /** The model URL whose first frame has rendered, and the one that failed (state is derived from them). */
  const [shownUrl, setShownUrl] = useState<string | null>(null);
  const [failedUrl, setFailedUrl] = useState<string | null>(null);
  const [showDimensions, setShowDimensions] = useState(false);
  const showDimensionsRef = useRef(showDimensions);
  const availability = useModelAvailability(product.model.url);
  // Once a model is loading or shown, losing the connection does not take it away.
  const canLoad = availability === 'available' || shownUrl === product.model.url;

  useEffect(() => {
    variantRef.current = variant.materialVariant;
    stageRef.current?.setVariant(variant.materialVariant);
  }, [variant.materialVariant]);

  useEffect(() => {
    showDimensionsRef.current = showDimensions;
    stageRef.current?.setDimensionsVisible(showDimensions);
  }, [showDimensions]);

  // Load only once the viewer is on screen, as model-viewer's default reveal does. A viewer already on screen
  // when it mounts (above the fold, as on the product page) starts at once rather than an observer tick later.
  useEffect(() => {
    const root = rootRef.current;
    if (!root || typeof IntersectionObserver === 'undefined' || isOnScreen(root)) {
      setVisible(true);
      return;
    }
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        setVisible(true);
        observer.disconnect();
      }
    });
    observer.observe(root);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const canvas = canvasRef.current;
    const root = rootRef.current;
    const width = widthRef.current;
    const height = heightRef.current;
    const depth = depthRef.current;
    if (!visible || !canLoad || !canvas || !root || !width || !height || !depth) return;
    let cancelled = false;
    let shown = false;
    const onFrame = (report: FrameReport): void => {
      if (!report.hasModel) return;
      root.dataset.triangles = String(report.triangles);
      root.dataset.variant = report.variant;
      if (!shown) {
        shown = true;
        setShownUrl(product.model.url);
      }
    };
    // The model download starts first; the stage then creates the WebGL context and fetches the environment
    // while it runs. The first frame is drawn once both are in (see ProductStage).
    const load = modelCache.acquire(product.model.url);
    let stage: ProductStage | null = null;
    let environment: Promise<void>;
    try {
      stage = new ProductStage(canvas, { width, height, depth }, onFrame);
      environment = stage.environmentReady;
    } catch (error) {
      // No WebGL on this device: the poster stays.
      environment = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    stageRef.current = stage;
    const fail = (error: unknown): void => {
      if (cancelled) return;
      console.warn('The 3D view could not load', error);
      setFailedUrl(product.model.url);
    };
    environment.catch(fail);
    load
      .then((instance) => {
        if (cancelled || !stage) {
          instance.dispose();
          return;
        }
        instance.setVariant(variantRef.current);
        stage.setModel(instance);
        stage.setDimensionsVisible(showDimensionsRef.current);
      })
      .catch(fail);
    return () => {
      cancelled = true;
      stageRef.current = null;
      stage?.dispose();
      delete root.dataset.triangles;
      delete root.dataset.variant;
    };
  }, [visible, canLoad, product.model.url]);

  const onKeyDown = (event: KeyboardEvent<HTMLElement>): void => {
    if (event.target !== event.currentTarget && event.target !== canvasRef.current) return;
    const stage = stageRef.current;
    if (!stage) return;
    let handled = true;
    switch (event.key) {
      case 'ArrowLeft':
        stage.orbitSteps(1, 0);
        break;
      case 'ArrowRight':
        stage.orbitSteps(-1, 0);
        break;
      case 'ArrowUp':
        stage.orbitSteps(0, 1);
        break;
      case 'ArrowDown':
        stage.orbitSteps(0, -1);
        break;
      case '+':
      case '=':
        stage.zoomSteps(1);
        break;
      case '-':
      case '_':
        stage.zoomSteps(-1);
        break;
      default:
        handled = false;
    }
    if (handled) event.preventDefault();
  };

  const url = product.model.url;
  const state: ViewerState =
    failedUrl === url
      ? 'error'
      : shownUrl === url
        ? 'ready'
        : availability === 'needs-connection'
          ? 'offline'
          : visible
            ? 'loading'
            : 'poster';
  const dims = dimensionTexts(product.dimensions);
  const labelsShown = showDimensions && state === 'ready';
  return (
    <section
      ref={rootRef}
      aria-label={`3D view of ${product.name}`}
      aria-describedby={descriptionId}
      data-testid="product-viewer"
      data-state={state}
      tabIndex={0}
      onKeyDown={onKeyDown}
      style={styles.root}
    >
      <div style={styles.stage}>
        {/* A fresh canvas per model: the stage's dispose() loses the old one's WebGL context for good. */}
        <canvas key={product.model.url} ref={canvasRef} style={styles.canvas} />
        {state !== 'ready' && <img src={product.poster.url} alt="" style={styles.poster} />}
        <span ref={widthRef} hidden={!labelsShown} style={styles.label}>
          {dims.width}
        </span>
        <span ref={heightRef} hidden={!labelsShown} style={styles.label}>
          {dims.height}
        </span>
        <span ref={depthRef} hidden={!labelsShown} style={styles.label}>
          {dims.depth}
        </span>
        {state === 'loading' && (
          <p style={styles.note} aria-hidden="true">
            Loading 3D view…
          </p>
        )}
        {state === 'offline' && (
          <p style={styles.note} role="status">
            The 3D view needs a connection: this model is not saved on this device. It loads when you are back
            online.
          </p>
        )}
        {state === 'error' && (
          <p style={styles.note} role="alert">
            The 3D view could not load. The picture shows the product.
          </p>
        )}
      </div>
      <p id={descriptionId} style={styles.visuallyHidden}>
        {describeModel(product.name, variant.name, product.dimensions)}
      </p>
      <div style={styles.controls}>
        <button type="button" onClick={() => stageRef.current?.resetView()}>
          Reset view
        </button>
        <button type="button" aria-pressed={showDimensions} onClick={() => setShowDimensions((v) => !v)}>
          Show dimensions
        </button>
      </div>
    </section>
  );
}
