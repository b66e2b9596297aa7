/**
 * The signed no-op's request path in one process, without sockets: a baseline tree's API app and
 * this tree's, each on its own SQLite store, driven alternately through Fastify's inject with the
 * same signed V3 DescribeRegions requests. What differs between the two is only their code from
 * routing to encoding (auth, nonce, decode, invoke, envelope), so the ratio is far steadier than
 * bench:compare's over HTTP; it cannot see what a socket or a separate process adds.
 *
 *   node --import tsx bench/tools/inject-ab.ts --baseline DIR [--rounds 6] [--requests 5000]
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_KEY, signedV3Request } from '../harness/sign.ts';

const { values } = parseArgs({
  options: { baseline: { type: 'string' }, rounds: { type: 'string', default: '6' }, requests: { type: 'string', default: '5000' } },
});
if (!values.baseline) throw new Error('--baseline DIR is required');
const current = resolve(import.meta.dirname, '../..');

/** A tree's API app: src/app/build-app.ts where it exists, the older src/server.ts before it. */
async function build(root: string) {
  const isNew = existsSync(join(root, 'src/app/build-app.ts'));
  const db = await import(`${root}/src/store/db.ts`);
  const cfg = await import(`${root}/src/config.ts`);
  const clock = (await import(`${root}/src/lib/clock.ts`)).systemClock;
  const rnd = await import(`${root}/src/lib/random.ts`);
  const acc = await import(`${root}/src/services/accounts.ts`);
  const logger = (await import(`${root}/src/lib/logger.ts`)).createLogger('warn');
  const dir = mkdtempSync(join(tmpdir(), 'ab-'));
  const store = await db.openStore({ kind: 'sqlite', file: db.sqliteFileIn(dir) });
  await db.migrateToLatest(store);
  await acc.ensureRootAccount(store, BENCH_KEY, clock, rnd.cryptoRandom);
  const deps = { store, config: { ...cfg.defaultServerConfig, delays: cfg.parseDelays('none') }, clock, random: rnd.cryptoRandom, log: logger };
  const app = isNew ? (await import(`${root}/src/app/build-app.ts`)).buildApp(deps) : (await import(`${root}/src/server.ts`)).buildApiServer(deps);
  await app.ready();
  return app;
}

function parse(buf: Buffer) {
  const text = buf.toString();
  const [head] = text.split('\r\n\r\n');
  const lines = head!.split('\r\n');
  const [method, url] = lines[0]!.split(' ');
  const headers: Record<string, string> = {};
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
  }
  return { method: method as 'POST', url: url!, headers };
}

const oldApp = await build(resolve(values.baseline));
const newApp = await build(current);
async function run(app: { inject(r: ReturnType<typeof parse>): Promise<{ statusCode: number; body: string }> }, n: number) {
  const reqs = Array.from({ length: n }, () => parse(signedV3Request('127.0.0.1', BENCH_KEY, 'DescribeRegions', '2014-05-26', {})));
  const t = process.hrtime.bigint();
  let bad = 0;
  for (const r of reqs) {
    const res = await app.inject(r);
    if (res.statusCode !== 200) {
      bad++;
      if (bad === 1) console.log(res.body);
    }
  }
  return { us: Number(process.hrtime.bigint() - t) / 1e3 / n, bad };
}
await run(oldApp, 3000);
await run(newApp, 3000);
const ratios: number[] = [];
for (let i = 0; i < Number(values.rounds); i++) {
  const n = Number(values.requests);
  const a = i % 2 ? await run(oldApp, n) : undefined;
  const b = await run(newApp, n);
  const a2 = a ?? (await run(oldApp, n));
  ratios.push(b.us / a2.us);
  console.log(
    `baseline ${a2.us.toFixed(1)} µs/req  current ${b.us.toFixed(1)} µs/req  current/baseline ${(b.us / a2.us).toFixed(3)}  errors ${a2.bad}/${b.bad}`,
  );
}
console.log('geometric mean current/baseline', Math.exp(ratios.reduce((s, r) => s + Math.log(r), 0) / ratios.length).toFixed(3));
process.exit(0);
