import { performance } from 'node:perf_hooks';
import { KeepAliveConnection } from './client.ts';
import type { FromLoadgen, ListedRequest, ScenarioResult, ScenarioSpec, ToLoadgen } from './scenario.ts';
import { signedV3Request } from './sign.ts';
import { summarize } from './stats.ts';

/**
 * The load generator, a separate process forked by LoadGenerator (harness/loadgen.ts):
 * `concurrency` keep-alive connections, each with one request in flight, for a warm-up and then a
 * fixed measuring window. Every request is signed here (its cost is the client's, not the server's).
 */

function send(msg: FromLoadgen): void {
  process.send!(msg);
}

/** The next request's bytes, or undefined when a non-cycling list is used up; `sent` counts what went out. */
function requestFactory(spec: ScenarioSpec): { next: () => Buffer | undefined; sent: () => number } {
  // The Host header is signed; with several replicas each answers whatever host it is named by.
  const host = `${spec.host}:${spec.ports[0]}`;
  const { keys, requests, cycle, presigned } = spec.request;
  const sign = (q: ListedRequest) => signedV3Request(host, keys[q.key]!, q.action, q.version, q.params);
  let i = 0;
  if (presigned) {
    const bytes = Array.from({ length: 256 }, (_, k) => sign(requests[k % requests.length]!));
    return { next: () => bytes[i++ % bytes.length], sent: () => i };
  }
  return {
    next: () => (!cycle && i >= requests.length ? undefined : sign(requests[i++ % requests.length]!)),
    sent: () => i,
  };
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

  // A list sent once spends at most a quarter of itself warming up, so its window is never empty.
  const warmupCap = spec.request.cycle ? Number.POSITIVE_INFINITY : Math.ceil(spec.request.requests.length / 4);
  let startWindow = () => {};

  const worker = async (conn: KeepAliveConnection) => {
    while (phase !== 'done') {
      if (phase === 'warmup' && issued >= warmupCap) startWindow();
      const bytes = factory.next();
      if (!bytes) {
        stoppedEarly ??= 'no requests left (the listed requests are used up)';
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

  let finished!: () => void;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const timers: NodeJS.Timeout[] = [];
  const endWindow = () => {
    if (phase === 'done') return;
    for (const t of timers) clearTimeout(t);
    if (phase === 'measure') send({ type: 'window-end' });
    else windowStart = performance.now();
    windowEnd = performance.now();
    phase = 'done';
    finished();
  };
  startWindow = () => {
    if (phase !== 'warmup') return;
    for (const t of timers) clearTimeout(t);
    phase = 'measure';
    windowStart = performance.now();
    cpuStart = process.cpuUsage();
    send({ type: 'window-start' });
    timers.push(setTimeout(endWindow, spec.durationMs));
  };
  timers.push(setTimeout(startWindow, spec.warmupMs));

  const conns = Array.from(
    { length: spec.concurrency },
    (_, i) => new KeepAliveConnection(spec.host, spec.ports[i % spec.ports.length]!, spec.requestTimeoutMs),
  );
  const workers = conns.map((c) => worker(c));
  // Every worker stopped early (the list used up): end the window now.
  void Promise.all(workers).then(endWindow);
  await done;
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
    nextSlot: factory.sent(),
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
