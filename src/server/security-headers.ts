/**
 * Security headers sent with every response of the server: the app may talk to its own origin only, may not
 * be framed, and may use XR and the camera but no other powerful feature. No HSTS: the server also runs on
 * plain-http localhost, and a TLS terminator in front of it is the place to add HSTS.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';

/** The Content-Security-Policy: own origin only, no inline scripts or styles, WebAssembly allowed for decoders. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self' data: blob:",
  "worker-src 'self' blob:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "manifest-src 'self'",
].join('; ');

/** Every security header and its value. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'permissions-policy':
    'xr-spatial-tracking=(self), camera=(self), geolocation=(), microphone=(), payment=(), usb=()',
};

/** Sets every security header on a reply. */
export function applySecurityHeaders(reply: FastifyReply): void {
  reply.headers(SECURITY_HEADERS);
}

/** Adds the security headers to every response that goes through Fastify's reply, errors included. */
export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    applySecurityHeaders(reply);
    return payload;
  });
}
