/**
 * HTTP client of the brand publishing API (`/api/v1/brands/:brandId/…`, src/protocol/publish.ts) for the
 * `vitrine` CLI. Requests that failed on the network (or met a 502/503/504) are retried a few times; publish
 * and rollback retry with the SAME Idempotency-Key, so a retry of a publish that did land answers the first
 * result instead of publishing twice.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod/mini';
import type { PublishRequest, UploadContentType } from '../protocol/publish';
import {
  MissingAssetsResponse,
  PublishResponse,
  ReleaseList,
  StoredAssetResponse,
} from '../protocol/publish';

/** An error answer of the server (`{ error: { code, message, details? } }`), or an unreadable answer. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The server could not be reached, even after retries. */
export class NetworkError extends Error {
  constructor(url: string, cause: unknown) {
    const reason =
      cause instanceof Error ? ((cause.cause as Error | undefined)?.message ?? cause.message) : '';
    super(`Could not reach ${url}${reason ? `: ${reason}` : ''}`);
    this.name = 'NetworkError';
  }
}

/** Where the server is, the brand token, and how hard to retry. */
export interface PublishClientOptions {
  /** Base URL of the server, e.g. `https://shop.example` or `http://127.0.0.1:8080`. */
  server: string;
  token: string;
  /** Attempts per request on network errors and 502/503/504 (default 4). */
  attempts?: number;
  /** Wait before the first retry in ms, doubling after each (default 500). */
  retryDelayMs?: number;
}

/** The publishing API, one method per route. */
export interface PublishClient {
  /** The hashes among `sha256s` the server does not store. */
  missing(brandId: string, sha256s: string[]): Promise<string[]>;
  /** Uploads one file under its hash (content-addressed: uploading a file the server has is harmless). */
  upload(brandId: string, sha256: string, bytes: Uint8Array, type: UploadContentType): Promise<void>;
  /** Publishes the folder (one fresh Idempotency-Key, reused by retries). */
  publish(brandId: string, body: PublishRequest): Promise<PublishResponse>;
  /** Makes the brand's previous release live again. */
  rollback(brandId: string): Promise<PublishResponse>;
  /** The brand's releases, newest first. */
  releases(brandId: string): Promise<ReleaseList>;
}

const RETRY_STATUS = new Set([502, 503, 504]);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads an error answer into an {@link ApiError}. */
async function apiError(response: Response): Promise<ApiError> {
  const text = await response.text();
  try {
    const { error } = JSON.parse(text) as {
      error?: { code?: unknown; message?: unknown; details?: Record<string, unknown> };
    };
    if (error && typeof error.code === 'string' && typeof error.message === 'string') {
      return new ApiError(response.status, error.code, error.message, error.details);
    }
  } catch {
    // not JSON: reported below with the start of the body
  }
  return new ApiError(
    response.status,
    `HTTP_${response.status}`,
    `HTTP ${response.status}: ${text.slice(0, 200)}`,
  );
}

/** Creates a client for one server and token. */
export function createPublishClient(options: PublishClientOptions): PublishClient {
  const base = options.server.replace(/\/+$/, '');
  const attempts = options.attempts ?? 4;
  const retryDelayMs = options.retryDelayMs ?? 500;
  const brandUrl = (brandId: string, suffix: string): string =>
    `${base}/api/v1/brands/${encodeURIComponent(brandId)}${suffix}`;

  /** Sends a request, retrying network errors and gateway answers; parses a 2xx answer with `schema`. */
  async function send<T>(url: string, init: RequestInit, schema: z.ZodMiniType<T>): Promise<T> {
    const headers = { authorization: `Bearer ${options.token}`, ...(init.headers as Record<string, string>) };
    let lastError: unknown;
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      if (attempt > 1) await sleep(retryDelayMs * 2 ** (attempt - 2));
      let response: Response;
      try {
        response = await fetch(url, { ...init, headers });
      } catch (error) {
        lastError = error;
        continue;
      }
      if (RETRY_STATUS.has(response.status) && attempt < attempts) {
        await response.body?.cancel();
        continue;
      }
      if (!response.ok) throw await apiError(response);
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        body = undefined; // not JSON: the same answer as JSON of the wrong shape
      }
      const parsed = schema.safeParse(body);
      if (!parsed.success) {
        throw new ApiError(
          response.status,
          'BAD_ANSWER',
          `The answer of ${url} is not what this CLI expects: is ${base} a Vitrine server of this version?`,
        );
      }
      return parsed.data;
    }
    throw new NetworkError(url, lastError);
  }

  const post = (body: unknown, key?: string): RequestInit => ({
    method: 'POST',
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(key === undefined ? {} : { 'idempotency-key': key }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

  return {
    async missing(brandId, sha256s) {
      const answer = await send(
        brandUrl(brandId, '/assets/missing'),
        post({ sha256s }),
        MissingAssetsResponse,
      );
      return answer.missing;
    },
    async upload(brandId, sha256, bytes, type) {
      const init: RequestInit = {
        method: 'PUT',
        headers: { 'content-type': type },
        body: new Uint8Array(bytes),
      };
      await send(brandUrl(brandId, `/assets/${sha256}`), init, StoredAssetResponse);
    },
    publish(brandId, body) {
      return send(brandUrl(brandId, '/publish'), post(body, randomUUID()), PublishResponse);
    },
    rollback(brandId) {
      return send(brandUrl(brandId, '/rollback'), post(undefined, randomUUID()), PublishResponse);
    },
    releases(brandId) {
      return send(brandUrl(brandId, '/releases'), { method: 'GET' }, ReleaseList);
    },
  };
}
