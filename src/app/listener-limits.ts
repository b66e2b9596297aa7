import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyServerOptions } from 'fastify';
import { CommonErrors } from '../errors/common.ts';
import type { Random } from '../lib/random.ts';
import { encodeDocument } from '../wire/encode-response.ts';
import { errorBody } from '../wire/envelope.ts';

/**
 * The API listener's limits against oversized and slow clients (README "Operations"). The
 * parameter count is the wire's (wire/authenticate.ts MAX_PARAMETERS).
 */

/** The largest request body: the longest real calls are a few kilobytes. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/** Idle keep-alive connections are kept this long, so a client's next call reuses its connection. */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/**
 * Node's headers timeout must outlast the keep-alive one: otherwise a connection can be destroyed
 * by the headers check just as a client reuses it, and the client sees "socket hang up"
 * (ECONNRESET) instead of an answer.
 */
export const HEADERS_TIMEOUT_MS = 66_000;

/** Default of `serve --request-timeout`: a whole request (headers and body) must arrive within this long of its first byte. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 66_000;

/** How often node looks for connections past their request or headers timeout (its default is 30 s). */
const TIMEOUT_CHECK_INTERVAL_MS = 1000;

export interface ListenerLimits {
  /** A request must be received in full within this many milliseconds of its first byte (default DEFAULT_REQUEST_TIMEOUT_MS). */
  requestTimeoutMs?: number;
}

/**
 * Fastify's options for these limits. The headers timeout is set on the server once built
 * (listenerTimeouts), as Fastify takes no option for it.
 */
export function listenerOptions(limits: ListenerLimits, random: Random): FastifyServerOptions & { http: { connectionsCheckingInterval: number } } {
  const requestTimeout = limits.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  return {
    bodyLimit: BODY_LIMIT_BYTES,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    requestTimeout,
    // While closing, a request that arrives on an open connection is still served (with
    // Connection: close), not refused with Fastify's own 503 body: draining ends each connection
    // after its answer (app/build-app.ts).
    return503OnClosing: false,
    http: { connectionsCheckingInterval: Math.min(TIMEOUT_CHECK_INTERVAL_MS, requestTimeout) },
    clientErrorHandler: clientErrorAnswer(requestTimeout, random),
  };
}

/** The headers timeout never exceeds the request timeout (node requires it; both count from the first byte). */
export function headersTimeoutFor(limits: ListenerLimits): number {
  return Math.min(HEADERS_TIMEOUT_MS, limits.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
}

/**
 * Refusals at the HTTP level, before any route runs (a request too slow to arrive, a request the
 * parser refuses), in the cloud's JSON envelope instead of Fastify's; the connection is then
 * closed, as node does.
 */
function clientErrorAnswer(requestTimeoutMs: number, random: Random) {
  return (err: Error & { code?: string }, socket: Socket): void => {
    // A reset connection has nobody to answer.
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const apiError =
      err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? CommonErrors.clientTimeout(requestTimeoutMs / 1000)
        : CommonErrors.malformedRequest(err.code === 'HPE_HEADER_OVERFLOW' ? 'its headers are too large' : (err.code ?? 'unparseable'));
    const requestId = random.uuid();
    const body = encodeDocument('JSON', 'Error', errorBody(requestId, '', apiError.code, apiError.message, 'Ecs') as unknown as Record<string, unknown>);
    // Not when an answer has started on this connection: a second status line would corrupt it.
    const answering = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
    if (!socket.writable || answering) {
      socket.destroy(err);
      return;
    }
    const head = `HTTP/1.1 ${apiError.httpStatus} ${STATUS_CODES[apiError.httpStatus]}\r\nContent-Type: application/json;charset=utf-8\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
    socket.end(Buffer.concat([Buffer.from(head, 'latin1'), body]), () => socket.destroy());
  };
}
