/**
 * The service worker: owns every Cache Storage cache of the app. It precaches the app shell (the list the build
 * injects into `self.__WB_MANIFEST`, see vite.config.ts) and answers app navigations with the precached
 * index.html, so a repeat visit starts with no network. 3D models and posters are cached at run time, cache
 * first, each in its own cache: their `/assets/<sha256>.<ext>` URLs are content-addressed, so a cached copy is
 * never stale. API calls are not routed here and go to the network as they are (the app keeps its data in
 * IndexedDB). A new version waits until the page asks it to take over (register.ts); it never skips waiting
 * by itself.
 */
import { clientsClaim } from 'workbox-core';
import { CacheableResponsePlugin } from 'workbox-cacheable-response';
import { ExpirationPlugin } from 'workbox-expiration';
import {
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  precacheAndRoute,
  type PrecacheEntry,
} from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst } from 'workbox-strategies';

/**
 * The parts of the service worker global scope used here. Declared locally because the WebWorker lib cannot
 * join the DOM lib in the app's one TypeScript program.
 */
interface WorkerScope {
  /** The precache list, injected by the build. */
  __WB_MANIFEST: (string | PrecacheEntry)[];
  location: Location;
  skipWaiting(): Promise<void>;
  addEventListener(type: 'message', listener: (event: MessageEvent<unknown>) => void): void;
}

declare const self: WorkerScope;

/** Name of the runtime cache of 3D models. */
const MODEL_CACHE = 'vitrine-models';
/** Name of the runtime cache of posters. */
const POSTER_CACHE = 'vitrine-posters';

/** A content-addressed model file. */
const MODEL_PATH = /^\/assets\/[0-9a-f]{64}\.glb$/;
/** A content-addressed poster image. */
const POSTER_PATH = /^\/assets\/[0-9a-f]{64}\.(?:jpg|png|webp)$/;
/** Paths the server answers itself; never given the app shell. */
const SERVER_PATHS = [/^\/api(?:\/|$)/, /^\/assets(?:\/|$)/];

// The page sends this (workbox-window's messageSkipWaiting) when the shopper chooses "Reload".
self.addEventListener('message', (event) => {
  const data = event.data as { type?: unknown } | null;
  if (data?.type === 'SKIP_WAITING') void self.skipWaiting();
});

// Takes control of pages that have no worker yet (the first visit) as soon as this worker activates. An update
// only activates once no page uses the old worker or the shopper asked for it, so this skips no waiting.
clientsClaim();

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: SERVER_PATHS }));

const sameOrigin = (url: URL): boolean => url.origin === self.location.origin;

registerRoute(
  ({ url, request }) => request.method === 'GET' && sameOrigin(url) && MODEL_PATH.test(url.pathname),
  new CacheFirst({
    cacheName: MODEL_CACHE,
    plugins: [
      // Only complete, readable answers: never an opaque, partial or error response.
      new CacheableResponsePlugin({ statuses: [200] }),
      // A bound by count until the byte budget with pinning replaces it.
      new ExpirationPlugin({ maxEntries: 40, purgeOnQuotaError: true }),
    ],
  }),
);

registerRoute(
  ({ url, request }) => request.method === 'GET' && sameOrigin(url) && POSTER_PATH.test(url.pathname),
  new CacheFirst({
    cacheName: POSTER_CACHE,
    plugins: [
      new CacheableResponsePlugin({ statuses: [200] }),
      new ExpirationPlugin({ maxEntries: 200, purgeOnQuotaError: true }),
    ],
  }),
);
