import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { Store } from '../store/db.ts';
import type { Instance } from '../domain/models/instance.ts';
import { ensureServiceSecret } from '../store/repos/service-secrets.ts';
import { readerOf } from '../store/tx.ts';
import { buildVersionTree } from './build-tree.ts';
import { laggedView } from './lag.ts';
import { findInstanceBySource, findMetadataInstance, loadMetadataInstance, loadRamRole } from './load-instance.ts';
import { decideCaller, mayReadCredentials, plainIpv4, type Connection } from './caller.ts';
import { dataplaneVpcOf } from './dataplane-connections.ts';
import { renderRoleCredentials } from './ram-credentials.ts';
import { DEFAULT_CREDENTIAL_LIFETIME_MS } from '../domain/sts-credentials.ts';
import { roleCredentials, stsKeyFor } from '../services/temporary-credentials.ts';
import { INSTANCE_HEADER, METADATA_VERSIONS, isAllPath, isTokenPath, parseMetadataPath } from './request-path.ts';
import { issueToken, parseTokenTtl, verifyToken } from './tokens.ts';
import { render, toJson, walk, type MetadataDir } from './tree.ts';
import type { MetadataInstance } from './build-tree.ts';

export interface MetadataServerDeps {
  store: Store;
  clock: Clock;
  log: Logger;
  /** Answers trail the API by this many milliseconds (serve --metadata-lag); 0 in normal use. */
  lagMs: number;
  /** How long a RAM role's temporary credentials live (serve --ram-credential-lifetime); the cloud's 6 hours by default. */
  ramCredentialLifetimeMs?: number;
}

/** Header names of the token mode (metadata-service.md §3); HTTP header names are case-insensitive. */
const TOKEN_HEADER = 'x-aliyun-ecs-metadata-token';
const TTL_HEADER = 'x-aliyun-ecs-metadata-token-ttl-seconds';

const SECRET_NAME = 'metadata-token-hmac';

/** A refusal with its HTTP status and a plain-text body. */
class Refusal {
  constructor(
    readonly status: number,
    readonly message: string,
  ) {}
}

const NOT_FOUND = new Refusal(404, 'Not Found');

/**
 * The instance metadata service (the cloud's http://100.100.100.200), as a Fastify plugin for its
 * own loopback listener (app/build-metadata-app.ts) and, with the data plane, for the connections
 * accepted at 100.100.100.200 in each VPC router (dataplane-connections.ts). Read-only: it answers from the store at the time of
 * each request, so attach, detach and address changes show at once (or after --metadata-lag).
 */
export const metadataPlugin: FastifyPluginAsync<MetadataServerDeps> = async (app, deps) => {
  // Bodies carry nothing here (a PUT for a token may send one): accept any type, ignore it.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, _body, done) => done(null, undefined));

  // The token key: created once in the database (the first replica wins), then cached.
  let secret: Promise<string> | undefined;
  const tokenSecret = () =>
    (secret ??= ensureServiceSecret(
      readerOf(deps.store),
      SECRET_NAME,
      // Never from the seeded random source: a seed would make tokens forgeable.
      randomBytes(32).toString('base64url'),
      deps.clock.now(),
    ).catch((err: unknown) => {
      secret = undefined;
      throw err;
    }));

  const stsKey = stsKeyFor(deps.store, () => deps.clock.now());
  const lifetimeMs = deps.ramCredentialLifetimeMs ?? DEFAULT_CREDENTIAL_LIFETIME_MS;

  const lagged = laggedView<MetadataInstance>(deps.lagMs, (v) => JSON.stringify(v));

  /** Who is asking (caller.ts): named by the request on loopback, known by the source address through the data plane. */
  async function connectionOf(req: FastifyRequest, now: number): Promise<Connection> {
    const vpcId = dataplaneVpcOf(req.raw.socket);
    if (!vpcId) return { kind: 'loopback' };
    const address = plainIpv4(req.raw.socket.remoteAddress);
    return { kind: 'dataplane', vpcId, address, holder: await findInstanceBySource(deps.store, vpcId, address, now) };
  }

  async function identify(connection: Connection, named: string | undefined, now: number): Promise<Instance> {
    const decided = decideCaller(connection, named);
    if (!('instanceId' in decided)) throw new Refusal(decided.status, decided.message);
    const instanceId = decided.instanceId;
    const inst = await findMetadataInstance(deps.store, instanceId, now);
    if (!inst) throw new Refusal(404, `No instance ${instanceId}: it does not exist or has been deleted.`);
    // DIVERGENCE: the cloud closes the access channel; eniplane answers 403 so the reason is visible.
    if (inst.httpEndpoint === 'disabled') throw new Refusal(403, `Forbidden: the metadata endpoint of ${inst.id} is disabled (HttpEndpoint=disabled).`);
    return inst;
  }

  async function putToken(req: FastifyRequest, connection: Connection, instanceId: string | undefined, now: number): Promise<{ body: string; ttl: number }> {
    // A token is never handed through a proxy (metadata-service.md §3).
    if (req.headers['x-forwarded-for'] !== undefined) throw new Refusal(403, 'Forbidden: a token is not issued to a request carrying X-Forwarded-For.');
    const ttl = parseTokenTtl(header(req, TTL_HEADER));
    if (ttl === undefined) throw new Refusal(400, 'Missing or Invalid Parameters: X-aliyun-ecs-metadata-token-ttl-seconds must be an integer from 1 to 21600.');
    const inst = await identify(connection, instanceId, now);
    return { body: issueToken(await tokenSecret(), inst.id, now, ttl), ttl };
  }

  async function getItem(
    req: FastifyRequest,
    connection: Connection,
    instanceId: string | undefined,
    segments: string[],
    now: number,
  ): Promise<{ body: string; json: boolean }> {
    const inst = await identify(connection, instanceId, now);
    const token = header(req, TOKEN_HEADER);
    if (token !== undefined) {
      if (!verifyToken(await tokenSecret(), inst.id, token, now)) throw new Refusal(401, 'Unauthorized: the metadata token is invalid or has expired.');
    } else if (inst.httpTokens === 'required') {
      throw new Refusal(403, `Forbidden: ${inst.id} requires a token (HttpTokens=required); PUT /latest/api/token first.`);
    }
    const view = lagged.observe(inst.id, await loadMetadataInstance(deps.store, inst, now), now);
    // Temporary credentials only to the instance itself (caller.ts mayReadCredentials). Never
    // lagged: a detached role's credentials would be refused anyway.
    const role = mayReadCredentials(connection, req.socket.remoteAddress) ? await loadRamRole(deps.store, inst.id) : undefined;
    const withRole: MetadataInstance = role
      ? {
          ...view,
          ram: {
            roleName: role.roleName,
            credentials: renderRoleCredentials(
              roleCredentials(
                await stsKey(),
                { accountId: inst.accountId, instanceId: inst.id, roleName: role.roleName, attachedAt: role.attachedAt },
                now,
                lifetimeMs,
              ),
            ),
          },
        }
      : view;
    const tree: MetadataDir = buildVersionTree(withRole);
    if (isAllPath(segments)) return { body: JSON.stringify(toJson(walk(tree, ['meta-data'])!)), json: true };
    const node = walk(tree, segments);
    if (!node) throw NOT_FOUND;
    return { body: render(node), json: false };
  }

  async function handle(req: FastifyRequest, reply: FastifyReply) {
    const now = deps.clock.now();
    const parsed = parseMetadataPath(req.url, header(req, INSTANCE_HEADER));
    try {
      if (parsed.kind === 'not-found') throw NOT_FOUND;
      if (parsed.kind === 'conflict')
        throw new Refusal(400, `Two instances named: ${parsed.fromPath} in the path, ${parsed.fromHeader} in X-Eniplane-Instance-Id.`);
      if (parsed.kind === 'root') {
        if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed(reply, 'GET');
        return send(reply, 200, METADATA_VERSIONS.map((v) => `${v}/`).join('\n'));
      }
      if (isTokenPath(parsed.segments)) {
        if (parsed.version !== 'latest') throw NOT_FOUND;
        if (req.method !== 'PUT') throw methodNotAllowed(reply, 'PUT');
        const token = await putToken(req, await connectionOf(req, now), parsed.instanceId, now);
        reply.header('X-aliyun-ecs-metadata-token-ttl-seconds', String(token.ttl));
        return send(reply, 200, token.body);
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed(reply, 'GET');
      const item = await getItem(req, await connectionOf(req, now), parsed.instanceId, parsed.segments, now);
      return send(reply, 200, item.body, item.json ? 'application/json' : undefined);
    } catch (err) {
      if (err instanceof Refusal) return send(reply, err.status, err.message);
      deps.log.error({ err, url: req.url }, 'metadata request failed');
      return send(reply, 500, 'Internal Server Error');
    } finally {
      deps.log.debug({ method: req.method, url: req.url, status: reply.statusCode }, 'metadata request');
    }
  }

  app.route({ method: ['GET', 'PUT', 'POST', 'DELETE', 'PATCH'], url: '*', handler: handle });
};

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function methodNotAllowed(reply: FastifyReply, allow: string): Refusal {
  reply.header('Allow', allow);
  return new Refusal(405, 'Method Not Allowed');
}

function send(reply: FastifyReply, status: number, body: string, type = 'text/plain; charset=utf-8') {
  return reply.code(status).type(type).send(body);
}
