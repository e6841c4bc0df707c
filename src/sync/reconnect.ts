/**
 * "The connection is back", a moment after the browser says so. The `online` event fires as soon as an
 * interface comes up, often before requests get through (a network that flaps while it connects, a service
 * worker whose network follows a little later); a request sent at once can only fail, and the browser logs it as
 * an error. Work that waits for the connection listens here instead: it runs {@link RECONNECT_DELAY_MS} after the
 * last `online` event, and only if no `offline` event came in between.
 */

/** How long after the `online` event reconnect work starts. */
export const RECONNECT_DELAY_MS = 1000;

/** Calls `listener` each time the connection is back (see the module comment). Returns the unsubscribe. */
export function onReconnect(listener: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const cancel = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  const online = (): void => {
    cancel();
    timer = setTimeout(() => {
      timer = undefined;
      if (navigator.onLine) listener();
    }, RECONNECT_DELAY_MS);
  };
  window.addEventListener('online', online);
  window.addEventListener('offline', cancel);
  return () => {
    cancel();
    window.removeEventListener('online', online);
    window.removeEventListener('offline', cancel);
  };
}
