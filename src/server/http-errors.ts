/**
 * How the server answers when something goes wrong: every error body is `{ error: { code, message } }`, 4xx
 * errors say what was wrong with the request, and 5xx errors are logged and answered with a generic message,
 * never a stack trace.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiError } from '../protocol/catalog';
import { applySecurityHeaders, SECURITY_HEADERS } from './security-headers';

/** Machine-readable facts a client needs to recover from an error, sent as `error.details`. */
export type ErrorDetails = Readonly<Record<string, unknown>>;

/** An error with the HTTP status and the machine-readable code the client receives. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    /** Sent as `error.details` when given (cart and order errors: `expectedSeq`, `fields`, …). */
    readonly details?: ErrorDetails,
  ) {
    super(message);
  }
}

/** 404 NOT_FOUND. */
export const notFound = (message: string): HttpError => new HttpError(404, 'NOT_FOUND', message);
/** 400 BAD_REQUEST. */
export const badRequest = (message: string): HttpError => new HttpError(400, 'BAD_REQUEST', message);

/** Codes of the 4xx statuses the server answers with. */
const CLIENT_ERROR_CODES: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  408: 'REQUEST_TIMEOUT',
  411: 'LENGTH_REQUIRED',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  416: 'RANGE_NOT_SATISFIABLE',
  429: 'TOO_MANY_REQUESTS',
  431: 'REQUEST_HEADER_FIELDS_TOO_LARGE',
};

const INTERNAL_MESSAGE = 'Something went wrong on the server. Please try again.';

/** The JSON body of an error (with `details` only when given). */
export function errorBody(
  code: string,
  message: string,
  details?: ErrorDetails,
): ApiError & { error: { details?: ErrorDetails } } {
  return details === undefined ? { error: { code, message } } : { error: { code, message, details } };
}

/** Status, code, client-safe message and details for any thrown value. */
function describe(error: unknown): {
  status: number;
  code: string;
  message: string;
  details?: ErrorDetails;
} {
  if (error instanceof HttpError)
    return { status: error.statusCode, code: error.code, message: error.message, details: error.details };
  const status = (error as Partial<FastifyError> | undefined)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const message = error instanceof Error ? error.message : (STATUS_CODES[status] ?? 'Bad request');
    return { status, code: CLIENT_ERROR_CODES[status] ?? 'BAD_REQUEST', message };
  }
  return { status: 500, code: 'INTERNAL', message: INTERNAL_MESSAGE };
}

/** Sends an error body, dropping any header a half-built success response had set. */
export function sendError(
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
  details?: ErrorDetails,
): FastifyReply {
  for (const header of ['etag', 'last-modified', 'content-length', 'accept-ranges']) {
    reply.removeHeader(header);
  }
  // A 416 keeps its `Content-Range: bytes */<size>`; any other error drops a range a success had set.
  if (status !== 416) reply.removeHeader('content-range');
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .type('application/json; charset=utf-8')
    .send(errorBody(code, message, details));
}

/** The error handler of the whole server. */
export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { status, code, message, details } = describe(error);
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  return sendError(reply, status, code, message, details);
}

/**
 * Errors Fastify raises before routing (a URL that is not valid percent-encoding, a path parameter that is too
 * long): answered in the same shape, with the security headers, since no hook runs for them.
 */
function handleFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  applySecurityHeaders(reply);
  void handleError(error, request, reply);
}

/** Malformed HTTP that never became a request: answered on the raw socket in the same JSON shape. */
function handleClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const status =
    error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const code = CLIENT_ERROR_CODES[status] ?? 'BAD_REQUEST';
  const body = JSON.stringify(errorBody(code, STATUS_CODES[status] ?? 'Bad Request'));
  if (socket.writable) {
    const headers = Object.entries({
      ...SECURITY_HEADERS,
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
      'cache-control': 'no-store',
      connection: 'close',
    })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n${headers}\r\n${body}`);
  }
  socket.destroy(error);
}

/** Fastify constructor options that route pre-routing errors through the handlers above. */
export const errorServerOptions = {
  frameworkErrors: handleFrameworkError,
  clientErrorHandler: handleClientError,
};

/** Installs the error handler; call before registering plugins so they inherit it. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler(handleError);
}
