import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Product } from '../api/define-action.ts';
import { PRODUCTS } from '../api/define-action.ts';
import { resolveProductAction } from '../api/registry.ts';
import type { Invoker } from '../api/invoke.ts';
import type { AppDeps } from '../app/build-app.ts';
import { ApiError } from '../errors/api-error.ts';
import type { ConsoleSession } from '../store/repos/console-sessions.ts';
import { checkCsrf, ConsoleErrors, EXPIRED_SESSION_MEMORY_MS, SESSION_COOKIE, type ConsoleSessions } from './sessions.ts';
import { consoleViews } from './views/index.ts';

/**
 * The console's API, under /console/api: sign-in and sign-out, and one route into the actions
 * (`POST /call`), which goes through the same invoker as the RPC endpoint. Parameters arrive in
 * the shape of the action's declaration (typed JSON, lists as arrays), so validation, limits,
 * ClientToken, DryRun and every rule are the action's own: the browser decides nothing.
 *
 * Why not the signed RPC API from the browser: signing needs the AccessKey secret in the page,
 * and the secret must never sit in browser storage. The session cookie is the credential here.
 */

export interface ConsoleApiOptions {
  deps: AppDeps;
  invoker: Invoker;
  sessions: ConsoleSessions;
  ttlMs: number;
}

interface ErrorAnswer {
  Code: string;
  Message: string;
  RequestId: string;
  HttpStatus: number;
}

/** Fastify's own refusals of a malformed request (bad JSON, wrong content type, too large): the client's mistake, never a 500. */
function isClientError(err: unknown): err is { statusCode: number; message: string } {
  const status = (err as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** Over HTTPS (serve --tls-cert) the cookie is also Secure: the browser never sends it over plain HTTP. */
function cookieOptions(maxAgeSeconds: number, secure: boolean) {
  return { path: '/console', httpOnly: true, sameSite: 'strict' as const, maxAge: maxAgeSeconds, secure };
}

function sessionAnswer(session: ConsoleSession, defaultRegion: string) {
  return {
    AccountId: session.accountId,
    AccessKeyId: session.accessKeyId,
    CsrfToken: session.csrfToken,
    ExpiresAt: session.expiresAt,
    DefaultRegion: defaultRegion,
  };
}

export function registerConsoleApi(app: FastifyInstance, opts: ConsoleApiOptions): void {
  const { deps, invoker, sessions } = opts;

  /** Answers an error in the cloud's terms; anything that is not an ApiError is our bug: logged, 500. */
  app.setErrorHandler((err, request, reply) => {
    const requestId = deps.random.uuid();
    let apiError: ApiError;
    if (err instanceof ApiError) apiError = err;
    else if (isClientError(err)) apiError = new ApiError(err.statusCode, 'Console.BadRequest', String(err.message));
    else {
      deps.log.error({ requestId, err, url: request.url }, 'console: unexpected error');
      apiError = new ApiError(500, 'InternalError', 'The request processing has failed due to some unknown error, exception or failure.');
    }
    const body: ErrorAnswer = { Code: apiError.code, Message: apiError.message, RequestId: requestId, HttpStatus: apiError.httpStatus };
    void reply.status(apiError.httpStatus).header('cache-control', 'no-store').send(body);
  });
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });

  const tokenOf = (request: FastifyRequest) => request.cookies[SESSION_COOKIE];
  /** The session of a request that changes something or reads account data: cookie and CSRF header both. */
  const guarded = async (request: FastifyRequest) => {
    const session = await sessions.resolve(tokenOf(request));
    checkCsrf(session, request.headers['x-csrf-token']);
    return session;
  };

  app.get('/session', async (request) => sessionAnswer(await sessions.resolve(tokenOf(request)), deps.config.defaultRegion));

  app.post('/session', async (request: FastifyRequest, reply: FastifyReply) => {
    const body = (request.body ?? {}) as { AccessKeyId?: unknown; AccessKeySecret?: unknown };
    if (typeof body.AccessKeyId !== 'string' || body.AccessKeyId === '') throw ConsoleErrors.badRequest('Enter the AccessKey ID.');
    if (typeof body.AccessKeySecret !== 'string' || body.AccessKeySecret === '') throw ConsoleErrors.badRequest('Enter the AccessKey Secret.');
    const { token, session } = await sessions.signIn(body.AccessKeyId, body.AccessKeySecret);
    // The cookie outlives the session by a day: the browser still presents the dead token after
    // expiry, so the server can answer Console.SessionExpired ("saying why") instead of a bare
    // SignInRequired. The session itself ends on the server at expiresAt either way.
    void reply.setCookie(SESSION_COOKIE, token, cookieOptions(Math.ceil((opts.ttlMs + EXPIRED_SESSION_MEMORY_MS) / 1000), request.protocol === 'https'));
    return sessionAnswer(session, deps.config.defaultRegion);
  });

  app.delete('/session', async (request, reply) => {
    await guarded(request);
    await sessions.signOut(tokenOf(request));
    void reply.clearCookie(SESSION_COOKIE, { path: '/console' });
    return { SignedOut: true };
  });

  /** Action declarations the console reads its parameter names and limits from (JSON Schema). */
  app.get('/actions', async (request) => {
    await sessions.resolve(tokenOf(request));
    const names = String((request.query as { names?: unknown }).names ?? '')
      .split(',')
      .filter(Boolean);
    return {
      Actions: names.map((qualified) => {
        const [product, name] = qualified.split(':') as [Product, string];
        const found = PRODUCTS.includes(product) ? resolveProductAction(product, name ?? '') : { kind: 'unknown' as const };
        if (found.kind !== 'found') throw ConsoleErrors.badRequest(`No action ${qualified}.`);
        const def = found.action.def;
        return { Product: def.product, Name: def.name, Summary: def.summary, Params: def.params, Idempotent: def.idempotent === true };
      }),
    };
  });

  app.post('/call', async (request) => {
    const session = await guarded(request);
    const body = (request.body ?? {}) as { Product?: unknown; Action?: unknown; Params?: unknown; RegionId?: unknown };
    if (typeof body.Product !== 'string' || !PRODUCTS.includes(body.Product as Product))
      throw ConsoleErrors.badRequest(`Product must be one of ${PRODUCTS.join(', ')}.`);
    if (typeof body.Action !== 'string') throw ConsoleErrors.badRequest('Action is missing.');
    const params = body.Params ?? {};
    if (typeof params !== 'object' || params === null || Array.isArray(params)) throw ConsoleErrors.badRequest('Params must be an object.');
    const regionId = typeof body.RegionId === 'string' ? body.RegionId : deps.config.defaultRegion;
    const found = resolveProductAction(body.Product as Product, body.Action);
    // The region selector's region, for actions that declare RegionId (most require it) and were not given one.
    const declaresRegion = found.kind === 'found' && 'RegionId' in found.action.def.params.properties;
    const withRegion = declaresRegion && !('RegionId' in params) ? { RegionId: regionId, ...params } : params;
    const requestId = deps.random.uuid();
    const result = await invoker.invoke(body.Product as Product, body.Action, withRegion as Record<string, unknown>, {
      accountId: session.accountId,
      regionId,
    });
    return { RequestId: requestId, ...result.body };
  });

  consoleViews(app, { deps, guarded });
}
