import assert from 'node:assert/strict';

/**
 * Shared pieces of the client replay suites (test/api/clients-*.test.ts): JSON type checks of the
 * fields a client reads, and the clients' wait loops, scaled down in time but not in shape.
 */
export type JsonType = 'string' | 'number' | 'boolean' | 'array' | 'object';

function typeOf(v: unknown): string {
  return Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v;
}

/** Every named field is present with the given JSON type (what the client's struct or map cast expects). */
export function assertFieldTypes(obj: unknown, fields: Record<string, JsonType>, where: string): void {
  assert.equal(typeOf(obj), 'object', `${where}: not an object`);
  const o = obj as Record<string, unknown>;
  for (const [name, type] of Object.entries(fields)) {
    assert.ok(name in o, `${where}: ${name} is missing (the client reads it)`);
    assert.equal(typeOf(o[name]), type, `${where}: ${name} is ${typeOf(o[name])} ${JSON.stringify(o[name])}, the client reads a ${type}`);
  }
}

/** `obj.A.B` as a list, asserting every step exists (the client indexes it without checks). */
export function listAt(obj: unknown, path: string, where: string): Record<string, unknown>[] {
  let cur: unknown = obj;
  for (const step of path.split('.')) {
    assert.equal(typeOf(cur), 'object', `${where}: ${path} stops before ${step}`);
    cur = (cur as Record<string, unknown>)[step];
  }
  assert.equal(typeOf(cur), 'array', `${where}: ${path} is ${typeOf(cur)}, the client reads a list`);
  return cur as Record<string, unknown>[];
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Time scale of the replays: the clients' seconds become this many milliseconds. */
export const SECOND = 100;

/**
 * k8s.io/apimachinery wait.ExponentialBackoff as Terway uses it (pkg/backoff/backoff.go): the
 * condition at most `steps` times, sleeping `duration` (times `factor` each round, up to `cap`)
 * between tries, after an optional initial delay. Jitter is left out so runs repeat. Returns the
 * number of tries; throws "timed out waiting for the condition" like wait.ErrWaitTimeout.
 */
export async function k8sBackoff(
  shape: { initialDelay?: number; duration: number; factor: number; steps: number; cap?: number },
  condition: () => Promise<boolean>,
): Promise<number> {
  if (shape.initialDelay) await sleep(shape.initialDelay * SECOND);
  let duration = shape.duration;
  for (let i = 1; i <= shape.steps; i++) {
    if (await condition()) return i;
    if (i === shape.steps) break;
    await sleep(duration * SECOND);
    duration = Math.min(duration * shape.factor, shape.cap ?? Infinity);
  }
  throw new Error('timed out waiting for the condition');
}

/**
 * The provider's resource.StateChangeConf (BuildStateConf): waits `delay`, then refreshes until the
 * state is one of `target` (the empty target `['']` means "gone"), polling at least every
 * `minTimeout` (3 s by default in BuildStateConf's callers), up to `timeout`.
 */
export async function waitForState(
  refresh: () => Promise<string>,
  target: string[],
  opts: { delay: number; minTimeout?: number; timeout?: number },
): Promise<string[]> {
  await sleep(opts.delay * SECOND);
  const seen: string[] = [];
  const deadline = Date.now() + (opts.timeout ?? 120) * SECOND;
  for (;;) {
    const state = await refresh();
    if (seen[seen.length - 1] !== state) seen.push(state);
    if (target.includes(state)) return seen;
    if (Date.now() > deadline) assert.fail(`state ${state} never reached ${target.join('|')} (seen ${seen.join(' → ')})`);
    await sleep((opts.minTimeout ?? 3) * SECOND);
  }
}
