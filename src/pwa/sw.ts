/**
 * The service worker: owns every Cache Storage cache of the app. It precaches the app shell (the list the build
 * injects into `self.__WB_MANIFEST`, see vite.config.ts) and answers app navigations with the precached
 * index.html, so a repeat visit starts with no network. 3D models and posters are cached at run time, cache
 * first, each in its own cache: their `/assets/<sha256>.<ext>` URLs are content-addressed, so a cached copy is
 * never stale. Each cache has a byte budget: after every put the least recently used files go until it fits,
 * except files pinned by "Save for offline", read from the asset index in IndexedDB (db/asset-index.ts, the
 * one source of truth for pins; cached-assets.ts does the work). A put that hits the storage quota evicts the
 * unpinned models and tries once more. The page's own "Save for offline" downloads pass through untouched.
 * WebXR controller and hand models (/xr/input-profiles/) are cached at run time too, cache first, in their own
 * cache with no budget: the first VR session online fills it, and VR then works offline.
 * API calls are not routed here and go to the network as they are (the app keeps its data in IndexedDB). A new
 * version waits until the page asks it to take over (register.ts); it never skips waiting by itself.
 */
import { clientsClaim } from 'workbox-core';
import {
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  precacheAndRoute,
  type PrecacheEntry,
} from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { recordCached, touchAsset } from '../db/asset-index';
import {
  cacheFor,
  INPUT_PROFILE_CACHE,
  INPUT_PROFILE_PATH,
  MODEL_PATH,
  POSTER_PATH,
  SAVE_REQUEST_HEADER,
} from './asset-caches';
import { storeAsset } from './cached-assets';

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

/** The part of a fetch event used here: keeping the worker alive for work after the response. */
interface WaitUntilEvent {
  waitUntil(work: Promise<unknown>): void;
}

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

/** Index work after a response is served: never fails the response, only says why the index fell behind. */
function indexLater(event: WaitUntilEvent, work: Promise<unknown>, what: string): void {
  event.waitUntil(
    work.catch((err: unknown) => console.warn(`Vitrine service worker: could not ${what}.`, err)),
  );
}

/**
 * Cache first for a model or poster: a hit is served and marked used; a miss goes to the network, and only a
 * complete, readable `200` answer (never opaque, partial or an error) is stored and recorded.
 */
async function cacheFirst(request: Request, path: string, event: WaitUntilEvent): Promise<Response> {
  const target = cacheFor(path);
  const cache = target ? await caches.open(target.name) : undefined;
  const hit = await cache?.match(request);
  if (cache && hit) {
    indexLater(
      event,
      (async () => {
        if (await touchAsset(path)) return;
        // Cached before the asset index existed: recorded with its size on first use.
        const again = await cache.match(path);
        if (again) await recordCached(path, (await again.blob()).size);
      })(),
      `mark ${path} as used`,
    );
    return hit;
  }
  const response = await fetch(request);
  if (response.status === 200 && response.type === 'basic') {
    const copy = response.clone();
    indexLater(event, (async () => storeAsset(path, await copy.blob(), copy.headers))(), `cache ${path}`);
  }
  return response;
}

const isAssetFile = (url: URL, request: Request): boolean =>
  request.method === 'GET' &&
  sameOrigin(url) &&
  (MODEL_PATH.test(url.pathname) || POSTER_PATH.test(url.pathname)) &&
  !request.headers.has(SAVE_REQUEST_HEADER) &&
  !request.headers.has('range');

registerRoute(
  ({ url, request }) => isAssetFile(url, request),
  ({ url, request, event }) => cacheFirst(request, url.pathname, event as unknown as WaitUntilEvent),
);

/**
 * Cache first for a WebXR input profile file: a hit is served; a miss goes to the network and only a complete,
 * readable `200` answer is stored. The files come from the npm package the app is built with, under fixed
 * names, so a copy stays good as long as that package does (an update that changes the files must rename
 * INPUT_PROFILE_CACHE).
 */
async function inputProfileFirst(request: Request, event: WaitUntilEvent): Promise<Response> {
  const cache = await caches.open(INPUT_PROFILE_CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.status === 200 && response.type === 'basic') {
    indexLater(event, cache.put(request, response.clone()), `cache ${new URL(request.url).pathname}`);
  }
  return response;
}

registerRoute(
  ({ url, request }) =>
    request.method === 'GET' &&
    sameOrigin(url) &&
    INPUT_PROFILE_PATH.test(url.pathname) &&
    !request.headers.has('range'),
  ({ request, event }) => inputProfileFirst(request, event as unknown as WaitUntilEvent),
);
