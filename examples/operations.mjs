// What a load balancer and Prometheus see of one eniplane replica: liveness (/healthz), readiness
// (/readyz), then a few calls through the official ECS SDK, then /metrics read back: the replica's
// identity, the calls by action and code with their latency, time in the store, the nonce and
// ClientToken tables, and asynchronous states in flight.
//
//   ENIPLANE_ENDPOINT=127.0.0.1:8080 node examples/operations.mjs
//   ENIPLANE_ENDPOINT=127.0.0.1:8443 ENIPLANE_CA=cert.pem node examples/operations.mjs    # serve --tls-cert cert.pem --tls-key key.pem
//
// Keys: ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET, else .eniplane/credentials.json.
// A scrape configuration for Prometheus itself: examples/prometheus.yml.
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Ecs = require('@alicloud/ecs20140526');
const { Config } = require('@alicloud/openapi-core').$OpenApiUtil;

function credentials() {
  if (process.env.ALIBABA_CLOUD_ACCESS_KEY_ID) {
    return { accessKeyId: process.env.ALIBABA_CLOUD_ACCESS_KEY_ID, accessKeySecret: process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET };
  }
  const file = JSON.parse(readFileSync(process.env.ENIPLANE_CREDENTIALS ?? '.eniplane/credentials.json', 'utf8'));
  return { accessKeyId: file.accessKeyId, accessKeySecret: file.accessKeySecret };
}

const endpoint = process.env.ENIPLANE_ENDPOINT ?? '127.0.0.1:8080';
// With a CA (the server's self-signed certificate, or the CA that signed it): HTTPS, verified.
const ca = process.env.ENIPLANE_CA ? readFileSync(process.env.ENIPLANE_CA, 'utf8') : undefined;
const protocol = ca ? 'https' : 'http';

/** A plain GET, as a probe or a scraper makes it: status and body. */
function get(path) {
  const [host, port] = endpoint.split(':');
  const send = ca ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    send({ host, port, path, ...(ca ? { ca } : {}) }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    })
      .on('error', reject)
      .end();
  });
}

/** The samples of one metric from Prometheus' text format: [{ labels, value }]. */
function samples(text, name) {
  const out = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    out.push({ labels, value: Number(m[3]) });
  }
  return out;
}

/** An upper bound of a quantile from cumulative histogram buckets (as histogram_quantile reads them, without interpolation). */
function quantileBound(buckets, q) {
  const sorted = buckets.map((b) => ({ le: Number(b.labels.le === '+Inf' ? Infinity : b.labels.le), count: b.value })).sort((a, b) => a.le - b.le);
  const total = sorted.at(-1)?.count ?? 0;
  return sorted.find((b) => b.count >= q * total)?.le;
}

const live = await get('/healthz');
const ready = await get('/readyz');
console.log(`GET /healthz: ${live.status} ${live.body}`);
console.log(`GET /readyz: ${ready.status} ${ready.body}`);

const ecs = new Ecs.default(new Config({ ...credentials(), endpoint, protocol, regionId: 'cn-hangzhou', ...(ca ? { ca } : {}) }));
for (let i = 0; i < 20; i++) await ecs.describeRegions(new Ecs.DescribeRegionsRequest({}));
await ecs.describeNetworkInterfaces(new Ecs.DescribeNetworkInterfacesRequest({ regionId: 'cn-hangzhou' }));
await ecs
  .describeNetworkInterfaces(new Ecs.DescribeNetworkInterfacesRequest({ regionId: 'nowhere-1' }))
  .catch((err) => console.log(`a refused call: ${err.code}`));

const scraped = await get('/metrics');
if (scraped.status !== 200) throw new Error(`GET /metrics answered ${scraped.status}: ${scraped.body}`);
const text = scraped.body;
const [replica] = samples(text, 'eniplane_replica_info');
console.log(`replica ${replica.labels.replica} (store ${replica.labels.store}, eniplane ${replica.labels.version})`);
for (const s of samples(text, 'eniplane_requests_total')) {
  const { product, action, code, status } = s.labels;
  console.log(`requests ${product} ${action || '(unresolved)'} ${code || 'OK'} HTTP ${status}: ${s.value}`);
}
for (const action of ['DescribeRegions', 'DescribeNetworkInterfaces']) {
  const buckets = samples(text, 'eniplane_request_duration_seconds_bucket').filter((s) => s.labels.action === action);
  console.log(`${action}: p99 ≤ ${quantileBound(buckets, 0.99)} s`);
}
for (const s of samples(text, 'eniplane_store_transaction_duration_seconds_count')) {
  const sum = samples(text, 'eniplane_store_transaction_duration_seconds_sum').find(
    (t) => t.labels.kind === s.labels.kind && t.labels.outcome === s.labels.outcome,
  );
  console.log(`store ${s.labels.kind} ${s.labels.outcome}: ${s.value}, ${((sum.value / s.value) * 1000).toFixed(2)} ms on average`);
}
for (const s of samples(text, 'eniplane_store_table_rows')) console.log(`table ${s.labels.table}: ${s.value} rows`);
const inFlight = samples(text, 'eniplane_async_in_flight').filter((s) => s.value > 0);
console.log(`in flight: ${inFlight.length === 0 ? 'nothing' : inFlight.map((s) => `${s.value} ${s.labels.resource} ${s.labels.status}`).join(', ')}`);
