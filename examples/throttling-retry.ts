/**
 * A client's retry path under the cloud's flow control, driven by configuration alone: start
 * eniplane with a rate for one action,
 *
 *   eniplane serve --throttle 'DescribeNetworkInterfaces=5/s'
 *   ENIPLANE_ENDPOINT=127.0.0.1:8080 node --import tsx examples/throttling-retry.ts
 *
 * and every call past 5 in a clock second answers HTTP 400 Throttling.User ("Request was denied
 * due to user flow control."), with the milliseconds left in the window in the x-acs-retry-after
 * header. The official SDK raises it as a ThrottlingError whose `retryAfter` is that header. Then:
 *
 *   1. a client without retries: the burst fails at its 6th call; the example retries by hand,
 *      sleeping `retryAfter` (what any client can do, e.g. the legacy pop-core);
 *   2. the same burst with the SDK's own retries (Config.retryOptions: retry ThrottlingError,
 *      and the SDK sleeps min(retryAfter, maxDelay) before each attempt, with a fresh nonce).
 *
 * Keys: ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET, else .eniplane/credentials.json.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as EcsSdk from '@alicloud/ecs20140526';
import type * as Dara from '@darabonba/typescript';

// The SDKs are CommonJS with `exports.default`.
const require = createRequire(import.meta.url);
const Ecs = require('@alicloud/ecs20140526') as typeof EcsSdk;
const { $OpenApiUtil, ThrottlingError } = require('@alicloud/openapi-core') as typeof import('@alicloud/openapi-core');
// The retry policy types come with the SDK's runtime (@darabonba/typescript, a dependency of openapi-core).
const { RetryOptions } = createRequire(require.resolve('@alicloud/openapi-core'))('@darabonba/typescript') as typeof Dara;

function credentials(): { accessKeyId: string; accessKeySecret: string } {
  if (process.env.ALIBABA_CLOUD_ACCESS_KEY_ID) {
    return { accessKeyId: process.env.ALIBABA_CLOUD_ACCESS_KEY_ID, accessKeySecret: process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET ?? '' };
  }
  const file = JSON.parse(readFileSync(process.env.ENIPLANE_CREDENTIALS ?? '.eniplane/credentials.json', 'utf8')) as {
    accessKeyId: string;
    accessKeySecret: string;
  };
  return { accessKeyId: file.accessKeyId, accessKeySecret: file.accessKeySecret };
}

const regionId = 'cn-hangzhou';
const BURST = 12;
const endpoint = process.env.ENIPLANE_ENDPOINT ?? '127.0.0.1:8080';
const EcsClient = Ecs.default as unknown as typeof EcsSdk.default.default;

function client(retryOptions?: Dara.RetryOptions) {
  return new EcsClient(new $OpenApiUtil.Config({ ...credentials(), endpoint, protocol: 'http', regionId, ...(retryOptions && { retryOptions }) }));
}

const list = (c: ReturnType<typeof client>) => c.describeNetworkInterfaces(new Ecs.DescribeNetworkInterfacesRequest({ regionId, maxResults: 10 }));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// 1. No retries configured (the SDKs' default): the burst meets Throttling.User; retry by hand.
const plain = client();
let throttled = 0;
let waited = 0;
let started = Date.now();
for (let i = 0; i < BURST; i++) {
  for (;;) {
    try {
      await list(plain);
      break;
    } catch (err) {
      if (!(err instanceof ThrottlingError)) throw err;
      if (throttled === 0) console.log(`call ${i + 1}: ${err.code} (HTTP ${err.statusCode}), retry after ${err.retryAfter} ms`);
      throttled++;
      waited += err.retryAfter ?? 1000;
      await sleep(err.retryAfter ?? 1000);
    }
  }
}
if (throttled === 0) {
  console.log(`no call was throttled: start the server with --throttle 'DescribeNetworkInterfaces=5/s'`);
  process.exit(1);
}
console.log(`by hand: ${BURST} calls done in ${Date.now() - started} ms, ${throttled} throttled, ${waited} ms spent waiting as told`);

// 2. The SDK's own retries: ThrottlingError is retried after its retryAfter, at most 5 attempts.
const retrying = client(
  new RetryOptions({
    retryable: true,
    retryCondition: [{ maxAttempts: 5, exception: ['ThrottlingError'], errorCode: ['Throttling.User'], maxDelay: 5000 }],
    noRetryCondition: [],
  }),
);
started = Date.now();
await Promise.all(Array.from({ length: BURST }, () => list(retrying)));
console.log(`with retryOptions: ${BURST} concurrent calls all answered in ${Date.now() - started} ms, the SDK waiting out each throttled window`);
