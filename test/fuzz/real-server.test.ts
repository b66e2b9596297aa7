/**
 * The fuzzers' requests over real HTTP to a real `eniplane serve` process (test/helpers/server.ts,
 * SQLite in a data directory of its own): action parameters, signature inputs and headers,
 * metadata paths (raw `..` segments included, which only a real socket carries), and raw bytes no
 * HTTP client would send. Oracles: no 5xx and the same answer shapes as in-process; the process
 * stays up and still serves a valid call; its resident memory stays within a margin; nothing
 * logged as an unexpected error; and a batch of refused requests leaves every table as it was,
 * nonces included (read through Kysely from the server's SQLite file).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { allActions } from '../../src/api/registry.ts';
import { openStore, sqliteFileIn, type Store } from '../../src/store/db.ts';
import { createAccount } from '../helpers/cli.ts';
import { startServer, TEST_KEY, type RunningServer } from '../helpers/server.ts';
import { FUZZ_SEED, fuzz, rateOf, runsFor } from './fuzz-run.ts';
import { closeConnections, send, sendRaw, type HttpAnswer } from './http-send.ts';
import { MiB, residentBytes } from './memory.ts';
import { buildMetadataRequest, checkMetadataAnswer, metadataCaseArbitrary, treePaths, type MetadataCase, type MetadataWorld } from './metadata-paths.ts';
import { judgeRpcAnswer, Tally } from './oracles.ts';
import { buildRpcRequest, describeRequest, plainRpcCall, rpcCallArbitrary, type HttpRequest, type RpcCall } from './rpc-requests.ts';
import { baseCalls, buildSignatureRequest, signatureCaseArbitrary, type SignatureCase } from './signature-inputs.ts';
import { accountOfKey, changedTables, foreignValues, makeFixture, snapshotStore, type Fixture, type TemporaryKey, type WireCall } from './target.ts';

const FILE = fileURLToPath(import.meta.url);
const RUNS = runsFor(0.05);
/**
 * Resident memory growth allowed from the end of the warm-up to the end of the run: the nonces of
 * the timestamp window (30 minutes of them are remembered), SQLite's page cache, V8's heap sizing.
 */
const RSS_MARGIN = 96 * MiB;
/** Node's limit on a request's headers (16 KiB): past it node answers 431 itself and closes. */
const NODE_HEADER_LIMIT = 16 * 1024;

let server: RunningServer;
let metadataPort: number;
let dataDir: string;
let store: Store;
let fixture: Fixture;
let world: MetadataWorld & { foreign: string[] };
let temporary: TemporaryKey;
let sent = 0;

const nonce = () => `real-${FUZZ_SEED}-${++sent}`;

/** A request as it would be signed for this server: the Host is the endpoint. */
function rpc(
  key: { accessKeyId: string; accessKeySecret: string },
  product: 'Ecs' | 'Vpc' | 'ResourceManager',
  action: string,
  params: Record<string, string>,
): HttpRequest {
  return buildRpcRequest(plainRpcCall(product, action, params, 'v3-query'), { key, now: Date.now(), nonce: nonce(), host: server.endpoint });
}

const call: WireCall = async (key, product, action, params) => {
  const res = await send(server.port, rpc(key, product, action, params));
  if (res.status !== 200) throw new Error(`${action}: ${res.status} ${res.body}`);
  return JSON.parse(res.body) as Record<string, unknown>;
};

const metadataGet = async (url: string, headers: Record<string, string> = {}) => send(metadataPort, { method: 'GET', url, headers });

before(async () => {
  // A data directory of the test's own: the server stays on SQLite whatever ENIPLANE_TEST_PG says.
  dataDir = mkdtempSync(join(tmpdir(), 'eniplane-fuzz-'));
  server = await startServer({ dataDir });
  metadataPort = Number(new URL(server.metadataUrl).port);
  store = await openStore({ kind: 'sqlite', file: sqliteFileIn(dataDir) });
  const other = createAccount(server, 'fuzz-other');
  fixture = await makeFixture(
    call,
    { key: TEST_KEY, accountId: await accountOfKey(store, TEST_KEY.accessKeyId) },
    { key: other, accountId: await accountOfKey(store, other.accessKeyId) },
  );
  const credentials = await metadataGet(`/${fixture.main.instanceId}/latest/meta-data/ram/security-credentials/FuzzRole`);
  const c = JSON.parse(credentials.body) as { AccessKeyId: string; AccessKeySecret: string; SecurityToken: string };
  temporary = { accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret, securityToken: c.SecurityToken };
  const token = async (instanceId: string, ttl: string) =>
    (await send(metadataPort, { method: 'PUT', url: `/${instanceId}/latest/api/token`, headers: { 'x-aliyun-ecs-metadata-token-ttl-seconds': ttl } })).body;
  const expired = await token(fixture.main.instanceId, '1');
  world = {
    mainInstance: fixture.main.instanceId,
    otherInstance: fixture.other.instanceId,
    paths: await treePaths(metadataGet, fixture.main.instanceId),
    tokens: { main: await token(fixture.main.instanceId, '21600'), other: await token(fixture.other.instanceId, '21600'), expired },
    foreign: foreignValues(fixture),
  };
  // The expired token is one second old at most: wait it out.
  await new Promise((resolve) => setTimeout(resolve, 1100));
});

after(async () => {
  closeConnections();
  await store?.close();
  await server?.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Raw requests: malformed HTTP, smuggling shapes, traversal, oversized parts, pipelining. `{N}` is the noise. */
const RAW: ((endpoint: string, noise: string) => string)[] = [
  (h) => `GET /?Action=DescribeRegions&Version=2014-05-26 HTTP/1.1\r\nHost: ${h}\r\n\r\n`,
  (h) => `GET / HTTP/1.1\r\nHost ${h}\r\n\r\n`,
  (h) => `POST / HTTP/1.1\r\nHost: ${h}\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabcde`,
  (h) => `POST / HTTP/1.1\r\nHost: ${h}\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
  (h) => `POST / HTTP/1.1\r\nHost: ${h}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n`,
  (h, n) => `GET / HTTP/1.1\r\nHost: ${h}\r\nX-Big: ${n.repeat(Math.ceil(20_000 / Math.max(1, n.length)))}\r\n\r\n`,
  (h) => `GET http://evil.example/?Action=DescribeRegions HTTP/1.1\r\nHost: ${h}\r\n\r\n`,
  (h) => `GET /../../etc/passwd HTTP/1.1\r\nHost: ${h}\r\n\r\n`,
  () => `GET /?Action=DescribeRegions HTTP/1.0\r\n\r\n`,
  (h) => `GET /\u0000 HTTP/1.1\r\nHost: ${h}\r\n\r\n`,
  (h) => `FOO / HTTP/1.1\r\nHost: ${h}\r\n\r\n`,
  (h) => `GET / HTTP/1.1\r\nHost: ${h}\r\n\r\nGET /nope HTTP/1.1\r\nHost: ${h}\r\n\r\n`,
  (h) => `POST / HTTP/1.1\r\nHost: ${h}\r\nContent-Length: 2\r\n\r\nabGARBAGE\r\n\r\n`,
  (h, n) => `GET /${n} HTTP/1.1\r\nHost: ${h}\r\n\r\n`,
  (h, n) => `${n} / HTTP/1.1\r\nHost: ${h}\r\n\r\n`,
  (h, n) => `GET / HTTP/1.1\r\nHost: ${h}\r\n${n}: x\r\n\r\n`,
  (h) =>
    `POST / HTTP/1.1\r\nHost: ${h}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${1024 * 1024 + 10}\r\n\r\n${'a'.repeat(1024 * 1024 + 10)}`,
  (h) => `GET / HTTP/1.1\r\nHost: ${h}\r\nContent-Length: -1\r\n\r\n`,
  (h) => `GET / HTTP/1.1\r\nHost: ${h}\r\nAuthorization: ACS3-HMAC-SHA256 Credential=x,SignedHeaders=host,Signature=00\r\nAuthorization: Bearer y\r\n\r\n`,
  (h) => `GET / HTTP/1.1\r\nHost: ${h}\r\nHost: other\r\n\r\n`,
];

type RealCase =
  | { kind: 'rpc'; value: RpcCall }
  | { kind: 'signature'; value: SignatureCase }
  | { kind: 'metadata'; value: MetadataCase; raw: boolean }
  | { kind: 'raw'; template: number; noise: string; metadataPort: boolean };

function realCaseArbitrary(calls: number): fc.Arbitrary<RealCase> {
  return fc.oneof(
    { weight: 6, arbitrary: rpcCallArbitrary(allActions(), fixture).map((value): RealCase => ({ kind: 'rpc', value })) },
    { weight: 2, arbitrary: signatureCaseArbitrary(calls).map((value): RealCase => ({ kind: 'signature', value })) },
    { weight: 2, arbitrary: fc.tuple(metadataCaseArbitrary(world), fc.boolean()).map(([value, raw]): RealCase => ({ kind: 'metadata', value, raw })) },
    {
      weight: 1,
      arbitrary: fc
        .record({ template: fc.nat(RAW.length - 1), noise: fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 40 }), metadataPort: fc.boolean() })
        .map((r): RealCase => ({ kind: 'raw', ...r })),
    },
  );
}

/**
 * The metadata listener's refusals at the HTTP level, before any route (a parser error, headers
 * over node's 16 KiB): node's bare answer or Fastify's default client-error body. The metadata
 * service has no error envelope to give instead; the RPC listener answers these in the cloud's
 * envelope (src/app/listener-limits.ts), which judgeRpcAnswer holds it to.
 */
function metadataTransportRefusal(answer: HttpAnswer): boolean {
  if (answer.status !== 400 && answer.status !== 431) return false;
  if (answer.contentType === '' && answer.body === '') return true;
  try {
    return (
      Object.keys(JSON.parse(answer.body) as object)
        .sort()
        .join() === 'error,message,statusCode'
    );
  } catch {
    return false;
  }
}

function headerBytes(req: HttpRequest): number {
  return Object.entries(req.headers).reduce(
    (n, [k, v]) => n + k.length + (Array.isArray(v) ? v.join('').length + v.length * k.length : v.length),
    req.url.length,
  );
}

/** Sends an RPC request; a request whose headers pass node's limit may be refused with 431 or a closed connection. */
async function sendRpc(req: HttpRequest, context: string, tally: Tally, action: string): Promise<'success' | 'refused'> {
  let answer: HttpAnswer;
  try {
    answer = await send(server.port, req);
  } catch (err) {
    if (headerBytes(req) > NODE_HEADER_LIMIT) return 'refused';
    throw new Error(`no answer: ${(err as Error).message}\n  request: ${context}`, { cause: err });
  }
  const verdict = judgeRpcAnswer(answer, context);
  tally.record(action, verdict);
  return verdict.kind;
}

test('over real HTTP to a real server: parameters, signatures, metadata paths, raw bytes: no 5xx, the process stays up, memory bounded', async (t) => {
  const tally = new Tally();
  const calls = baseCalls(fixture);
  const warmUp = Math.max(1, Math.floor(RUNS / 10));
  let rssAtWarm = 0;
  let runs = 0;
  const rawStatuses = new Map<string, number>();
  const started = { wall: performance.now(), cpu: process.cpuUsage() };
  await fuzz(FILE, RUNS, realCaseArbitrary(calls.length), async (c) => {
    runs++;
    if (runs === warmUp) rssAtWarm = residentBytes(server.process.pid!);
    if (c.kind === 'rpc') {
      const key = c.value.otherKey ? fixture.other.key : fixture.main.key;
      const req = buildRpcRequest(c.value, { key, now: Date.now(), nonce: nonce(), host: server.endpoint });
      await sendRpc(req, describeRequest(c.value.action, req), tally, c.value.action);
    } else if (c.kind === 'signature') {
      const built = buildSignatureRequest(c.value, calls, {
        fixture,
        temporary,
        now: Date.now(),
        nonce: nonce(),
        spentNonce: `real-${FUZZ_SEED}-${Math.max(1, sent - 3)}`,
        host: server.endpoint,
      });
      const context = `${describeRequest(calls[c.value.call]!.action, built.request)}\n  case: ${JSON.stringify(c.value).slice(0, 1500)}`;
      const outcome = await sendRpc(built.request, context, tally, calls[c.value.call]!.action);
      if (built.tampered) assert.equal(outcome, 'refused', `a request changed after signing was accepted\n  request: ${context}`);
    } else if (c.kind === 'metadata') {
      const req = buildMetadataRequest(c.value, world);
      // Raw: dot segments and the path exactly as written, which node:http also sends as is.
      const url = c.raw ? req.url.replace(/%2e/gi, '.') : req.url;
      const context = `${req.method} ${url.slice(0, 1000)} headers=${JSON.stringify(req.headers).slice(0, 500)}\n  case: ${JSON.stringify(c.value).slice(0, 1500)}`;
      let answer: HttpAnswer;
      try {
        answer = await send(metadataPort, { method: req.method, url, headers: req.headers });
      } catch (err) {
        if (headerBytes({ method: 'GET', url, headers: req.headers }) > NODE_HEADER_LIMIT) return;
        throw new Error(`no answer: ${(err as Error).message}\n  request: ${context}`, { cause: err });
      }
      if (metadataTransportRefusal(answer)) return;
      checkMetadataAnswer(c.value, { ...req, url }, answer, world, context);
    } else {
      const bytes = Buffer.from(RAW[c.template]!(server.endpoint, c.noise.replace(/[\r\n]/g, '')), 'latin1');
      const { status, text } = await sendRaw(c.metadataPort ? metadataPort : server.port, bytes);
      const key = `${c.template}:${status ?? 'closed'}`;
      rawStatuses.set(key, (rawStatuses.get(key) ?? 0) + 1);
      assert.ok(
        status === undefined || status < 500,
        `raw request ${c.template} answered ${status}:\n${text.slice(0, 500)}\n  sent: ${JSON.stringify(bytes.toString('latin1').slice(0, 300))}`,
      );
    }
    assert.equal(server.process.exitCode, null, `the server exited:\n${server.output().slice(-3000)}`);
  });
  t.diagnostic(rateOf(RUNS, started));
  const rssGrowth = residentBytes(server.process.pid!) - rssAtWarm;
  t.diagnostic(tally.summary());
  t.diagnostic(
    `raw (template:status): ${[...rawStatuses]
      .sort()
      .map(([k, n]) => `${k}×${n}`)
      .join(' ')}`,
  );
  t.diagnostic(`server RSS growth after the warm-up: ${(rssGrowth / MiB).toFixed(1)} MiB (margin ${RSS_MARGIN / MiB} MiB)`);
  assert.ok(rssGrowth < RSS_MARGIN, `the server's resident memory grew by ${(rssGrowth / MiB).toFixed(1)} MiB over ${RUNS} requests`);
  assert.doesNotMatch(server.output(), /unexpected error|metadata request failed/, 'the server logged an unexpected error');
  // Still up, still serving.
  const alive = await send(server.port, rpc(TEST_KEY, 'Ecs', 'DescribeRegions', {}));
  assert.equal(alive.status, 200, alive.body);
});

test('over real HTTP: a batch of refused requests (bad signatures, metadata reads) leaves every table as it was, nonces included', async () => {
  const before = await snapshotStore(store);
  const wrongSecret = { accessKeyId: TEST_KEY.accessKeyId, accessKeySecret: `${TEST_KEY.accessKeySecret}-wrong` };
  const samples = fc.sample(rpcCallArbitrary(allActions(), fixture), { numRuns: 200, seed: FUZZ_SEED });
  for (const value of samples) {
    const req = buildRpcRequest(value, { key: wrongSecret, now: Date.now(), nonce: nonce(), host: server.endpoint });
    const answer = await send(server.port, req);
    const verdict = judgeRpcAnswer(answer, describeRequest(value.action, req));
    assert.notEqual(verdict.kind, 'success', describeRequest(value.action, req));
  }
  for (const value of fc.sample(metadataCaseArbitrary(world), { numRuns: 100, seed: FUZZ_SEED })) {
    const req = buildMetadataRequest(value, world);
    await send(metadataPort, { method: req.method, url: req.url, headers: req.headers }).catch(() => undefined);
  }
  assert.deepEqual(changedTables(before, await snapshotStore(store), true), []);
});
