/**
 * Slow clients cannot hold the server: a connection that goes silent half way through its headers is closed,
 * and one that trickles its request byte by byte is answered 408 once the request deadline passes. Real Fastify
 * on loopback with short limits (the defaults are REQUEST_TIMEOUT_MS and CONNECTION_TIMEOUT_MS).
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONNECTION_TIMEOUT_MS, REQUEST_TIMEOUT_MS } from '../../src/server/app';
import { closeAll, startServer, type RunningServer } from './server-harness';

const REQUEST_MS = 800;
const CONNECTION_MS = 400;

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ timeouts: { requestMs: REQUEST_MS, connectionMs: CONNECTION_MS } });
});
afterAll(closeAll);

/** Opens a raw socket, runs `talk` on it, and resolves with what the server sent and when it closed. */
function rawSession(talk: (socket: Socket) => void): Promise<{ data: string; closedAfterMs: number }> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect(Number(port), '127.0.0.1', () => talk(socket));
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString()));
    socket.on('close', () => {
      clearTimeout(guard);
      resolve({ data, closedAfterMs: performance.now() - started });
    });
    socket.on('error', () => undefined); // a reset is also a close
    const guard = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server still held the connection after 10 s; got ${JSON.stringify(data)}`));
    }, 10_000);
  });
}

describe('slow clients', () => {
  it('uses 30 s for a whole request and 10 s of silence by default', () => {
    expect(REQUEST_TIMEOUT_MS).toBe(30_000);
    expect(CONNECTION_TIMEOUT_MS).toBe(10_000);
  });

  it('closes a connection that sends part of its headers and then stalls', async () => {
    const { data, closedAfterMs } = await rawSession((socket) =>
      socket.write('GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n'),
    );
    expect(data).not.toMatch(/^HTTP\/1\.1 200/);
    expect(closedAfterMs).toBeGreaterThanOrEqual(CONNECTION_MS - 50);
    expect(closedAfterMs).toBeLessThan(CONNECTION_MS + REQUEST_MS + 1_500);
  });

  it('answers 408 and closes a connection that trickles its headers without ever finishing', async () => {
    let timer: ReturnType<typeof setInterval> | undefined;
    const { data, closedAfterMs } = await rawSession((socket) => {
      socket.write('GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      let n = 0;
      // Never silent long enough for the connection timeout: only the request deadline can stop it.
      timer = setInterval(() => {
        if (!socket.destroyed) socket.write(`x-slow-${n++}: 1\r\n`);
      }, CONNECTION_MS / 4);
    });
    clearInterval(timer);
    expect(data).toMatch(/^HTTP\/1\.1 408/);
    expect(closedAfterMs).toBeGreaterThanOrEqual(REQUEST_MS - 50);
    expect(closedAfterMs).toBeLessThan(REQUEST_MS + 1_500);
  });

  it('still serves a client that sends its request promptly', async () => {
    expect((await server.get('/api/v1/health')).status).toBe(200);
  });
});
