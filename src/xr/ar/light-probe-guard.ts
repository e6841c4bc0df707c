/**
 * Keeps a refused light probe from becoming an unhandled rejection. three's XREstimatedLight asks every session
 * it sees start for a light probe (`session.requestLightProbe`) and has no handler for a refusal, which a session
 * without `light-estimation` gives. Side effect owned here: an own `requestLightProbe` on the one session object
 * handed to it, which asks the browser's and, on refusal, never settles (the default lights stay on).
 */

interface LightProbeSession {
  requestLightProbe?: (options?: unknown) => Promise<unknown>;
}

/** Guards `session`'s light-probe requests (call before the session starts on the renderer). */
export function guardLightProbe(session: XRSession): void {
  const target = session as XRSession & LightProbeSession;
  const ask = target.requestLightProbe;
  if (typeof ask !== 'function') return;
  const enabled = session.enabledFeatures;
  const refused = enabled !== undefined && !enabled.includes('light-estimation');
  Object.defineProperty(target, 'requestLightProbe', {
    configurable: true,
    value: (options?: unknown): Promise<unknown> =>
      refused
        ? new Promise<unknown>(() => undefined)
        : new Promise<unknown>((resolve) => {
            ask.call(session, options).then(resolve, () => undefined);
          }),
  });
}
