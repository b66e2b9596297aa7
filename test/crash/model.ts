/**
 * What the crash harness's clients know about their ENIs, and the check of a restarted server
 * against it. Each ENI belongs to one client, which has at most one call on it in flight: every
 * ENI is either known (each of its fields set by an answered call) or has one unanswered call,
 * whose effect must then be all there or not at all (a crash leaves no half of a transaction).
 */

/** An ENI as the harness compares it: status, instance, addresses and tags. */
export interface EniState {
  status: string;
  instanceId: string;
  ips: string[];
  tags: Record<string, string>;
}

/** The effect of a call whose answer never came: `after` says whether a state is the call's whole effect (`undefined`: deleted). */
export interface PendingCall {
  label: string;
  /** What the call would leave, for messages. */
  expected: string;
  after(actual: EniState | undefined): boolean;
}

/** An ENI a client made: its known state, and the call on it left unanswered, if any. */
export interface ModelEni {
  id: string;
  owner: number;
  primaryIp: string;
  state: EniState;
  pending?: PendingCall;
}

export function sameState(a: EniState | undefined, b: EniState | undefined): boolean {
  if (!a || !b) return a === b;
  return (
    a.status === b.status &&
    a.instanceId === b.instanceId &&
    [...a.ips].sort().join(',') === [...b.ips].sort().join(',') &&
    JSON.stringify(Object.entries(a.tags).sort()) === JSON.stringify(Object.entries(b.tags).sort())
  );
}

export function describeState(s: EniState | undefined): string {
  if (!s) return 'deleted';
  const tags = Object.entries(s.tags)
    .sort()
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return `${s.status}${s.instanceId ? ` on ${s.instanceId}` : ''} [${[...s.ips].sort().join(', ')}]${tags ? ` {${tags}}` : ''}`;
}

export interface Reconciled {
  /** Acknowledged writes the restarted server does not show (lost), or unanswered calls half applied. */
  violations: string[];
  /** The ENIs, each now known (an unanswered call's outcome read from the server). */
  enis: ModelEni[];
}

/**
 * Holds the server's ENIs (`shown`, by ID: every secondary ENI of the clients' account) to the
 * model: a known ENI must show exactly its state; one with an unanswered call either its state
 * before the call or after it, which becomes its known state; an ENI nobody made is a phantom.
 */
export function reconcile(model: readonly ModelEni[], shown: ReadonlyMap<string, EniState>): Reconciled {
  const violations: string[] = [];
  const enis: ModelEni[] = [];
  const modelled = new Set(model.map((e) => e.id));
  for (const e of model) {
    const actual = shown.get(e.id);
    if (e.pending) {
      const { pending, ...known } = e;
      if (sameState(actual, e.state)) enis.push(known);
      else if (pending.after(actual)) {
        if (actual) enis.push({ ...known, state: actual });
      } else
        violations.push(
          `${e.id}: after an unanswered ${pending.label} it shows ${describeState(actual)}, neither ${describeState(e.state)} (before) nor ${pending.expected} (after)`,
        );
      continue;
    }
    if (!sameState(actual, e.state)) violations.push(`${e.id}: acknowledged as ${describeState(e.state)}, the restarted server shows ${describeState(actual)}`);
    else enis.push(e);
  }
  for (const [id, s] of shown) if (!modelled.has(id)) violations.push(`${id} (${describeState(s)}) was made by no client`);
  return { violations, enis };
}
