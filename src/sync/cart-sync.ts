/**
 * Cart sync: the only client code that calls the cart API. It pushes the outbox (the ops db/cart-writes
 * queued with each cart change) to the server cart, creating that cart on first need, and folds each answer
 * back into the local database in one Dexie transaction: acknowledged ops leave the outbox, the cart lines
 * become the server's lines with the still-pending ops on top (core/cart-rebase), and the version, warnings and
 * time of agreement are stored in `cartSync`. It pulls the cart (GET) when nothing is pending, so price and
 * stock changes reach the page.
 *
 * Triggers: `online`, the page becoming visible, the `vitrine:cart-written` event of a cart write, and a
 * backoff timer (1 s doubling to 60 s, with jitter, reset on success) after a network error, a timeout
 * (15 s) or a 5xx. One tab pushes at a time (Web Locks `vitrine-cart-push`; without Web Locks, one push at a
 * time per tab). A 4xx is stored as `cartSync.error` and recovered from: UNKNOWN_SKU drops the op and its
 * line, SEQ_GAP renumbers, OP_CONFLICT renumbers under a new client id, CART_NOT_FOUND/CART_FORBIDDEN forget
 * the cart and queue every local line again for a new one. Every op carries the server cart version it was made
 * against (`baseVersion`). While the page is visible and online with nothing to send, the cart is pulled every
 * 30 s so other devices' edits show. Joining another cart first sends the outbox to the old cart, then merges
 * this device's lines into the joined one; the secret of every cart held stays in `db.carts`.
 *
 * `fetch`, timers, randomness, event targets and locks come in through `CartSyncOptions`, so tests drive a
 * real server and a real (fake-indexeddb) database with them.
 */
import { rebaseCart } from '../core/cart-rebase';
import { CART_WRITTEN_EVENT, queueOpsForLines, readCartSync } from '../db/cart-writes';
import { db as appDb, newClientId, type CartSyncState, type OutboxOp, type VitrineDB } from '../db/db';
import {
  CartApiError,
  CartId,
  CartResponse,
  CartToken,
  MAX_OPS_PER_PUSH,
  NewCart,
  type CartErrorDetails,
  type ServerCart,
} from '../protocol/cart';

/** Name of the Web Lock held while a tab talks to the server cart. */
export const PUSH_LOCK = 'vitrine-cart-push';

/** How long one request may take before it counts as a network failure. */
export const REQUEST_TIMEOUT_MS = 15_000;

/** How often a visible, online page with nothing to send pulls the cart (other devices' edits). */
export const PULL_INTERVAL_MS = 30_000;

/** First and longest retry delay. */
export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_MAX_MS = 60_000;

/** Error codes whose message stays after the recovery succeeds, until the shopper's next cart change. */
const STICKY_ERRORS = new Set(['UNKNOWN_SKU', 'CART_NOT_FOUND', 'CART_FORBIDDEN']);

/** Most push rounds (batches and recoveries) in one run before it waits for the backoff timer. */
const MAX_ROUNDS = 20;

/** Timer functions (the global ones by default). */
export interface CartSyncTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The part of `navigator.locks` the sync uses. */
export interface PushLocks {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/** Where the sync talks to and what it listens to; every field has a browser default. */
export interface CartSyncOptions {
  /** Database holding the cart; the app's database by default. */
  db?: VitrineDB;
  /** Origin of the API (e.g. `http://127.0.0.1:8080`); the page's own origin by default. */
  baseUrl?: string;
  fetch?: typeof fetch;
  timers?: CartSyncTimers;
  /** Random number in [0, 1) for the backoff jitter. */
  random?: () => number;
  /** Clock in ms since epoch, for `syncedAt`. */
  now?: () => number;
  /** Receives `online` and `vitrine:cart-written`; `window` by default. */
  events?: EventTarget;
  /** Receives `visibilitychange` and tells `visibilityState`; `document` by default. */
  visibility?: EventTarget & { visibilityState?: string };
  /** Whether the browser reports a network (`navigator.onLine`); a push waits for `online` while false. */
  isOnline?: () => boolean;
  /** Web Locks; `navigator.locks` by default, `null` for one push at a time in this instance only. */
  locks?: PushLocks | null;
  /** Request timeout; {@link REQUEST_TIMEOUT_MS} by default. */
  timeoutMs?: number;
}

/**
 * How a push ended: `synced` the outbox is empty and the local cart is the server's; `nothing` there was
 * nothing to send; `offline` the browser reports no network (waits for `online`); `retrying` a network error,
 * timeout or 5xx (the backoff timer will push again); `failed` the server refused the ops for a reason no
 * recovery fixes (see `cartSync.error`).
 */
export type PushResult = 'synced' | 'nothing' | 'offline' | 'retrying' | 'failed';

/** A server cart's id and secret token (what the hand-off link carries). */
export interface CartCredentials {
  cartId: string;
  token: string;
}

/** What joining a cart did. */
export interface JoinResult {
  /** False when the link was for the cart the device already holds (nothing changed). */
  joined: boolean;
  /** Lines of this device's cart the joined cart lacked, queued to be added to it. */
  added: number;
}

/** Thrown by `joinCart` and `ensureServerCart` when the server cannot be reached or refuses. */
export class CartSyncError extends Error {
  constructor(
    message: string,
    /** The server's error code, or `NETWORK` when it could not be reached. */
    readonly code: string,
  ) {
    super(message);
    this.name = 'CartSyncError';
  }
}

/** One cart sync bound to one database (the app has one; tests make one per simulated device). */
export interface CartSync {
  /** Listens to the triggers and syncs once now; returns the function that stops listening. */
  start(): () => void;
  /** Pushes the outbox (joining a push already running). */
  push(): Promise<PushResult>;
  /** Starts a push without waiting for it. */
  requestPush(): void;
  /** Reads the server cart into the database (pushes instead when ops are pending). True on success. */
  pull(): Promise<boolean>;
  /** Switches this device to another server cart, merging its lines into it (see {@link joinCart}). */
  join(cartId: string, token: string): Promise<JoinResult>;
  /** The server cart's credentials, creating the cart when the device has none (see {@link ensureServerCart}). */
  ensureServerCart(): Promise<CartCredentials>;
}

/** Delay before retry number `attempt` (1, 2, …): 1 s doubling to 60 s, the upper half jittered. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** What one request came to. */
type Answer =
  | { kind: 'ok'; status: number; body: unknown }
  | { kind: 'retry'; reason: string }
  | { kind: 'refused'; status: number; code: string; message: string; details?: CartErrorDetails };

const OFFLINE_REASON = 'The server cannot be reached.';

/** A shopper-facing message for a refusal (the server's message is for developers). */
function refusalMessage(answer: Extract<Answer, { kind: 'refused' }>): string {
  switch (answer.code) {
    case 'UNKNOWN_SKU':
      return `An item in your cart (${answer.details?.sku ?? 'unknown'}) is no longer sold, so it was removed.`;
    case 'CART_NOT_FOUND':
    case 'CART_FORBIDDEN':
      return 'The shared cart could no longer be opened, so your items were moved to a new cart.';
    case 'SEQ_GAP':
    case 'OP_CONFLICT':
      return 'Your cart changes were out of step with the server; they were sent again.';
    default:
      return `The server refused your cart changes (HTTP ${answer.status}): ${answer.message}`;
  }
}

/** Strips the device-only fields of an outbox op (`baseVersion` goes along when the op has one). */
const wireOp = (op: OutboxOp) => ({
  opId: op.opId,
  seq: op.seq,
  sku: op.sku,
  qty: op.qty,
  observedPrice: op.observedPrice,
  ...(op.baseVersion !== undefined ? { baseVersion: op.baseVersion } : {}),
});

/** Creates a cart sync; nothing happens until `start` or a call. */
export function createCartSync(options: CartSyncOptions = {}): CartSync {
  const target = options.db ?? appDb;
  const doFetch: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const timers: CartSyncTimers = options.timers ?? {
    setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
    clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
  const isOnline = options.isOnline ?? (() => typeof navigator === 'undefined' || navigator.onLine !== false);
  const locks: PushLocks | null =
    options.locks !== undefined
      ? options.locks
      : typeof navigator !== 'undefined' && navigator.locks
        ? navigator.locks
        : null;
  const url = (path: string): string => (options.baseUrl ? new URL(path, options.baseUrl).href : path);

  /** Retries so far since the last success (drives the backoff). */
  let attempt = 0;
  let retryTimer: unknown;
  let running: Promise<PushResult> | undefined;
  /** A push was asked for while one ran: run once more after it. */
  let again = false;
  /** Tail of the in-instance queue when Web Locks are missing. */
  let queue: Promise<unknown> = Promise.resolve();

  function withLock<T>(task: () => Promise<T>): Promise<T> {
    if (locks) return locks.request(PUSH_LOCK, task);
    const result = queue.then(task, task);
    queue = result.catch(() => undefined);
    return result;
  }

  function clearRetry(): void {
    if (retryTimer !== undefined) timers.clearTimeout(retryTimer);
    retryTimer = undefined;
  }

  function scheduleRetry(): void {
    clearRetry();
    attempt += 1;
    retryTimer = timers.setTimeout(
      () => {
        retryTimer = undefined;
        requestPush();
      },
      backoffDelay(attempt, random),
    );
  }

  async function request(
    method: 'GET' | 'POST',
    path: string,
    token?: string,
    body?: unknown,
  ): Promise<Answer> {
    const controller = new AbortController();
    const timer = timers.setTimeout(() => controller.abort(), timeoutMs);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      let response: Response;
      try {
        response = await doFetch(url(path), {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: controller.signal,
        });
      } catch {
        return { kind: 'retry', reason: OFFLINE_REASON };
      }
      let parsed: unknown;
      try {
        parsed = await response.json();
      } catch {
        parsed = undefined;
      }
      if (response.ok) {
        if (parsed === undefined) return { kind: 'retry', reason: 'The server sent an unreadable answer.' };
        return { kind: 'ok', status: response.status, body: parsed };
      }
      if (response.status >= 500 || response.status === 408 || response.status === 429) {
        return { kind: 'retry', reason: `The server could not take the cart (HTTP ${response.status}).` };
      }
      const error = CartApiError.safeParse(parsed);
      return {
        kind: 'refused',
        status: response.status,
        code: error.success ? error.data.error.code : `HTTP_${response.status}`,
        message: error.success ? error.data.error.message : `HTTP ${response.status}`,
        details: error.success ? error.data.error.details : undefined,
      };
    } finally {
      timers.clearTimeout(timer);
    }
  }

  // ---- database steps (each one transaction) ------------------------------------------------------------

  const syncTables = () => [target.products, target.cartLines, target.outbox, target.cartSync];

  async function storeError(answer: Extract<Answer, { kind: 'refused' }>): Promise<void> {
    await target.transaction('rw', target.cartSync, async () => {
      const state = await readCartSync(target);
      const error: NonNullable<CartSyncState['error']> = {
        code: answer.code,
        message: refusalMessage(answer),
      };
      if (answer.details?.sku) error.sku = answer.details.sku;
      await target.cartSync.put({ ...state, error });
    });
  }

  /**
   * Folds a server cart into the database: ops up to `ackedSeq` leave the outbox, the lines become the
   * server's with the pending ops on top. Ignored when the cart or client changed meanwhile (a join or a
   * reset); the lines stay when the answer is older than the version already stored.
   */
  async function applyCart(
    cart: ServerCart,
    expected: { cartId: string; clientId: string },
    ackedSeq?: number,
  ): Promise<boolean> {
    return target.transaction('rw', syncTables(), async () => {
      const state = await readCartSync(target);
      if (state.cartId !== expected.cartId || state.clientId !== expected.clientId) return false;
      if (ackedSeq !== undefined && ackedSeq > 0)
        await target.outbox.where('seq').belowOrEqual(ackedSeq).delete();
      if (cart.version < state.serverVersion) return true;
      const pending = await target.outbox.orderBy('seq').toArray();
      const lines = rebaseCart(cart.lines, pending, await target.cartLines.toArray());
      await target.cartLines.clear();
      await target.cartLines.bulkPut(lines);
      // STALE_CHANGE comes in one push's answer only: it stays until the shopper's next change (queueOp).
      const stale = state.warnings.filter(
        (w) => w.code === 'STALE_CHANGE' && !cart.warnings.some((n) => n.code === w.code && n.sku === w.sku),
      );
      const next: CartSyncState = {
        ...state,
        serverVersion: cart.version,
        warnings: [...cart.warnings, ...stale],
        syncedAt: now(),
      };
      if (next.error && !STICKY_ERRORS.has(next.error.code)) delete next.error;
      await target.cartSync.put(next);
      return true;
    });
  }

  /** Renumbers `ops` from `firstSeq` on (optionally under another client id and cart); returns the next seq. */
  async function renumber(
    ops: OutboxOp[],
    firstSeq: number,
    change: { clientId?: string; cartId?: string | null; newOpIds?: boolean } = {},
  ): Promise<number> {
    await target.outbox.bulkDelete(ops.map((op) => op.seq));
    const moved = ops.map((op, i) => ({
      ...op,
      seq: firstSeq + i,
      opId: change.newOpIds ? crypto.randomUUID() : op.opId,
      clientId: change.clientId ?? op.clientId,
      cartId: change.cartId !== undefined ? change.cartId : op.cartId,
    }));
    await target.outbox.bulkAdd(moved);
    return firstSeq + ops.length;
  }

  /** Forgets the server cart and queues every local line again (for a new cart). */
  async function forgetCart(): Promise<void> {
    await target.transaction('rw', syncTables(), async () => {
      const old = await readCartSync(target);
      await target.outbox.clear();
      const clientId = newClientId();
      await target.cartSync.put({
        key: 'cart',
        cartId: null,
        token: null,
        clientId,
        nextSeq: 1,
        serverVersion: 0,
        warnings: [],
        ...(old.error ? { error: old.error } : {}),
      });
      await queueOpsForLines(target);
    });
  }

  /** Recovers from a refused push; false when nothing can be done but wait for the shopper. */
  async function recover(answer: Extract<Answer, { kind: 'refused' }>): Promise<boolean> {
    const details = answer.details;
    switch (answer.code) {
      case 'CART_NOT_FOUND':
      case 'CART_FORBIDDEN':
        await forgetCart();
        return true;
      case 'UNKNOWN_SKU': {
        const { seq, sku } = details ?? {};
        if (seq === undefined || sku === undefined) return false;
        return target.transaction('rw', syncTables(), async () => {
          const state = await readCartSync(target);
          const later = await target.outbox.where('seq').aboveOrEqual(seq).sortBy('seq');
          if (!later.some((op) => op.seq === seq && op.sku === sku)) return false;
          // Every later op on that sku would be refused the same way: drop them all, close the gap.
          const dropped = later.filter((op) => op.sku === sku);
          const kept = later.filter((op) => op.sku !== sku);
          await target.outbox.bulkDelete(dropped.map((op) => op.seq));
          const nextSeq = await renumber(kept, seq);
          await target.cartLines.delete(sku);
          await target.cartSync.put({ ...state, nextSeq });
          return true;
        });
      }
      case 'SEQ_GAP': {
        const expectedSeq = details?.expectedSeq;
        if (expectedSeq === undefined || expectedSeq < 1) return false;
        return target.transaction('rw', syncTables(), async () => {
          const state = await readCartSync(target);
          const ops = await target.outbox.orderBy('seq').toArray();
          const first = ops[0];
          // Ops below expectedSeq were seen by the server and are acknowledged, never refused as a gap.
          if (!first || first.seq <= expectedSeq) return false;
          const nextSeq = await renumber(ops, expectedSeq);
          await target.cartSync.put({ ...state, nextSeq });
          return true;
        });
      }
      case 'OP_CONFLICT':
        // Another device (a restored copy of this one) used this client id: continue under a new one.
        await target.transaction('rw', syncTables(), async () => {
          const state = await readCartSync(target);
          const ops = await target.outbox.orderBy('seq').toArray();
          const clientId = newClientId();
          const nextSeq = await renumber(ops, 1, { clientId, newOpIds: true });
          await target.cartSync.put({ ...state, clientId, nextSeq });
        });
        return true;
      default:
        return false;
    }
  }

  /** The server cart of the device, created (POST /carts) when it has none. */
  async function serverCart(): Promise<
    { kind: 'ok'; cart: CartCredentials } | Exclude<Answer, { kind: 'ok' }>
  > {
    const state = await readCartSyncRw();
    if (state.cartId && state.token)
      return { kind: 'ok', cart: { cartId: state.cartId, token: state.token } };
    const answer = await request('POST', '/api/v1/carts');
    if (answer.kind !== 'ok') return answer;
    const created = NewCart.safeParse(answer.body);
    if (!created.success) return { kind: 'retry', reason: 'The server sent an unreadable cart.' };
    const cart = await target.transaction('rw', target.outbox, target.cartSync, target.carts, async () => {
      const current = await readCartSync(target);
      if (current.cartId && current.token) return { cartId: current.cartId, token: current.token };
      await target.cartSync.put({ ...current, cartId: created.data.cartId, token: created.data.token });
      await target.carts.put({ cartId: created.data.cartId, token: created.data.token, since: now() });
      await target.outbox.toCollection().modify((op) => {
        if (op.cartId === null) op.cartId = created.data.cartId;
      });
      return created.data;
    });
    return { kind: 'ok', cart };
  }

  async function readCartSyncRw(): Promise<CartSyncState> {
    return target.transaction('rw', target.cartSync, () => readCartSync(target));
  }

  /** Pushes batches until the outbox is empty, recovering from refusals. Runs inside the lock. */
  async function pushOutbox(): Promise<PushResult> {
    clearRetry();
    if (!isOnline()) return 'offline';
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const ops = await target.outbox.orderBy('seq').limit(MAX_OPS_PER_PUSH).toArray();
      if (ops.length === 0) {
        attempt = 0;
        return round === 0 ? 'nothing' : 'synced';
      }
      const cart = await serverCart();
      if (cart.kind === 'retry') {
        scheduleRetry();
        return 'retrying';
      }
      if (cart.kind === 'refused') {
        await storeError(cart);
        return 'failed';
      }
      const state = await readCartSyncRw();
      const answer = await request('POST', `/api/v1/carts/${cart.cart.cartId}/ops`, cart.cart.token, {
        clientId: state.clientId,
        ops: ops.map(wireOp),
      });
      if (answer.kind === 'retry') {
        scheduleRetry();
        return 'retrying';
      }
      if (answer.kind === 'refused') {
        await storeError(answer);
        if (!(await recover(answer))) return 'failed';
        continue;
      }
      const parsed = CartResponse.safeParse(answer.body);
      if (!parsed.success) {
        scheduleRetry();
        return 'retrying';
      }
      attempt = 0;
      await applyCart(
        parsed.data.cart,
        { cartId: cart.cart.cartId, clientId: state.clientId },
        parsed.data.ackedSeq ?? 0,
      );
    }
    scheduleRetry();
    return 'retrying';
  }

  /** Reads the server cart; pushes instead while ops are pending. Runs inside the lock. */
  async function pullInLock(): Promise<boolean> {
    if ((await target.outbox.count()) > 0) {
      const result = await pushOutbox();
      return result === 'synced' || result === 'nothing';
    }
    const state = await readCartSyncRw();
    if (!state.cartId || !state.token || !isOnline()) return false;
    const answer = await request('GET', `/api/v1/carts/${state.cartId}`, state.token);
    if (answer.kind === 'retry') return false;
    if (answer.kind === 'refused') {
      await storeError(answer);
      if (answer.code !== 'CART_NOT_FOUND' && answer.code !== 'CART_FORBIDDEN') return false;
      await forgetCart();
      const result = await pushOutbox();
      return result === 'synced' || result === 'nothing';
    }
    const parsed = CartResponse.safeParse(answer.body);
    if (!parsed.success) return false;
    return applyCart(parsed.data.cart, { cartId: state.cartId, clientId: state.clientId });
  }

  function push(): Promise<PushResult> {
    if (running) {
      again = true;
      return running;
    }
    const run = (async () => {
      try {
        let result: PushResult = 'nothing';
        do {
          again = false;
          const round = await withLock(pushOutbox);
          // A repeat that finds nothing left does not hide that this run synced.
          result = round === 'nothing' ? result : round;
        } while (again && (result === 'synced' || result === 'nothing'));
        return result;
      } finally {
        running = undefined;
      }
    })();
    running = run;
    return run;
  }

  function requestPush(): void {
    void push().catch((err: unknown) => console.warn('Cart push failed:', err));
  }

  function pull(): Promise<boolean> {
    return withLock(pullInLock);
  }

  /** GET a cart by its credentials, for joining: the cart, or a CartSyncError in words for the shopper. */
  async function fetchCartToJoin(cartId: string, token: string): Promise<ServerCart> {
    const answer = await request('GET', `/api/v1/carts/${cartId}`, token);
    if (answer.kind === 'retry') {
      throw new CartSyncError('Opening a shared cart needs a connection. Try again when online.', 'NETWORK');
    }
    if (answer.kind === 'refused') {
      throw new CartSyncError(
        answer.code === 'CART_NOT_FOUND' || answer.code === 'CART_FORBIDDEN'
          ? 'This cart link no longer works: the cart was not found or the link is wrong.'
          : `The shared cart could not be opened (HTTP ${answer.status}).`,
        answer.code,
      );
    }
    const parsed = CartResponse.safeParse(answer.body);
    if (!parsed.success) throw new CartSyncError('The server sent an unreadable cart.', 'BAD_ANSWER');
    return parsed.data.cart;
  }

  async function join(cartId: string, token: string): Promise<JoinResult> {
    if (!CartId.safeParse(cartId).success || !CartToken.safeParse(token).success) {
      throw new CartSyncError('This cart link is not complete; copy the whole link again.', 'BAD_LINK');
    }
    const result = await withLock(async (): Promise<JoinResult> => {
      const before = await readCartSyncRw();
      if (before.cartId === cartId) return { joined: false, added: 0 };
      // The link must open a cart before anything here changes.
      let cart = await fetchCartToJoin(cartId, token);
      // Ops made for the old cart go there first (acknowledged, never renumbered under another client id):
      // the old cart keeps its orders' history straight, and this device's lines are merged below anyway.
      if (before.cartId && (await target.outbox.count()) > 0) {
        const pushed = await pushOutbox();
        if (pushed === 'offline' || pushed === 'retrying') {
          throw new CartSyncError(
            'Your own cart changes could not be sent first. Try again when the connection is steady.',
            'NETWORK',
          );
        }
        cart = await fetchCartToJoin(cartId, token);
      }
      return target.transaction('rw', [...syncTables(), target.carts], async () => {
        const state = await readCartSync(target);
        if (state.cartId === cartId) return { joined: false, added: 0 };
        const localLines = await target.cartLines.toArray();
        if (state.cartId && state.token && !(await target.carts.get(state.cartId))) {
          await target.carts.put({ cartId: state.cartId, token: state.token, since: now() });
        }
        const known = await target.carts.get(cartId);
        await target.carts.put({ cartId, token, since: known?.since ?? now() });
        // Whatever is still pending belonged to the old cart (refused there for good, or never sent): the
        // lines it shaped are merged like every other local line.
        await target.outbox.clear();
        await target.cartSync.put({
          key: 'cart',
          cartId,
          token,
          clientId: newClientId(),
          nextSeq: 1,
          serverVersion: cart.version,
          warnings: cart.warnings,
          syncedAt: now(),
        });
        const added = await queueOpsForLines(target, new Set(cart.lines.map((l) => l.sku)));
        const pending = await target.outbox.orderBy('seq').toArray();
        const lines = rebaseCart(cart.lines, pending, localLines);
        await target.cartLines.clear();
        await target.cartLines.bulkPut(lines);
        return { joined: true, added };
      });
    });
    if (result.added > 0) requestPush();
    return result;
  }

  async function ensureServerCart(): Promise<CartCredentials> {
    const result = await withLock(serverCart);
    if (result.kind === 'retry') {
      throw new CartSyncError('Sharing the cart needs a connection. Try again when online.', 'NETWORK');
    }
    if (result.kind === 'refused') {
      throw new CartSyncError(`The server could not create a cart (HTTP ${result.status}).`, result.code);
    }
    if ((await target.outbox.count()) > 0) requestPush();
    return result.cart;
  }

  /** Push when something is pending, pull otherwise. */
  function syncNow(): void {
    void target.outbox
      .count()
      .then((pending): Promise<unknown> => (pending > 0 ? push() : pull()))
      .catch((err: unknown) => console.warn('Cart sync failed:', err));
  }

  function start(): () => void {
    const events = options.events ?? (typeof window !== 'undefined' ? window : undefined);
    const visibility = options.visibility ?? (typeof document !== 'undefined' ? document : undefined);
    const onOnline = (): void => {
      attempt = 0;
      clearRetry();
      syncNow();
    };
    const onWritten = (): void => requestPush();
    const onVisibility = (): void => {
      if (visibility?.visibilityState === undefined || visibility.visibilityState === 'visible') syncNow();
    };
    // Other devices' edits reach a page that stays open: a pull every 30 s while the page is visible, the
    // browser online and nothing waits to be sent (a push answers with the whole cart anyway).
    let pollTimer: unknown;
    let stopped = false;
    const schedulePoll = (): void => {
      pollTimer = timers.setTimeout(() => {
        pollTimer = undefined;
        void pollOnce().finally(() => {
          if (!stopped) schedulePoll();
        });
      }, PULL_INTERVAL_MS);
    };
    const pollOnce = async (): Promise<void> => {
      const visible = visibility?.visibilityState === undefined || visibility.visibilityState === 'visible';
      if (!visible || !isOnline()) return;
      try {
        if ((await target.outbox.count()) === 0) await pull();
      } catch (err) {
        console.warn('Cart pull failed:', err);
      }
    };
    events?.addEventListener('online', onOnline);
    events?.addEventListener(CART_WRITTEN_EVENT, onWritten);
    visibility?.addEventListener('visibilitychange', onVisibility);
    syncNow();
    schedulePoll();
    return () => {
      stopped = true;
      events?.removeEventListener('online', onOnline);
      events?.removeEventListener(CART_WRITTEN_EVENT, onWritten);
      visibility?.removeEventListener('visibilitychange', onVisibility);
      if (pollTimer !== undefined) timers.clearTimeout(pollTimer);
      pollTimer = undefined;
      clearRetry();
    };
  }

  return { start, push, requestPush, pull, join, ensureServerCart };
}

let appSync: CartSync | undefined;

/** The app's cart sync (on the app's database and origin), created on first use. */
function appCartSync(): CartSync {
  appSync ??= createCartSync();
  return appSync;
}

/** The app's sync, or a sync on the given database/origin (tests, and sync/orders passing its options). */
function syncFor(options?: CartSyncOptions): CartSync {
  return options && Object.keys(options).length > 0 ? createCartSync(options) : appCartSync();
}

/**
 * Starts syncing the app's cart (called once from the app's entry): pushes on `online`, on the page becoming
 * visible, after each cart write and on the backoff timer; pulls when nothing is pending. Returns the stop
 * function. `options` replace the browser defaults (tests).
 */
export function startCartSync(options?: CartSyncOptions): () => void {
  if (options) appSync = createCartSync(options);
  return appCartSync().start();
}

/**
 * Pushes the outbox now and resolves how it went (checkout pushes first and goes on after `synced` or
 * `nothing`). Rejects only when the database fails.
 */
export function pushCart(options?: CartSyncOptions): Promise<PushResult> {
  return syncFor(options).push();
}

/** Reads the server cart into the database (a push instead while ops are pending). True on success. */
export function pullCart(options?: CartSyncOptions): Promise<boolean> {
  return syncFor(options).pull();
}

/**
 * Switches this device to the server cart `cartId` (opened with `token`), keeping this device's cart: pending
 * ops are first pushed to the old cart (whose secret stays in `db.carts`, so its orders stay reachable), then
 * every local line the joined cart lacks is queued as an op for it (a new client id numbered from 1) and the
 * local lines become the joined cart's plus those. Joining the cart the device already holds changes nothing.
 * Needs a connection. Resolves how many lines were added.
 * @throws CartSyncError when the link is malformed, the server cannot be reached, or it refuses the cart.
 */
export function joinCart(cartId: string, token: string, options?: CartSyncOptions): Promise<JoinResult> {
  return syncFor(options).join(cartId, token);
}

/**
 * The server cart's id and token, creating the cart when this device has none (for the hand-off link).
 * @throws CartSyncError when the server cannot be reached or refuses.
 */
export function ensureServerCart(options?: CartSyncOptions): Promise<CartCredentials> {
  return syncFor(options).ensureServerCart();
}
