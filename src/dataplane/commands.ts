import type { ObservedNamespace, ObservedState } from './observed.ts';

/** What the diffs (diff.ts, diff-internet.ts) share: the argv of the commands they emit, and reading the observed state. */

/** `ip -n <ns> …`. */
export const ip = (ns: string, ...args: string[]): string[] => ['ip', '-n', ns, ...args];

/** Sets sysctls inside a namespace (`ip netns exec <ns> sysctl -q -w k=v …`). */
export const sysctlIn = (ns: string, settings: Record<string, string>): string[] => [
  'ip',
  'netns',
  'exec',
  ns,
  'sysctl',
  '-q',
  '-w',
  ...Object.entries(settings).map(([k, v]) => `${k}=${v}`),
];

/** A namespace that exists but was not observed (or has nothing in it). */
export const EMPTY_NAMESPACE: ObservedNamespace = { links: [], routes: [], sysctl: {} };

/** What was observed of a namespace; undefined when it does not exist. */
export function observedNs(observed: ObservedState, ns: string): ObservedNamespace | undefined {
  if (!observed.namespaces.has(ns)) return undefined;
  return observed.byNs.get(ns) ?? EMPTY_NAMESPACE;
}
