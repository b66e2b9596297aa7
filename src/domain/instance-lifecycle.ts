/**
 * Instance states (ECS-SDK notes): RunInstances goes Pending → Starting → Running; CreateInstance
 * ends Stopped; StartInstance Stopped → Starting → Running; StopInstance Running → Stopping →
 * Stopped. Stored as up to two timed stages and resolved against the request's clock.
 */
export interface InstanceState {
  status: string;
  nextStatus: string | null;
  transitionAt: number | null;
  finalStatus: string | null;
  finalAt: number | null;
}

export function instanceStatus(state: InstanceState, now: number): string {
  if (state.finalStatus !== null && state.finalAt !== null && state.finalAt <= now) return state.finalStatus;
  if (state.nextStatus !== null && state.transitionAt !== null && state.transitionAt <= now) return state.nextStatus;
  return state.status;
}

/** A path of statuses, each held for its delay, collapsed when delays are zero. */
export function instanceTimeline(stages: readonly { status: string; holdMs: number }[], now: number): InstanceState {
  const shown = stages.filter((s, i) => i === stages.length - 1 || s.holdMs > 0);
  const [first, second, third] = shown;
  if (!first) throw new Error('empty timeline');
  const t1 = second ? now + first.holdMs : null;
  const t2 = third && t1 !== null ? t1 + second!.holdMs : null;
  return {
    status: first.status,
    nextStatus: second?.status ?? null,
    transitionAt: t1,
    finalStatus: third?.status ?? null,
    finalAt: t2,
  };
}

/**
 * Host names as RunInstances and ModifyInstanceAttribute accept them (ECS-SDK HostName remarks):
 * Windows, 2-15 characters of letters, digits and hyphens, not only digits, no leading, trailing
 * or doubled hyphen; other systems, 2-64 characters in dot-separated segments of letters, digits
 * and hyphens, with no doubled dots or hyphens and no leading or trailing dot or hyphen.
 */
export function isValidHostName(name: string, osType: string): boolean {
  if (osType === 'windows') {
    return name.length >= 2 && name.length <= 15 && /^[A-Za-z0-9-]+$/.test(name) && !/^-|-$|--/.test(name) && !/^\d+$/.test(name);
  }
  if (name.length < 2 || name.length > 64) return false;
  return /^[A-Za-z0-9.-]+$/.test(name) && !/\.\.|--|^[.-]|[.-]$/.test(name);
}

/** RunInstances' default host name: `iZ` + the ID's body + `Z` (as in the cloud's samples, iZbp1h4adlltjc1d48goaqZ). */
export function defaultHostName(instanceId: string): string {
  return `iZ${instanceId.slice(2)}Z`;
}
