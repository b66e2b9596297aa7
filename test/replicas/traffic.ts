import { ecsClient, vpcClient, type Key } from '../helpers/clients.ts';
import { TEST_KEY } from '../helpers/server.ts';
import type { Fleet } from './fleet.ts';
import type { Acks } from '../../src/store/check/invariants.ts';

export type Ecs = ReturnType<typeof ecsClient>;
export type Vpc = ReturnType<typeof vpcClient>;

/**
 * The SDKs give up after 3 s without an answer by default. 64 clients on a small shared machine
 * can wait longer than that in line for a lock, and a client that gives up has an unknown
 * outcome, which proves nothing: wait as long as a patient client would.
 */
export function patient<T extends { ecs: Ecs; vpc: Vpc }>(c: T): T {
  for (const sdk of [c.ecs, c.vpc]) {
    sdk._readTimeout = 60_000;
    sdk._connectTimeout = 30_000;
  }
  return c;
}

/** How one call ended: answered with success, refused with a 4xx code, or no answer at all. */
export type Outcome<T> =
  { kind: 'ok'; value: T; replica: number } | { kind: 'refused'; code: string; status: number; replica: number } | { kind: 'unknown'; replica: number };

/**
 * Sends calls through the fleet's round-robin balancer with the official SDKs and keeps the
 * books: every 5xx (never allowed), and every call left without an answer (allowed only on a
 * replica that was killed: its outcome is unknown, so it is neither acknowledged nor refused).
 */
export class Traffic {
  readonly acks: Acks = {
    createdEnis: [],
    assignedIps: [],
    assignedPrefixes: [],
    assignedIpv6: [],
    attached: [],
    createdVpcs: [],
    createdGroups: [],
    tokenCalls: [],
    nonceTrials: [],
    serverErrors: [],
    unknown: [],
    killedReplicas: [],
  };
  /** Codes of refusals, counted, for the scenario's "did the race reach the limit" checks. */
  readonly refusals = new Map<string, number>();
  calls = 0;
  private readonly clients = new Map<string, { ecs: Ecs; vpc: Vpc }>();

  constructor(private readonly fleet: Fleet) {}

  /** SDK clients of one replica for one key pair, made once (each signs its own requests). */
  clientsOf(replica: number, key: Key = TEST_KEY): { ecs: Ecs; vpc: Vpc } {
    const id = `${replica} ${key.accessKeyId}`;
    let c = this.clients.get(id);
    if (!c) {
      const server = this.fleet.replicas[replica]!;
      c = patient({ ecs: ecsClient(server, { key }), vpc: vpcClient(server, { key }) });
      this.clients.set(id, c);
    }
    return c;
  }

  /** One call on the next live replica (or on `opts.replica`), classified and recorded. */
  async call<T>(label: string, fn: (c: { ecs: Ecs; vpc: Vpc }) => Promise<T>, opts: { key?: Key; replica?: number } = {}): Promise<Outcome<T>> {
    const replica = opts.replica ?? this.fleet.next();
    this.calls++;
    try {
      return { kind: 'ok', value: await fn(this.clientsOf(replica, opts.key)), replica };
    } catch (err) {
      const e = err as { statusCode?: number; code?: string; data?: { Code?: string }; message?: string };
      if (typeof e.statusCode !== 'number') {
        this.acks.unknown.push({ label, replica, error: String(e.code ?? e.message) });
        return { kind: 'unknown', replica };
      }
      const code = e.data?.Code ?? e.code ?? '';
      if (e.statusCode >= 500 || code === '') {
        this.acks.serverErrors.push({ label, status: e.statusCode, code });
        return { kind: 'unknown', replica };
      }
      this.refusals.set(code, (this.refusals.get(code) ?? 0) + 1);
      return { kind: 'refused', code, status: e.statusCode, replica };
    }
  }

  /** Like `call`, for setup steps that must succeed. */
  async must<T>(label: string, fn: (c: { ecs: Ecs; vpc: Vpc }) => Promise<T>, opts: { key?: Key; replica?: number } = {}): Promise<T> {
    const r = await this.call(label, fn, opts);
    if (r.kind !== 'ok') throw new Error(`setup step ${label} failed on replica ${r.replica}: ${r.kind === 'refused' ? `${r.status} ${r.code}` : 'no answer'}`);
    return r.value;
  }
}
