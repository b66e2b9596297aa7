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
  return reply.code(status).type(format === 'XML' ? 'text/xml;charset=utf-8' : 'application/json;charset=utf-8').send(bytes);
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
      const body = errorBody(requestId, request.headers.host ?? '', apiError.code, apiError.message, product);
      const format = authenticated?.format ?? (/[?&]Format=xml/i.test(request.url) ? 'XML' : 'JSON');
      return send(reply, apiError.httpStatus, format, encodeDocument(format, 'Error', body as unknown as Record<string, unknown>));
    }
  };
  app.route({ method: ['GET', 'POST'], url: '/', handler: handle });
}
