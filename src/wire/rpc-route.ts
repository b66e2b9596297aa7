import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Invoker } from '../api/invoke.ts';
import { productOfVersion } from '../api/registry.ts';
import { ApiError } from '../errors/api-error.ts';
import { CommonErrors } from '../errors/common.ts';
import type { Logger } from '../lib/logger.ts';
import type { Random } from '../lib/random.ts';
import { authenticate, type AuthDeps, type AuthenticatedRequest } from './authenticate.ts';
import { decodeCall } from './decode-call.ts';
import { encodeAnswer, encodeDocument, type ResponseFormat } from './encode-response.ts';
import { errorBody } from './envelope.ts';

export interface RpcPluginOptions {
  invoker: Invoker;
  auth: AuthDeps;
  /** Strict: parameters an action does not declare are refused by name. Loose: ignored, with a log line. */
  strict: boolean;
  /** Request IDs. */
  random: Random;
  log: Logger;
  /** Told of every answered RPC request (the metrics, app/metrics.ts). */
  observe?: (outcome: RpcOutcome) => void;
}

/** An answered RPC request, as the metrics count it. */
export interface RpcOutcome {
  product: string;
  /** The action's declared name when it ran; else the name the request gave (undefined before authentication). */
  action: string | undefined;
  /** The request's API version (undefined before authentication). */
  version: string | undefined;
  /** The error's Code; '' for a success. */
  code: string;
  status: number;
  /** From the handler's start (headers and body read) to the answer being sent. */
  seconds: number;
}

function send(reply: FastifyReply, status: number, format: ResponseFormat, bytes: Buffer): FastifyReply {
  return reply
    .code(status)
    .type(format === 'XML' ? 'text/xml;charset=utf-8' : 'application/json;charset=utf-8')
    .send(bytes);
}

/** The body of a request without one (GET, or an empty POST). */
const NO_BODY = Buffer.alloc(0);

/**
 * The RPC endpoint, as a Fastify plugin: one path, GET or POST, for every ECS, VPC and
 * ResourceManager action, and the cloud's envelope for whatever else reaches this plugin's prefix
 * (the app's root). This layer only translates HTTP to an authenticated, decoded call for invoke,
 * and its result (or ApiError) back to the cloud's envelope.
 */
export const rpcPlugin: FastifyPluginAsync<RpcPluginOptions> = async (app, opts) => {
  // Signatures cover the exact body bytes (V3 payload hash), so every body is kept raw.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    // The per-request line is built only when it will be written (pino's level can change at runtime).
    const logRequests = opts.log.isLevelEnabled('info');
    const started = logRequests || opts.observe ? process.hrtime.bigint() : 0n;
    const requestId = opts.random.uuid();
    const q = request.url.indexOf('?');
    const path = q < 0 ? request.url : request.url.slice(0, q);
    const rawQuery = q < 0 ? '' : request.url.slice(q + 1);
    let authenticated: AuthenticatedRequest | undefined;
    try {
      authenticated = await authenticate(
        { method: request.method, path, rawQuery, headers: request.headers, body: (request.body as Buffer | undefined) ?? NO_BODY },
        opts.auth,
      );
      const call = decodeCall(authenticated, opts, opts.log);
      const result = await opts.invoker.invokeAction(call.action, call.params, { ...call.caller, requestId });
      if (logRequests) {
        opts.log.info({ requestId, action: result.action, status: 200, ms: Number(process.hrtime.bigint() - started) / 1e6 }, 'request');
      }
      const sent = send(
        reply,
        200,
        authenticated.format,
        encodeAnswer(authenticated.format, `${result.action}Response`, requestId, result.body, result.shared),
      );
      opts.observe?.({ product: result.product, action: result.action, version: authenticated.version, code: '', status: 200, seconds: secondsSince(started) });
      return sent;
    } catch (err) {
      let apiError: ApiError;
      if (err instanceof ApiError) {
        apiError = err;
      } else {
        opts.log.error({ requestId, err }, 'unexpected error');
        apiError = CommonErrors.internalError();
      }
      const product = productOfVersion(authenticated?.version ?? (request.headers['x-acs-version'] as string | undefined)) ?? 'Ecs';
      if (logRequests) {
        opts.log.info(
          { requestId, action: authenticated?.action, status: apiError.httpStatus, code: apiError.code, ms: Number(process.hrtime.bigint() - started) / 1e6 },
          'request',
        );
      }
      const sent = sendError(reply, request, requestId, apiError, product, authenticated?.format);
      opts.observe?.({
        product,
        action: authenticated?.action,
        version: authenticated?.version,
        code: apiError.code,
        status: apiError.httpStatus,
        seconds: secondsSince(started),
      });
      return sent;
    }
  };
  // HEAD is not an RPC method: it goes to the fallback below like PUT or DELETE, not to GET's handler.
  app.route({ method: ['GET', 'POST'], url: RPC_PATH, exposeHeadRoute: false, handler: handle });
  registerFallback(app, opts.random);
  registerErrorHandler(app, opts.random, opts.log);
};

function secondsSince(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** Every RPC action is served at the root path. */
const RPC_PATH = '/';

/** The cloud's error envelope for an ApiError, JSON unless the request asked for XML. */
function sendError(reply: FastifyReply, request: FastifyRequest, requestId: string, apiError: ApiError, product: string, known?: ResponseFormat): FastifyReply {
  const body = errorBody(requestId, request.headers.host ?? '', apiError.code, apiError.message, product);
  const format = known ?? (/[?&]Format=xml/i.test(request.url) ? 'XML' : 'JSON');
  if (apiError.headers) reply.headers(apiError.headers);
  return send(reply, apiError.httpStatus, format, encodeDocument(format, 'Error', body as unknown as Record<string, unknown>));
}

/**
 * What no route serves answers in the cloud's envelope too, never Fastify's own 404 body: another
 * method on the RPC path is UnsupportedHTTPMethod (403, "This HTTP method is not supported.", the
 * POP gateway's answer, rpc-protocol.md §8), any other path is InvalidAction.NotFound (404,
 * "Specified api is not found, please check your url and method.", as the gateway answers a path
 * it routes to no API).
 */
function registerFallback(app: FastifyInstance, random: Random): void {
  const productOf = (request: FastifyRequest) => productOfVersion(request.headers['x-acs-version'] as string | undefined) ?? 'Ecs';
  app.setNotFoundHandler((request, reply) => {
    const q = request.url.indexOf('?');
    const path = q < 0 ? request.url : request.url.slice(0, q);
    const apiError = path === RPC_PATH ? CommonErrors.unsupportedHttpMethod() : CommonErrors.invalidAction();
    return sendError(reply, request, random.uuid(), apiError, productOf(request));
  });
}

/**
 * Fastify's own refusals before the handler runs (a body over the listener's bodyLimit, a body
 * shorter than its Content-Length) answer in the cloud's envelope too: the client's mistake,
 * never a 500. Anything else reaching here is our bug: InternalError, logged.
 */
function registerErrorHandler(app: FastifyInstance, random: Random, log: Logger): void {
  app.setErrorHandler((err: { statusCode?: number; code?: string; message: string }, request, reply) => {
    const requestId = random.uuid();
    let apiError: ApiError;
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') apiError = CommonErrors.requestEntityTooLarge(request.routeOptions.bodyLimit);
    else if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) apiError = CommonErrors.malformedRequest(err.message);
    else {
      log.error({ requestId, err }, 'unexpected error');
      apiError = CommonErrors.internalError();
    }
    const product = productOfVersion(request.headers['x-acs-version'] as string | undefined) ?? 'Ecs';
    return sendError(reply, request, requestId, apiError, product);
  });
}
