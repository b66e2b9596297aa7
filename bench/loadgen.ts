import { performance } from 'node:perf_hooks';
import { KeepAliveConnection } from './http-client.ts';
import type { FromLoadgen, RequestSpec, ScenarioResult, ScenarioSpec, ToLoadgen } from './scenario.ts';
import { BENCH_KEY, signedV3Request } from './sign.ts';
import { summarize } from './stats.ts';

/**
 * The load generator, a separate process forked by bench/run.ts: `concurrency` keep-alive
 * connections, each with one request in flight, for a warm-up and then a fixed measuring window.
 * Every request is signed here (its cost is the client's, not the server's).
 */

function send(msg: FromLoadgen): void {
  process.send!(msg);
}

/** Next request's bytes, or undefined when the scenario has nothing left to send. */
function requestFactory(spec: ScenarioSpec): { next: () => Buffer | undefined; nextSlot?: () => number } {
  // The Host header is signed; with several replicas each answers whatever host it is named by.
  const host = `${spec.host}:${spec.port}`;
  const r: RequestSpec = spec.request;
  switch (r.kind) {
    case 'fixed': {
      if (!r.presigned) return { next: () => signedV3Request(host, BENCH_KEY, r.action, r.version, r.params) };
      const presigned = Array.from({ length: 256 }, () => signedV3Request(host, BENCH_KEY, r.action, r.version, r.params));
      let i = 0;
      return { next: () => presigned[i++ % presigned.length]! };
    }
    case 'create-vswitch': {
      let slot = r.firstSlot;
      const limit = r.vpcs.length * r.perVpc;
      return {
        next: () => {
          if (slot >= limit) return undefined;
          const k = slot++;
          const vpc = r.vpcs[Math.floor(k / r.perVpc)]!;
          const index = k % r.perVpc;
          return signedV3Request(host, BENCH_KEY, 'CreateVSwitch', r.version, {
            RegionId: vpc.regionId,
            VpcId: vpc.vpcId,
            ZoneId: vpc.zoneIds[index % vpc.zoneIds.length]!,
            // The VPCs are 10.0.0.0/8; /24s by index never overlap and stay inside.
            CidrBlock: `10.${index >> 8}.${index & 255}.0/24`,
            VSwitchName: `bench-${k}`,
          });
        },
        nextSlot: () => slot,
      };
    }
    case 'describe-vswitches': {
      const pages: { vpc: (typeof r.vpcs)[number]; page: number }[] = [];
      for (const vpc of r.vpcs) {
        for (let page = 1; page <= Math.max(1, Math.ceil(vpc.total / r.pageSize)); page++) pages.push({ vpc, page });
      }
      let i = 0;
      return {
        next: () => {
          const { vpc, page } = pages[i++ % pages.length]!;
          return signedV3Request(host, BENCH_KEY, 'DescribeVSwitches', r.version, {
            RegionId: vpc.regionId,
            VpcId: vpc.vpcId,
            PageNumber: String(page),
            PageSize: String(r.pageSize),
          });
        },
      };
    }
    case 'list': {
      let i = 0;
      return {
        next: () => {
          if (!r.cycle && i >= r.requests.length) return undefined;
          const q = r.requests[i++ % r.requests.length]!;
          return signedV3Request(host, r.keys[q.key]!, q.action, q.version, q.params);
        },
        nextSlot: () => i,
      };
    }
  }
}

async function run(spec: ScenarioSpec): Promise<ScenarioResult> {
  const factory = requestFactory(spec);
  const latencies = new Float64Array(spec.maxRequests);
  let measured = 0;
  let errors = 0;
  let warmupErrors = 0;
  let issued = 0;
  const errorSamples: string[] = [];
  let stoppedEarly: string | undefined;
  let phase: 'warmup' | 'measure' | 'done' = 'warmup';
  let windowStart = 0;
  let windowEnd = 0;
  let cpuStart = process.cpuUsage();

  const noteError = (text: string) => {
    if (phase === 'warmup') warmupErrors++;
    else errors++;
    if (errorSamples.length < 5) errorSamples.push(text.slice(0, 500));
  };

  const worker = async (conn: KeepAliveConnection) => {
    while (phase !== 'done') {
      const bytes = factory.next();
      if (!bytes) {
        stoppedEarly ??= `no requests left (${spec.request.kind === 'list' ? 'listed requests' : 'CreateVSwitch slots'} used up)`;
        break;
      }
      issued++;
      const t0 = performance.now();
      try {
        const res = await conn.request(bytes);
        if (res.status !== 200) noteError(`HTTP ${res.status}: ${res.body.toString('utf8')}`);
      } catch (err) {
        noteError(`transport: ${(err as Error).message}`);
        // A refused or dropped connection fails at once: don't spin on it.
        await new Promise((r) => setTimeout(r, 50));
      }
      const t1 = performance.now();
      if (phase === 'measure') {
        if (measured >= spec.maxRequests) {
          stoppedEarly ??= `measured request cap (${spec.maxRequests}) reached`;
          break;
        }
        latencies[measured++] = t1 - t0;
      }
    }
  };

  const ports = spec.ports ?? [spec.port];
  const conns = Array.from({ length: spec.concurrency }, (_, i) => new KeepAliveConnection(spec.host, ports[i % ports.length]!, spec.requestTimeoutMs));
  const workers = conns.map((c) => worker(c));
  const timers: NodeJS.Timeout[] = [];
  await new Promise<void>((resolve) => {
    timers.push(
      setTimeout(() => {
        phase = 'measure';
        windowStart = performance.now();
        cpuStart = process.cpuUsage();
        send({ type: 'window-start' });
        timers.push(
          setTimeout(() => {
            windowEnd = performance.now();
            phase = 'done';
            send({ type: 'window-end' });
            resolve();
          }, spec.durationMs),
        );
      }, spec.warmupMs),
    );
    // Every worker stopped early (e.g. slots used up): end the window now.
    void Promise.all(workers).then(() => {
      if (phase === 'done') return;
      for (const t of timers) clearTimeout(t);
      if (phase === 'measure') send({ type: 'window-end' });
      else windowStart = performance.now();
      windowEnd = performance.now();
      phase = 'done';
      resolve();
    });
  });
  const cpu = process.cpuUsage(cpuStart);
  await Promise.all(workers);
  for (const c of conns) c.close();
  const windowMs = windowEnd - windowStart;
  const window = latencies.subarray(0, measured);
  return {
    name: spec.name,
    concurrency: spec.concurrency,
    windowMs: Math.round(windowMs),
    requests: measured,
    requestsPerSecond: windowMs > 0 ? (measured / windowMs) * 1000 : 0,
    latencyMs: summarize(window),
    errors,
    warmupErrors,
    errorSamples,
    issued,
    clientCpuPercent: windowMs > 0 ? ((cpu.user + cpu.system) / 1000 / windowMs) * 100 : 0,
    ...(stoppedEarly ? { stoppedEarly } : {}),
    ...(factory.nextSlot ? { nextSlot: factory.nextSlot() } : {}),
  };
}

process.on('message', (msg: ToLoadgen) => {
  if (msg.type === 'exit') process.exit(0);
  if (msg.type === 'run') {
    run(msg.spec).then(
      (result) => send({ type: 'result', result }),
      (err: Error) => send({ type: 'failed', message: err.stack ?? String(err) }),
    );
  }
});
send({ type: 'ready' });
