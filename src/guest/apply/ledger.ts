import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressLedger } from './diff.ts';
import type { ObservedLink } from './observed.ts';

/** The applier's files in its --state-dir. */
export const LEDGER_FILE = 'applied-addresses.json';
export const INDEX_FILE = 'nic-index.json';

/** Reads the ledger; a missing file (first run, or /run emptied by a reboot) is an empty one. */
export function loadLedger(stateDir: string): Map<string, Set<string>> {
  const path = join(stateDir, LEDGER_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw new Error(`cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new Error(`${path} is not JSON; remove it (eniplane then removes none of the addresses it added before)`);
  }
  const addresses = (doc as { addresses?: unknown } | null)?.addresses;
  if (typeof addresses !== 'object' || addresses === null) throw new Error(`${path} has no "addresses" object`);
  return new Map(Object.entries(addresses).map(([mac, list]) => [mac, new Set(Array.isArray(list) ? list.map(String) : [])]));
}

export function saveLedger(stateDir: string, ledger: AddressLedger): void {
  mkdirSync(stateDir, { recursive: true });
  const path = join(stateDir, LEDGER_FILE);
  const entries = [...ledger].filter(([, set]) => set.size > 0).sort(([a], [b]) => a.localeCompare(b));
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify({ version: 1, addresses: Object.fromEntries(entries.map(([m, s]) => [m, [...s].sort()])) }, null, 2)}\n`);
  renameSync(tmp, path);
}

/**
 * Pure: the ledger after an apply. Ours are what we had plus what we added (desired, absent
 * before, present now), kept only while still present on the device with that MAC: a deleted
 * address, or a whole device gone, leaves the ledger with it.
 */
export function nextLedger(
  previous: AddressLedger,
  before: ObservedLink[],
  after: ObservedLink[],
  desired: ReadonlyMap<string, readonly string[]>,
): Map<string, Set<string>> {
  const keys = (links: ObservedLink[], mac: string) => new Set(links.find((l) => l.mac === mac)?.addresses.map((a) => `${a.ip}/${a.prefixLength}`) ?? []);
  const next = new Map<string, Set<string>>();
  for (const link of after) {
    const was = keys(before, link.mac);
    const now = keys(after, link.mac);
    const mine = new Set([...(previous.get(link.mac) ?? []), ...(desired.get(link.mac) ?? []).filter((k) => !was.has(k))]);
    const kept = new Set([...mine].filter((k) => now.has(k)));
    if (kept.size > 0) next.set(link.mac, kept);
  }
  return next;
}
