import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { dispatch, type DispatchDeps } from '../api/dispatch.ts';
import { productOfVersion } from '../api/registry.ts';
import { ApiError } from '../errors/api-error.ts';
import { CommonErrors } from '../errors/common.ts';
import { authenticate, type AuthDeps, type AuthenticatedRequest } from './authenticate.ts';
import { encodeAnswer, encodeDocument, type ResponseFormat } from './encode-response.ts';
import { errorBody } from './envelope.ts';

export interface RpcRouteDeps extends DispatchDeps {
  auth: AuthDeps;
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
 * The RPC endpoint: one path, GET or POST, for every ECS and VPC action. This layer only
 * translates HTTP to an authenticated call and a result (or ApiError) back to the cloud's envelope.
 */
export function registerRpcRoute(app: FastifyInstance, deps: RpcRouteDeps): void {
  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    // The per-request line is built only when it will be written (pino's level can change at runtime).
    const logRequests = deps.log.isLevelEnabled('info');
    const started = logRequests ? process.hrtime.bigint() : 0n;
    const requestId = deps.random.uuid();
    const q = request.url.indexOf('?');
    const path = q < 0 ? request.url : request.url.slice(0, q);
    const rawQuery = q < 0 ? '' : request.url.slice(q + 1);
    let authenticated: AuthenticatedRequest | undefined;
    try {
      authenticated = await authenticate(
        { method: request.method, path, rawQuery, headers: request.headers, body: (request.body as Buffer | undefined) ?? NO_BODY },
        deps.auth,
      );
      const result = await dispatch(authenticated, requestId, deps);
      if (logRequests) {
        deps.log.info({ requestId, action: result.action, status: 200, ms: Number(process.hrtime.bigint() - started) / 1e6 }, 'request');
      }
      return send(reply, 200, authenticated.format, encodeAnswer(authenticated.format, `${result.action}Response`, requestId, result.body, result.shared));
    } catch (err) {
      let apiError: ApiError;
      if (err instanceof ApiError) {
        apiError = err;
      } else {
        deps.log.error({ requestId, err }, 'unexpected error');
        apiError = CommonErrors.internalError();
      }
      const product = productOfVersion(authenticated?.version ?? (request.headers['x-acs-version'] as string | undefined)) ?? 'Ecs';
      if (logRequests) {
        deps.log.info(
          { requestId, action: authenticated?.action, status: apiError.httpStatus, code: apiError.code, ms: Number(process.hrtime.bigint() - started) / 1e6 },
          'request',
        );
      }
      return sendError(reply, request, requestId, apiError, product, authenticated?.format);
    }
  };
  // HEAD is not an RPC method: it goes to the fallback below like PUT or DELETE, not to GET's handler.
  app.route({ method: ['GET', 'POST'], url: RPC_PATH, exposeHeadRoute: false, handler: handle });
  registerFallback(app, deps);
}

/** Every RPC action is served at the root path. */
const RPC_PATH = '/';

/** The cloud's error envelope for an ApiError, JSON unless the request asked for XML. */
function sendError(reply: FastifyReply, request: FastifyRequest, requestId: string, apiError: ApiError, product: string, known?: ResponseFormat): FastifyReply {
  const body = errorBody(requestId, request.headers.host ?? '', apiError.code, apiError.message, product);
  const format = known ?? (/[?&]Format=xml/i.test(request.url) ? 'XML' : 'JSON');
  return send(reply, apiError.httpStatus, format, encodeDocument(format, 'Error', body as unknown as Record<string, unknown>));
}

/**
 * What no route serves answers in the cloud's envelope too, never Fastify's own 404 body: another
 * method on the RPC path is UnsupportedHTTPMethod (403, "This HTTP method is not supported.", the
 * POP gateway's answer, rpc-protocol.md §8), any other path is InvalidAction.NotFound (404,
 * "Specified api is not found, please check your url and method.", as the gateway answers a path
 * it routes to no API).
 */
function registerFallback(app: FastifyInstance, deps: RpcRouteDeps): void {
  const productOf = (request: FastifyRequest) => productOfVersion(request.headers['x-acs-version'] as string | undefined) ?? 'Ecs';
  app.setNotFoundHandler((request, reply) => {
    const q = request.url.indexOf('?');
    const path = q < 0 ? request.url : request.url.slice(0, q);
    const apiError = path === RPC_PATH ? CommonErrors.unsupportedHttpMethod() : CommonErrors.invalidAction();
    return sendError(reply, request, deps.random.uuid(), apiError, productOf(request));
  });
}
