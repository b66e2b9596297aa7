import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Stable attachment indexes: which ethN (and so which route table, 1000 + N) each MAC gets.
 *
 * ECS metadata has no device number, and the order of the MAC listing is not an attachment
 * order a guest can rely on; numbering by list or kernel order renumbers tables when an ENI is
 * hot-plugged or detached (os-config.md §6.5, §6.6: ec2-net-utils #90/#153). So the primary ENI
 * is 0, a MAC keeps the index it was first given, a new MAC takes the lowest unused index, and
 * an index is freed only when its MAC is no longer in the metadata.
 */

/** MAC (lower-case colon form) -> index. */
export type NicIndexes = Record<string, number>;

/** Where `guest render` keeps the indexes, relative to its --root (the applier keeps its own). */
export const RENDER_INDEX_STATE = 'var/lib/eniplane-guest/nic-index.json';

const MAC_RE = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

/**
 * Pure: the indexes for `macs` (every MAC the metadata lists now, the primary among them),
 * given what was remembered. Deterministic: new MACs are numbered in sorted order.
 */
export function assignIndexes(previous: NicIndexes, macs: readonly string[], primaryMac: string): NicIndexes {
  if (!macs.includes(primaryMac)) throw new Error(`the primary MAC ${primaryMac} is not among the listed MACs (${macs.join(', ')})`);
  const next: NicIndexes = { [primaryMac]: 0 };
  const used = new Set<number>([0]);
  const fresh: string[] = [];
  for (const mac of [...macs].sort()) {
    if (mac === primaryMac) continue;
    const old = previous[mac];
    // A remembered 0 on a non-primary MAC, or an index already taken, cannot be kept.
    if (old !== undefined && old > 0 && !used.has(old)) {
      next[mac] = old;
      used.add(old);
    } else {
      fresh.push(mac);
    }
  }
  let candidate = 1;
  for (const mac of fresh) {
    while (used.has(candidate)) candidate++;
    next[mac] = candidate;
    used.add(candidate);
  }
  return next;
}

/** Pure: validates a state file's text. Throws a message naming what is wrong. */
export function parseIndexState(text: string, source: string): NicIndexes {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new Error(`index state ${source} is not JSON (${(err as Error).message}); remove it to renumber from scratch`, { cause: err });
  }
  const indexes = (doc as { indexes?: unknown } | null)?.indexes;
  if (typeof indexes !== 'object' || indexes === null || Array.isArray(indexes)) {
    throw new Error(`index state ${source} has no "indexes" object; remove it to renumber from scratch`);
  }
  const out: NicIndexes = {};
  const seen = new Map<number, string>();
  for (const [mac, index] of Object.entries(indexes)) {
    if (!MAC_RE.test(mac)) throw new Error(`index state ${source}: "${mac}" is not a lower-case MAC`);
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0)
      throw new Error(`index state ${source}: ${mac} has index ${JSON.stringify(index)}, not a whole number`);
    const other = seen.get(index);
    // Two ENIs on one table would send each other's traffic out the wrong NIC: refuse loudly.
    if (other) throw new Error(`index state ${source}: ${other} and ${mac} share index ${index}; remove the file to renumber`);
    seen.set(index, mac);
    out[mac] = index;
  }
  return out;
}

/** Pure: the state file's text, sorted by index so diffs stay small. */
export function serializeIndexState(indexes: NicIndexes): string {
  const sorted = Object.entries(indexes).sort((a, b) => a[1] - b[1]);
  return `${JSON.stringify({ version: 1, indexes: Object.fromEntries(sorted) }, null, 2)}\n`;
}

/** Reads a state file; a missing file is an empty state. */
export function loadIndexState(path: string): NicIndexes {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`cannot read index state ${path}: ${(err as Error).message}`, { cause: err });
  }
  return parseIndexState(text, path);
}

/** Writes a state file atomically (temporary file, then rename). */
export function saveIndexState(path: string, indexes: NicIndexes): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, serializeIndexState(indexes), { mode: 0o644 });
  renameSync(tmp, path);
}
