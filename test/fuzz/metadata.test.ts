/**
 * The metadata service (src/metadata), fuzzed through app.inject on the in-process metadata
 * listener (metadata-paths.ts). Oracles: never a 5xx, only the statuses the service answers
 * with; a HEAD has no body; nothing written to the store, ever (the service only reads); an answer
 * never shows another instance's data than the one the request named, and an item is never served
 * with a token that is not the instance's own and alive. Paths with raw `..` segments, which
 * app.inject normalizes away, go over a real socket in real-server.test.ts.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { fuzz, runsFor } from './fuzz-run.ts';
import { heapAfterGc, MiB } from './memory.ts';
import { buildMetadataRequest, metadataCaseArbitrary, type MetadataWorld } from './metadata-paths.ts';
import { startFuzzTarget, type FuzzTarget } from './target.ts';

const FILE = fileURLToPath(import.meta.url);
const RUNS = runsFor(0.13);
const HEAP_MARGIN = 32 * MiB;
/** The statuses the metadata service answers with (src/metadata/server.ts). */
const STATUSES = new Set([200, 400, 401, 403, 404, 405]);
const ROOT_LISTING = 'latest/\n2016-01-01/';

let target: FuzzTarget;
let world: MetadataWorld;

/** Every path of the main instance's tree, found by following its directory listings. */
async function treePaths(instanceId: string): Promise<string[][]> {
  const found: string[][] = [];
  const visit = async (dir: string[]) => {
    const res = await target.metadata.inject({ method: 'GET', url: `/${instanceId}/latest/${dir.map(encodeURIComponent).join('/')}` });
    assert.equal(res.statusCode, 200, `${dir.join('/')}: ${res.body}`);
    for (const line of res.body.split('\n').filter(Boolean)) {
      const path = [...dir, line.replace(/\/$/, '')];
      found.push(path);
      if (line.endsWith('/') && path.length < 8 && found.length < 400) await visit(path);
    }
  };
  await visit([]);
  return found;
}

async function tokenOf(instanceId: string, ttl: string): Promise<string> {
  const res = await target.metadata.inject({
    method: 'PUT',
    url: `/${instanceId}/latest/api/token`,
    headers: { 'x-aliyun-ecs-metadata-token-ttl-seconds': ttl },
  });
  assert.equal(res.statusCode, 200, res.body);
  return res.body;
}

before(async () => {
  target = await startFuzzTarget('metadata');
  const { main, other } = target.fixture;
  const expired = await tokenOf(main.instanceId, '1');
  target.clock.advance(2000);
  world = {
    mainInstance: main.instanceId,
    otherInstance: other.instanceId,
    paths: await treePaths(main.instanceId),
    // Long-lived: the run moves the clock one second per request.
    tokens: { main: await tokenOf(main.instanceId, '21600'), other: await tokenOf(other.instanceId, '21600'), expired },
  };
});
after(() => target.close());

test('metadata: the tree walked from its listings holds the items the fuzzer starts from', () => {
  const paths = world.paths.map((p) => p.join('/'));
  for (const item of ['meta-data/instance-id', 'meta-data/network/interfaces/macs', 'meta-data/ram/security-credentials/FuzzRole']) {
    assert.ok(paths.includes(item), `${item} in ${paths.length} paths`);
  }
});

test('metadata paths, headers and tokens: no 5xx, nothing written, no other instance shown, no item for a bad token', async (t) => {
  const { other } = target.fixture;
  // What would betray the other account's instance in an answer about the main one.
  const foreign = [other.instanceId, other.vpcId, other.vswitchId, ...other.eniIds, ...target.fixture.addresses.filter((a) => a.startsWith('10.20.'))];
  const statuses = new Map<number, number>();
  let sent = 0;
  let heapAtWarm = 0;
  await fuzz(FILE, RUNS, metadataCaseArbitrary(world), async (c) => {
    sent++;
    target.errorLog.length = 0; // a failed run's lines must not be blamed on the next one (shrinking reruns)
    // Let the event loop turn, as it does between a real server's requests: app.inject's work here
    // is promises only, and the immediates it schedules (its responses' ends) would pile up.
    await new Promise(setImmediate);
    if (sent === Math.min(1000, Math.floor(RUNS / 10))) heapAtWarm = heapAfterGc();
    target.clock.advance(1000);
    const req = buildMetadataRequest(c, world);
    const context = `${req.method} ${req.url.slice(0, 1000)} headers=${JSON.stringify(req.headers).slice(0, 1000)}\n  case: ${JSON.stringify(c).slice(0, 1500)}`;
    const writesBefore = await target.writes();
    const res = await target.metadata.inject({ method: req.method, url: req.url, headers: req.headers });
    statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
    assert.ok(STATUSES.has(res.statusCode), `status ${res.statusCode}: ${res.body.slice(0, 500)}\n  request: ${context}`);
    assert.match(String(res.headers['content-type']), /^(text\/plain; charset=utf-8|application\/json)/, context);
    if (req.method === 'HEAD') assert.equal(res.body, '', context);
    assert.deepEqual(target.errorLog.splice(0), [], `the service logged an error\n  request: ${context}`);
    assert.deepEqual(await target.writes(), writesBefore, `the metadata service wrote to the store\n  request: ${context}`);
    if (res.statusCode !== 200 || res.body === ROOT_LISTING || req.method === 'PUT') return;
    if (!req.named.has(other.instanceId)) {
      for (const value of foreign) assert.ok(!res.body.includes(value), `an answer about ${[...req.named].join(', ')} shows ${value}\n  request: ${context}`);
    }
    const ownToken =
      c.token === 'none' ||
      (c.token === 'main' && !req.named.has(other.instanceId)) ||
      (c.token === 'other' && req.named.has(other.instanceId) && req.named.size === 1);
    assert.ok(ownToken, `an item served with the token "${c.token}"\n  request: ${context}`);
  });
  t.diagnostic(`statuses: ${[...statuses].map(([s, n]) => `${s} ${n}`).join(', ')}`);
  const heapGrowth = heapAfterGc() - heapAtWarm;
  t.diagnostic(`heap growth after the warm-up: ${(heapGrowth / MiB).toFixed(1)} MiB (margin ${HEAP_MARGIN / MiB} MiB)`);
  assert.ok(heapGrowth < HEAP_MARGIN, `the heap grew by ${(heapGrowth / MiB).toFixed(1)} MiB`);
  if (RUNS >= 1000) assert.ok((statuses.get(200) ?? 0) > 0.1 * RUNS, 'too few answers with an item: the fuzzer no longer reaches the tree');
});
